/**
 * The SQL script of a maintenance plan: the autovacuum settings of the large tables, then what is due
 * now, each statement under a comment that says why. For psql in autocommit mode (VACUUM and REINDEX
 * CONCURRENTLY refuse a transaction block); nothing in it blocks reads or writes.
 */
import type { MaintenancePlan, MaintenanceTask } from './result.js';

export function maintenanceScript(plan: MaintenancePlan): string {
  const out: string[] = [];
  const version = /^([\d.]+)/.exec(plan.source.serverVersion)?.[1] ?? plan.source.serverVersion;
  out.push(`-- pgarchitect maintenance plan: ${plan.source.description} (PostgreSQL ${version}), read ${plan.source.takenAt.slice(0, 19).replace('T', ' ')}`);
  out.push('-- Run it with psql -f, in autocommit mode: VACUUM and REINDEX CONCURRENTLY refuse a transaction block.');
  out.push('-- Nothing here blocks reads or writes: ALTER TABLE ... SET (autovacuum_...), VACUUM, ANALYZE and REINDEX');
  out.push('-- CONCURRENTLY take SHARE UPDATE EXCLUSIVE locks. lock_timeout keeps a statement from queueing behind a');
  out.push('-- long transaction: one that times out fails, and psql goes on with the next.');
  out.push("SET lock_timeout = '5s';");
  const statements = plan.autovacuumSettings.length + plan.due.filter((t) => !t.sql.startsWith('--')).length;
  if (statements === 0) {
    out.push('', '-- Nothing is due now, and every large table has suitable autovacuum settings.');
    return out.join('\n') + '\n';
  }
  if (plan.autovacuumSettings.length) {
    out.push('', `-- Autovacuum settings for large tables (from ${plan.options.largeRows.toLocaleString('en-US')} rows)`);
    for (const a of plan.autovacuumSettings) {
      out.push(
        `-- ${a.schema}.${a.table}: ${count(a.rows)} rows; vacuumed from ${count(a.vacuumTrigger.now)} dead rows, with these from ${count(a.vacuumTrigger.after)}; analyzed from ${count(a.analyzeTrigger.now)} changed rows, with these from ${count(a.analyzeTrigger.after)}`,
        a.sql,
      );
    }
  }
  section(out, 'Due now: vacuum and analyze', plan.due.filter((t) => t.kind === 'vacuum' || t.kind === 'analyze'));
  section(out, 'Due now: indexes', plan.due.filter((t) => t.kind !== 'vacuum' && t.kind !== 'analyze'));
  return out.join('\n') + '\n';
}

function section(out: string[], title: string, tasks: readonly MaintenanceTask[]): void {
  if (tasks.length === 0) return;
  out.push('', `-- ${title}`);
  for (const t of tasks) out.push(`-- ${t.schema}.${t.index ?? t.table}: ${t.reason}`, t.sql);
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
