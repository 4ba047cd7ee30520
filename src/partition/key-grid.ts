/**
 * The grid of range partitions over one key column: the kinds of key a range can be cut on (a date, a
 * timestamp, a timestamptz, an integer), the intervals (hour … year, or a whole number for integer
 * keys), stepping and aligning values on the grid, and the literals and names of the partitions.
 *
 * Time values are milliseconds: for `date` and `timestamp` the wall-clock time read as UTC, for
 * `timestamptz` the instant, with literals printed in UTC (`+00`). Calendar steps (months) are done in
 * UTC, so a timestamptz table partitioned at local midnights is stepped from its own bounds, not
 * realigned. Pure: no I/O.
 */

export type KeyKind = 'date' | 'timestamp' | 'timestamptz' | 'integer';

export type TimeUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export const TIME_UNITS: readonly TimeUnit[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];

/** A calendar interval (time keys) or a width (integer keys). */
export type PartitionInterval = { unit: TimeUnit } | { width: bigint };

/** A value on the key's axis. `at` orders values: ms for time keys, a bigint for integers, ±Infinity for MINVALUE/MAXVALUE. */
export interface KeyValue {
  literal: string;
  at: number | bigint;
}

const KEY_TYPES: Record<string, KeyKind> = {
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
};

/** The key kind of a column type (its base type name: `timestamptz`, `int8`), or null when ranges of it are not supported. */
export function keyKindOf(typeName: string): KeyKind | null {
  return KEY_TYPES[typeName] ?? null;
}

const UNIT_WORDS: Record<string, TimeUnit> = {
  hour: 'hour',
  hourly: 'hour',
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
  quarter: 'quarter',
  quarterly: 'quarter',
  year: 'year',
  yearly: 'year',
};

/** `month`, `1 month`, `monthly`, or a whole number (a width for integer keys); null when unreadable. */
export function parseInterval(text: string): PartitionInterval | null {
  const t = text.trim().toLowerCase();
  if (/^[1-9]\d*$/.test(t.replace(/[_,]/g, ''))) return { width: BigInt(t.replace(/[_,]/g, '')) };
  const unit = UNIT_WORDS[t.replace(/^1\s+/, '').replace(/s$/, '')] ?? UNIT_WORDS[t];
  return unit ? { unit } : null;
}

/** Why the interval cannot cut this kind of key, or null when it can. */
export function intervalMismatch(interval: PartitionInterval, kind: KeyKind): string | null {
  if ('width' in interval) return kind === 'integer' ? null : `a width of ${interval.width} fits integer keys, not ${kind}: use hour, day, week, month, quarter or year`;
  if (kind === 'integer') return `${interval.unit} fits date and timestamp keys, not integers: give a width, for example 1000000`;
  if (kind === 'date' && interval.unit === 'hour') return 'hour does not fit a date key: use day, week, month, quarter or year';
  return null;
}

export function describeInterval(interval: PartitionInterval): string {
  return 'width' in interval ? `${interval.width}` : interval.unit;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The value `count` intervals after `from` (before, when negative). */
export function stepValue(from: KeyValue, interval: PartitionInterval, count: number, kind: KeyKind): KeyValue {
  if ('width' in interval) {
    const at = (from.at as bigint) + interval.width * BigInt(count);
    return { literal: at.toString(), at };
  }
  const ms = from.at as number;
  let at: number;
  switch (interval.unit) {
    case 'hour':
      at = ms + HOUR * count;
      break;
    case 'day':
      at = ms + DAY * count;
      break;
    case 'week':
      at = ms + 7 * DAY * count;
      break;
    default: {
      const months = interval.unit === 'month' ? 1 : interval.unit === 'quarter' ? 3 : 12;
      const date = new Date(ms);
      date.setUTCMonth(date.getUTCMonth() + months * count);
      at = date.getTime();
    }
  }
  return timeValue(at, kind);
}

/** The start of the grid cell holding `value`: the hour, midnight, Monday, first of month/quarter/year, or a multiple of the width. */
export function alignValue(value: KeyValue, interval: PartitionInterval, kind: KeyKind): KeyValue {
  if ('width' in interval) {
    const v = value.at as bigint;
    let start = (v / interval.width) * interval.width;
    if (start > v) start -= interval.width;
    return { literal: start.toString(), at: start };
  }
  const d = new Date(value.at as number);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (interval.unit) {
    case 'hour':
      return timeValue(Math.floor((value.at as number) / HOUR) * HOUR, kind);
    case 'day':
      return timeValue(Date.UTC(y, m, d.getUTCDate()), kind);
    case 'week': {
      const midnight = Date.UTC(y, m, d.getUTCDate());
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      return timeValue(midnight - sinceMonday * DAY, kind);
    }
    case 'month':
      return timeValue(Date.UTC(y, m, 1), kind);
    case 'quarter':
      return timeValue(Date.UTC(y, m - (m % 3), 1), kind);
    case 'year':
      return timeValue(Date.UTC(y, 0, 1), kind);
  }
}

/** A time value as the key type prints it (timestamptz in UTC). */
export function timeValue(ms: number, kind: KeyKind): KeyValue {
  const iso = new Date(ms).toISOString();
  const date = iso.slice(0, 10);
  if (kind === 'date') return { literal: date, at: ms };
  const fraction = iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23);
  return { literal: `${date} ${iso.slice(11, 19)}${fraction}${kind === 'timestamptz' ? '+00' : ''}`, at: ms };
}

const TIME_LITERAL = /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?)?(?:([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?|Z)?$/;

/**
 * A bound or value as Postgres prints it: `2024-01-01`, `2024-01-01 00:00:00+00`, `42`, MINVALUE,
 * MAXVALUE, infinity. Null when unreadable (a BC date, an unusual DateStyle).
 */
export function parseKeyValue(literal: string, kind: KeyKind): KeyValue | null {
  const infinite = { MINVALUE: -Infinity, '-infinity': -Infinity, MAXVALUE: Infinity, infinity: Infinity }[literal];
  if (infinite !== undefined) return { literal, at: infinite };
  if (kind === 'integer') return /^-?\d+$/.test(literal) ? { literal, at: BigInt(literal) } : null;
  const m = TIME_LITERAL.exec(literal.trim());
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Math.round(Number(m[7] ?? 0) * 1000));
  const sign = m[8] === '-' ? -1 : 1;
  const offset = m[8] ? sign * ((+m[9]! * 60 + +(m[10] ?? 0)) * 60 + +(m[11] ?? 0)) * 1000 : 0;
  return { literal, at: kind === 'timestamptz' ? wall - offset : wall };
}

/** A value of the key at an instant (`now`), for time keys; integer keys have no time. */
export function valueAtTime(ms: number, kind: KeyKind): KeyValue | null {
  return kind === 'integer' ? null : timeValue(ms, kind);
}

/** `events_p2024_05` (month, quarter), `events_p2024_05_13` (day, week), `events_p2024` (year), `events_p2024_05_13_08` (hour), `events_p1000000` (integers). */
export function partitionName(parent: string, from: KeyValue, interval: PartitionInterval): string {
  let suffix: string;
  if ('width' in interval) {
    suffix = (from.at as bigint) < 0n ? `m${-(from.at as bigint)}` : `${from.at}`;
  } else {
    const iso = new Date(from.at as number).toISOString();
    const [y, mo, d, h] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
    suffix = { year: y, quarter: `${y}_${mo}`, month: `${y}_${mo}`, week: `${y}_${mo}_${d}`, day: `${y}_${mo}_${d}`, hour: `${y}_${mo}_${d}_${h}` }[interval.unit];
  }
  const tail = `_p${suffix}`;
  // Identifiers are cut at 63 bytes: shorten the parent's part, never the date.
  let head = parent;
  while (Buffer.byteLength(head + tail) > 63) head = head.slice(0, -1);
  return head + tail;
}

/** Compares two key values: negative, zero or positive. */
export function compareValues(a: KeyValue, b: KeyValue): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
}

/**
 * The interval a run of partitions was cut at, from its last finite range: a time unit whose step from
 * the lower bound gives the upper one, else a width for integers. Null when no unit fits.
 */
export function inferInterval(from: KeyValue, to: KeyValue, kind: KeyKind): PartitionInterval | null {
  if (kind === 'integer') {
    const width = (to.at as bigint) - (from.at as bigint);
    return width > 0n ? { width } : null;
  }
  for (const unit of TIME_UNITS) {
    if (stepValue(from, { unit }, 1, kind).at === to.at) return { unit };
  }
  return null;
}
