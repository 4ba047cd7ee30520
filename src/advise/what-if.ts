/**
 * What-if costing with hypopg: the planner costs a query as if some indexes existed, without building
 * them (hypopg keeps them in this backend's memory; nothing is written, and the session stays read
 * only). Queries with `$n` parameters (pg_stat_statements) are costed with their generic plan:
 * `EXPLAIN (GENERIC_PLAN)` on 16+, before that PREPARE with plan_cache_mode = force_generic_plan.
 *
 */
import type { Db } from '../db/db.js';
import { postgresErrorInfo } from '../db/db.js';
import { UserError } from '../errors.js';
import { walkPlan, type ExplainOutput } from '../plan/types.js';
import { planStatement } from './generic-plan.js';
import { candidateDefinition, candidateKey, tableKeyOf, type IndexCandidate } from './candidate.js';

export interface PlannedCost {
  /** The plan's estimated total cost. */
  cost: number;
  /** Candidate keys of the hypothetical indexes the plan uses. */
  hypotheticalUsed: string[];
  /** `schema.table.index` of the existing indexes the plan uses. */
  existingUsed: string[];
}

/** A workload statement ready to be costed. */
export interface CostableQuery {
  id: string;
  sql: string;
  /** Highest `$n` in the statement (0: none). */
  parameters: number;
  /** `schema.table` keys of the tables it reads: only indexes on these can change its plan. */
  tables: ReadonlySet<string>;
}

interface Hypothetical {
  oid: number;
  table: string;
}

export class WhatIfSession {
  /** Plans asked of the planner (what-if calls). */
  calls = 0;
  private readonly present = new Map<string, Hypothetical>();
  private readonly keyOfOid = new Map<number, string>();
  private readonly sizes = new Map<string, number>();

  private constructor(
    private readonly db: Db,
    private readonly serverVersionNum: number,
    /** `schema.table` by table name as plans print it (Relation Name, with Schema under VERBOSE). */
    readonly hypopgVersion: string,
  ) {}

  /** Checks hypopg and prepares the session (generic plans for parameterised statements). */
  static async open(db: Db, serverVersionNum: number): Promise<WhatIfSession> {
    const rows = await db.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'hypopg'");
    if (rows.length === 0) {
      throw new UserError(
        'hypopg is not installed in this database: the advisor costs index candidates with hypothetical indexes',
        'install the package (Debian/Ubuntu: postgresql-<major>-hypopg), then in this database: CREATE EXTENSION hypopg;',
      );
    }
    await db.exec('SET plan_cache_mode = force_generic_plan');
    await db.query('SELECT hypopg_reset()');
    return new WhatIfSession(db, serverVersionNum, rows[0]!.extversion);
  }

  /**
   * The query's cost with exactly `indexes` (hypothetical, on its tables) added to the real ones.
   * Throws Postgres's error when the query cannot be planned.
   */
  async cost(query: CostableQuery, indexes: readonly IndexCandidate[]): Promise<PlannedCost> {
    await this.arrange(query.tables, indexes);
    this.calls++;
    const plan = await this.plan(query);
    const hypotheticalUsed = new Set<string>();
    const existingUsed = new Set<string>();
    walkPlan(plan.Plan, (node) => {
      const name = node['Index Name'];
      if (typeof name !== 'string') return;
      const oid = /^<(\d+)>/.exec(name)?.[1];
      const key = oid ? this.keyOfOid.get(Number(oid)) : undefined;
      if (key) hypotheticalUsed.add(key);
      else if (!oid) existingUsed.add(`${node.Schema ?? ''}.${node['Relation Name'] ?? ''}.${name}`);
    });
    return { cost: Number(plan.Plan['Total Cost'] ?? 0), hypotheticalUsed: [...hypotheticalUsed], existingUsed: [...existingUsed] };
  }

  /** Estimated size in bytes of the index if built (hypopg's estimate from the table's statistics). */
  async size(candidate: IndexCandidate): Promise<number> {
    const key = candidateKey(candidate);
    const known = this.sizes.get(key);
    if (known !== undefined) return known;
    const hypothetical = await this.create(candidate);
    const [row] = await this.db.query<{ bytes: string }>('SELECT hypopg_relation_size($1)::text AS bytes', [hypothetical.oid]);
    const bytes = Number(row?.bytes ?? 0);
    this.sizes.set(key, bytes);
    return bytes;
  }

  /** Removes every hypothetical index of this session. */
  async reset(): Promise<void> {
    this.present.clear();
    await this.db.query('SELECT hypopg_reset()');
  }

  /** Makes the hypothetical indexes on `tables` exactly `indexes` (others are left alone). */
  private async arrange(tables: ReadonlySet<string>, indexes: readonly IndexCandidate[]): Promise<void> {
    const wanted = new Set(indexes.map(candidateKey));
    for (const [key, hypothetical] of this.present) {
      if (tables.has(hypothetical.table) && !wanted.has(key)) {
        await this.db.query('SELECT hypopg_drop_index($1)', [hypothetical.oid]);
        this.present.delete(key);
      }
    }
    for (const index of indexes) if (!this.present.has(candidateKey(index))) await this.create(index);
  }

  private async create(candidate: IndexCandidate): Promise<Hypothetical> {
    const key = candidateKey(candidate);
    const existing = this.present.get(key);
    if (existing) return existing;
    let row: { indexrelid: number } | undefined;
    try {
      [row] = await this.db.query<{ indexrelid: number }>('SELECT indexrelid FROM hypopg_create_index($1)', [candidateDefinition(candidate)]);
    } catch (error) {
      throw new Error(`hypopg could not create ${candidateDefinition(candidate)}: ${postgresErrorInfo(error)?.message ?? (error as Error).message}`);
    }
    const hypothetical = { oid: Number(row!.indexrelid), table: tableKeyOf(candidate) };
    this.present.set(key, hypothetical);
    this.keyOfOid.set(hypothetical.oid, key);
    return hypothetical;
  }

  private plan(query: CostableQuery): Promise<ExplainOutput> {
    return planStatement(this.db, this.serverVersionNum, query.sql, query.parameters);
  }
}
