/** What transaction ID and multixact wraparound checks share: limits, the oldest tables, the fix. */
import type { Fix } from '../../../finding.js';
import type { HealthFacts, HealthTable } from '../../../health/facts.js';
import { qualifiedName } from '../../../sql/quote.js';
import { count, horizonHolders } from './words.js';

/** IDs a database may be behind before wraparound (2^31); the server stops assigning new ones some 3 million before. */
export const WRAPAROUND_LIMIT = 2 ** 31;

export interface WraparoundOptions {
  /** Warn when the age passes autovacuum's freeze age (autovacuum_freeze_max_age) times this. */
  warnFactor: number;
  /** An error from this share of the way to wraparound, in percent. */
  errorPercent: number;
}

export type AgeOf = (table: HealthTable) => number | null;

/** The tables of the current database that hold its age back, oldest first. */
export function oldestTables(facts: HealthFacts, ageOf: AgeOf, limit = 5): HealthTable[] {
  return (facts.tables ?? [])
    .filter((t) => (ageOf(t) ?? 0) > 0)
    .sort((a, b) => ageOf(b)! - ageOf(a)! || (a.schema + a.name < b.schema + b.name ? -1 : 1))
    .slice(0, limit);
}

export function wraparoundEvidence(facts: HealthFacts, age: number, freezeMaxAge: number, options: WraparoundOptions, current: boolean, ageOf: AgeOf): Record<string, unknown> {
  return {
    age,
    freezeMaxAge,
    warnAt: Math.round(freezeMaxAge * options.warnFactor),
    errorAt: Math.round((WRAPAROUND_LIMIT * options.errorPercent) / 100),
    percentOfWraparound: Math.round((age / WRAPAROUND_LIMIT) * 1000) / 10,
    remaining: WRAPAROUND_LIMIT - age,
    ...(current
      ? {
          oldestTables: oldestTables(facts, ageOf).map((t) => ({ table: `${t.schema}.${t.name}`, age: ageOf(t), lastVacuum: t.stats?.lastAutovacuum ?? t.stats?.lastVacuum ?? null })),
          horizonHolders: horizonHolders(facts),
        }
      : {}),
  };
}

/** VACUUM (FREEZE) of the oldest tables of the current database; for another database, what to run there. */
export function freezeFix(facts: HealthFacts, database: string, ageOf: AgeOf): Fix {
  const holders = horizonHolders(facts, 3);
  const held = holders.length ? ` First end what holds the oldest snapshot (${holders.map((h) => `${h.holder}: ${count(h.xminAge)}`).join('; ')}): VACUUM cannot freeze past it.` : '';
  if (database !== facts.server.database) {
    return {
      sql: `-- connect to database ${database}, then: VACUUM (FREEZE, VERBOSE);`,
      safeOnline: true,
      note: `VACUUM takes a SHARE UPDATE EXCLUSIVE lock on each table, which does not block reads or writes; run pgarchitect health on ${database} to see its oldest tables.${held}`,
    };
  }
  const tables = oldestTables(facts, ageOf).filter((t) => t.kind !== 'partitioned table');
  const sql = tables.length ? tables.map((t) => `VACUUM (FREEZE, VERBOSE) ${qualifiedName(t.schema, t.name)};`).join('\n') : 'VACUUM (FREEZE, VERBOSE);';
  return {
    sql,
    safeOnline: true,
    note: `each VACUUM takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes, and must run outside a transaction block; the database's age drops once every table is frozen.${held}`,
  };
}
