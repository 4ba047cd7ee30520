/**
 * One measured review, run in its own process by review-scale.ts so that start-up, memory and time are
 * what a user gets: connect with LiveDb, read the snapshot, review it with every rule. Prints one JSON
 * object (`Measurement`) on stdout and nothing else.
 *
 * The database URL comes in BENCH_DATABASE_URL (the environment, not argv, so the password never shows
 * in a process list). With `--per-rule` (run it with --expose-gc), after the measured pass it also
 * times each rule alone and the size of the snapshot as JSON.
 */
import { performance } from 'node:perf_hooks';
import { readSnapshot } from '../src/catalog/read-snapshot.js';
import { SnapshotIndex } from '../src/catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../src/catalog/types.js';
import { EMPTY_CONFIG } from '../src/config/config.js';
import type { Db } from '../src/db/db.js';
import { redactPassword } from '../src/db/connection-config.js';
import { LiveDb } from '../src/db/live-db.js';
import { runRules } from '../src/engine/run-rules.js';
import { allRules } from '../src/rules/index.js';
import type { AnyRule } from '../src/rules/rule.js';
import { ensureParser } from '../src/sql/parser.js';
import { catalogQueryName } from './catalog-queries.js';

/** Milliseconds since the process started, when the measuring code begins (Node, tsx, imports). */
const startupMs = performance.now();

export interface QueryTiming {
  /** The export of src/catalog/queries.ts that produced the statement, without `Query`. */
  name: string;
  ms: number;
  rows: number;
}

export interface RuleTiming {
  rule: string;
  /** Median of 3 calls of the rule's check on a shared SnapshotIndex; NaN when it threw. */
  ms: number;
  findings: number;
  error?: string;
}

export interface Measurement {
  startupMs: number;
  connectMs: number;
  snapshotMs: number;
  /** Sum of the catalog queries' round trips (server time, transfer, row parsing by `pg`). */
  queriesMs: number;
  parserLoadMs: number;
  rulesMs: number;
  /** parserLoadMs + rulesMs. */
  reviewMs: number;
  /** From start of process to review done (without closing the connection). */
  totalMs: number;
  queryCount: number;
  /** process.resourceUsage().maxRSS after the review, in KiB. */
  maxRssKiB: number;
  heapUsedBytes: number;
  findings: number;
  rulesRun: number;
  skipped: number;
  objects: { tables: number; columns: number; indexes: number; constraints: number; sequences: number; columnStats: number };
  queries: QueryTiming[];
  /** Only with --per-rule: runRules with no rule (SnapshotIndex build, parser check). */
  engineBaselineMs?: number;
  /** Only with --per-rule: runRules with every rule, warm (median of 3). */
  engineAllRulesMs?: number;
  perRule?: RuleTiming[];
  snapshotJsonBytes?: number;
}

/** The Db port with a stopwatch around each query. */
class TimedDb implements Db {
  readonly kind: Db['kind'];
  readonly timings: { sql: string; ms: number; rows: number }[] = [];

  constructor(private readonly inner: Db) {
    this.kind = inner.kind;
  }

  get queryCount(): number {
    return this.inner.queryCount;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    const start = performance.now();
    let rows: Row[];
    try {
      rows = await this.inner.query<Row>(sql, params);
    } catch (error) {
      throw new Error(`catalog query "${catalogQueryName(sql)}" failed: ${(error as Error).message}`, { cause: error });
    }
    this.timings.push({ sql, ms: performance.now() - start, rows: rows.length });
    return rows;
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times each rule's check alone on one shared SnapshotIndex, as the engine calls it, after a full
 * collection (the measuring process runs with --expose-gc), so one rule's garbage is not billed to the
 * next. The engine is timed apart, warm: runRules with no rule (the SnapshotIndex build) and with every
 * rule (compare with the sum of the checks: the difference is completing and sorting findings, and GC).
 */
async function timeRules(snapshot: CatalogSnapshot): Promise<Pick<Measurement, 'engineBaselineMs' | 'engineAllRulesMs' | 'perRule'>> {
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const timed = async (work: () => unknown): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      collect();
      const start = performance.now();
      await work();
      times.push(performance.now() - start);
    }
    return median(times);
  };
  const index = new SnapshotIndex(snapshot);
  const now = new Date(snapshot.source.takenAt);
  const check = (rule: AnyRule): number => {
    let findings = 0;
    rule.check({ snapshot, index, options: { ...rule.meta.defaultOptions }, now, report: () => findings++ });
    return findings;
  };
  await runRules(snapshot, allRules, { config: EMPTY_CONFIG }); // warm-up: JIT, parser
  const perRule: RuleTiming[] = [];
  for (const rule of allRules) {
    let findings = 0;
    try {
      const ms = await timed(() => (findings = check(rule)));
      perRule.push({ rule: rule.meta.id, ms, findings });
    } catch (error) {
      perRule.push({ rule: rule.meta.id, ms: Number.NaN, findings: 0, error: (error as Error).message });
    }
  }
  perRule.sort((a, b) => (b.ms || 0) - (a.ms || 0));
  const engineBaselineMs = await timed(() => runRules(snapshot, [], { config: EMPTY_CONFIG }));
  const engineAllRulesMs = await timed(() => runRules(snapshot, allRules, { config: EMPTY_CONFIG }));
  return { engineBaselineMs, engineAllRulesMs, perRule };
}

async function main(): Promise<Measurement> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set');
  const perRule = process.argv.includes('--per-rule');

  const connectStart = performance.now();
  const live = await LiveDb.connect({ url });
  const db = new TimedDb(live);
  try {
    const snapshotStart = performance.now();
    const { snapshot, queryCount } = await readSnapshot(db, { source: 'live', description: live.description });
    const reviewStart = performance.now();
    await ensureParser();
    const rulesStart = performance.now();
    const result = await runRules(snapshot, allRules, { config: EMPTY_CONFIG });
    const end = performance.now();
    const maxRssKiB = process.resourceUsage().maxRSS;

    const measurement: Measurement = {
      startupMs,
      connectMs: snapshotStart - connectStart,
      snapshotMs: reviewStart - snapshotStart,
      queriesMs: db.timings.reduce((sum, t) => sum + t.ms, 0),
      parserLoadMs: rulesStart - reviewStart,
      rulesMs: end - rulesStart,
      reviewMs: end - reviewStart,
      totalMs: end,
      queryCount,
      maxRssKiB,
      heapUsedBytes: process.memoryUsage().heapUsed,
      findings: result.findings.length,
      rulesRun: result.rulesRun,
      skipped: result.skipped.length,
      objects: {
        tables: snapshot.tables.length,
        columns: snapshot.columns.length,
        indexes: snapshot.indexes.length,
        constraints: snapshot.constraints.length,
        sequences: snapshot.sequences.length,
        columnStats: snapshot.columns.filter((c) => c.stats !== null).length,
      },
      queries: db.timings.map((t) => ({ name: catalogQueryName(t.sql), ms: t.ms, rows: t.rows })),
    };
    if (perRule) {
      Object.assign(measurement, await timeRules(snapshot));
      measurement.snapshotJsonBytes = Buffer.byteLength(JSON.stringify(snapshot));
    }
    return measurement;
  } finally {
    await db.close();
  }
}

try {
  process.stdout.write(`${JSON.stringify(await main())}\n`);
} catch (error) {
  // One line for the report; the stack only for errors that are not PostgreSQL's.
  const e = error as Error & { cause?: { code?: string; hint?: string } };
  const detail = e.cause?.code ? `${e.message} (SQLSTATE ${e.cause.code}${e.cause.hint ? `; hint: ${e.cause.hint}` : ''})` : (e.stack ?? String(e));
  process.stderr.write(`${redactPassword(detail)}\n`);
  process.exitCode = 1;
}
