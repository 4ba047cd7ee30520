/**
 * `partition convert`: reads the table from a live server (read-only session: the catalog snapshot,
 * the key's range with min() and max(), the server's clock), checks that it can be converted, and
 * writes the migration (see convert-script.ts). It never runs the migration.
 */
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { ensureParser } from '../sql/parser.js';
import { qualifiedName, quoteIdent } from '../sql/quote.js';
import { readLiveSnapshot, type ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { convertScript } from './convert-script.js';
import { alignValue, describeInterval, intervalMismatch, keyKindOf, parseKeyValue, stepValue, timeValue, type KeyValue, type PartitionInterval } from './key-grid.js';

export const CONVERT_RESULT_SCHEMA_VERSION = 1;

export interface PartitionConvertOptions extends ConnectionLimits {
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  table: { schema: string; name: string };
  /** The partition key column. */
  key: string;
  interval: PartitionInterval;
  /** Partitions made after the one holding now (default 4). */
  premake?: number;
  /** Also create a default partition (default false). */
  defaultPartition?: boolean;
  /** Rows per copy transaction (default 10,000). */
  batchSize?: number;
}

export interface ConvertResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: { description: string; serverVersionNum: number; takenAt: string };
  table: string;
  key: string;
  interval: string;
  partitions: { name: string; from: string; to: string }[];
  /** Decisions and caveats, one line each. */
  summary: string[];
  /** The migration. */
  script: string;
}

/** Most partitions one conversion creates. */
const MAX_PARTITIONS = 1000;

/** Connects (read only), reads, writes the migration text, disconnects. */
export async function partitionConvert(options: PartitionConvertOptions): Promise<ConvertResult> {
  const env = options.env ?? process.env;
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env });
  try {
    return await partitionConvertOfDb(db, describeConnection(connection, env), options);
  } finally {
    await db.close();
  }
}

export async function partitionConvertOfDb(db: Db, description: string, options: PartitionConvertOptions): Promise<ConvertResult> {
  await ensureParser();
  await db.exec("SET TimeZone = 'UTC'");
  const { snapshot } = await readLiveSnapshot(db, description);
  const index = new SnapshotIndex(snapshot);
  const label = `${options.table.schema}.${options.table.name}`;
  const table = index.table(options.table.schema, options.table.name);
  if (!table) throw new UserError(`${label}: no such table`);
  if (table.kind === 'partitioned table') throw new UserError(`${label} is already partitioned (${table.partitionKey})`, 'partition maintain keeps its partitions');
  if (table.parent) throw new UserError(`${label} is a partition of ${table.parent.schema}.${table.parent.name}`);
  if (table.kind !== 'table') throw new UserError(`${label} is a ${table.kind}, not a table`);
  const key = index.columnOf(table, options.key);
  if (!key) {
    const candidates = index.columnsOf(table).filter((c) => keyKindOf(c.domainBaseType ?? c.typeName) !== null).map((c) => c.name);
    throw new UserError(`${label} has no column "${options.key}"`, candidates.length ? `columns that can be a range key: ${candidates.join(', ')}` : 'it has no date, timestamp or integer column');
  }
  const kind = key.isArray ? null : keyKindOf(key.domainBaseType ?? key.typeName);
  if (!kind) throw new UserError(`${label}.${key.name} is ${key.type}: a range key must be a date, timestamp, timestamptz or integer column`);
  if (!key.notNull) {
    throw new UserError(
      `${label}.${key.name} is nullable: a row with a NULL key fits no range partition`,
      `make it NOT NULL first (online: ADD CONSTRAINT … CHECK (${quoteIdent(key.name)} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL)`,
    );
  }
  if (key.generated) throw new UserError(`${label}.${key.name} is a generated column: it cannot be a partition key`);
  const mismatch = intervalMismatch(options.interval, kind);
  if (mismatch) throw new UserError(`--interval ${describeInterval(options.interval)} does not fit ${label}.${key.name} (${key.type}): ${mismatch}`);
  const pk = index.constraintsOf(table).find((c) => c.kind === 'primary key');
  if (!pk) throw new UserError(`${label} has no primary key: the conversion copies in batches and mirrors changes by it`, 'add one first (see table-without-primary-key)');
  if (index.snapshot.tables.some((t) => t.schema === table.schema && t.name !== table.name && t.parent?.schema === table.schema && t.parent.name === table.name)) {
    throw new UserError(`${label} has inheritance children: convert handles plain tables only`);
  }

  const [facts] = await db.query<{ version: string; now_ms: number; taken_at: string }>(
    "SELECT current_setting('server_version_num') AS version, (extract(epoch FROM now()) * 1000)::float8 AS now_ms, to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS taken_at",
  );
  const [range] = await db.query<{ low: string | null; high: string | null }>(`SELECT min(${quoteIdent(key.name)})::text AS low, max(${quoteIdent(key.name)})::text AS high FROM ONLY ${qualifiedName(table.schema, table.name)}`);
  const low = range?.low ? parseKeyValue(range.low, kind) : null;
  const high = range?.high ? parseKeyValue(range.high, kind) : null;
  if ((range?.low && !low) || (range?.high && !high)) throw new UserError(`${label}.${key.name}: values such as ${range?.low} cannot be placed in ranges (infinity or BC dates)`);
  const premake = options.premake ?? 4;
  const nowMs = Number(facts!.now_ms);
  const cells = partitionCells(low, high, kind === 'integer' ? null : timeValue(nowMs, kind), options.interval, kind, premake);
  if (cells.length > MAX_PARTITIONS) throw new UserError(`${label}: ${cells.length} ${describeInterval(options.interval)} partitions would be needed for ${range?.low} .. ${range?.high}`, 'choose a longer interval');
  const versionNum = Number(facts!.version);
  const generated = convertScript({
    index,
    table,
    key,
    kind,
    interval: options.interval,
    cells,
    defaultPartition: options.defaultPartition === true,
    batchSize: options.batchSize ?? 10_000,
    versionNum,
    description,
    generatedAt: facts!.taken_at,
    rowEstimate: table.rowEstimate,
    keyRange: { min: range?.low ?? null, max: range?.high ?? null },
    lockTimeoutMs: options.lockTimeoutMs ?? 2000,
  });
  return {
    schemaVersion: CONVERT_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: { description, serverVersionNum: versionNum, takenAt: facts!.taken_at },
    table: label,
    key: key.name,
    interval: describeInterval(options.interval),
    partitions: generated.partitions,
    summary: [`${generated.partitions.length} partitions from ${generated.partitions[0]?.from} to ${generated.partitions.at(-1)?.to}`, ...generated.summary],
    script: generated.script,
  };
}

/**
 * The ranges: from the cell holding the smallest key to the one holding the largest, and for time keys
 * `premake` cells after the one holding now; for integer keys `premake` cells after the largest key.
 */
export function partitionCells(low: KeyValue | null, high: KeyValue | null, now: KeyValue | null, interval: PartitionInterval, kind: ReturnType<typeof keyKindOf> & string, premake: number): { from: KeyValue; to: KeyValue }[] {
  const points = [low, high, now].filter((v): v is KeyValue => v !== null);
  if (points.length === 0) points.push({ literal: '0', at: 0n });
  const first = alignValue(points.reduce((a, b) => (b.at < a.at ? b : a)), interval, kind);
  const top = alignValue(points.reduce((a, b) => (b.at > a.at ? b : a)), interval, kind);
  const ahead = now ? alignValue(now, interval, kind) : top;
  const endFromAhead = stepValue(ahead, interval, premake + 1, kind);
  const endFromData = stepValue(top, interval, 1, kind);
  const end = endFromAhead.at > endFromData.at ? endFromAhead : endFromData;
  const cells: { from: KeyValue; to: KeyValue }[] = [];
  for (let cursor = first; cursor.at < end.at && cells.length <= MAX_PARTITIONS; cursor = stepValue(cursor, interval, 1, kind)) {
    cells.push({ from: cursor, to: stepValue(cursor, interval, 1, kind) });
  }
  return cells;
}
