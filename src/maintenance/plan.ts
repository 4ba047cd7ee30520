/**
 * `maintenance plan`: autovacuum settings for the large tables, what is due now (VACUUM, ANALYZE,
 * REINDEX CONCURRENTLY of bloated or invalid indexes) as one SQL script, and how each index is used.
 * It reads in a read-only session, as `health` does, and never runs the script itself.
 */
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot, Index } from '../catalog/types.js';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import {
  analyzeTrigger,
  autovacuumChanges,
  effectiveAutovacuum,
  insertTrigger,
  LARGE_TABLE_ROWS,
  vacuumTrigger,
  type AutovacuumSettings,
  type SettingChange,
} from '../health/autovacuum.js';
import type { HealthFacts, HealthTable } from '../health/facts.js';
import { readCatalog } from '../health/health.js';
import { readHealthFacts } from '../health/read-facts.js';
import indexBloat from '../rules/health/index-bloat.js';
import { isSystemSchema } from '../rules/health/lib/words.js';
import { ensureParser } from '../sql/parser.js';
import { qualifiedName } from '../sql/quote.js';
import type { ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { MAINTENANCE_PLAN_SCHEMA_VERSION, type AutovacuumAdvice, type IndexUsage, type MaintenancePlan, type MaintenanceTask } from './result.js';
import { maintenanceScript } from './script.js';

const DAY = 86400;

/** An index scanned less often than this per day of statistics is `rare`. */
export const RARE_SCANS_PER_DAY = 1;

export interface MaintenancePlanOptions extends ConnectionLimits {
  /** The server (URL, else DATABASE_URL and the PG* variables of `env`). */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** Tables from this many rows get autovacuum settings of their own (default 1,000,000). */
  largeRows?: number;
  /** Indexes scanned fewer times a day than this are `rare` (default 1). */
  rarePerDay?: number;
  /** Measure index bloat with pgstattuple (reads each B-tree index of 1 MB or more) instead of estimating it. */
  exact?: boolean;
  /** Bloat from which an index is rebuilt (default: the index-bloat check's options). */
  reindex?: { minRatio: number; minWastedBytes: number };
}

export async function maintenancePlan(options: MaintenancePlanOptions = {}): Promise<MaintenancePlan> {
  const env = options.env ?? process.env;
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env });
  try {
    return await maintenancePlanOfDb(db, describeConnection(connection, env), options);
  } finally {
    await db.close();
  }
}

/** The plan over a session already open (it should be read only). */
export async function maintenancePlanOfDb(db: Db, description: string, options: MaintenancePlanOptions = {}): Promise<MaintenancePlan> {
  // The facts first: they never wait for a lock; the catalog snapshot may (see readCatalog).
  const facts = await readHealthFacts(db, { exact: options.exact, parts: ['tables', 'indexBloat'] });
  const catalog = await readCatalog(db, description);
  const plan = await planMaintenance(catalog.snapshot ?? catalog.reason, facts, options, description);
  plan.notes.unshift(...catalog.notices);
  return plan;
}

/**
 * The plan from a snapshot and facts already read (pure: no I/O). Without a snapshot (a string: why
 * not), invalid indexes and index usage are listed as not examined.
 */
export async function planMaintenance(snapshot: CatalogSnapshot | string, facts: HealthFacts, options: MaintenancePlanOptions = {}, description?: string): Promise<MaintenancePlan> {
  await ensureParser();
  const largeRows = options.largeRows ?? LARGE_TABLE_ROWS;
  const rarePerDay = options.rarePerDay ?? RARE_SCANS_PER_DAY;
  const reindex = options.reindex ?? indexBloat.meta.defaultOptions;
  const notExamined: string[] = [];
  const notes: string[] = [...facts.notes];

  const tables = (facts.tables ?? []).filter((t) => !isSystemSchema(t.schema) && !t.schema.startsWith('pg_toast'));
  if (facts.tables === null) notExamined.push(`autovacuum settings, VACUUM and ANALYZE: ${facts.unavailable.tables ?? 'tables not read'}`);
  const withoutStats = tables.filter((t) => t.kind !== 'partitioned table' && t.stats === null).length;
  if (withoutStats) notExamined.push(`${withoutStats} table${withoutStats === 1 ? ' has' : 's have'} no statistics (track_counts off?): what VACUUM or ANALYZE they need is unknown`);

  const autovacuumSettings = tables.filter((t) => t.kind !== 'partitioned table').flatMap((t) => adviceFor(t, facts, largeRows));
  const catalog = typeof snapshot === 'string' ? null : snapshot;
  if (!catalog) notExamined.push(`invalid indexes and index usage: ${snapshot as string}`);
  // What is due is judged with the settings the script gives first, so that once run nothing is left due.
  const advised = new Map(autovacuumSettings.map((a) => [`${a.schema}.${a.table}`, a.changes]));
  const due = [...tableTasks(tables, facts, advised), ...bloatTasks(facts, reindex, notExamined), ...(catalog ? invalidIndexTasks(catalog) : [])];

  const statistics = statisticsPeriod(facts);
  const { usage, hidden } = catalog ? indexUsage(catalog, statistics.days, rarePerDay) : { usage: [], hidden: 0 };
  if (hidden) notExamined.push(`index usage: statistics of ${hidden} index${hidden === 1 ? '' : 'es'} are not visible to this role`);
  if (statistics.days !== null && statistics.days < 7) notes.push(`Index usage counts cover only ${statistics.days.toFixed(1)} days (since ${statistics.sinceWhat === 'reset' ? 'the last statistics reset' : 'the server started'}): an index a weekly or monthly job needs may show as unused.`);

  const plan: MaintenancePlan = {
    schemaVersion: MAINTENANCE_PLAN_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: { description: description ?? catalog?.source.description ?? facts.server.database, database: facts.server.database, serverVersion: facts.server.version, serverVersionNum: facts.server.versionNum, takenAt: facts.server.takenAt },
    statistics,
    options: { largeRows, rarePerDay, bloatMethod: facts.indexBloat?.method ?? null },
    autovacuumSettings,
    due,
    indexUsage: usage,
    script: '',
    notExamined,
    notes,
  };
  plan.script = maintenanceScript(plan);
  return plan;
}

function adviceFor(table: HealthTable, facts: HealthFacts, largeRows: number): AutovacuumAdvice[] {
  const rows = Math.max(table.rowEstimate ?? 0, table.stats?.liveTuples ?? 0);
  const current = effectiveAutovacuum(table, facts.settings);
  const changes = autovacuumChanges(rows, current, largeRows);
  if (changes.length === 0) return [];
  const after = withChanges(current, changes);
  const sized = { rowEstimate: rows };
  return [
    {
      schema: table.schema,
      table: table.name,
      rows,
      changes,
      vacuumTrigger: { now: vacuumTrigger(sized, current), after: vacuumTrigger(sized, after) },
      analyzeTrigger: { now: analyzeTrigger(sized, current), after: analyzeTrigger(sized, after) },
      sql: `ALTER TABLE ${qualifiedName(table.schema, table.name)} SET (${changes.map((c) => `${c.name} = ${c.recommended}`).join(', ')});`,
    },
  ];
}

function withChanges(settings: AutovacuumSettings, changes: readonly SettingChange[]): AutovacuumSettings {
  const next = { ...settings };
  for (const c of changes) {
    if (c.name === 'autovacuum_vacuum_scale_factor') next.vacuumScaleFactor = c.recommended;
    if (c.name === 'autovacuum_vacuum_threshold') next.vacuumThreshold = c.recommended;
    if (c.name === 'autovacuum_vacuum_insert_scale_factor') next.insertScaleFactor = c.recommended;
    if (c.name === 'autovacuum_analyze_scale_factor') next.analyzeScaleFactor = c.recommended;
    if (c.name === 'autovacuum_analyze_threshold') next.analyzeThreshold = c.recommended;
  }
  return next;
}

/** VACUUM (FREEZE, ANALYZE), VACUUM (ANALYZE) or ANALYZE of each table past autovacuum's own triggers. */
function tableTasks(tables: readonly HealthTable[], facts: HealthFacts, advised: ReadonlyMap<string, SettingChange[]>): MaintenanceTask[] {
  const freezeTableAge = Number(facts.settings.vacuum_freeze_table_age?.setting ?? 150_000_000);
  const multixactFreezeTableAge = Number(facts.settings.vacuum_multixact_freeze_table_age?.setting ?? 150_000_000);
  const vacuums: MaintenanceTask[] = [];
  const analyzes: MaintenanceTask[] = [];
  for (const table of tables) {
    if (table.kind === 'partitioned table') {
      const task = partitionedAnalyze(table, tables);
      if (task) analyzes.push(task);
      continue;
    }
    const stats = table.stats;
    if (!stats) continue;
    const changes = advised.get(`${table.schema}.${table.name}`);
    const settings = changes ? withChanges(effectiveAutovacuum(table, facts.settings), changes) : effectiveAutovacuum(table, facts.settings);
    const vacuumAt = vacuumTrigger(table, settings);
    const insertAt = insertTrigger(table, settings);
    const analyzeAt = analyzeTrigger(table, settings);
    const qualifiers = [changes ? 'triggers with the autovacuum settings above' : null, settings.enabled ? null : `autovacuum is off${settings.disabledBy === 'table' ? ' for the table' : ''}`].filter(Boolean);
    const off = qualifiers.length ? ` (${qualifiers.join('; ')})` : '';
    const reasons: string[] = [];
    const dead = stats.deadTuples > 0 && stats.deadTuples >= vacuumAt;
    const inserted = insertAt !== null && stats.insertsSinceVacuum > 0 && stats.insertsSinceVacuum >= insertAt;
    const freeze = (table.xidAge ?? 0) >= freezeTableAge || (table.mxidAge ?? 0) >= multixactFreezeTableAge;
    const neverAnalyzed = stats.lastAnalyze === null && stats.lastAutoanalyze === null && Math.max(stats.liveTuples, table.rowEstimate ?? 0) > 0;
    const stale = stats.modsSinceAnalyze > 0 && stats.modsSinceAnalyze >= analyzeAt;
    if (dead) reasons.push(`${count(stats.deadTuples)} dead rows, past autovacuum's trigger of ${count(vacuumAt)}`);
    if (inserted) reasons.push(`${count(stats.insertsSinceVacuum)} rows inserted since the last vacuum, past autovacuum's trigger of ${count(insertAt)}`);
    if (freeze) reasons.push(`transaction ID age ${count(table.xidAge ?? 0)} (multixact ${count(table.mxidAge ?? 0)}), past vacuum_freeze_table_age ${count(freezeTableAge)}: freeze it before autovacuum forces an anti-wraparound vacuum`);
    if (neverAnalyzed) reasons.push('never analyzed');
    else if (stale) reasons.push(`${count(stats.modsSinceAnalyze)} rows changed since the last analyze, past autovacuum's trigger of ${count(analyzeAt)}`);
    if (reasons.length === 0) continue;
    const name = qualifiedName(table.schema, table.name);
    const evidence = {
      deadTuples: stats.deadTuples,
      vacuumTrigger: vacuumAt,
      insertsSinceVacuum: stats.insertsSinceVacuum,
      insertTrigger: insertAt,
      modsSinceAnalyze: stats.modsSinceAnalyze,
      analyzeTrigger: analyzeAt,
      xidAge: table.xidAge,
      mxidAge: table.mxidAge,
      lastVacuum: stats.lastVacuum ?? stats.lastAutovacuum,
      lastAnalyze: stats.lastAnalyze ?? stats.lastAutoanalyze,
      autovacuumEnabled: settings.enabled,
    };
    if (dead || inserted || freeze) {
      vacuums.push({ kind: 'vacuum', schema: table.schema, table: table.name, index: null, sql: `VACUUM (${freeze ? 'FREEZE, ' : ''}ANALYZE) ${name};`, reason: reasons.join('; ') + off, evidence });
    } else {
      analyzes.push({ kind: 'analyze', schema: table.schema, table: table.name, index: null, sql: `ANALYZE ${name};`, reason: reasons.join('; ') + off, evidence });
    }
  }
  return [...vacuums, ...analyzes];
}

/** A partitioned table autovacuum never analyzes: ANALYZE it once its partitions hold rows and it never was. */
function partitionedAnalyze(parent: HealthTable, tables: readonly HealthTable[]): MaintenanceTask | null {
  if (parent.rowEstimate !== null && parent.rowEstimate >= 0) return null; // analysed at least once
  if (parent.stats && (parent.stats.lastAnalyze || parent.stats.lastAutoanalyze)) return null;
  const key = `${parent.schema}.${parent.name}`;
  const children = new Map<string, HealthTable[]>();
  for (const t of tables) if (t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t]);
  let rows = 0;
  const pending = [...(children.get(key) ?? [])];
  while (pending.length) {
    const t = pending.pop()!;
    if (t.kind === 'partitioned table') pending.push(...(children.get(`${t.schema}.${t.name}`) ?? []));
    else rows += Math.max(t.rowEstimate ?? 0, t.stats?.liveTuples ?? 0);
  }
  if (rows === 0) return null;
  return {
    kind: 'analyze',
    schema: parent.schema,
    table: parent.name,
    index: null,
    sql: `ANALYZE ${qualifiedName(parent.schema, parent.name)};`,
    reason: `partitioned table never analyzed, with ${count(rows)} rows in its partitions: autovacuum never analyzes partitioned tables (this also samples each partition)`,
    evidence: { partitionRows: rows },
  };
}

function bloatTasks(facts: HealthFacts, reindex: { minRatio: number; minWastedBytes: number }, notExamined: string[]): MaintenanceTask[] {
  if (!facts.indexBloat) {
    notExamined.push(`index bloat: ${facts.unavailable.indexBloat ?? 'not read'}`);
    return [];
  }
  return facts.indexBloat.relations
    .filter((b) => !isSystemSchema(b.schema) && b.ratio >= reindex.minRatio && b.wastedBytes >= reindex.minWastedBytes)
    .map((b) => ({
      kind: 'reindex' as const,
      schema: b.schema,
      table: b.table,
      index: b.name,
      sql: `REINDEX INDEX CONCURRENTLY ${qualifiedName(b.schema, b.name)};`,
      reason: `bloated: ${formatMb(b.bytes)} where its entries need about ${formatMb(b.expectedBytes)} (${Math.round(b.ratio * 100)}% wasted, ${facts.indexBloat!.method === 'pgstattuple' ? 'measured' : 'estimated'})`,
      evidence: { bytes: b.bytes, expectedBytes: b.expectedBytes, wastedBytes: b.wastedBytes, ratio: b.ratio, method: facts.indexBloat!.method, minRatio: reindex.minRatio, minWastedBytes: reindex.minWastedBytes },
    }));
}

/**
 * Invalid indexes: the transient copies a failed REINDEX CONCURRENTLY leaves (`_ccnew`, `_ccold`) are
 * dropped; others are rebuilt with REINDEX INDEX CONCURRENTLY (the only form that rebuilds an invalid
 * index concurrently); a partitioned one is rebuilt partition by partition.
 */
function invalidIndexTasks(snapshot: CatalogSnapshot): MaintenanceTask[] {
  const tasks: MaintenanceTask[] = [];
  for (const index of snapshot.indexes) {
    if (index.valid) continue;
    const name = qualifiedName(index.schema, index.name);
    const evidence = { definition: index.definition, unique: index.unique, bytes: index.bytes };
    const base = { schema: index.schema, table: index.table, index: index.name, evidence };
    if (index.partitioned) {
      tasks.push({ ...base, kind: 'rebuild partitioned index', sql: `-- ${name}: build a valid index CONCURRENTLY on each partition that lacks one, then ALTER INDEX ${name} ATTACH PARTITION it`, reason: 'invalid partitioned index: a partition has no valid index attached to it' });
    } else if (/_cc(new|old)\d*$/.test(index.name)) {
      tasks.push({ ...base, kind: 'drop index', sql: `DROP INDEX CONCURRENTLY ${name};`, reason: `invalid copy left by a failed REINDEX CONCURRENTLY (${index.name.match(/_cc(new|old)\d*$/)![1] === 'new' ? 'the new copy; reindex the original again afterwards' : 'the old copy, already replaced'})` });
    } else {
      tasks.push({ ...base, kind: 'reindex', sql: `REINDEX INDEX CONCURRENTLY ${name};`, reason: `invalid (a failed concurrent build): never used by queries${index.ready ? ' yet maintained by every write' : ''}${index.unique ? '; a unique build fails again while duplicate values remain' : ''}` });
    }
  }
  return tasks;
}

function statisticsPeriod(facts: HealthFacts): MaintenancePlan['statistics'] {
  const since = facts.server.statsReset ?? facts.server.startedAt;
  const sinceWhat = facts.server.statsReset ? 'reset' : facts.server.startedAt ? 'server start' : null;
  const days = since ? Math.max(0, (Date.parse(facts.server.takenAt) - Date.parse(since)) / 1000 / DAY) : null;
  return { since, sinceWhat, days: days === null ? null : Math.round(days * 10) / 10 };
}

function indexUsage(snapshot: CatalogSnapshot, days: number | null, rarePerDay: number): { usage: IndexUsage[]; hidden: number } {
  const lookups = new SnapshotIndex(snapshot);
  const usage: IndexUsage[] = [];
  let hidden = 0;
  for (const index of snapshot.indexes) {
    if (index.partitioned) continue; // no storage: its partitions' indexes are listed
    if (!index.stats) {
      hidden++;
      continue;
    }
    const scansPerDay = index.stats.scans / Math.max(days ?? 1, 1);
    usage.push({
      schema: index.schema,
      table: index.table,
      name: index.name,
      scans: index.stats.scans,
      scansPerDay: Math.round(scansPerDay * 100) / 100,
      tuplesRead: index.stats.tuplesRead,
      tuplesFetched: index.stats.tuplesFetched,
      bytes: index.bytes,
      lastScan: index.stats.lastScan,
      class: index.stats.scans === 0 ? 'unused' : scansPerDay < rarePerDay ? 'rare' : 'active',
      enforcesConstraint: enforces(index, lookups),
      valid: index.valid,
      definition: index.definition,
    });
  }
  const order = { unused: 0, rare: 1, active: 2 };
  usage.sort((a, b) => order[a.class] - order[b.class] || (b.bytes ?? 0) - (a.bytes ?? 0) || b.scans - a.scans || `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
  return { usage, hidden };
}

function enforces(index: Index, lookups: SnapshotIndex): boolean {
  return index.unique || index.primary || index.constraint !== null || lookups.constraintsOf({ schema: index.schema, name: index.table }).some((c) => c.index === index.name);
}

function count(n: number | null): string {
  return Math.round(n ?? 0).toLocaleString('en-US');
}

function formatMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`;
}
