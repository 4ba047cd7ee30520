import { qualifiedName } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * Dead rows (left by UPDATE and DELETE until VACUUM reclaims them) still take pages: scans read them,
 * indexes keep pointing at them, and the table grows. A high share of dead rows means autovacuum is not
 * keeping up, is turned off, or is held back by an old transaction or replication slot.
 */
export default defineRule({
  meta: {
    id: 'high-dead-tuple-ratio',
    category: 'statistics',
    defaultSeverity: 'warning',
    description: 'A table has a large share of dead rows waiting for VACUUM.',
    fixable: true,
    requires: ['live-server', 'table-statistics'],
    defaultOptions: {
      /** Report when dead / (live + dead) is above this share. */
      maxRatio: 0.2,
      /** ...and there are at least this many dead rows (small tables churn harmlessly). */
      minDeadTuples: 10000,
    },
  },
  check({ snapshot, options, report }) {
    const autovacuumOff = snapshot.settings.find((s) => s.name === 'autovacuum')?.value === 'off';
    // Every table with storage, partitions included: each is vacuumed on its own, so each is its own
    // finding (a partitioned parent has no rows of its own).
    for (const table of snapshot.tables) {
      if (table.kind !== 'table' || table.stats === null) continue;
      const { liveTuples, deadTuples } = table.stats;
      if (deadTuples < options.minDeadTuples || deadTuples === 0) continue;
      const ratio = deadTuples / (liveTuples + deadTuples);
      if (ratio <= options.maxRatio) continue;
      const name = qualifiedName(table.schema, table.name);
      const percent = Math.round(ratio * 100);
      const autovacuumSettings = table.reloptions.filter((o) => o.startsWith('autovacuum_'));
      const disabledHere = table.reloptions.includes('autovacuum_enabled=false');
      report({
        object: { type: 'table', schema: table.schema, name: table.name },
        message: `Table ${table.schema}.${table.name} has ${deadTuples} dead rows, ${percent}% of its rows, waiting for VACUUM.`,
        evidence: {
          liveTuples,
          deadTuples,
          deadRatio: Math.round(ratio * 1000) / 1000,
          lastVacuum: table.stats.lastVacuum,
          lastAutovacuum: table.stats.lastAutovacuum,
          autovacuumCount: table.stats.autovacuumCount,
          autovacuumDisabled: autovacuumOff || disabledHere,
          autovacuumSettings,
        },
        fix: {
          sql: `VACUUM (ANALYZE) ${name};`,
          safeOnline: true,
          note:
            'run it on its own, not inside a transaction block; it takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes. ' +
            (disabledHere ? `Autovacuum is off for this table: turn it back on with ALTER TABLE ${name} RESET (autovacuum_enabled); ` : '') +
            `If dead rows build up again, let autovacuum visit the table sooner, for example ALTER TABLE ${name} SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 1000); ` +
            'if VACUUM leaves them in place, look for long-running transactions, abandoned replication slots or prepared transactions holding back the xmin horizon.',
        },
      });
    }
  },
});
