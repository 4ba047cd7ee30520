/**
 * Checks a proposed index before it is shown: with hypopg the statement is planned again with the
 * index existing hypothetically (nothing is built, nothing written, only this session sees it), and
 * the estimated cost before and after is reported. Without hypopg the proposal says it is unverified.
 */
import { postgresErrorInfo, type Db } from '../db/db.js';
import { walkPlan } from '../plan/types.js';
import type { IndexSuggestion } from '../rules/plan-rule.js';
import { estimatePlan, inRolledBackTransaction, type ExplainableStatement } from './run-explain.js';

export type IndexVerification =
  | {
      status: 'verified';
      method: 'hypopg';
      /** Estimated total cost of the statement as it is. */
      costBefore: number;
      /** Estimated total cost with the index. */
      costAfter: number;
      /** Whether the planner chose the hypothetical index. */
      indexUsed: boolean;
    }
  | { status: 'unverified'; reason: string };

/** Whether hypopg is installed in the connected database (its version), or why it cannot be used. */
export async function hypopgVersion(db: Db): Promise<{ version: string } | { reason: string }> {
  try {
    const rows = await db.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'hypopg'");
    if (rows.length === 0) return { reason: 'hypopg is not installed in this database (CREATE EXTENSION hypopg to have index proposals costed)' };
    return { version: rows[0]!.extversion };
  } catch (error) {
    return { reason: `cannot check for hypopg: ${postgresErrorInfo(error)?.message ?? (error as Error).message}` };
  }
}

/**
 * Costs the statement with each proposed index in turn (hypothetical indexes are reset between them
 * and at the end), in a transaction that is rolled back, with the same settings as the analysed run.
 */
export async function verifyIndexes(
  db: Db,
  statement: ExplainableStatement,
  suggestions: ReadonlyMap<string, IndexSuggestion>,
  settings?: Readonly<Record<string, string>>,
): Promise<Map<string, IndexVerification>> {
  const results = new Map<string, IndexVerification>();
  if (suggestions.size === 0) return results;
  const hypopg = await hypopgVersion(db);
  if ('reason' in hypopg) {
    for (const key of suggestions.keys()) results.set(key, { status: 'unverified', reason: hypopg.reason });
    return results;
  }
  await inRolledBackTransaction(db, settings, async () => {
    const costBefore = totalCost(await estimatePlan(db, statement));
    for (const [key, suggestion] of suggestions) {
      // A failure aborts only the savepoint, so the next proposal can still be costed.
      await db.exec('SAVEPOINT pgarchitect_hypopg');
      try {
        const [created] = await db.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [suggestion.definition]);
        const plan = await estimatePlan(db, statement);
        let indexUsed = false;
        walkPlan(plan.Plan, (node) => {
          if (node['Index Name'] === created?.indexname) indexUsed = true;
        });
        results.set(key, { status: 'verified', method: 'hypopg', costBefore, costAfter: totalCost(plan), indexUsed });
        await db.exec('RELEASE SAVEPOINT pgarchitect_hypopg');
      } catch (error) {
        await db.exec('ROLLBACK TO SAVEPOINT pgarchitect_hypopg');
        results.set(key, { status: 'unverified', reason: `hypopg could not cost it: ${postgresErrorInfo(error)?.message ?? (error as Error).message}` });
      } finally {
        await db.query('SELECT hypopg_reset()').catch(() => undefined);
      }
    }
  });
  return results;
}

function totalCost(plan: { Plan: { 'Total Cost'?: number } }): number {
  return plan.Plan['Total Cost'] ?? 0;
}
