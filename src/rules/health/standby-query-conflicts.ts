import { defineHealthRule } from '../health-rule.js';
import { count, plural, serverObject } from './lib/words.js';
import type { DatabaseConflicts } from '../../health/facts.js';

const KINDS = ['snapshot', 'lock', 'bufferpin', 'deadlock', 'tablespace', 'logicalSlot'] as const;

/** Queries of one database cancelled by recovery conflicts, all kinds together. */
export function totalConflicts(c: DatabaseConflicts): number {
  return KINDS.reduce((sum, kind) => sum + (c[kind] ?? 0), 0);
}

/**
 * When replay must remove rows a standby query still sees, or take a lock it holds, the standby waits
 * max_standby_streaming_delay and then cancels the query ("canceling statement due to conflict with
 * recovery"). Reads sent to replicas then fail at random; the settings trade those cancellations
 * against replay lag (a longer delay) or bloat on the primary (hot_standby_feedback).
 */
export default defineHealthRule({
  meta: {
    id: 'standby-query-conflicts',
    category: 'replication',
    defaultSeverity: 'warning',
    description: 'Queries on this standby were cancelled by conflicts with WAL replay (pg_stat_database_conflicts).',
    fixable: true,
    defaultOptions: {
      /** Report from this many cancelled queries since the statistics were reset. */
      minConflicts: 1,
    },
  },
  needs: ['recovery'],
  examined(facts) {
    const conflicts = facts.recovery!.conflicts;
    return `${plural(conflicts.length, 'database')} in pg_stat_database_conflicts (hot_standby_feedback = ${facts.settings.hot_standby_feedback?.setting ?? 'unknown'}, max_standby_streaming_delay = ${delayText(facts.settings.max_standby_streaming_delay?.setting)})`;
  },
  check({ facts, options, report }) {
    const conflicts = facts.recovery!.conflicts.filter((c) => totalConflicts(c) > 0);
    const sum = conflicts.reduce((s, c) => s + totalConflicts(c), 0);
    if (sum < options.minConflicts) return;
    const byKind = Object.fromEntries(KINDS.map((kind) => [kind, conflicts.reduce((s, c) => s + (c[kind] ?? 0), 0)]));
    const feedback = facts.settings.hot_standby_feedback?.setting;
    const delay = facts.settings.max_standby_streaming_delay?.setting;
    const kinds = KINDS.filter((k) => byKind[k]! > 0).map((k) => `${count(byKind[k]!)} ${k === 'logicalSlot' ? 'logical slot' : k}`);
    const snapshotAdvice = byKind.snapshot! > 0 && feedback === 'off';
    report({
      object: serverObject(facts),
      message: `${count(sum)} ${sum === 1 ? 'query was' : 'queries were'} cancelled on this standby by conflicts with replay (${kinds.join(', ')}) in ${conflicts.map((c) => c.database).join(', ')}, with max_standby_streaming_delay = ${delayText(delay)} and hot_standby_feedback = ${feedback ?? 'unknown'}.${snapshotAdvice ? ' Snapshot conflicts mean VACUUM on the primary removed rows these queries still needed: hot_standby_feedback = on tells the primary to keep them.' : ''}`,
      evidence: { conflicts: sum, byKind, perDatabase: conflicts, hotStandbyFeedback: feedback ?? null, maxStandbyStreamingDelay: delay ?? null },
      fix: snapshotAdvice
        ? {
            sql: 'ALTER SYSTEM SET hot_standby_feedback = on;\nSELECT pg_reload_conf();',
            safeOnline: true,
            note: 'run on the standby. The primary then keeps the rows the standby\'s oldest query can see: long queries on the standby delay VACUUM there (bloat). Alternatively raise max_standby_streaming_delay, which lets replay, and so the standby\'s data, lag behind instead.',
          }
        : {
            sql: "ALTER SYSTEM SET max_standby_streaming_delay = '60s';\nSELECT pg_reload_conf();",
            safeOnline: true,
            note: 'run on the standby: replay waits longer for conflicting queries before cancelling them, so the standby lags more while they run. Lock conflicts come from DDL, VACUUM truncating tables and exclusive locks on the primary.',
          },
    });
  },
});

function delayText(value: string | undefined): string {
  if (value === undefined) return 'unknown';
  if (value === '-1') return '-1 (wait forever)';
  return `${value} ms`;
}
