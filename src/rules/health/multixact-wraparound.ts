import { defineHealthRule } from '../health-rule.js';
import { count, percent, plural, settingNumber } from './lib/words.js';
import { freezeFix, WRAPAROUND_LIMIT, wraparoundEvidence } from './lib/wraparound.js';

/**
 * Multixact IDs (row locks shared by several transactions: SELECT ... FOR SHARE, foreign key checks)
 * wrap around like transaction IDs and stop the server the same way. Autovacuum freezes them from
 * autovacuum_multixact_freeze_max_age on.
 */
export default defineHealthRule({
  meta: {
    id: 'multixact-wraparound',
    category: 'wraparound',
    defaultSeverity: 'warning',
    description: "A database's multixact ID age is well past autovacuum_multixact_freeze_max_age, on the way to wraparound.",
    fixable: true,
    defaultOptions: {
      /** Warn from autovacuum_multixact_freeze_max_age times this. */
      warnFactor: 1.25,
      /** An error from this share of the way to wraparound (2^31), in percent. */
      errorPercent: 50,
    },
  },
  needs: ['databases'],
  examined(facts) {
    const databases = facts.databases!;
    const oldest = [...databases].sort((a, b) => b.mxidAge - a.mxidAge)[0];
    return `${plural(databases.length, 'database')}${oldest ? ` (oldest: ${oldest.name} at ${count(oldest.mxidAge)} multixacts)` : ''}; autovacuum_multixact_freeze_max_age = ${count(settingNumber(facts, 'autovacuum_multixact_freeze_max_age', 400_000_000))}`;
  },
  check({ facts, options, report }) {
    const freezeMaxAge = settingNumber(facts, 'autovacuum_multixact_freeze_max_age', 400_000_000);
    const warnAt = freezeMaxAge * options.warnFactor;
    const errorAt = (WRAPAROUND_LIMIT * options.errorPercent) / 100;
    for (const database of facts.databases!) {
      const age = database.mxidAge;
      if (age < warnAt && age < errorAt) continue;
      const current = database.name === facts.server.database;
      report({
        object: { type: 'database', name: database.name },
        message:
          `Database ${database.name} is ${count(age)} multixacts old (${percent(age / WRAPAROUND_LIMIT)} of the way to wraparound, ${count(WRAPAROUND_LIMIT - age)} left): ` +
          (age >= warnAt
            ? `past ${options.warnFactor} times autovacuum_multixact_freeze_max_age (${count(freezeMaxAge)}), so the vacuums that should freeze it do not complete.`
            : `more than ${options.errorPercent}% of the way, with autovacuum_multixact_freeze_max_age set as high as ${count(freezeMaxAge)}.`),
        severity: age >= errorAt ? 'error' : 'warning',
        evidence: wraparoundEvidence(facts, age, freezeMaxAge, options, current, (t) => t.mxidAge),
        fix: freezeFix(facts, database.name, (t) => t.mxidAge),
      });
    }
  },
});
