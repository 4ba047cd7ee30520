/**
 * When autovacuum visits a table, as autovacuum.c decides it: the server's settings overridden by the
 * table's own storage parameters, then the vacuum, insert and analyze thresholds computed from the
 * table's row count (pg_class.reltuples). Shared by the health checks and the maintenance plan.
 */
import type { HealthSetting, HealthTable } from './facts.js';

export interface AutovacuumSettings {
  /** autovacuum and track_counts on for the server, and autovacuum_enabled not false for the table. */
  enabled: boolean;
  /** Why autovacuum does not visit the table, when it does not. */
  disabledBy: 'server' | 'track_counts' | 'table' | null;
  vacuumThreshold: number;
  vacuumScaleFactor: number;
  /** PostgreSQL 18: the most dead rows autovacuum waits for, whatever the scale factor; null when none (-1, or before 18). */
  vacuumMaxThreshold: number | null;
  /** Inserts since the last vacuum (PostgreSQL 13+); -1 disables. */
  insertThreshold: number;
  insertScaleFactor: number;
  analyzeThreshold: number;
  analyzeScaleFactor: number;
  freezeMaxAge: number;
  multixactFreezeMaxAge: number;
  /** The table's own `autovacuum_*` storage parameters, as set (`autovacuum_vacuum_scale_factor=0.01`). */
  tableSettings: string[];
}

/** The server-wide autovacuum setting `name` (without the `autovacuum_` prefix), as a number. */
function serverNumber(settings: Record<string, HealthSetting>, name: string, fallback: number): number {
  const value = settings[`autovacuum_${name}`]?.setting;
  return value === undefined || value === '' ? fallback : Number(value);
}

export function effectiveAutovacuum(table: Pick<HealthTable, 'reloptions'>, settings: Record<string, HealthSetting>): AutovacuumSettings {
  const own = new Map<string, string>();
  const tableSettings: string[] = [];
  for (const option of table.reloptions) {
    const at = option.indexOf('=');
    const name = option.slice(0, at);
    if (!name.startsWith('autovacuum_')) continue;
    own.set(name.slice('autovacuum_'.length), option.slice(at + 1));
    tableSettings.push(option);
  }
  const pick = (name: string, fallback: number): number => {
    const value = own.get(name);
    const parsed = value === undefined ? NaN : Number(value);
    return Number.isFinite(parsed) && parsed !== -1 ? parsed : serverNumber(settings, name, fallback);
  };
  const serverOn = (settings.autovacuum?.setting ?? 'on') === 'on';
  const countsOn = (settings.track_counts?.setting ?? 'on') === 'on';
  const tableOn = own.get('enabled') === undefined || !/^(false|off|no|0)$/i.test(own.get('enabled')!);
  const disabledBy = !serverOn ? 'server' : !countsOn ? 'track_counts' : !tableOn ? 'table' : null;
  const maxThreshold = settings.autovacuum_vacuum_max_threshold === undefined ? null : pick('vacuum_max_threshold', -1);
  // A table may raise its freeze age but never above the server's (autovacuum.c: Min of the two).
  const serverFreeze = serverNumber(settings, 'freeze_max_age', 200_000_000);
  const serverMultiFreeze = serverNumber(settings, 'multixact_freeze_max_age', 400_000_000);
  return {
    enabled: disabledBy === null,
    disabledBy,
    vacuumThreshold: pick('vacuum_threshold', 50),
    vacuumScaleFactor: pick('vacuum_scale_factor', 0.2),
    vacuumMaxThreshold: maxThreshold === null || maxThreshold < 0 ? null : maxThreshold,
    insertThreshold: pick('vacuum_insert_threshold', 1000),
    insertScaleFactor: pick('vacuum_insert_scale_factor', 0.2),
    analyzeThreshold: pick('analyze_threshold', 50),
    analyzeScaleFactor: pick('analyze_scale_factor', 0.1),
    freezeMaxAge: Math.min(pick('freeze_max_age', serverFreeze), serverFreeze),
    multixactFreezeMaxAge: Math.min(pick('multixact_freeze_max_age', serverMultiFreeze), serverMultiFreeze),
    tableSettings,
  };
}

/** The row count autovacuum's formulas use: reltuples, 0 when unknown. */
function rowsOf(table: Pick<HealthTable, 'rowEstimate'>): number {
  return Math.max(0, table.rowEstimate ?? 0);
}

/** Dead rows from which autovacuum vacuums the table: threshold + scale factor × rows (capped on 18). */
export function vacuumTrigger(table: Pick<HealthTable, 'rowEstimate'>, s: AutovacuumSettings): number {
  const trigger = s.vacuumThreshold + s.vacuumScaleFactor * rowsOf(table);
  return Math.round(s.vacuumMaxThreshold === null ? trigger : Math.min(trigger, s.vacuumMaxThreshold));
}

/** Rows inserted since the last vacuum from which autovacuum vacuums the table; null when disabled (-1). */
export function insertTrigger(table: Pick<HealthTable, 'rowEstimate'>, s: AutovacuumSettings): number | null {
  if (s.insertThreshold < 0) return null;
  return Math.round(s.insertThreshold + s.insertScaleFactor * rowsOf(table));
}

/** Rows changed since the last analyze from which autovacuum analyzes the table. */
export function analyzeTrigger(table: Pick<HealthTable, 'rowEstimate'>, s: AutovacuumSettings): number {
  return Math.round(s.analyzeThreshold + s.analyzeScaleFactor * rowsOf(table));
}

/** Tables from this many rows get autovacuum settings of their own in the maintenance plan. */
export const LARGE_TABLE_ROWS = 1_000_000;

/** Scale factors for a table of `rows` rows: the larger the table, the smaller the share of it that may go dead or stale. */
export function scaleFactorsFor(rows: number, largeRows = LARGE_TABLE_ROWS): { vacuum: number; analyze: number } | null {
  if (rows < largeRows) return null;
  if (rows >= largeRows * 100) return { vacuum: 0.005, analyze: 0.002 };
  if (rows >= largeRows * 10) return { vacuum: 0.02, analyze: 0.01 };
  return { vacuum: 0.05, analyze: 0.02 };
}

/** The threshold set with a table's own scale factors: the fixed part of the trigger. */
export const LARGE_TABLE_THRESHOLD = 1000;

export interface SettingChange {
  /** Storage parameter: `autovacuum_vacuum_scale_factor`. */
  name: string;
  current: number;
  recommended: number;
}

/**
 * The storage parameters a large table should get so that autovacuum visits it before a large share
 * of it is dead or stale; empty when it is small or already as tight. Only loosened values change:
 * a table set tighter than this by hand is left as it is.
 */
export function autovacuumChanges(rows: number, current: AutovacuumSettings, largeRows = LARGE_TABLE_ROWS): SettingChange[] {
  const factors = scaleFactorsFor(rows, largeRows);
  if (!factors) return [];
  const changes: SettingChange[] = [];
  if (current.vacuumScaleFactor > factors.vacuum) {
    changes.push({ name: 'autovacuum_vacuum_scale_factor', current: current.vacuumScaleFactor, recommended: factors.vacuum });
    if (current.vacuumThreshold < LARGE_TABLE_THRESHOLD) changes.push({ name: 'autovacuum_vacuum_threshold', current: current.vacuumThreshold, recommended: LARGE_TABLE_THRESHOLD });
  }
  if (current.insertThreshold >= 0 && current.insertScaleFactor > factors.vacuum) {
    changes.push({ name: 'autovacuum_vacuum_insert_scale_factor', current: current.insertScaleFactor, recommended: factors.vacuum });
  }
  if (current.analyzeScaleFactor > factors.analyze) {
    changes.push({ name: 'autovacuum_analyze_scale_factor', current: current.analyzeScaleFactor, recommended: factors.analyze });
    if (current.analyzeThreshold < LARGE_TABLE_THRESHOLD) changes.push({ name: 'autovacuum_analyze_threshold', current: current.analyzeThreshold, recommended: LARGE_TABLE_THRESHOLD });
  }
  return changes;
}

/** The changes as `name = value` items for `ALTER TABLE ... SET (...)`, or null when there are none. */
export function recommendedAutovacuum(rows: number, current: AutovacuumSettings, largeRows = LARGE_TABLE_ROWS): string[] | null {
  const changes = autovacuumChanges(rows, current, largeRows);
  return changes.length ? changes.map((c) => `${c.name} = ${c.recommended}`) : null;
}

/** `ALTER TABLE ... SET (...)` and `RESET (...)` take SHARE UPDATE EXCLUSIVE: reads and writes go on. */
export const SET_STORAGE_NOTE = 'ALTER TABLE ... SET (autovacuum_...) takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes, and changes only the catalog.';
