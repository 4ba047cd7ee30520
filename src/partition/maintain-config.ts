/**
 * `partitions.json`, the tables `partition maintain` keeps: for each, the interval, how many partitions
 * to keep ready ahead of now, and the retention with what to do with partitions past it. Validated in
 * full before anything runs: a mistake is one clear line, exit 2.
 *
 * ```json
 * { "lockTimeout": "1s", "retries": 5,
 *   "tables": [ { "table": "public.events", "interval": "month", "premake": 4,
 *                 "retention": "12 months", "retentionAction": "dump", "dumpDir": "archive" } ] }
 * ```
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { parseInterval, type PartitionInterval } from './key-grid.js';
import { parseRetention, type Retention } from './retention.js';

export type RetentionAction = 'drop' | 'detach' | 'dump';

export const RETENTION_ACTIONS: readonly RetentionAction[] = ['drop', 'detach', 'dump'];

export interface ManagedTable {
  schema: string;
  name: string;
  /** Null: learnt from the latest partition. */
  interval: PartitionInterval | null;
  /** Partitions kept ready after the one holding now (default 4). */
  premake: number;
  retention: Retention | null;
  /** What happens to a partition past the retention once detached (default drop). */
  retentionAction: RetentionAction;
  /** For `dump`: the folder of the pg_dump files (relative to the config file's folder). */
  dumpDir: string | null;
  /** Move rows found in the default partition into partitions of their own (default true). */
  moveDefaultRows: boolean;
}

export interface MaintainConfig {
  tables: ManagedTable[];
  /** lock_timeout of each step, ms (default 1000). */
  lockTimeoutMs: number;
  /** Retries of a step that timed out waiting for a lock (default 5). */
  retries: number;
  /** Pause before the first retry, doubled before each next, ms (default 500). */
  retryDelayMs: number;
}

export const MAINTAIN_DEFAULTS = { premake: 4, lockTimeoutMs: 1000, retries: 5, retryDelayMs: 500 } as const;

const TABLE_KEYS = ['table', 'interval', 'premake', 'retention', 'retentionAction', 'dumpDir', 'moveDefaultRows'];

/** Reads and validates a config file; `origin` names it in errors. */
export function readMaintainConfig(path: string, origin = path): MaintainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${origin}: no such file` : `${origin}: not valid JSON: ${(error as Error).message}`);
  }
  return parseMaintainConfig(raw, origin);
}

export function parseMaintainConfig(raw: unknown, origin = 'partitions.json'): MaintainConfig {
  if (!isObject(raw)) throw new UserError(`${origin}: must be an object with "tables"`);
  for (const key of Object.keys(raw)) {
    if (!['tables', 'lockTimeout', 'retries', 'retryDelay', '$schema'].includes(key)) throw new UserError(`${origin}: unknown key "${key}"`, 'allowed keys: tables, lockTimeout, retries, retryDelay');
  }
  if (!Array.isArray(raw.tables) || raw.tables.length === 0) throw new UserError(`${origin}: "tables" must be a non-empty list`, 'for example [{"table": "public.events", "interval": "month", "premake": 4}]');
  const tables = raw.tables.map((entry, i) => parseTable(entry, `${origin}: tables[${i}]`));
  const seen = new Set<string>();
  for (const t of tables) {
    const key = `${t.schema}.${t.name}`;
    if (seen.has(key)) throw new UserError(`${origin}: ${key} is listed twice`);
    seen.add(key);
  }
  return {
    tables,
    lockTimeoutMs: raw.lockTimeout === undefined ? MAINTAIN_DEFAULTS.lockTimeoutMs : duration(raw.lockTimeout, `${origin}: lockTimeout`),
    retries: raw.retries === undefined ? MAINTAIN_DEFAULTS.retries : wholeNumber(raw.retries, `${origin}: retries`, 0),
    retryDelayMs: raw.retryDelay === undefined ? MAINTAIN_DEFAULTS.retryDelayMs : duration(raw.retryDelay, `${origin}: retryDelay`),
  };
}

function parseTable(entry: unknown, where: string): ManagedTable {
  if (!isObject(entry)) throw new UserError(`${where}: must be an object with "table"`);
  for (const key of Object.keys(entry)) if (!TABLE_KEYS.includes(key)) throw new UserError(`${where}: unknown key "${key}"`, `allowed keys: ${TABLE_KEYS.join(', ')}`);
  if (typeof entry.table !== 'string' || !entry.table.trim()) throw new UserError(`${where}: "table" must be a table name, for example "public.events"`);
  const { schema, name } = splitTableName(entry.table);
  const label = `${where} (${schema}.${name})`;
  let interval: PartitionInterval | null = null;
  if (entry.interval !== undefined) {
    interval = typeof entry.interval === 'string' || typeof entry.interval === 'number' ? parseInterval(String(entry.interval)) : null;
    if (!interval) throw new UserError(`${label}: interval "${String(entry.interval)}" is not hour, day, week, month, quarter, year or a whole number`);
  }
  let retention: Retention | null = null;
  if (entry.retention !== undefined && entry.retention !== null) {
    retention = typeof entry.retention === 'string' ? parseRetention(entry.retention) : null;
    if (!retention) throw new UserError(`${label}: retention "${String(entry.retention)}" is not a period such as "90 days", "12 months", "1 year"`);
  }
  const action = entry.retentionAction ?? 'drop';
  if (!RETENTION_ACTIONS.includes(action as RetentionAction)) throw new UserError(`${label}: retentionAction "${String(action)}" is not one of ${RETENTION_ACTIONS.join(', ')}`);
  if (action === 'dump' && typeof entry.dumpDir !== 'string') throw new UserError(`${label}: retentionAction "dump" needs "dumpDir", the folder of the pg_dump files`);
  if (entry.moveDefaultRows !== undefined && typeof entry.moveDefaultRows !== 'boolean') throw new UserError(`${label}: moveDefaultRows must be true or false`);
  return {
    schema,
    name,
    interval,
    premake: entry.premake === undefined ? MAINTAIN_DEFAULTS.premake : wholeNumber(entry.premake, `${label}: premake`, 0),
    retention,
    retentionAction: action as RetentionAction,
    dumpDir: typeof entry.dumpDir === 'string' ? entry.dumpDir : null,
    moveDefaultRows: entry.moveDefaultRows !== false,
  };
}

/** `public.events`, `events` (schema public), `"My Schema"."Events"`. */
export function splitTableName(text: string): { schema: string; name: string } {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^."]+)/g;
  let m: RegExpExecArray | null;
  const trimmed = text.trim();
  while ((m = re.exec(trimmed))) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim().toLowerCase());
  if (parts.length === 1) return { schema: 'public', name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, name: parts[1]! };
  throw new UserError(`"${text}" is not a table name`, 'write schema.table, for example public.events');
}

function duration(value: unknown, where: string): number {
  const m = typeof value === 'number' ? [String(value), String(value), undefined] : /^(\d+)\s*(ms|s|min)?$/.exec(String(value).trim());
  if (!m) throw new UserError(`${where}: "${String(value)}" is not a duration`, 'use milliseconds or a unit: 500ms, 1s, 2min');
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'min' ? n * 60_000 : n;
}

function wholeNumber(value: unknown, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new UserError(`${where}: must be a whole number${min === 0 ? '' : ` from ${min}`}`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
