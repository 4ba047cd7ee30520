/**
 * `partition advise`: for each large or fast-growing table, whether partitioning pays and how. Reads, in
 * a read-only session: the catalog snapshot; per-table insert counters and the age of the statistics
 * (growth); `pg_stats` histograms of the candidate key columns (how the data's age is spread); the
 * workload from pg_stat_statements, parsed with the real parser to see which statements filter on
 * which column. The catalog and statistics reads take no lock on any table.
 *
 * The key: a date or timestamp column the workload filters on (range partitions, also the natural
 * unit of retention), else a tenant column compared for equality in most statements (hash
 * partitions). The interval: the calendar unit whose partitions come closest to the target size at the
 * data's rate. Pruning share: the part of the table's statement time whose statements restrict the key.
 * Blockers: unique keys without the key, foreign keys pointing at the table, a nullable key.
 */
import type { Node } from 'libpg-query';
import { workloadFromPgStatStatements, type Workload } from '../advise/workload.js';
import { tableUses } from '../advise/query-columns.js';
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { Column, Table } from '../catalog/types.js';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { formatBytes } from '../report/format-bytes.js';
import { ensureParser, parseSync } from '../sql/parser.js';
import { readLiveSnapshot, type ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { keyKindOf, parseKeyValue } from './key-grid.js';
import { ADVISE_RESULT_SCHEMA_VERSION, type AdviseResult, type PartitionAdvice, type PartitionBlocker } from './advise-result.js';

export interface PartitionAdviseOptions extends ConnectionLimits {
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** Tables from this size (bytes, with indexes and TOAST) are examined (default 10 GB). */
  minBytes?: number;
  /** Tables growing this much a month are examined too (default 1 GB). */
  minGrowthBytesPerMonth?: number;
  /** The partition size the interval aims at (default 5 GB). */
  targetPartitionBytes?: number;
  /** Statements read from pg_stat_statements (default 500). */
  top?: number;
  /** Examine these tables whatever their size. */
  tables?: { schema: string; name: string }[];
}

export const ADVISE_DEFAULTS = { minBytes: 10 * 1024 ** 3, minGrowthBytesPerMonth: 1024 ** 3, targetPartitionBytes: 5 * 1024 ** 3, top: 500 } as const;

const DAY_MS = 86_400_000;
const UNIT_DAYS = { day: 1, week: 7, month: 30.44, quarter: 91.31, year: 365.25 } as const;
const TENANT = /^(tenant|account|org|organization|organisation|customer|company|workspace|shop|store|team|client)_?id$/;
const CREATED = /^(created|inserted|occurred|logged|recorded|event|happened)(_at|_on|_time|_date)?$|^(ts|timestamp|time|at|date)$/;

export async function partitionAdvise(options: PartitionAdviseOptions = {}): Promise<AdviseResult> {
  const env = options.env ?? process.env;
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env });
  try {
    return await partitionAdviseOfDb(db, describeConnection(connection, env), options);
  } finally {
    await db.close();
  }
}

interface Growth {
  inserts: number;
  seconds: number;
}

interface Histogram {
  bounds: string[];
  nullFraction: number;
}

export async function partitionAdviseOfDb(db: Db, description: string, options: PartitionAdviseOptions = {}): Promise<AdviseResult> {
  await ensureParser();
  await db.exec("SET TimeZone = 'UTC'");
  const minBytes = options.minBytes ?? ADVISE_DEFAULTS.minBytes;
  const minGrowth = options.minGrowthBytesPerMonth ?? ADVISE_DEFAULTS.minGrowthBytesPerMonth;
  const target = options.targetPartitionBytes ?? ADVISE_DEFAULTS.targetPartitionBytes;
  const notes: string[] = [];
  const { snapshot } = await readLiveSnapshot(db, description);
  const index = new SnapshotIndex(snapshot);
  const growth = await readGrowth(db);
  for (const wanted of options.tables ?? []) {
    const t = index.table(wanted.schema, wanted.name);
    if (!t) throw new UserError(`--table ${wanted.schema}.${wanted.name}: no such table`);
  }
  const explicit = new Set((options.tables ?? []).map((t) => `${t.schema}.${t.name}`));
  const candidates = index.designTables().filter((t) => {
    if (explicit.size) return explicit.has(`${t.schema}.${t.name}`);
    const g = growth.get(`${t.schema}.${t.name}`);
    return (t.totalBytes ?? 0) >= minBytes || growthBytesPerMonth(t, g) >= minGrowth;
  });
  let workload: Workload | null = null;
  try {
    workload = await workloadFromPgStatStatements(db, { top: options.top ?? ADVISE_DEFAULTS.top });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    notes.push(`no workload: ${error.message}; the pruning share is unknown and keys are chosen by name and data alone`);
  }
  const histograms = await readHistograms(db, candidates.filter((t) => t.kind === 'table'));
  const advice = candidates.map((table) =>
    table.kind === 'partitioned table'
      ? alreadyPartitioned(table)
      : adviseTable(index, table, growth.get(`${table.schema}.${table.name}`) ?? null, histograms, workload, target, description),
  );
  advice.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || (b.evidence.totalBytes as number) - (a.evidence.totalBytes as number) || (a.table < b.table ? -1 : 1));
  return {
    schemaVersion: ADVISE_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: { description, serverVersionNum: snapshot.server.versionNum, takenAt: snapshot.source.takenAt },
    thresholds: { minBytes, minGrowthBytesPerMonth: minGrowth, targetPartitionBytes: target },
    workload: workload ? { description: workload.description, statements: workload.queries.length } : null,
    tablesExamined: candidates.length,
    advice,
    notes,
  };
}

const VERDICT_ORDER: Record<PartitionAdvice['verdict'], number> = { recommended: 0, consider: 1, 'not-recommended': 2, 'already-partitioned': 3 };

function alreadyPartitioned(table: Table): PartitionAdvice {
  return {
    table: `${table.schema}.${table.name}`,
    verdict: 'already-partitioned',
    message: `${table.schema}.${table.name} is already partitioned (${table.partitionKey}): partition maintain keeps it.`,
    key: null,
    strategy: null,
    interval: null,
    pruningShare: null,
    blockers: [],
    evidence: { totalBytes: table.totalBytes ?? 0, partitionKey: table.partitionKey },
    command: null,
  };
}

/** Bytes a month from the insert counters; 0 when they cover less than a day (a bulk load is no rate). */
function growthBytesPerMonth(table: Table, growth: Growth | undefined | null): number {
  if (!growth || growth.seconds < 86400 || !table.rowEstimate || !table.totalBytes) return 0;
  const perRow = table.totalBytes / Math.max(1, table.rowEstimate);
  return (growth.inserts / growth.seconds) * 86400 * UNIT_DAYS.month * perRow;
}

interface KeyUse {
  column: Column;
  /** Statement time (ms, or statements when times are unknown) restricting the column. */
  restricted: number;
  statements: number;
}

function adviseTable(index: SnapshotIndex, table: Table, growth: Growth | null, histograms: Map<string, Histogram>, workload: Workload | null, target: number, description: string): PartitionAdvice {
  const label = `${table.schema}.${table.name}`;
  const columns = index.columnsOf(table);
  const totalBytes = table.totalBytes ?? 0;
  const rows = table.rowEstimate ?? 0;
  const bytesPerRow = rows > 0 ? totalBytes / rows : null;
  // The workload's statements on this table, and for each column the time of those restricting it.
  let tableTime = 0;
  let tableStatements = 0;
  const uses = new Map<string, KeyUse>();
  for (const query of workload?.queries ?? []) {
    let tree: Node;
    try {
      tree = parseSync(query.sql).stmts?.[0]?.stmt as unknown as Node;
    } catch {
      continue;
    }
    const use = tableUses(tree, index).get(`${table.schema}.${table.name}`);
    if (!use) continue;
    const time = query.stats?.totalTimeMs ?? query.weight;
    tableTime += time;
    tableStatements++;
    for (const name of new Set([...use.equality, ...use.range])) {
      const column = columns.find((c) => c.name === name);
      if (!column) continue;
      const entry = uses.get(name) ?? { column, restricted: 0, statements: 0 };
      entry.restricted += time;
      entry.statements++;
      uses.set(name, entry);
    }
  }
  const share = (name: string): number | null => (tableTime > 0 ? (uses.get(name)?.restricted ?? 0) / tableTime : workload ? 0 : null);
  const timeColumns = columns.filter((c) => !c.isArray && !c.generated && ['date', 'timestamp', 'timestamptz'].includes(keyKindOf(c.domainBaseType ?? c.typeName) ?? ''));
  const tenantColumns = columns.filter((c) => TENANT.test(c.name) && !c.isArray);
  const rank = (c: Column): number => (share(c.name) ?? 0) * 10 + (c.notNull ? 1 : 0) + (CREATED.test(c.name) ? 0.5 : 0);
  const timeKey = [...timeColumns].sort((a, b) => rank(b) - rank(a) || (a.name < b.name ? -1 : 1))[0] ?? null;
  const tenantKey = [...tenantColumns].sort((a, b) => (share(b.name) ?? 0) - (share(a.name) ?? 0))[0] ?? null;
  const timeShare = timeKey ? share(timeKey.name) : null;
  const tenantShare = tenantKey ? share(tenantKey.name) : null;
  const useTenant = tenantKey !== null && (tenantShare ?? 0) >= 0.5 && (tenantShare ?? 0) > (timeShare ?? 0) + 0.2;
  const key = useTenant ? tenantKey : (timeKey ?? tenantKey);
  const evidence: Record<string, unknown> = {
    totalBytes,
    rowEstimate: table.rowEstimate,
    bytesPerRow: bytesPerRow === null ? null : Math.round(bytesPerRow),
    insertsPerDay: growth && growth.seconds > 0 ? Math.round((growth.inserts / growth.seconds) * 86400) : null,
    statisticsDays: growth ? Math.round((growth.seconds / 86400) * 10) / 10 : null,
    growthBytesPerMonth: Math.round(growthBytesPerMonth(table, growth)),
    workloadStatements: tableStatements,
    keyCandidates: [...timeColumns, ...tenantColumns].map((c) => ({ column: c.name, type: c.type, notNull: c.notNull, pruningShare: share(c.name) === null ? null : round(share(c.name)!), statements: uses.get(c.name)?.statements ?? 0 })),
  };
  if (!key) {
    return {
      table: label,
      verdict: 'not-recommended',
      message: `${label} (${formatBytes(totalBytes)}) has no date, timestamp or tenant column to partition on.`,
      key: null,
      strategy: null,
      interval: null,
      pruningShare: null,
      blockers: [],
      evidence,
      command: null,
    };
  }
  const strategy: 'range' | 'hash' = key === tenantKey && useTenant ? 'hash' : timeColumns.includes(key) ? 'range' : 'hash';
  const pruning = share(key.name);
  // The data's rate, from the histogram of the key (rows per day over its span) or the insert counters.
  const histogram = histograms.get(`${table.schema}.${table.name}.${key.name}`);
  const span = strategy === 'range' && histogram ? histogramSpanDays(histogram, key) : null;
  const histogramRowsPerDay = span && span.days > 0 ? rows / span.days : null;
  // The data's own spread says more than insert counters younger than a week (a bulk load reads as a torrent).
  const counterRowsPerDay = growth && growth.seconds >= 7 * 86400 ? (evidence.insertsPerDay as number | null) : null;
  const rowsPerDay = histogramRowsPerDay ?? (counterRowsPerDay && counterRowsPerDay > 0 ? counterRowsPerDay : null);
  evidence.keyFrom = span?.from ?? null;
  evidence.keyTo = span?.to ?? null;
  evidence.dataSpanDays = span ? Math.round(span.days) : null;
  evidence.rowsPerDay = rowsPerDay === null ? null : Math.round(rowsPerDay);
  let interval: string | null = null;
  let partitionBytes: number | null = null;
  let partitions: number | null = null;
  if (strategy === 'range') {
    const bytesPerDay = rowsPerDay !== null && bytesPerRow !== null ? rowsPerDay * bytesPerRow : null;
    const choice = chooseInterval(bytesPerDay, span?.days ?? null, target);
    interval = choice.unit;
    partitionBytes = choice.bytes;
    partitions = span ? Math.max(1, Math.ceil(span.days / UNIT_DAYS[choice.unit])) : null;
  } else {
    partitions = Math.min(64, Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, totalBytes / target)))));
    partitionBytes = Math.round(totalBytes / partitions);
  }
  evidence.partitionBytes = partitionBytes === null ? null : Math.round(partitionBytes);
  evidence.partitions = partitions;

  const blockers = blockersOf(index, table, key);
  const verdict: PartitionAdvice['verdict'] = pruning === null ? 'consider' : pruning >= 0.5 ? 'recommended' : pruning >= 0.1 || (strategy === 'range' && CREATED.test(key.name)) ? 'consider' : 'not-recommended';
  const how = strategy === 'range' ? `by range of ${key.name}, ${interval} partitions${partitionBytes !== null ? ` of about ${formatBytes(partitionBytes)}` : ''}` : `by hash of ${key.name} into ${partitions} partitions`;
  const why =
    pruning === null
      ? 'no workload to measure pruning against (pg_stat_statements)'
      : `statements restricting ${key.name} take ${Math.round(pruning * 100)}% of the workload's time on it (${uses.get(key.name)?.statements ?? 0} of ${tableStatements} statements)`;
  const message =
    verdict === 'not-recommended'
      ? `${label} (${formatBytes(totalBytes)}): partitioning does not pay: ${why}, so most queries would scan every partition.`
      : `${label} (${formatBytes(totalBytes)}): partition ${how}; ${why}.${blockers.length ? ` ${blockers.length} thing${blockers.length === 1 ? '' : 's'} to change first.` : ''}`;
  const command =
    strategy === 'range' && verdict !== 'not-recommended'
      ? `pgarchitect partition convert ${description} --table ${label} --key ${key.name} --interval ${interval} --out convert.sql`
      : null;
  return { table: label, verdict, message, key: key.name, strategy, interval, pruningShare: pruning === null ? null : round(pruning), blockers, evidence, command };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The calendar unit whose partitions come closest to `target` bytes (in ratio), with at most 500 partitions over the data's span. */
function chooseInterval(bytesPerDay: number | null, spanDays: number | null, target: number): { unit: keyof typeof UNIT_DAYS; bytes: number | null } {
  if (bytesPerDay === null || bytesPerDay <= 0) return { unit: 'month', bytes: null };
  let best: { unit: keyof typeof UNIT_DAYS; bytes: number; score: number } | null = null;
  for (const unit of Object.keys(UNIT_DAYS) as (keyof typeof UNIT_DAYS)[]) {
    const bytes = bytesPerDay * UNIT_DAYS[unit];
    const count = spanDays ? spanDays / UNIT_DAYS[unit] : 0;
    const score = Math.abs(Math.log(bytes / target)) + (count > 500 ? 10 : 0);
    if (!best || score < best.score) best = { unit, bytes, score };
  }
  return { unit: best!.unit, bytes: Math.round(best!.bytes) };
}

function histogramSpanDays(histogram: Histogram, column: Column): { from: string; to: string; days: number } | null {
  const kind = keyKindOf(column.domainBaseType ?? column.typeName);
  if (!kind || histogram.bounds.length < 2) return null;
  const first = parseKeyValue(histogram.bounds[0]!, kind);
  const last = parseKeyValue(histogram.bounds.at(-1)!, kind);
  if (!first || !last || !Number.isFinite(first.at as number) || !Number.isFinite(last.at as number)) return null;
  return { from: first.literal, to: last.literal, days: ((last.at as number) - (first.at as number)) / DAY_MS };
}

function blockersOf(index: SnapshotIndex, table: Table, key: Column): PartitionBlocker[] {
  const blockers: PartitionBlocker[] = [];
  if (!key.notNull) {
    blockers.push({
      kind: 'nullable-key',
      object: `${table.schema}.${table.name}.${key.name}`,
      message: `${key.name} is nullable: a NULL key fits no range partition; make it NOT NULL first`,
      fix: `ALTER TABLE ${table.schema}.${table.name} ADD CONSTRAINT ${table.name}_${key.name}_not_null CHECK (${key.name} IS NOT NULL) NOT VALID;\nALTER TABLE ${table.schema}.${table.name} VALIDATE CONSTRAINT ${table.name}_${key.name}_not_null;\nALTER TABLE ${table.schema}.${table.name} ALTER COLUMN ${key.name} SET NOT NULL;`,
    });
  }
  for (const c of index.constraintsOf(table)) {
    if ((c.kind === 'primary key' || c.kind === 'unique') && !c.columns.includes(key.name)) {
      blockers.push({
        kind: 'unique-without-key',
        object: `${table.schema}.${table.name}.${c.name}`,
        message: `${c.kind} ${c.name} (${c.columns.join(', ')}) does not include ${key.name}: on a partitioned table it becomes (${[...c.columns, key.name].join(', ')}), unique per ${key.name} only`,
        fix: null,
      });
    }
    if (c.kind === 'exclusion') blockers.push({ kind: 'exclusion-constraint', object: `${table.schema}.${table.name}.${c.name}`, message: `exclusion constraint ${c.name} is not supported on partitioned tables before PostgreSQL 17`, fix: null });
  }
  for (const fk of index.foreignKeysTo.get(`${table.schema}.${table.name}`) ?? []) {
    if (fk.inherited) continue;
    blockers.push({
      kind: 'foreign-key-in',
      object: `${fk.schema}.${fk.table}.${fk.name}`,
      message: `foreign key ${fk.schema}.${fk.table}.${fk.name} (${fk.columns.join(', ')}) references it: it must reference (${[...fk.references!.columns, key.name].join(', ')}), so ${fk.table} needs a copy of ${key.name} (partition convert adds it, filled by a trigger)`,
      fix: null,
    });
  }
  return blockers;
}

async function readGrowth(db: Db): Promise<Map<string, Growth>> {
  const rows = await db.query<{ schema: string; name: string; inserts: string; seconds: number | null }>(`
SELECT s.schemaname AS schema, s.relname AS name, s.n_tup_ins AS inserts,
       extract(epoch FROM now() - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time()))::float8 AS seconds
FROM pg_catalog.pg_stat_user_tables s
CROSS JOIN (SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = current_database()) d`);
  return new Map(rows.map((r) => [`${r.schema}.${r.name}`, { inserts: Number(r.inserts), seconds: Number(r.seconds ?? 0) }]));
}

async function readHistograms(db: Db, tables: Table[]): Promise<Map<string, Histogram>> {
  const map = new Map<string, Histogram>();
  if (tables.length === 0) return map;
  const rows = await db.query<{ schema: string; name: string; column: string; bounds: string | null; null_frac: number }>(
    `SELECT schemaname AS schema, tablename AS name, attname AS column, histogram_bounds::text AS bounds, null_frac
     FROM pg_catalog.pg_stats WHERE (schemaname || '.' || tablename) = ANY($1::text[]) AND NOT inherited`,
    [tables.map((t) => `${t.schema}.${t.name}`)],
  );
  for (const r of rows) if (r.bounds) map.set(`${r.schema}.${r.name}.${r.column}`, { bounds: parseArrayText(r.bounds), nullFraction: Number(r.null_frac) });
  return map;
}

/** `{a,"b c"}` → ['a', 'b c'] (Postgres array text of scalars). */
function parseArrayText(text: string): string[] {
  const values: string[] = [];
  const body = text.slice(1, -1);
  const re = /"((?:[^"\\]|\\.)*)"|([^,]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) values.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return values;
}
