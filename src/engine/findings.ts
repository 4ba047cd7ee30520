/**
 * What every rule engine (review over a snapshot, lint over statements) does with what its rules
 * report: resolve each rule's configuration, complete the reported findings (severity, category,
 * fingerprint), leave out what the configuration ignores, and sort deterministically.
 */
import { matchesPattern } from '../catalog/object-key.js';
import type { Config } from '../config/config.js';
import { describeObject, fingerprintOf, severityRank, type Finding, type Severity } from '../finding.js';
import type { ReportedFinding, RuleMeta } from '../rules/rule.js';

/** A rule's effective configuration for one run. */
export interface ResolvedRule<Options extends object> {
  /** The severity the user configured, which wins over the rule's and the finding's own. */
  configuredSeverity: Severity | undefined;
  options: Options;
}

/** The rule's configuration, or null when it does not run (configured `off`, or not among `only`). */
export function resolveRule<Options extends object>(
  meta: RuleMeta<Options>,
  run: { config: Config; only?: readonly string[] },
): ResolvedRule<Options> | null {
  if (run.only && !run.only.includes(meta.id)) return null;
  const setting = run.config.rules[meta.id] ?? {};
  if (setting.severity === 'off') return null;
  return {
    configuredSeverity: setting.severity,
    options: { ...meta.defaultOptions, ...((setting.options ?? {}) as Partial<Options>) },
  };
}

/**
 * A reported finding completed with the rule's metadata. `fingerprintKey` is the identity the
 * fingerprint hashes besides the rule and the object (default: the finding's own key).
 */
export function completeFinding(
  meta: RuleMeta<object>,
  reported: ReportedFinding,
  configuredSeverity: Severity | undefined,
  fingerprintKey: string | undefined = reported.key,
): Finding {
  return {
    rule: meta.id,
    severity: configuredSeverity ?? reported.severity ?? meta.defaultSeverity,
    category: meta.category,
    object: reported.object,
    message: reported.message,
    evidence: reported.evidence,
    fix: reported.fix,
    fingerprint: fingerprintOf(meta.id, reported.object, fingerprintKey),
  };
}

/** True when an `ignore` entry of the configuration matches the finding's rule and one of `keys`. */
export function ignoredByConfig(finding: Finding, keys: readonly string[], config: Config): boolean {
  for (const entry of config.ignore) {
    if (entry.rule && entry.rule !== finding.rule) continue;
    if (keys.some((key) => matchesPattern(entry.object, key))) return true;
  }
  return false;
}

/**
 * Sorts with each finding's key computed once (100,000 findings must not build strings per
 * comparison). `severity`: worst first, then by object, then by rule (review). `location`: by file,
 * line and column, then worst first, then by rule (lint, like a compiler's messages).
 */
export function sortFindings(findings: Finding[], order: 'severity' | 'location' = 'severity'): Finding[] {
  const keyed = findings.map((finding) => ({
    finding,
    rank: severityRank(finding.severity),
    object: order === 'severity' ? describeObject(finding.object) : '',
    file: finding.location?.file ?? '',
    line: finding.location?.line ?? 0,
    column: finding.location?.column ?? 0,
  }));
  if (order === 'severity') {
    keyed.sort(
      (a, b) =>
        b.rank - a.rank ||
        compareText(a.object, b.object) ||
        compareText(a.finding.rule, b.finding.rule) ||
        compareText(a.finding.fingerprint, b.finding.fingerprint),
    );
  } else {
    keyed.sort(
      (a, b) =>
        compareText(a.file, b.file) ||
        a.line - b.line ||
        a.column - b.column ||
        b.rank - a.rank ||
        compareText(a.finding.rule, b.finding.rule) ||
        compareText(a.finding.fingerprint, b.finding.fingerprint),
    );
  }
  return keyed.map((k) => k.finding);
}

/** Worst first, then by object, then by rule: identical input gives identical order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(describeObject(a.object), describeObject(b.object)) ||
    compareText(a.rule, b.rule) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The counts every command's result reports (review, lint, explain). */
export function summarize(
  findings: readonly Finding[],
  counts: { rulesRun: number; rulesSkipped: number; suppressed: number },
): { error: number; warning: number; info: number; total: number; rulesRun: number; rulesSkipped: number; suppressed: number } {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return { error: count('error'), warning: count('warning'), info: count('info'), total: findings.length, ...counts };
}
