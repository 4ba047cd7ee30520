/**
 * `partition maintain`: keeps range-partitioned tables ready and within their retention, in short
 * steps that each hold a lock on the parent only briefly, with lock_timeout and retries:
 *
 * 1. finishes detaches an interrupted run left pending (`DETACH … FINALIZE`);
 * 2. creates the partitions due, up to `premake` ahead of now: each as a table of its own
 *    (`CREATE TABLE … (LIKE parent …)`, no lock on the parent beyond ACCESS SHARE) then `ATTACH
 *    PARTITION`, which takes SHARE UPDATE EXCLUSIVE on the parent, so reads and writes go on. With a
 *    default partition, rows of the new range found there are moved in the same short transaction,
 *    which holds a SHARE lock on the parent (reads go on, writes wait for it): without it, an insert
 *    routed to the default partition just before the attach would fail;
 * 3. moves the other rows found in the default partition into partitions of their own, the same way;
 * 4. detaches the partitions past the retention (`CONCURRENTLY` on 14+ when there is no default
 *    partition) and drops them, keeps them detached, or dumps each with pg_dump before dropping it.
 *
 * Idempotent: a second run finds nothing due. With `dryRun` the session is read only and the result
 * lists the statements that would run.
 */
import { execFile } from 'node:child_process';
import { childEnvironment, libpqVariables } from '../db/child-connection.js';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { ensureParser } from '../sql/parser.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../sql/quote.js';
import type { ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { alignValue, describeInterval, inferInterval, intervalMismatch, parseKeyValue, partitionName, stepValue, timeValue, type KeyKind, type KeyValue, type PartitionInterval } from './key-grid.js';
import type { MaintainConfig, ManagedTable } from './maintain-config.js';
import { MAINTAIN_RESULT_SCHEMA_VERSION, type MaintainAction, type MaintainResult, type MaintainTableReport } from './maintain-result.js';
import { runLockedStep, type StepPolicy } from './locked-step.js';
import { rangesOf, readLayout, type LiveLayout } from './read-layout.js';
import { retentionCutoff } from './retention.js';

export interface PartitionMaintainOptions extends ConnectionLimits {
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  config: MaintainConfig;
  /** Plan only: a read-only session; the result lists the statements. */
  dryRun?: boolean;
  /** Folder `dumpDir` is relative to (the config file's folder; default the working directory). */
  baseDir?: string;
  /** pg_dump to run for `retentionAction: dump` (default `pg_dump` on PATH, or PGARCHITECT_PG_DUMP). */
  pgDump?: string;
}

/** Most partitions one run creates for one table: more means a wrong interval or a table years behind. */
const MAX_NEW_PARTITIONS = 500;

/** Connects, maintains every managed table, disconnects. */
export async function partitionMaintain(options: PartitionMaintainOptions): Promise<MaintainResult> {
  const env = options.env ?? process.env;
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs ?? 0, lockTimeoutMs: options.config.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env, readOnly: options.dryRun === true });
  try {
    return await partitionMaintainOfDb(db, describeConnection(connection, env), options);
  } finally {
    await db.close();
  }
}

interface Session {
  db: Db;
  versionNum: number;
  nowMs: number;
  policy: StepPolicy;
  dryRun: boolean;
  options: PartitionMaintainOptions;
}

interface Plan {
  table: ManagedTable;
  layout: LiveLayout;
  kind: KeyKind;
  keyColumn: string;
  interval: PartitionInterval;
  /** Columns a row copy lists (not generated ones). */
  columns: string[];
  /** Integer keys: the largest key (they have no "now" to premake from). */
  maxKey: KeyValue | null;
}

/** Maintains over a session already open (read only when `dryRun`). */
export async function partitionMaintainOfDb(db: Db, description: string, options: PartitionMaintainOptions): Promise<MaintainResult> {
  await ensureParser();
  await db.exec("SET TimeZone = 'UTC'");
  const [server] = await db.query<{ version: string; now_ms: number; taken_at: string }>(
    "SELECT current_setting('server_version_num') AS version, (extract(epoch FROM now()) * 1000)::float8 AS now_ms, to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS taken_at",
  );
  const session: Session = {
    db,
    versionNum: Number(server!.version),
    nowMs: Number(server!.now_ms),
    policy: { lockTimeoutMs: options.config.lockTimeoutMs, retries: options.config.retries, retryDelayMs: options.config.retryDelayMs },
    dryRun: options.dryRun === true,
    options,
  };
  // Every table is checked before anything runs: a mistake in the config writes nothing.
  const plans: Plan[] = [];
  for (const table of options.config.tables) plans.push(await planTable(session, table));
  const tables: MaintainTableReport[] = [];
  for (const plan of plans) tables.push(await maintainTable(session, plan));
  const all = tables.flatMap((t) => t.actions);
  const done = (kind: MaintainAction['kind']) => all.filter((a) => a.kind === kind && a.status !== 'failed' && a.status !== 'skipped');
  return {
    schemaVersion: MAINTAIN_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: { description, serverVersionNum: session.versionNum, takenAt: server!.taken_at },
    dryRun: session.dryRun,
    tables,
    summary: {
      created: done('create').length,
      moved: done('move').length,
      rowsMoved: [...done('move'), ...done('create')].reduce((sum, a) => sum + (a.rows ?? 0), 0),
      detached: done('detach').length,
      dumped: done('dump').length,
      dropped: done('drop').length,
      failed: all.filter((a) => a.status === 'failed').length,
    },
  };
}

async function planTable(session: Session, table: ManagedTable): Promise<Plan> {
  const label = `${table.schema}.${table.name}`;
  const layout = await readLayout(session.db, table.schema, table.name, session.versionNum);
  if (layout.relkind === null) throw new UserError(`${label}: no such table`);
  if (layout.relkind !== 'p') throw new UserError(`${label} is not partitioned`, 'convert it first: pgarchitect partition convert');
  if (layout.strategy !== 'range') throw new UserError(`${label} is partitioned by ${layout.strategy}: maintain keeps range partitions`);
  if (!layout.keyColumn || !layout.keyKind) throw new UserError(`${label}: the partition key must be one date, timestamp, timestamptz or integer column`);
  const ranges = rangesOf(layout);
  let interval = table.interval;
  if (!interval) {
    const last = [...ranges].reverse().find((r) => Number.isFinite(Number(r.from.at)) && Number.isFinite(Number(r.to.at)));
    interval = last ? inferInterval(last.from, last.to, layout.keyKind) : null;
    if (!interval) throw new UserError(`${label}: no "interval" in the config and none can be learnt from its partitions`, 'add "interval": "month" (or day, week, quarter, year, hour; a width for integer keys)');
  }
  const mismatch = intervalMismatch(interval, layout.keyKind);
  if (mismatch) throw new UserError(`${label}: interval ${describeInterval(interval)} does not fit key ${layout.keyColumn}: ${mismatch}`);
  if (table.retention && layout.keyKind === 'integer') throw new UserError(`${label}: a retention needs a date or timestamp key, not the integer ${layout.keyColumn}`);
  const columns = await session.db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [table.schema, table.name],
  );
  let maxKey: KeyValue | null = null;
  if (layout.keyKind === 'integer') {
    const [row] = await session.db.query<{ high: string | null }>(`SELECT max(${quoteIdent(layout.keyColumn)})::text AS high FROM ${qualifiedName(table.schema, table.name)}`);
    maxKey = row?.high ? parseKeyValue(row.high, 'integer') : null;
  }
  return { table, layout, kind: layout.keyKind, keyColumn: layout.keyColumn, interval, columns: columns.map((c) => c.name), maxKey };
}

async function maintainTable(session: Session, plan: Plan): Promise<MaintainTableReport> {
  const { table } = plan;
  const report: MaintainTableReport = {
    table: `${table.schema}.${table.name}`,
    interval: describeInterval(plan.interval),
    premake: table.premake,
    retention: table.retention?.text ?? null,
    retentionAction: table.retentionAction,
    actions: [],
    notes: [],
  };
  const refresh = async (): Promise<LiveLayout> => (plan.layout = await readLayout(session.db, table.schema, table.name, session.versionNum));

  // 1. Detaches left pending by an interrupted run: finish them, then treat them as past retention.
  for (const pending of plan.layout.partitions.filter((p) => p.detachPending)) {
    const sql = `ALTER TABLE ${parentName(plan)} DETACH PARTITION ${qualifiedName(pending.schema, pending.name)} FINALIZE;`;
    const action = await step(session, { kind: 'finalize', partition: `${pending.schema}.${pending.name}`, sql: [sql] });
    report.actions.push(action);
    if (action.status !== 'failed') report.actions.push(...(await afterDetach(session, plan, pending.schema, pending.name)));
  }
  if (plan.layout.partitions.some((p) => p.detachPending)) await refresh();

  // 2. The partitions due: the current one and `premake` after it.
  const due = premakeCells(session, plan);
  const fallback = plan.layout.partitions.find((p) => p.isDefault);
  for (const cell of due) {
    if (fallback) cell.rows = await rowsInDefault(session, plan, cell);
    report.actions.push(await createCell(session, plan, cell, 'create'));
  }
  if (session.dryRun) {
    // Nothing was created: the later steps plan as if it had been.
    for (const cell of due) plan.layout.partitions.push({ schema: table.schema, name: '(planned)', from: cell.from, to: cell.to, isDefault: false, detachPending: false, rowEstimate: 0, bytes: 0 });
  } else {
    await refresh();
  }

  // 3. Rows in the default partition: each range of them into a partition of its own.
  if (table.moveDefaultRows) {
    const { cells, nullRows } = await defaultRowCells(session, plan);
    for (const cell of cells) report.actions.push(await createCell(session, plan, cell, 'move'));
    if (nullRows > 0) report.notes.push(`${nullRows} rows with a NULL ${plan.keyColumn} stay in the default partition: no range holds NULL`);
    if (cells.length && !session.dryRun) await refresh();
  }

  // 4. Retention.
  if (table.retention) {
    const cutoff = retentionCutoff(session.nowMs, table.retention, plan.kind);
    const expired = rangesOf(plan.layout).filter((r) => Number.isFinite(Number(r.to.at)) && (r.to.at as number) <= cutoff.at);
    for (const partition of expired) {
      const detach = await detachPartition(session, plan, partition.schema, partition.name);
      report.actions.push(detach);
      if (detach.status === 'failed') continue;
      report.actions.push(...(await afterDetach(session, plan, partition.schema, partition.name)));
    }
  }
  return report;
}

interface Cell {
  from: KeyValue;
  to: KeyValue;
  rows?: number;
}

/** Cells of the grid from the end of the last partition up to the one `premake` after the cell holding now. */
function premakeCells(session: Session, plan: Plan): Cell[] {
  const ranges = rangesOf(plan.layout);
  const finiteTo = ranges.map((r) => r.to).filter((v) => Number.isFinite(Number(v.at)));
  const last = finiteTo.sort((a, b) => (a.at < b.at ? -1 : 1)).at(-1);
  if (ranges.some((r) => !Number.isFinite(Number(r.to.at)) && r.to.at === Infinity)) return [];
  if (plan.kind === 'integer') {
    // Integer keys have no "now": keep `premake` partitions after the one holding the largest key.
    if (!last) return [];
    const cells: Cell[] = [];
    const holding = plan.maxKey ? ranges.find((r) => r.from.at <= plan.maxKey!.at && plan.maxKey!.at < r.to.at) : undefined;
    const horizon = stepValue(holding?.to ?? plan.maxKey ?? ranges[0]!.to, plan.interval, plan.table.premake, plan.kind);
    for (let cursor = last; cursor.at < horizon.at && cells.length < MAX_NEW_PARTITIONS; cursor = stepValue(cursor, plan.interval, 1, plan.kind)) {
      cells.push({ from: cursor, to: stepValue(cursor, plan.interval, 1, plan.kind) });
    }
    return cells;
  }
  const now = timeValue(session.nowMs, plan.kind);
  const anchor = last ?? alignValue(now, plan.interval, plan.kind);
  let current = anchor;
  if (current.at <= now.at) {
    while (stepValue(current, plan.interval, 1, plan.kind).at <= now.at) current = stepValue(current, plan.interval, 1, plan.kind);
  } else {
    while (current.at > now.at) current = stepValue(current, plan.interval, -1, plan.kind);
  }
  const horizon = stepValue(current, plan.interval, plan.table.premake + 1, plan.kind);
  const cells: Cell[] = [];
  for (let cursor = anchor; cursor.at < horizon.at; cursor = stepValue(cursor, plan.interval, 1, plan.kind)) {
    if (cells.length >= MAX_NEW_PARTITIONS) throw new UserError(`${plan.table.schema}.${plan.table.name}: more than ${MAX_NEW_PARTITIONS} partitions would be created`, 'check the interval, or create the old ones by hand');
    cells.push({ from: cursor, to: stepValue(cursor, plan.interval, 1, plan.kind) });
  }
  return cells;
}

/** The grid cells holding rows of the default partition (clipped to the gaps between partitions), and the rows with a NULL key. */
async function defaultRowCells(session: Session, plan: Plan): Promise<{ cells: Cell[]; nullRows: number }> {
  const fallback = plan.layout.partitions.find((p) => p.isDefault);
  if (!fallback) return { cells: [], nullRows: 0 };
  const key = quoteIdent(plan.keyColumn);
  const source = qualifiedName(fallback.schema, fallback.name);
  const [stats] = await session.db.query<{ low: string | null; high: string | null; nulls: string }>(`SELECT min(${key})::text AS low, max(${key})::text AS high, count(*) FILTER (WHERE ${key} IS NULL) AS nulls FROM ONLY ${source}`);
  const nullRows = Number(stats?.nulls ?? 0);
  const low = stats?.low ? parseKeyValue(stats.low, plan.kind) : null;
  const high = stats?.high ? parseKeyValue(stats.high, plan.kind) : null;
  if (!low || !high) return { cells: [], nullRows };
  const ranges = rangesOf(plan.layout);
  const anchor = ranges[0]?.from && Number.isFinite(Number(ranges[0].from.at)) ? ranges[0].from : alignValue(low, plan.interval, plan.kind);
  let cursor = anchor;
  while (cursor.at > low.at) cursor = stepValue(cursor, plan.interval, -1, plan.kind);
  while (stepValue(cursor, plan.interval, 1, plan.kind).at <= low.at) cursor = stepValue(cursor, plan.interval, 1, plan.kind);
  const cells: Cell[] = [];
  for (let steps = 0; cursor.at <= high.at; steps++, cursor = stepValue(cursor, plan.interval, 1, plan.kind)) {
    if (steps > 100_000 || cells.length >= MAX_NEW_PARTITIONS) break;
    let from = cursor;
    let to = stepValue(cursor, plan.interval, 1, plan.kind);
    // Clip to the gap: the cell must not overlap a partition (irregular bounds).
    for (const r of ranges) {
      if (r.from.at <= from.at && r.to.at > from.at) from = r.to;
      if (r.from.at > from.at && r.from.at < to.at) to = r.from;
    }
    if (!(from.at < to.at)) continue;
    const rows = await rowsInDefault(session, plan, { from, to });
    if (rows > 0) cells.push({ from, to, rows });
  }
  return { cells, nullRows };
}

/** A one-statement action: planned with --dry-run, else run with lock_timeout and retries. */
async function step(session: Session, action: Pick<MaintainAction, 'kind' | 'partition' | 'sql'>): Promise<MaintainAction> {
  if (session.dryRun) return { ...action, status: 'planned', attempts: 0 };
  const outcome = await runLockedStep(session.db, action.sql, session.policy);
  return { ...action, status: outcome.ok ? 'done' : 'failed', attempts: outcome.attempts, ...(outcome.ok ? {} : { error: outcome.error }) };
}

/** Rows of the default partition in a cell's range. */
async function rowsInDefault(session: Session, plan: Plan, cell: Cell): Promise<number> {
  const fallback = plan.layout.partitions.find((p) => p.isDefault)!;
  const key = quoteIdent(plan.keyColumn);
  const [count] = await session.db.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${qualifiedName(fallback.schema, fallback.name)} WHERE ${key} >= $1 AND ${key} < $2`, [cell.from.literal, cell.to.literal]);
  return Number(count?.n ?? 0);
}

function parentName(plan: Plan): string {
  return qualifiedName(plan.table.schema, plan.table.name);
}

/**
 * Creates a cell's partition: a table of its own like the parent, then, in one short transaction,
 * rows of its range moved out of the default partition (when there is one) and ATTACH PARTITION.
 */
async function createCell(session: Session, plan: Plan, cell: Cell, kind: 'create' | 'move'): Promise<MaintainAction> {
  const schema = plan.table.schema;
  const name = await freePartitionName(session, plan, cell.from);
  const target = qualifiedName(schema, name);
  const fallback = plan.layout.partitions.find((p) => p.isDefault);
  const bound = `FOR VALUES FROM (${quoteLiteral(cell.from.literal)}) TO (${quoteLiteral(cell.to.literal)})`;
  const create = `CREATE TABLE ${target} (LIKE ${parentName(plan)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS${session.versionNum >= 120000 ? ' INCLUDING GENERATED' : ''});`;
  const attach = `ALTER TABLE ${parentName(plan)} ATTACH PARTITION ${target} ${bound};`;
  const transaction: string[] = [];
  if (fallback) {
    const source = qualifiedName(fallback.schema, fallback.name);
    const key = quoteIdent(plan.keyColumn);
    const cols = plan.columns.map(quoteIdent).join(', ');
    // SHARE on the parent holds writes back for this one step: an insert that had already chosen the
    // default partition when the new partition is attached would fail its partition constraint.
    transaction.push(
      `LOCK TABLE ${parentName(plan)} IN SHARE MODE;`,
      `WITH moved AS (DELETE FROM ONLY ${source} WHERE ${key} >= ${quoteLiteral(cell.from.literal)} AND ${key} < ${quoteLiteral(cell.to.literal)} RETURNING ${cols}) INSERT INTO ${target} (${cols}) SELECT ${cols} FROM moved;`,
    );
  }
  transaction.push(attach);
  const base = { kind, partition: `${schema}.${name}`, from: cell.from.literal, to: cell.to.literal, ...(cell.rows !== undefined ? { rows: cell.rows } : {}) };
  const exists = name === (await existingUnattached(session, schema, name));
  const sql = [...(exists ? [] : [create]), ...(transaction.length > 1 ? ['BEGIN;', ...transaction, 'COMMIT;'] : transaction)];
  if (session.dryRun) return { ...base, sql, status: 'planned', attempts: 0 };
  if (!exists) {
    const created = await runLockedStep(session.db, [create], session.policy);
    if (!created.ok) return { ...base, sql, status: 'failed', attempts: created.attempts, error: created.error };
  }
  const attached = await runLockedStep(session.db, transaction, session.policy);
  return { ...base, sql, status: attached.ok ? 'done' : 'failed', attempts: attached.attempts, ...(attached.ok ? {} : { error: attached.error }) };
}

/** The name a cell's partition gets: `<parent>_p<date>`, or with a number when taken by anything but an unattached table of that name. */
async function freePartitionName(session: Session, plan: Plan, from: KeyValue): Promise<string> {
  const wanted = partitionName(plan.table.name, from, plan.interval);
  for (let n = 0; n < 100; n++) {
    const name = n === 0 ? wanted : `${wanted.slice(0, 63 - String(n).length - 1)}_${n}`;
    const [row] = await session.db.query<{ relkind: string; is_partition: boolean }>(
      `SELECT c.relkind::text AS relkind, c.relispartition AS is_partition FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
      [plan.table.schema, name],
    );
    // Free, or a table left by an interrupted run (created, never attached): attach that one.
    if (!row || (row.relkind === 'r' && !row.is_partition)) return name;
  }
  throw new UserError(`${plan.table.schema}.${plan.table.name}: no free name for a partition like ${wanted}`);
}

async function existingUnattached(session: Session, schema: string, name: string): Promise<string | null> {
  const [row] = await session.db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r' AND NOT c.relispartition`,
    [schema, name],
  );
  return row?.name ?? null;
}

async function detachPartition(session: Session, plan: Plan, schema: string, name: string): Promise<MaintainAction> {
  const hasDefault = plan.layout.partitions.some((p) => p.isDefault);
  // CONCURRENTLY (14+) takes SHARE UPDATE EXCLUSIVE on the parent; it is refused while a default partition exists.
  const concurrently = session.versionNum >= 140000 && !hasDefault;
  const partition = qualifiedName(schema, name);
  const detach = `ALTER TABLE ${parentName(plan)} DETACH PARTITION ${partition}${concurrently ? ' CONCURRENTLY' : ''};`;
  const base = { kind: 'detach' as const, partition: `${schema}.${name}`, sql: [detach], concurrently };
  if (session.dryRun) return { ...base, status: 'planned', attempts: 0 };
  const outcome = await runLockedStep(session.db, [detach], session.policy, async () => {
    // A CONCURRENTLY interrupted after its first transaction leaves the detach pending: finish it.
    const layout = await readLayout(session.db, plan.table.schema, plan.table.name, session.versionNum);
    const still = layout.partitions.find((p) => p.schema === schema && p.name === name);
    if (!still) return null;
    return still.detachPending ? [`ALTER TABLE ${parentName(plan)} DETACH PARTITION ${partition} FINALIZE;`] : [detach];
  });
  return { ...base, status: outcome.ok ? 'done' : 'failed', attempts: outcome.attempts, ...(outcome.ok ? {} : { error: outcome.error }) };
}

/** What the retention does with a detached partition: nothing (`detach`), drop, or pg_dump then drop. */
async function afterDetach(session: Session, plan: Plan, schema: string, name: string): Promise<MaintainAction[]> {
  const table = plan.table;
  if (!table.retention || table.retentionAction === 'detach') return [];
  const actions: MaintainAction[] = [];
  const drop = `DROP TABLE ${qualifiedName(schema, name)};`;
  if (table.retentionAction === 'dump') {
    const dir = resolve(session.options.baseDir ?? process.cwd(), table.dumpDir ?? '.');
    const file = join(dir, `${schema}.${name}.dump`);
    const pgDump = session.options.pgDump ?? session.options.env?.PGARCHITECT_PG_DUMP ?? 'pg_dump';
    const args = ['--format=custom', `--table=${qualifiedName(schema, name)}`, `--file=${file}`];
    const base = { kind: 'dump' as const, partition: `${schema}.${name}`, sql: [`${pgDump} ${args.join(' ')}`], file };
    if (session.dryRun) {
      actions.push({ ...base, status: 'planned', attempts: 0 });
    } else {
      try {
        mkdirSync(dir, { recursive: true });
        await promisify(execFile)(pgDump, args, { env: childEnvironment(libpqVariables(session.options.connection ?? {}, session.options.env ?? process.env)) });
        actions.push({ ...base, status: 'done', attempts: 1 });
      } catch (error) {
        const message = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
        actions.push({ ...base, status: 'failed', attempts: 1, error: `pg_dump failed: ${message}` });
        actions.push({ kind: 'drop', partition: `${schema}.${name}`, sql: [drop], status: 'skipped', attempts: 0, error: 'kept detached: the dump failed' });
        return actions;
      }
    }
  }
  if (session.dryRun) {
    actions.push({ kind: 'drop', partition: `${schema}.${name}`, sql: [drop], status: 'planned', attempts: 0 });
    return actions;
  }
  const dropped = await runLockedStep(session.db, [drop], session.policy);
  actions.push({ kind: 'drop', partition: `${schema}.${name}`, sql: [drop], status: dropped.ok ? 'done' : 'failed', attempts: dropped.attempts, ...(dropped.ok ? {} : { error: dropped.error }) });
  return actions;
}
