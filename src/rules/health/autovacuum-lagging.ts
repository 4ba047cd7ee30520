import { analyzeTrigger, effectiveAutovacuum, recommendedAutovacuum, vacuumTrigger } from '../../health/autovacuum.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineHealthRule } from '../health-rule.js';
import { count, duration, horizonHolders, settingNumber, storedTables, tableObject, tablesText } from './lib/words.js';

/**
 * Autovacuum visits a table once its dead rows pass `threshold + scale_factor × rows`. Far past that
 * point, it is not keeping up: its workers are all busy elsewhere, it is throttled too hard, each run
 * is cancelled by a lock, or an old transaction or slot keeps it from removing anything.
 */
export default defineHealthRule({
  meta: {
    id: 'autovacuum-lagging',
    category: 'vacuum',
    defaultSeverity: 'warning',
    description: "A table's dead rows (or changes since its last analyze) are far past the point at which autovacuum should have processed it.",
    fixable: true,
    defaultOptions: {
      /** Report when dead rows (or changed rows) reach this many times autovacuum's own trigger. */
      factor: 2,
      /** ...and at least this many dead rows (small tables catch up in seconds). */
      minDeadTuples: 1000,
      /** ...or at least this many rows changed since the last analyze. */
      minModifications: 1000,
    },
  },
  needs: ['tables'],
  examined(facts) {
    const tables = storedTables(facts);
    const withStats = tables.filter((t) => t.stats !== null);
    const own = tables.filter((t) => effectiveAutovacuum(t, facts.settings).tableSettings.length > 0).length;
    const workers = busyWorkers(facts);
    return `${tablesText(withStats)} with statistics${withStats.length < tables.length ? ` (${count(tables.length - withStats.length)} without)` : ''}, ${count(own)} with autovacuum settings of their own; ${workers.busy ?? '?'} of ${workers.max} autovacuum workers busy`;
  },
  check({ facts, options, report }) {
    const workers = busyWorkers(facts);
    const holders = horizonHolders(facts, 3);
    for (const table of storedTables(facts)) {
      const stats = table.stats;
      if (!stats) continue;
      const settings = effectiveAutovacuum(table, facts.settings);
      if (!settings.enabled) continue; // autovacuum-disabled speaks about these
      // Never vacuumed nor analysed (no row count): just created or loaded, or left to table-never-analyzed.
      if (table.rowEstimate === null) continue;
      const vacuumAt = vacuumTrigger(table, settings);
      const analyzeAt = analyzeTrigger(table, settings);
      const vacuumBehind = stats.deadTuples >= options.minDeadTuples && stats.deadTuples >= options.factor * vacuumAt;
      const analyzeBehind = stats.modsSinceAnalyze >= options.minModifications && stats.modsSinceAnalyze >= options.factor * analyzeAt;
      if (!vacuumBehind && !analyzeBehind) continue;
      const name = qualifiedName(table.schema, table.name);
      const parts: string[] = [];
      if (vacuumBehind) parts.push(`${count(stats.deadTuples)} dead rows, ${(stats.deadTuples / Math.max(vacuumAt, 1)).toFixed(1)} times the ${count(vacuumAt)} at which autovacuum vacuums it (last autovacuum ${ago(stats.lastAutovacuum, stats.vacuumedSecondsAgo)})`);
      if (analyzeBehind) parts.push(`${count(stats.modsSinceAnalyze)} rows changed since its last analyze, ${(stats.modsSinceAnalyze / Math.max(analyzeAt, 1)).toFixed(1)} times the ${count(analyzeAt)} at which autovacuum analyzes it (last analyze ${ago(stats.lastAutoanalyze ?? stats.lastAnalyze, stats.analyzedSecondsAgo)})`);
      const rows = Math.max(table.rowEstimate ?? 0, stats.liveTuples);
      const better = recommendedAutovacuum(rows, settings);
      const causes: string[] = [];
      if (workers.busy !== null && workers.busy >= workers.max) causes.push(`all ${workers.max} autovacuum workers are busy`);
      if (holders.length) causes.push(`the oldest snapshot is held by ${holders[0]!.holder} (${count(holders[0]!.xminAge)} transactions old)`);
      report({
        object: tableObject(table),
        message: `Autovacuum is not keeping up with ${table.schema}.${table.name}: ${parts.join('; ')}.`,
        evidence: {
          deadTuples: stats.deadTuples,
          vacuumTrigger: vacuumAt,
          modsSinceAnalyze: stats.modsSinceAnalyze,
          analyzeTrigger: analyzeAt,
          factor: options.factor,
          rows,
          lastAutovacuum: stats.lastAutovacuum,
          lastVacuum: stats.lastVacuum,
          lastAutoanalyze: stats.lastAutoanalyze,
          lastAnalyze: stats.lastAnalyze,
          autovacuumCount: stats.autovacuumCount,
          tableSettings: settings.tableSettings,
          autovacuumWorkersBusy: workers.busy,
          autovacuumMaxWorkers: workers.max,
          horizonHolders: holders,
        },
        fix: {
          sql: vacuumBehind ? `VACUUM (ANALYZE) ${name};` : `ANALYZE ${name};`,
          safeOnline: true,
          note:
            `${vacuumBehind ? 'VACUUM' : 'ANALYZE'} takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes${vacuumBehind ? ', and must run outside a transaction block' : ''}. ` +
            (causes.length ? `Why autovacuum falls behind: ${causes.join('; ')}. ` : '') +
            (better ? `So that it keeps up, let autovacuum visit the table sooner: ALTER TABLE ${name} SET (${better.join(', ')}); ` : '') +
            'see also pgarchitect maintenance plan.',
        },
      });
    }
  },
});

/** Autovacuum workers running now (null when sessions could not be read) and the most there may be. */
function busyWorkers(facts: Parameters<typeof storedTables>[0]): { busy: number | null; max: number } {
  const max = settingNumber(facts, 'autovacuum_max_workers', 3);
  const busy = facts.activity ? facts.activity.filter((s) => s.backendType === 'autovacuum worker').length : null;
  return { busy, max };
}

function ago(time: string | null, seconds: number | null): string {
  if (!time || seconds === null) return 'never';
  return `${duration(seconds)} ago`;
}
