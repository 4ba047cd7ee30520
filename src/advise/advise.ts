/**
 * `indexes advise`: a workload-driven plan of indexes to add and to drop. The workload's statements are
 * parsed with the real parser to find candidate columns, the Extend search picks the set of indexes
 * with the best cost reduction per byte under the budget, costed by the planner itself with hypopg's
 * hypothetical indexes, and existing indexes that the workload does not use are proposed for dropping.
 *
 * Safe on production: one dedicated read-only session with statement_timeout and lock_timeout; hypopg
 * keeps its indexes in that backend's memory and they are reset at the end, also after a failure.
 */
import { readSnapshot } from '../catalog/read-snapshot.js';
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import { postgresErrorInfo, type Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import type { LiveConnectionOptions } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { ensureParser, parseSync } from '../sql/parser.js';
import { VERSION } from '../version.js';
import { candidateKey, candidateName, createConcurrentlySql, tableKeyOf, type IndexCandidate } from './candidate.js';
import { findDrops, writesPerTable, type DropProposal } from './drops.js';
import { CostCache, DEFAULT_MIN_IMPROVEMENT, extendSearch, type SearchQuery, type SearchStep } from './extend.js';
import { tableUses } from './query-columns.js';
import { columnDistinct, keepCategoricalConstants, servedByExisting } from './candidate-filters.js';
import { parameterCount } from './generic-plan.js';
import { WhatIfSession, type CostableQuery } from './what-if.js';
import { workloadFromPgStatStatements, type Workload, type WorkloadQuery } from './workload.js';

export const ADVISE_RESULT_SCHEMA_VERSION = 1;

export interface AdviseOptions {
  /** Run on this session (left open) instead of connecting with `connection`. */
  db?: Db;
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** The workload; default: pg_stat_statements of the database, top `top` by total time. */
  workload?: Workload;
  /** Statements read from pg_stat_statements (default 50). */
  top?: number;
  budgetBytes?: number;
  /** The budget as a share of the database's size (0.1 = 10 %), when `budgetBytes` is not given. */
  budgetShare?: number;
  maxIndexes?: number;
  maxWidth?: number;
  /** Search time limit in ms (default 60 s): the best plan found by then is returned. */
  timeLimitMs?: number;
  /** A step must cut the workload cost by this share at least (default DEFAULT_MIN_IMPROVEMENT, 0.05 %). */
  minImprovement?: number;
  /** Progress lines (for a terminal). */
  onProgress?(message: string): void;
}

export interface AdvisedIndex {
  rank: number;
  schema: string;
  table: string;
  columns: string[];
  include: string[];
  where: string | null;
  /** `CREATE INDEX CONCURRENTLY ...;` */
  sql: string;
  /** Estimated size (hypopg). */
  bytes: number;
  /** Weighted workload cost without this index (the others kept) and with the whole plan. */
  workloadCostWithout: number;
  workloadCostWith: number;
  /** workloadCostWithout − workloadCostWith. */
  benefit: number;
  /** The queries it helps most: cost of one execution without it and with the plan. */
  helps: { id: string; origin: string; costWithout: number; costWith: number }[];
  /** Writes to its table since statistics were reset (each maintains the index; HOT updates excluded). */
  tableWrites: number | null;
}

export interface AdvisedQuery {
  id: string;
  origin: string;
  sql: string;
  weight: number;
  /** Highest `$n` parameter (0: none); such statements are costed with their generic plan. */
  parameters: number;
  stats: WorkloadQuery['stats'] | null;
  costBefore: number;
  costAfter: number;
  /** Indexes the plan uses with the advice applied (advised ones by their CREATE statement's name). */
  indexesUsed: string[];
}

export interface AdviseResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  command: 'indexes advise';
  source: { description: string; database: string; serverVersion: string; serverVersionNum: number; hypopgVersion: string };
  workload: { kind: Workload['kind']; description: string; queries: number; skipped: Workload['skipped'] };
  settings: { budgetBytes: number | null; maxIndexes: number | null; maxWidth: number; timeLimitMs: number; minImprovement: number };
  search: { whatIfCalls: number; evaluations: number; durationMs: number; stoppedBy: string; steps: (Omit<SearchStep, 'index' | 'replaces'> & { index: string; replaces: string | null })[] };
  /** Weighted workload cost today and with the advised indexes. */
  costBefore: number;
  costAfter: number;
  /** Units of the costs: planner cost units, or predicted milliseconds (pg_stat_statements). */
  costUnit: 'cost' | 'ms';
  indexes: AdvisedIndex[];
  drops: DropProposal[];
  queries: AdvisedQuery[];
  /** The migration: CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY statements. */
  migration: string;
  notices: string[];
}

interface PreparedQuery extends SearchQuery, CostableQuery {
  source: WorkloadQuery;
  baseCost: number;
}

/** Runs the advisor on a live server. */
export async function adviseIndexes(options: AdviseOptions = {}): Promise<AdviseResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  await ensureParser();
  const db =
    options.db ??
    (await LiveDb.connect({
      ...options.connection,
      statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs,
      lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs,
      env: options.env,
    }));
  const description = db instanceof LiveDb ? db.description : 'the given session';
  let session: WhatIfSession | undefined;
  try {
    progress('reading the schema');
    const { snapshot } = await readSnapshot(db, { source: 'live', description: description });
    session = await WhatIfSession.open(db, snapshot.server.versionNum);
    const workload = options.workload ?? (await workloadFromPgStatStatements(db, { top: options.top ?? 50, description }));
    const notices: string[] = [];
    if (workload.queries.length === 0) notices.push(`the workload (${workload.description}) has no statements to optimise: nothing was advised`);

    const schema = new SnapshotIndex(snapshot);
    const searchPath = await currentSearchPath(db);
    progress(`costing ${workload.queries.length} workload statements`);
    const { queries, failed } = await prepareQueries(workload, schema, searchPath, session);
    if (workload.kind === 'pg_stat_statements') {
      // Calibrate: weight × today's estimated cost = the statement's measured total time.
      for (const q of queries) q.weight = q.baseCost > 0 && q.source.stats ? q.source.stats.totalTimeMs / q.baseCost : 0;
    }

    const activeSession = session;
    const cache = new CostCache({
      cost: async (query, indexes) => (await activeSession.cost(query as PreparedQuery, indexes)).cost,
      size: (index) => activeSession.size(index),
    });
    const timeLimitMs = options.timeLimitMs ?? 60_000;
    let budgetBytes = options.budgetBytes;
    if (budgetBytes === undefined && options.budgetShare !== undefined) {
      const size = snapshot.server.databaseSize;
      if (size === null) throw new UserError('the budget is a share of the database size, which is not visible here', 'give the budget in bytes: --budget 2GB');
      budgetBytes = Math.floor(size * options.budgetShare);
    }
    const maxWidth = options.maxWidth ?? 3;
    const minImprovement = options.minImprovement ?? DEFAULT_MIN_IMPROVEMENT;
    progress('searching');
    const search = await extendSearch(queries, cache, {
      budgetBytes,
      maxIndexes: options.maxIndexes,
      maxWidth,
      minImprovement,
      deadline: started + timeLimitMs,
      exclude: servedByExisting(snapshot, queries),
      distinct: columnDistinct(schema),
      onStep: (step) => progress(`${step.kind} ${candidateKey(step.index)}`),
    });
    if (search.stoppedBy === 'time-limit') notices.push(`the search stopped at the time limit (${timeLimitMs} ms): the plan is the best found by then`);

    progress('measuring each index');
    const indexes = await rankIndexes(search.indexes, queries, cache, session, db, new Set(snapshot.indexes.map((i) => `${i.schema}.${i.name}`)));
    const advisedByKey = new Map(indexes.map((i) => [candidateKey(i as IndexCandidate), i]));
    const usage = await finalUsage(queries, search.indexes, session, advisedByKey);
    const drops = await findDrops(db, snapshot, usage.existingUsed);

    const advisedQueries: AdvisedQuery[] = [];
    for (const q of queries) {
      advisedQueries.push({
        id: q.id,
        origin: q.source.origin,
        sql: q.sql,
        weight: q.weight,
        parameters: q.parameters,
        stats: q.source.stats ?? null,
        costBefore: q.baseCost,
        costAfter: await cache.cost(q, search.indexes),
        indexesUsed: usage.byQuery.get(q.id) ?? [],
      });
    }
    advisedQueries.sort((a, b) => b.weight * (b.costBefore - b.costAfter) - a.weight * (a.costBefore - a.costAfter));

    return {
      schemaVersion: ADVISE_RESULT_SCHEMA_VERSION,
      tool: { name: 'pgarchitect', version: VERSION },
      command: 'indexes advise',
      source: { description: description, database: snapshot.source.database, serverVersion: snapshot.server.version, serverVersionNum: snapshot.server.versionNum, hypopgVersion: session.hypopgVersion },
      workload: { kind: workload.kind, description: workload.description, queries: queries.length, skipped: [...workload.skipped, ...failed] },
      settings: { budgetBytes: budgetBytes ?? null, maxIndexes: options.maxIndexes ?? null, maxWidth, timeLimitMs, minImprovement },
      search: {
        whatIfCalls: session.calls,
        evaluations: search.evaluations,
        durationMs: Date.now() - started,
        stoppedBy: search.stoppedBy,
        steps: search.steps.map((s) => ({ ...s, index: candidateKey(s.index), replaces: s.replaces ? candidateKey(s.replaces) : null })),
      },
      costBefore: search.costBefore,
      costAfter: search.costAfter,
      costUnit: workload.kind === 'pg_stat_statements' ? 'ms' : 'cost',
      indexes,
      drops,
      queries: advisedQueries,
      migration: migrationSql(indexes, drops, description),
      notices,
    };
  } finally {
    // Hypothetical indexes live in this backend only; reset them anyway before the session ends.
    await session?.reset().catch(() => undefined);
    if (!options.db) await db.close();
  }
}

async function currentSearchPath(db: Db): Promise<string[]> {
  const rows = await db.query<{ schemas: string[] }>('SELECT current_schemas(false) AS schemas');
  const schemas = rows[0]?.schemas;
  return Array.isArray(schemas) ? schemas : String(schemas ?? '{public}').replace(/[{}]/g, '').split(',').filter(Boolean);
}

/** Parses and costs each workload statement once; those that fail are left out, with the reason. */
async function prepareQueries(
  workload: Workload,
  schema: SnapshotIndex,
  searchPath: readonly string[],
  session: WhatIfSession,
): Promise<{ queries: PreparedQuery[]; failed: Workload['skipped'] }> {
  const prepared: PreparedQuery[] = [];
  const failed: Workload['skipped'] = [];
  for (const source of workload.queries) {
    let tree: Record<string, unknown> | undefined;
    try {
      const stmts = parseSync(source.sql).stmts ?? [];
      if (stmts.length !== 1) {
        failed.push({ origin: source.origin, reason: `${stmts.length} statements where one was expected` });
        continue;
      }
      tree = stmts[0]!.stmt as Record<string, unknown>;
    } catch (error) {
      failed.push({ origin: source.origin, reason: `does not parse: ${(error as Error).message}` });
      continue;
    }
    const uses = tableUses(tree as never, schema, searchPath);
    keepCategoricalConstants(uses, schema);
    const query: PreparedQuery = { id: source.id, sql: source.sql, weight: source.weight, uses, tables: new Set(uses.keys()), parameters: parameterCount(tree), source, baseCost: 0 };
    try {
      query.baseCost = (await session.cost(query, [])).cost;
    } catch (error) {
      failed.push({ origin: source.origin, reason: `Postgres cannot plan it: ${postgresErrorInfo(error)?.message ?? (error as Error).message}` });
      continue;
    }
    prepared.push(query);
  }
  return { queries: prepared, failed };
}

/** Each chosen index's own benefit (the plan without it against the whole plan), best first. */
async function rankIndexes(
  chosen: readonly IndexCandidate[],
  queries: readonly PreparedQuery[],
  cache: CostCache,
  session: WhatIfSession,
  db: Db,
  existingNames: ReadonlySet<string>,
): Promise<AdvisedIndex[]> {
  const withAll = await cache.workloadCost(queries, chosen);
  const writes = await writesPerTable(db);
  const ranked: AdvisedIndex[] = [];
  const names = new Set(existingNames);
  for (const index of chosen) {
    let name = candidateName(index);
    for (let n = 2; names.has(`${index.schema}.${name}`); n++) name = `${candidateName(index).replace(/_idx$/, '')}_${n}_idx`;
    names.add(`${index.schema}.${name}`);
    const others = chosen.filter((c) => c !== index);
    const helps: AdvisedIndex['helps'] = [];
    let without = 0;
    for (const q of queries) {
      const costWithout = await cache.cost(q, others);
      const costWith = await cache.cost(q, chosen);
      without += q.weight * costWithout;
      if (costWith < costWithout) helps.push({ id: q.id, origin: q.source.origin, costWithout, costWith });
    }
    helps.sort((a, b) => b.costWithout - b.costWith - (a.costWithout - a.costWith));
    ranked.push({
      rank: 0,
      schema: index.schema,
      table: index.table,
      columns: [...index.columns],
      include: [...index.include],
      where: index.where,
      sql: createConcurrentlySql(index, name),
      bytes: await session.size(index),
      workloadCostWithout: without,
      workloadCostWith: withAll,
      benefit: without - withAll,
      helps: helps.slice(0, 5),
      tableWrites: writes.get(tableKeyOf(index)) ?? null,
    });
  }
  ranked.sort((a, b) => b.benefit - a.benefit);
  ranked.forEach((r, i) => (r.rank = i + 1));
  return ranked;
}

/** With the plan applied: which indexes each query's plan uses, and the existing indexes used at all. */
async function finalUsage(
  queries: readonly PreparedQuery[],
  chosen: readonly IndexCandidate[],
  session: WhatIfSession,
  advisedByKey: ReadonlyMap<string, AdvisedIndex>,
): Promise<{ byQuery: Map<string, string[]>; existingUsed: Set<string> }> {
  const byQuery = new Map<string, string[]>();
  const existingUsed = new Set<string>();
  for (const q of queries) {
    const planned = await session.cost(q, chosen.filter((c) => q.tables.has(tableKeyOf(c))));
    const names = planned.hypotheticalUsed.map((key) => {
      const advised = advisedByKey.get(key);
      return advised ? `new: ${advised.sql.replace(/^CREATE INDEX CONCURRENTLY (\S+) .*$/, '$1')}` : key;
    });
    for (const used of planned.existingUsed) {
      existingUsed.add(used);
      names.push(used);
    }
    byQuery.set(q.id, names);
  }
  return { byQuery, existingUsed };
}

function migrationSql(indexes: readonly AdvisedIndex[], drops: readonly DropProposal[], database: string): string {
  const lines = [
    `-- Index plan from pgarchitect indexes advise for ${database}.`,
    '-- CONCURRENTLY builds and drops do not block writes, and cannot run inside a transaction block:',
    '-- run this file statement by statement (psql does), not in one transaction.',
    '',
  ];
  if (indexes.length) lines.push('-- Add, most beneficial first');
  for (const index of indexes) lines.push(index.sql);
  if (drops.length) lines.push('', '-- Drop');
  for (const drop of drops) lines.push(`-- ${drop.reason}`, drop.sql);
  if (!indexes.length && !drops.length) lines.push('-- Nothing to add or drop.');
  return lines.join('\n') + '\n';
}
