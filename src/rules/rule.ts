/**
 * What a rule is: metadata plus one pure function over a prepared input (here the catalog snapshot).
 * The rule id is the file name; every rule has a doc page `docs/rules/<id>.md` and a test
 * `test/rules/<area>/<id>.test.ts` (a meta-test checks that all three agree).
 */
import type { CatalogSnapshot } from '../catalog/types.js';
import type { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { Category, Fix, ObjectRef, Severity } from '../finding.js';

/**
 * What a rule needs from the snapshot beyond the schema itself. A rule whose needs are not met is
 * listed as skipped with the reason, never silently reported as "no problems".
 */
export type RuleRequirement =
  /** Data and usage counters of a running production server (not SQL files loaded into PGlite). */
  | 'live-server'
  /** pg_stat_user_tables / pg_stat_user_indexes readable. */
  | 'table-statistics'
  /** Sequence last values readable. */
  | 'sequence-values'
  /**
   * Lint rules: a schema to look tables, columns and indexes up in (`lint --db`: SQL files, a snapshot
   * or a live server). A review always has one.
   */
  | 'schema';

export interface RuleMeta<Options extends object> {
  /** Kebab-case, equal to the file name. */
  id: string;
  category: Category;
  defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  description: string;
  /** Whether findings carry fix SQL. */
  fixable: boolean;
  requires?: RuleRequirement[];
  /** Options with their defaults; users override them in pgarchitect.config.json. */
  defaultOptions: Options;
}

/** A finding as a rule reports it; the engine adds severity, category, fingerprint and location. */
export interface ReportedFinding {
  object: ObjectRef;
  message: string;
  evidence: Record<string, unknown>;
  fix: Fix | null;
  /**
   * Extra identity for the fingerprint when one object can carry several findings of the same rule
   * (for example the other index of a duplicate pair). Never sizes, counts, OIDs or times.
   */
  key?: string;
  /**
   * A severity for this finding other than the rule's default, where the rule grades its findings
   * (for example a sequence 90% used is an error, 60% a warning). A severity the user configures for
   * the rule still wins.
   */
  severity?: Severity;
}

export interface RuleContext<Options extends object> {
  snapshot: CatalogSnapshot;
  /** Lookups over the snapshot built once per run (tables by name, columns by table, ...). */
  index: SnapshotIndex;
  options: Options;
  /** The snapshot's own time: rules never read the clock, so a saved snapshot reviews the same way. */
  now: Date;
  report(finding: ReportedFinding): void;
}

export interface Rule<Options extends object = Record<string, never>> {
  meta: RuleMeta<Options>;
  check(context: RuleContext<Options>): void;
}

/** Identity function that gives a rule module its types. */
export function defineRule<Options extends object>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

/** A rule of any options type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;
