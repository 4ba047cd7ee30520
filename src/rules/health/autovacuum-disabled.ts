import { analyzeTrigger, effectiveAutovacuum, vacuumTrigger } from '../../health/autovacuum.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineHealthRule } from '../health-rule.js';
import { count, plural, serverObject, storedTables, tableObject, tablesText } from './lib/words.js';

/**
 * With autovacuum off, dead rows are never cleaned up, statistics go stale and tables are only frozen
 * by the emergency anti-wraparound vacuum, which cannot be cancelled and comes at the worst time.
 * `track_counts = off` disables it as surely: autovacuum decides from those counters.
 */
export default defineHealthRule({
  meta: {
    id: 'autovacuum-disabled',
    category: 'vacuum',
    defaultSeverity: 'warning',
    description: 'Autovacuum is off for the server (or track_counts is off), or for a table that holds data.',
    fixable: true,
    defaultOptions: {
      /** A table with autovacuum off is a warning from this many dead or changed rows, info below. */
      minChanges: 1000,
    },
  },
  needs: ['tables'],
  examined(facts) {
    const tables = storedTables(facts);
    const off = tables.filter((t) => effectiveAutovacuum(t, facts.settings).disabledBy === 'table').length;
    return `${tablesText(tables)} (${count(off)} with autovacuum off for the table); autovacuum = ${facts.settings.autovacuum?.setting ?? 'unknown'}, track_counts = ${facts.settings.track_counts?.setting ?? 'unknown'}`;
  },
  check({ facts, options, report }) {
    const tables = storedTables(facts);
    const server = effectiveAutovacuum({ reloptions: [] }, facts.settings);
    if (server.disabledBy === 'server' || server.disabledBy === 'track_counts') {
      const withDead = tables.filter((t) => (t.stats?.deadTuples ?? 0) > 0);
      const setting = server.disabledBy === 'server' ? 'autovacuum' : 'track_counts';
      report({
        object: serverObject(facts),
        message:
          server.disabledBy === 'server'
            ? `Autovacuum is off for the whole server: dead rows are never cleaned up and statistics go stale (${plural(withDead.length, 'table')} hold dead rows now).`
            : 'track_counts is off, so autovacuum has no counters to act on and never runs, and the statistics views stay empty.',
        severity: 'error',
        evidence: {
          autovacuum: facts.settings.autovacuum?.setting ?? null,
          trackCounts: facts.settings.track_counts?.setting ?? null,
          tablesWithDeadRows: withDead.length,
          deadRows: withDead.reduce((n, t) => n + (t.stats?.deadTuples ?? 0), 0),
        },
        fix: {
          sql: `ALTER SYSTEM SET ${setting} = on;\nSELECT pg_reload_conf();`,
          safeOnline: true,
          note: 'a reload is enough (no restart); ALTER SYSTEM needs a superuser, or set it in postgresql.conf. If it was turned off to spare a bulk load, turn it back on when the load ends.',
        },
      });
    }
    for (const table of tables) {
      const settings = effectiveAutovacuum(table, facts.settings);
      if (settings.disabledBy !== 'table') continue;
      const dead = table.stats?.deadTuples ?? 0;
      const changed = table.stats?.modsSinceAnalyze ?? 0;
      const rows = Math.max(table.rowEstimate ?? 0, table.stats?.liveTuples ?? 0);
      if (rows === 0 && dead === 0) continue;
      const name = qualifiedName(table.schema, table.name);
      const churn = Math.max(dead, changed) >= options.minChanges;
      report({
        object: tableObject(table),
        message:
          dead > 0 || changed > 0
            ? `Autovacuum is off for ${table.schema}.${table.name} (autovacuum_enabled = false): it has ${count(dead)} dead rows and ${count(changed)} rows changed since its last analyze, and nothing cleans them up.`
            : `Autovacuum is off for ${table.schema}.${table.name} (autovacuum_enabled = false): it holds ${count(rows)} rows and nothing will vacuum or analyze it as they change.`,
        severity: churn ? 'warning' : 'info',
        evidence: {
          deadTuples: dead,
          modsSinceAnalyze: changed,
          rows,
          minChanges: options.minChanges,
          vacuumTrigger: vacuumTrigger(table, { ...settings, enabled: true }),
          analyzeTrigger: analyzeTrigger(table, settings),
          lastVacuum: table.stats?.lastVacuum ?? null,
          lastAnalyze: table.stats?.lastAnalyze ?? null,
          xidAge: table.xidAge,
          tableSettings: settings.tableSettings,
        },
        fix: {
          sql: `ALTER TABLE ${name} RESET (autovacuum_enabled);\nVACUUM (ANALYZE) ${name};`,
          safeOnline: true,
          note: 'RESET takes a SHARE UPDATE EXCLUSIVE lock and changes only the catalog; VACUUM takes the same lock, which does not block reads or writes, and must run outside a transaction block. If autovacuum was turned off because it disturbed the workload, slow it down instead (autovacuum_vacuum_cost_delay) rather than stopping it.',
        },
      });
    }
  },
});
