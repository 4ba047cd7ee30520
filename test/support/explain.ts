/**
 * Plans provoked for real on the test server: a fresh database with `setup` applied, then `explain`
 * of a query through the same path users take (EXPLAIN ANALYZE in a rolled-back transaction, the
 * plan diagnoses, hypopg costing).
 */
import type { TestContext } from 'node:test';
import { explainQuery, type ExplainQueryOptions } from '../../src/explain/explain.js';
import type { ExplainResult } from '../../src/explain/result.js';
import { LiveDb } from '../../src/db/live-db.js';
import type { Finding } from '../../src/finding.js';
import type { AnyPlanRule } from '../../src/rules/plan-rule.js';
import { liveDatabase, type LiveDatabase } from './live.js';

export interface ExplainDatabase extends LiveDatabase {
  explain(sql: string, options?: ExplainQueryOptions): Promise<ExplainResult>;
  /** The findings of one rule on `sql`. */
  findings(rule: AnyPlanRule, sql: string, options?: ExplainQueryOptions): Promise<Finding[]>;
  /** Rows of one read-only query on this database. */
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
}

/** A fresh database with `setup` applied, or null when the test was skipped (no server outside CI). */
export async function explainDatabase(t: TestContext, setup: string): Promise<ExplainDatabase | null> {
  const db = await liveDatabase(t, setup);
  if (!db) return null;
  const explain = (sql: string, options: ExplainQueryOptions = {}) => explainQuery(sql, { ...options, connection: { url: db.url, ...options.connection }, env: {} });
  return {
    ...db,
    explain,
    async findings(rule, sql, options = {}) {
      return (await explain(sql, { ...options, rules: [rule] })).findings;
    },
    async query<Row>(sql: string): Promise<Row[]> {
      const session = await LiveDb.connect({ url: db.url });
      try {
        return await session.query<Row>(sql);
      } finally {
        await session.close();
      }
    },
  };
}

/** Row counts reach pg_stat_* when a backend flushes them; set-up ends with this so the runner sees them. */
export const FLUSH_STATS = 'SELECT pg_stat_force_next_flush();';
