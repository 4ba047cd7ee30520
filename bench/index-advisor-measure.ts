/**
 * The measured side of the index-advisor benchmark: build a set of indexes for real, run every
 * workload statement with representative parameter values, and weigh each statement's median time by
 * its weight. Writes (UPDATE, DELETE) run inside a transaction that is rolled back, so the data stays
 * what the what-if costs saw; VACUUM afterwards puts the visibility map back.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createConcurrentlySql, type IndexCandidate } from '../src/advise/candidate.js';
import type { BenchWorkload } from './index-advisor-workloads.js';

export interface MeasuredWorkload {
  /** Σ weight × median ms of one execution. */
  weightedMs: number;
  /** Median ms of one execution, by statement. */
  perQueryMs: number[];
}

export interface BuiltIndexes {
  buildMs: number;
  /** Real size (pg_relation_size) of the indexes built. */
  bytes: number;
}

/** Stop repeating a statement once its runs have taken this long (one run at least; none after a warm-up that long). */
const PER_STATEMENT_MS = 3_000;

const WRITE = /^\s*(update|delete|insert)\b/i;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The values bound to each statement's `$n`: given, or the row of its lookup query. */
export async function resolveParams(client: pg.Client, workload: BenchWorkload): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const q of workload.queries) {
    if (!q.params) out.push([]);
    else if (Array.isArray(q.params)) out.push([...q.params]);
    else {
      const { rows } = await client.query((q.params as { sql: string }).sql);
      if (!rows[0]) throw new Error(`${q.label}: the parameter query returned no row`);
      out.push(Object.values(rows[0] as Record<string, unknown>));
    }
  }
  return out;
}

export async function measureWorkload(client: pg.Client, workload: BenchWorkload, params: readonly unknown[][], runs: number): Promise<MeasuredWorkload> {
  const perQueryMs: number[] = [];
  let weightedMs = 0;
  for (const [i, q] of workload.queries.entries()) {
    const values = params[i]!;
    const write = WRITE.test(q.sql);
    const once = async (): Promise<number> => {
      if (write) await client.query('BEGIN');
      const start = performance.now();
      await client.query(values.length ? { text: q.sql, values: [...values] } : q.sql);
      const elapsed = performance.now() - start;
      if (write) await client.query('ROLLBACK');
      return elapsed;
    };
    // Warm-up (caches, catalog lookups); a statement that slow is its own measurement.
    const warmUp = await once();
    const times: number[] = warmUp > PER_STATEMENT_MS ? [warmUp] : [];
    let spent = times.length > 0 ? warmUp : 0;
    while (times.length < runs && (times.length === 0 || spent < PER_STATEMENT_MS)) {
      const t = await once();
      times.push(t);
      spent += t;
    }
    const ms = median(times);
    perQueryMs.push(ms);
    weightedMs += q.weight * ms;
  }
  await client.query('VACUUM');
  return { weightedMs, perQueryMs };
}

/** Builds the indexes (plain CREATE INDEX: the benchmark owns the server), runs `body`, drops them. */
export async function withBuiltIndexes<T>(client: pg.Client, indexes: readonly IndexCandidate[], body: (built: BuiltIndexes) => Promise<T>): Promise<T> {
  const names = indexes.map((_, i) => `bench_advise_${i + 1}`);
  const start = performance.now();
  try {
    for (const [i, index] of indexes.entries()) {
      await client.query(createConcurrentlySql(index, names[i]).replace(/^CREATE INDEX CONCURRENTLY/, 'CREATE INDEX'));
    }
    const buildMs = performance.now() - start;
    const { rows } = await client.query<{ bytes: string }>(
      'SELECT coalesce(sum(pg_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c WHERE c.relname = ANY($1)',
      [names],
    );
    return await body({ buildMs, bytes: Number(rows[0]?.bytes ?? 0) });
  } finally {
    for (const name of names) await client.query(`DROP INDEX IF EXISTS public.${name}`);
  }
}
