/**
 * Runs the health checks over the facts: resolves each check's configuration, lists as not run (with
 * the reason) those whose facts could not be read, records what each examined, completes the findings
 * (severity, category, fingerprint), applies the configured ignores and the baseline, and sorts.
 */
import type { Config } from '../config/config.js';
import { completeFinding, ignoredByConfig, resolveRule, sortFindings } from '../engine/findings.js';
import type { Finding, ObjectRef } from '../finding.js';
import type { SkippedRule } from '../result.js';
import type { AnyHealthRule, HealthReportedFinding } from '../rules/health-rule.js';
import { ensureParser } from '../sql/parser.js';
import type { HealthFacts } from './facts.js';
import type { HealthCheck } from './result.js';

export interface RunHealthRulesOptions {
  config: Config;
  only?: readonly string[];
  baseline?: ReadonlySet<string>;
}

export interface RunHealthRulesResult {
  findings: Finding[];
  checks: HealthCheck[];
  skipped: SkippedRule[];
  suppressed: number;
}

export async function runHealthRules(facts: HealthFacts, rules: readonly AnyHealthRule[], options: RunHealthRulesOptions): Promise<RunHealthRulesResult> {
  await ensureParser();
  const findings: Finding[] = [];
  const checks: HealthCheck[] = [];
  const skipped: SkippedRule[] = [];
  let suppressed = 0;
  for (const rule of rules) {
    const { id } = rule.meta;
    const resolved = resolveRule(rule.meta, options);
    if (!resolved) continue;
    const missing = rule.needs.find((part) => facts[part] === null);
    if (missing) {
      skipped.push({ rule: id, reason: facts.unavailable[missing] ?? `${missing} not read` });
      continue;
    }
    const reported: HealthReportedFinding[] = [];
    let examined: string;
    try {
      examined = rule.examined(facts, resolved.options);
      rule.check({ facts, options: resolved.options, report: (f) => reported.push(f) });
    } catch (error) {
      skipped.push({ rule: id, reason: `the check failed: ${(error as Error).message} (please report this)` });
      continue;
    }
    let kept = 0;
    for (const r of reported) {
      const finding = completeFinding(rule.meta, r, resolved.configuredSeverity);
      if (options.baseline?.has(finding.fingerprint) || ignoredByConfig(finding, healthObjectKeys(finding.object), options.config)) {
        suppressed++;
        continue;
      }
      findings.push(finding);
      kept++;
    }
    checks.push({ rule: id, category: rule.meta.category, examined, findings: kept });
  }
  return { findings: sortFindings(findings), checks, skipped, suppressed };
}

/**
 * The keys a configured `ignore` pattern matches: `schema.table` and the like for catalog objects (as
 * review), the bare name for what lives outside schemas (a slot, a standby, a database, a session).
 */
export function healthObjectKeys(object: ObjectRef): string[] {
  const schema = object.schema ?? '';
  switch (object.type) {
    case 'index':
      return object.table ? [`${schema}.${object.name}`, `${schema}.${object.table}`] : [`${schema}.${object.name}`];
    case 'table':
    case 'partitioned table':
    case 'materialized view':
    case 'column':
    case 'constraint':
    case 'sequence':
      return object.table && object.type !== 'table' && object.type !== 'partitioned table'
        ? [`${schema}.${object.table}.${object.column ?? object.name}`, `${schema}.${object.table}`]
        : [`${schema}.${object.name}`];
    default:
      return [object.name];
  }
}
