/**
 * What a health check (`pgarchitect health`) is: the same metadata as a review rule, the parts of the
 * health facts it needs, one pure function that says what it examined, and one that reports findings.
 * The rule id is the file name in `src/rules/health/`; each has a doc page and a test (meta-tested).
 *
 * A check whose facts could not be read (privilege, version, extension missing) is listed as not run,
 * with the reason; one that ran always says what it looked at ("42 tables, 3 standbys"), so that no
 * finding never reads as "no problems" for something that was not examined.
 */
import type { Fix, ObjectRef, Severity } from '../finding.js';
import type { HealthFactPart, HealthFacts } from '../health/facts.js';
import type { RuleMeta } from './rule.js';

export interface HealthReportedFinding {
  object: ObjectRef;
  message: string;
  /** The figures, and the threshold they crossed; JSON values only. */
  evidence: Record<string, unknown>;
  fix: Fix | null;
  /** Extra identity for the fingerprint when one object can carry several findings of the check. */
  key?: string;
  /** A severity other than the check's default, where it grades its findings. */
  severity?: Severity;
}

export interface HealthRuleContext<Options extends object> {
  facts: HealthFacts;
  options: Options;
  report(finding: HealthReportedFinding): void;
}

export interface HealthRule<Options extends object = Record<string, never>> {
  meta: RuleMeta<Options>;
  /** The parts of the facts the check reads; when one is missing the check does not run. */
  needs: readonly HealthFactPart[];
  /** What the check looked at, in a few words: `42 tables (3 with autovacuum settings of their own)`. */
  examined(facts: HealthFacts, options: Options): string;
  check(context: HealthRuleContext<Options>): void;
}

/** Identity function that gives a health check module its types. */
export function defineHealthRule<Options extends object>(rule: HealthRule<Options>): HealthRule<Options> {
  return rule;
}

/** A health check of any options type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHealthRule = HealthRule<any>;
