import { defineHealthRule } from '../health-rule.js';
import { count, percent, plural, settingNumber } from './lib/words.js';
import { freezeFix, WRAPAROUND_LIMIT, wraparoundEvidence } from './lib/wraparound.js';

/**
 * Transaction IDs are 32 bits: a database whose oldest unfrozen row is 2^31 transactions old would see
 * its past as the future, so PostgreSQL stops accepting writes before that. Autovacuum freezes tables
 * from autovacuum_freeze_max_age on; an age well past it means those vacuums do not complete.
 */
export default defineHealthRule({
  meta: {
    id: 'xid-wraparound',
    category: 'wraparound',
    defaultSeverity: 'warning',
    description: "A database's transaction ID age is well past autovacuum_freeze_max_age, on the way to wraparound.",
    fixable: true,
    defaultOptions: {
      /** Warn from autovacuum_freeze_max_age times this. */
      warnFactor: 1.25,
      /** An error from this share of the way to wraparound (2^31), in percent. */
      errorPercent: 50,
    },
  },
  needs: ['databases'],
  examined(facts) {
    const databases = facts.databases!;
    const oldest = [...databases].sort((a, b) => b.xidAge - a.xidAge)[0];
    return `${plural(databases.length, 'database')}${oldest ? ` (oldest: ${oldest.name} at ${count(oldest.xidAge)} transactions, ${percent(oldest.xidAge / WRAPAROUND_LIMIT)} of the way to wraparound)` : ''}; autovacuum_freeze_max_age = ${count(settingNumber(facts, 'autovacuum_freeze_max_age', 200_000_000))}`;
  },
  check({ facts, options, report }) {
    const freezeMaxAge = settingNumber(facts, 'autovacuum_freeze_max_age', 200_000_000);
    const warnAt = freezeMaxAge * options.warnFactor;
    const errorAt = (WRAPAROUND_LIMIT * options.errorPercent) / 100;
    for (const database of facts.databases!) {
      const age = database.xidAge;
      if (age < warnAt && age < errorAt) continue;
      const current = database.name === facts.server.database;
      report({
        object: { type: 'database', name: database.name },
        message:
          `Database ${database.name} is ${count(age)} transactions old (${percent(age / WRAPAROUND_LIMIT)} of the way to wraparound, ${count(WRAPAROUND_LIMIT - age)} left): ` +
          (age >= warnAt
            ? `past ${options.warnFactor} times autovacuum_freeze_max_age (${count(freezeMaxAge)}), so the vacuums that should freeze it do not complete.`
            : `more than ${options.errorPercent}% of the way, with autovacuum_freeze_max_age set as high as ${count(freezeMaxAge)}.`),
        severity: age >= errorAt ? 'error' : 'warning',
        evidence: wraparoundEvidence(facts, age, freezeMaxAge, options, current, (t) => t.xidAge),
        fix: freezeFix(facts, database.name, (t) => t.xidAge),
      });
    }
  },
});
