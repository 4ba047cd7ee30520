/**
 * Retention periods (`90 days`, `12 months`, `1 year`) and the cutoff they give: a range partition whose
 * upper bound is at or before the cutoff holds only rows older than the retention. Pure.
 */
import { stepValue, timeValue, type KeyKind, type TimeUnit } from './key-grid.js';

export interface Retention {
  count: number;
  unit: Exclude<TimeUnit, 'quarter'>;
  /** As given: `12 months`. */
  text: string;
}

const UNITS: Record<string, Retention['unit']> = { hour: 'hour', day: 'day', week: 'week', month: 'month', year: 'year' };

/** `90 days`, `12 months`, `1 year`, `2 weeks`, `48 hours`; null when unreadable. */
export function parseRetention(text: string): Retention | null {
  const m = /^\s*(\d+)\s*(hour|day|week|month|year)s?\s*$/i.exec(text);
  if (!m || Number(m[1]) <= 0) return null;
  return { count: Number(m[1]), unit: UNITS[m[2]!.toLowerCase()]!, text: text.trim() };
}

/** The instant `retention` before `nowMs`, as a value of the key (calendar months in UTC). */
export function retentionCutoff(nowMs: number, retention: Retention, kind: KeyKind): { literal: string; at: number } {
  const cutoff = stepValue(timeValue(nowMs, kind), { unit: retention.unit }, -retention.count, kind);
  return { literal: cutoff.literal, at: cutoff.at as number };
}
