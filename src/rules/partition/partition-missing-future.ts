import type { Column, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteLiteral } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { RelationNames } from '../keys/lib/names.js';

/**
 * A table partitioned by a date or timestamp range only accepts rows for which a partition exists.
 * When partitions stop being created (the cron job died, the migration was a one-off), inserts for
 * the current time fail outright, or, with a DEFAULT partition, pile up there: the default partition
 * grows unpruned, and creating the missing partition later must first scan it under a lock and fails
 * while it holds rows of the new range.
 */
export default defineRule({
  meta: {
    id: 'partition-missing-future',
    category: 'partitioning',
    defaultSeverity: 'warning',
    description: 'A range-partitioned table (date or timestamp key) has no partition for now or for the coming days.',
    fixable: true,
    defaultOptions: {
      /** How far ahead of the snapshot's time partitions must exist. */
      lookaheadDays: 30,
    },
  },
  check({ snapshot, index, options, now, report }) {
    const names = new RelationNames(snapshot);
    const lookaheadMs = Math.max(0, options.lookaheadDays) * DAY_MS;
    for (const table of index.designTables()) {
      if (table.partitionStrategy !== 'range' || table.partitionKeyColumns.length !== 1) continue;
      const keyColumn = index.column(table.schema, table.name, table.partitionKeyColumns[0]!);
      const keyType = keyColumn && timeKeyType(keyColumn);
      if (!keyType) continue;
      const all = index.partitions(table);
      const defaultPartition = all.find((p) => p.isDefaultPartition) ?? null;
      const ranges = readRanges(all.filter((p) => !p.isDefaultPartition));
      // A bound this rule cannot read (a BC date, an unusual DateStyle): better silent than wrong.
      if (!ranges) continue;

      const nowMs = now.getTime();
      const horizon = nowMs + lookaheadMs;
      const covered = coveredUntil(ranges, nowMs);
      if (covered.until >= horizon) continue;
      const nowCovered = covered.until > nowMs;
      const interval = partitionInterval(ranges);
      const latest = latestRange(ranges);
      const subject = `Partitioned table ${table.schema}.${table.name}`;
      const where = defaultPartition ? `the default partition ${defaultPartition.schema}.${defaultPartition.name}` : null;
      const message = nowCovered
        ? `${subject} has partitions only until ${covered.bound!.literal}, less than ${options.lookaheadDays} days ahead: ` +
          (where ? `rows beyond it will pile up in ${where}.` : 'inserts beyond it will fail.')
        : `${subject} has ${ranges.length === 0 ? 'no range partitions' : 'no partition for the current time'}` +
          `${latest ? ` (its latest partition ends at ${latest.to.literal})` : ''}: ` +
          (where ? `current rows pile up in ${where}.` : ranges.length === 0 ? 'every insert fails.' : 'inserts of current rows fail.');
      const insertsFailNow = !nowCovered && !defaultPartition;
      report({
        object: { type: 'partitioned table', schema: table.schema, name: table.name },
        message,
        // Failing inserts are an outage now; the rest is an outage coming, or rows going astray.
        severity: insertsFailNow ? 'error' : 'warning',
        evidence: {
          partitionKey: table.partitionKey,
          partitions: ranges.length,
          latestBound: latest?.to.literal ?? null,
          coveredUntil: nowCovered ? covered.bound!.literal : null,
          interval: describeInterval(interval),
          lookaheadDays: options.lookaheadDays,
          defaultPartition: defaultPartition?.name ?? null,
          insertsFailNow,
        },
        fix: partitionsFix(names, table, keyType, ranges, interval, covered, nowMs, horizon, defaultPartition),
      });
    }
  },
});

const DAY_MS = 86_400_000;
const MAX_NEW_PARTITIONS = 100;

type KeyType = 'date' | 'timestamp' | 'timestamptz';

const KEY_TYPES: Record<string, KeyType> = {
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

function timeKeyType(column: Column): KeyType | undefined {
  return column.isArray ? undefined : KEY_TYPES[column.domainBaseType ?? column.typeName];
}

/**
 * A range bound. `wall` is the printed wall-clock time read as if it were UTC, so calendar steps
 * (months) are plain arithmetic; `epoch` is the instant it denotes, for comparisons with `now`.
 * Date and timestamp bounds have no offset and are compared as UTC: hours do not matter here.
 */
interface Bound {
  literal: string;
  epoch: number;
  wall: number;
  /** The printed UTC offset of a timestamptz bound (`+00`, `+05:30`), kept for the bounds derived from it. */
  offset: string;
  offsetMs: number;
}

interface Range {
  partition: Table;
  from: Bound;
  to: Bound;
}

type Interval = { months: number } | { ms: number };

function readRanges(partitions: Table[]): Range[] | null {
  const ranges: Range[] = [];
  for (const partition of partitions) {
    const range = partition.partitionRange;
    if (!range || range.from.length !== 1 || range.to.length !== 1) return null;
    const from = parseBound(range.from[0]!);
    const to = parseBound(range.to[0]!);
    if (!from || !to) return null;
    ranges.push({ partition, from, to });
  }
  return ranges.sort((a, b) => a.from.epoch - b.from.epoch);
}

const TIME_LITERAL =
  /^(\d{4,})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(\.\d+)?)?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

function parseBound(literal: string): Bound | null {
  const infinite = { MINVALUE: -Infinity, '-infinity': -Infinity, MAXVALUE: Infinity, infinity: Infinity }[literal];
  if (infinite !== undefined) return { literal, epoch: infinite, wall: infinite, offset: '', offsetMs: 0 };
  const m = TIME_LITERAL.exec(literal);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Math.round(Number(m[7] ?? 0) * 1000));
  const sign = m[8] === '-' ? -1 : 1;
  const offsetMs = m[8] ? sign * ((+m[9]! * 60 + +(m[10] ?? 0)) * 60 + +(m[11] ?? 0)) * 1000 : 0;
  const offset = m[8] ? literal.slice(literal.lastIndexOf(m[8])) : '';
  return { literal, epoch: wall - offsetMs, wall, offset, offsetMs };
}

/** The first instant at or after `from` that no partition covers (ranges never overlap). */
function coveredUntil(ranges: Range[], from: number): { until: number; bound: Bound | null } {
  let until = from;
  let bound: Bound | null = null;
  for (const range of ranges) {
    if (range.from.epoch > until) break;
    if (range.to.epoch > until) {
      until = range.to.epoch;
      bound = range.to;
    }
  }
  return { until, bound };
}

/** The range with the highest finite upper bound. */
function latestRange(ranges: Range[]): Range | undefined {
  let latest: Range | undefined;
  for (const range of ranges) {
    if (Number.isFinite(range.to.epoch) && (!latest || range.to.epoch > latest.to.epoch)) latest = range;
  }
  return latest;
}

/**
 * The step between the latest partition's bounds: whole months when both fall on the same day and time
 * of month (monthly, quarterly, yearly partitions), else a fixed length (daily, weekly). Monthly when
 * nothing can be learnt.
 */
function partitionInterval(ranges: Range[]): Interval {
  const finite = ranges.filter((r) => Number.isFinite(r.from.wall) && Number.isFinite(r.to.wall));
  const last = finite.sort((a, b) => a.to.epoch - b.to.epoch).at(-1);
  if (!last) return { months: 1 };
  const from = new Date(last.from.wall);
  const to = new Date(last.to.wall);
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  const sameTimeOfMonth = from.getUTCDate() === to.getUTCDate() && from.getTime() % DAY_MS === to.getTime() % DAY_MS;
  if (months > 0 && sameTimeOfMonth) return { months };
  const ms = last.to.wall - last.from.wall;
  return ms > 0 ? { ms } : { months: 1 };
}

function describeInterval(interval: Interval): string {
  if ('months' in interval) {
    if (interval.months % 12 === 0) return interval.months === 12 ? '1 year' : `${interval.months / 12} years`;
    return interval.months === 1 ? '1 month' : `${interval.months} months`;
  }
  if (interval.ms % DAY_MS === 0) return interval.ms === DAY_MS ? '1 day' : `${interval.ms / DAY_MS} days`;
  return `${interval.ms / 3_600_000} hours`;
}

function step(bound: Bound, interval: Interval, count: number, keyType: KeyType): Bound {
  let wall: number;
  if ('months' in interval) {
    const date = new Date(bound.wall);
    date.setUTCMonth(date.getUTCMonth() + interval.months * count);
    wall = date.getTime();
  } else {
    wall = bound.wall + interval.ms * count;
  }
  return { literal: formatWall(wall, keyType, bound.offset), epoch: wall - bound.offsetMs, wall, offset: bound.offset, offsetMs: bound.offsetMs };
}

function formatWall(wall: number, keyType: KeyType, offset: string): string {
  const iso = new Date(wall).toISOString();
  const date = iso.slice(0, 10);
  if (keyType === 'date') return date;
  const fraction = iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23);
  return `${date} ${iso.slice(11, 19)}${fraction}${keyType === 'timestamptz' ? offset : ''}`;
}

/**
 * Where the new partitions start: at the end of the covered stretch when the current time is covered;
 * otherwise at the step of the existing grid that contains the current time (past gaps stay gaps:
 * nothing can have been inserted there).
 */
function firstNewBound(ranges: Range[], interval: Interval, covered: { until: number; bound: Bound | null }, nowMs: number, keyType: KeyType): Bound | null {
  if (covered.bound && covered.until > nowMs) return covered.bound;
  const before = ranges.filter((r) => Number.isFinite(r.to.epoch) && r.to.epoch <= nowMs).sort((a, b) => b.to.epoch - a.to.epoch)[0]?.to;
  const after = ranges.filter((r) => Number.isFinite(r.from.epoch) && r.from.epoch > nowMs).sort((a, b) => a.from.epoch - b.from.epoch)[0]?.from;
  const anchor = before ?? after ?? startOfMonth(nowMs, keyType);
  const direction = anchor.epoch <= nowMs ? 1 : -1;
  for (let k = 0; k < 100_000; k++) {
    const candidate = step(anchor, interval, direction * k, keyType);
    const next = step(anchor, interval, direction * k + 1, keyType);
    if (candidate.epoch <= nowMs && nowMs < next.epoch) return candidate;
  }
  return null;
}

function startOfMonth(nowMs: number, keyType: KeyType): Bound {
  const date = new Date(nowMs);
  const wall = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const offset = keyType === 'timestamptz' ? '+00' : '';
  return { literal: formatWall(wall, keyType, offset), epoch: wall, wall, offset, offsetMs: 0 };
}

/** The partitions to create: consecutive steps from the first missing bound up to the horizon, around existing ones. */
function newRanges(ranges: Range[], interval: Interval, first: Bound, horizon: number, keyType: KeyType): { from: Bound; to: Bound }[] {
  const cells: { from: Bound; to: Bound }[] = [];
  let cursor = first;
  while (cursor.epoch < horizon && cells.length < MAX_NEW_PARTITIONS) {
    const at = cursor.epoch;
    const covering = ranges.find((r) => r.from.epoch <= at && at < r.to.epoch);
    if (covering) {
      if (!Number.isFinite(covering.to.epoch)) break;
      cursor = covering.to;
      continue;
    }
    let end = step(cursor, interval, 1, keyType);
    const next = ranges.find((r) => r.from.epoch > at);
    if (next && next.from.epoch < end.epoch) end = next.from;
    cells.push({ from: cursor, to: end });
    cursor = end;
  }
  return cells;
}

function partitionsFix(
  names: RelationNames,
  table: Table,
  keyType: KeyType,
  ranges: Range[],
  interval: Interval,
  covered: { until: number; bound: Bound | null },
  nowMs: number,
  horizon: number,
  defaultPartition: Table | null,
): Fix | null {
  const first = firstNewBound(ranges, interval, covered, nowMs, keyType);
  if (!first) return null;
  const cells = newRanges(ranges, interval, first, horizon, keyType);
  if (cells.length === 0) return null;
  const latest = latestRange(ranges);
  const schema = latest?.partition.schema ?? table.schema;
  const cellNames = patternNames(names, latest, ranges, cells) ?? cells.map((c) => fallbackName(names, table, schema, c.from, interval));
  const parent = qualifiedName(table.schema, table.name);
  const sql = cells.map(
    (cell, n) =>
      `CREATE TABLE ${qualifiedName(schema, cellNames[n]!)} PARTITION OF ${parent} FOR VALUES FROM (${quoteLiteral(cell.from.literal)}) TO (${quoteLiteral(cell.to.literal)});`,
  );
  const notes = [`creates ${cells.length} partition${cells.length === 1 ? '' : 's'} of ${describeInterval(interval)} up to the lookahead`];
  if (cells.length === MAX_NEW_PARTITIONS) notes.push(`stops at ${MAX_NEW_PARTITIONS} partitions: run the review again for the rest`);
  if (defaultPartition) {
    notes.push(
      `each CREATE scans the default partition ${defaultPartition.name} under an ACCESS EXCLUSIVE lock on the table, and fails if it already holds rows of the new range: ` +
        'then detach the default partition, create the partitions, move its rows into them and attach it again',
    );
  } else {
    notes.push('each CREATE takes a brief ACCESS EXCLUSIVE lock on the parent (the new partition is empty)');
  }
  if (latest?.partition.kind === 'partitioned table') {
    notes.push(`the existing partitions are themselves partitioned (${latest.partition.partitionKey ?? 'sub-partitioned'}): add that PARTITION BY clause and their sub-partitions`);
  }
  notes.push('keep partitions coming ahead of time (a scheduled job or pg_partman) rather than by hand');
  return { sql: sql.join('\n'), safeOnline: !defaultPartition, note: notes.join('; ') };
}

const NAME_FORMATS = ['YYYY_MM_DD', 'YYYYMMDD', 'YYYY-MM-DD', 'YYYY_MM', 'YYYYMM', 'YYYY-MM', 'YYYY'] as const;

function formatDate(wall: number, format: (typeof NAME_FORMATS)[number]): string {
  const iso = new Date(wall).toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return format.replace('YYYY', y).replace('MM', m).replace('DD', d);
}

/**
 * Names following the existing partitions' pattern (`orders_2024_01` → `orders_2024_02`): the date
 * of a partition's lower bound written into its name. The pattern must reproduce the two latest
 * partitions' names and give distinct names that are not taken; otherwise null.
 */
function patternNames(names: RelationNames, latest: Range | undefined, ranges: Range[], cells: { from: Bound }[]): string[] | null {
  if (!latest || !Number.isFinite(latest.from.wall)) return null;
  const examples = ranges.filter((r) => Number.isFinite(r.from.wall) && Number.isFinite(r.to.epoch)).sort((a, b) => b.to.epoch - a.to.epoch).slice(0, 2);
  for (const format of NAME_FORMATS) {
    const token = formatDate(latest.from.wall, format);
    const at = latest.partition.name.lastIndexOf(token);
    if (at === -1) continue;
    const prefix = latest.partition.name.slice(0, at);
    const suffix = latest.partition.name.slice(at + token.length);
    const render = (wall: number): string => `${prefix}${formatDate(wall, format)}${suffix}`;
    if (!examples.every((r) => render(r.from.wall) === r.partition.name)) continue;
    const schema = latest.partition.schema;
    const chosen = cells.map((c) => render(c.from.wall));
    const distinct = new Set(chosen).size === chosen.length;
    if (!distinct || chosen.some((n) => Buffer.byteLength(n) > 63 || names.has(schema, n))) return null;
    for (const n of chosen) names.reserve(schema, n);
    return chosen;
  }
  return null;
}

/** `<table>_pYYYYMMDD` (with `_HHMM` for partitions shorter than a day), made unique. */
function fallbackName(names: RelationNames, table: Table, schema: string, from: Bound, interval: Interval): string {
  const iso = new Date(from.wall).toISOString();
  const day = iso.slice(0, 10).replace(/-/g, '');
  const time = 'ms' in interval && interval.ms < DAY_MS ? `_${iso.slice(11, 13)}${iso.slice(14, 16)}` : '';
  return names.choose(schema, table.name, `p${day}${time}`);
}
