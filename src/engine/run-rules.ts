/**
 * Runs the rules over a snapshot: resolves each rule's configuration, skips (with the reason) the
 * rules whose requirements the snapshot does not meet, completes the findings (severity, category,
 * fingerprint, location), applies suppressions and sorts the result deterministically.
 */
import { objectKeys } from '../catalog/object-key.js';
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Config } from '../config/config.js';
import type { Finding } from '../finding.js';
import type { SkippedRule } from '../result.js';
import type { AnyRule, ReportedFinding, RuleRequirement } from '../rules/rule.js';
import { ensureParser } from '../sql/parser.js';
import { completeFinding, ignoredByConfig, resolveRule, sortFindings } from './findings.js';

export { compareFindings } from './findings.js';

export interface RunRulesOptions {
  config: Config;
  /** Fingerprints to leave out (from `--baseline`). */
  baseline?: ReadonlySet<string>;
  /** Only these rules (ids); default all. */
  only?: readonly string[];
}

export interface RunRulesResult {
  findings: Finding[];
  skipped: SkippedRule[];
  rulesRun: number;
  suppressed: number;
}

export async function runRules(snapshot: CatalogSnapshot, rules: readonly AnyRule[], options: RunRulesOptions): Promise<RunRulesResult> {
  await ensureParser();
  const index = new SnapshotIndex(snapshot);
  const now = new Date(snapshot.source.takenAt);
  const findings: Finding[] = [];
  const skipped: SkippedRule[] = [];
  let rulesRun = 0;
  let suppressed = 0;

  for (const rule of rules) {
    const { id } = rule.meta;
    const resolved = resolveRule(rule.meta, options);
    if (!resolved) continue;
    const unmet = unmetRequirement(rule.meta.requires ?? [], snapshot);
    if (unmet) {
      skipped.push({ rule: id, reason: unmet });
      continue;
    }
    const reported: ReportedFinding[] = [];
    try {
      rule.check({ snapshot, index, options: resolved.options, now, report: (f) => reported.push(f) });
    } catch (error) {
      skipped.push({ rule: id, reason: `the rule failed: ${(error as Error).message} (please report this)` });
      continue;
    }
    rulesRun++;
    for (const r of reported) {
      const finding = complete(r, rule, resolved.configuredSeverity, snapshot);
      if (isSuppressed(finding, snapshot, options)) suppressed++;
      else findings.push(finding);
    }
  }
  return { findings: sortFindings(findings), skipped, rulesRun, suppressed };
}

function complete(r: ReportedFinding, rule: AnyRule, configured: Finding['severity'] | undefined, snapshot: CatalogSnapshot): Finding {
  const finding = completeFinding(rule.meta, r, configured);
  const definedAt = snapshot.source.definedAt;
  if (definedAt) {
    for (const key of objectKeys(r.object)) {
      const location = definedAt[key];
      if (location) {
        finding.location = location;
        break;
      }
    }
  }
  return finding;
}

function isSuppressed(finding: Finding, snapshot: CatalogSnapshot, options: RunRulesOptions): boolean {
  if (options.baseline?.has(finding.fingerprint)) return true;
  const keys = objectKeys(finding.object);
  const inline = snapshot.source.ignores;
  if (inline) {
    for (const key of keys) {
      const rules = inline[key];
      if (rules && (rules.includes('*') || rules.includes(finding.rule))) return true;
    }
  }
  return ignoredByConfig(finding, keys, options.config);
}

function unmetRequirement(requires: readonly RuleRequirement[], snapshot: CatalogSnapshot): string | null {
  for (const need of requires) {
    if (need === 'live-server' && snapshot.source.kind !== 'live') {
      return 'needs a live server: usage statistics and data of SQL files loaded into an empty embedded database mean nothing';
    }
    if (need === 'table-statistics' && !snapshot.visibility.tableStatistics) {
      return 'table and index statistics are not visible to this user (pg_stat_all_tables returned nothing)';
    }
    if (need === 'sequence-values' && !snapshot.visibility.sequenceValues) {
      return 'some sequence values are not readable by this user (needs USAGE or SELECT on the sequences)';
    }
  }
  return null;
}
