/**
 * Runs the plan diagnoses over one analysed plan: resolves each rule's configuration, skips (with the
 * reason) the rules whose needs the plan does not meet, completes the findings (severity, category,
 * the plan node as object, fingerprint), applies configured ignores and sorts the result.
 */
import { matchesPattern, objectKeys } from '../catalog/object-key.js';
import type { Config } from '../config/config.js';
import { compareFindings } from '../engine/run-rules.js';
import { fingerprintOf, type Finding, type ObjectRef, type Severity } from '../finding.js';
import type { PlanAnalysis } from '../plan/analyse.js';
import type { ExplainOutput, PlanNode } from '../plan/types.js';
import type { SkippedRule } from '../result.js';
import type { AnyPlanRule, IndexSuggestion, PlanRelation, PlanReportedFinding, PlanRuleNeed } from '../rules/plan-rule.js';
import { ensureParser } from '../sql/parser.js';

export interface PlanRuleInput {
  explain: ExplainOutput;
  nodes: readonly PlanNode[];
  analysis: PlanAnalysis;
  relations: readonly PlanRelation[] | null;
  serverVersionNum: number | null;
}

export interface RunPlanRulesOptions {
  config: Config;
  /** Only these rules (ids); default all. */
  only?: readonly string[];
  /** Fingerprints to leave out. */
  baseline?: ReadonlySet<string>;
}

export interface RunPlanRulesResult {
  findings: Finding[];
  skipped: SkippedRule[];
  /** The indexes findings propose, by finding fingerprint, for verification. */
  suggestions: Map<string, IndexSuggestion>;
  rulesRun: number;
  suppressed: number;
}

export async function runPlanRules(input: PlanRuleInput, rules: readonly AnyPlanRule[], options: RunPlanRulesOptions): Promise<RunPlanRulesResult> {
  await ensureParser();
  const findings: Finding[] = [];
  const skipped: SkippedRule[] = [];
  const suggestions = new Map<string, IndexSuggestion>();
  let rulesRun = 0;
  let suppressed = 0;
  for (const rule of rules) {
    const { id } = rule.meta;
    if (options.only && !options.only.includes(id)) continue;
    const setting = options.config.rules[id] ?? {};
    if (setting.severity === 'off') continue;
    const unmet = unmetNeed(rule.needs ?? [], input);
    if (unmet) {
      skipped.push({ rule: id, reason: unmet });
      continue;
    }
    const reported: PlanReportedFinding[] = [];
    try {
      rule.check({ ...input, options: { ...rule.meta.defaultOptions, ...(setting.options ?? {}) }, report: (f) => reported.push(f) });
    } catch (error) {
      skipped.push({ rule: id, reason: `the rule failed: ${(error as Error).message} (please report this)` });
      continue;
    }
    rulesRun++;
    for (const r of reported) {
      const severity: Severity = setting.severity ?? r.severity ?? rule.meta.defaultSeverity;
      const object = planNodeObject(input.nodes[r.node]!, input.analysis.nodes[r.node]!.label);
      const finding: Finding = {
        rule: id,
        severity,
        category: rule.meta.category,
        object,
        message: r.message,
        evidence: { node: r.node, ...r.evidence },
        fix: r.fix,
        fingerprint: fingerprintOf(id, object, r.key ?? nodePath(r.node, input)),
      };
      if (isIgnored(finding, options)) {
        suppressed++;
        continue;
      }
      findings.push(finding);
      if (r.suggestedIndex) suggestions.set(finding.fingerprint, r.suggestedIndex);
    }
  }
  findings.sort((a, b) => compareFindings(a, b) || Number(a.evidence.node) - Number(b.evidence.node));
  return { findings, skipped, suggestions, rulesRun, suppressed };
}

/** The finding's object: the node's label, with its table where it reads one. */
export function planNodeObject(node: PlanNode, label: string): ObjectRef {
  const object: ObjectRef = { type: 'plan node', name: label };
  if (node.Schema) object.schema = node.Schema;
  if (node['Relation Name']) object.table = node['Relation Name'];
  return object;
}

/**
 * Where the node sits, by labels from the root (`Limit/Sort/Seq Scan on orders`): tells apart two
 * nodes with the same label in one plan, and survives changes of figures between runs.
 */
function nodePath(id: number, input: PlanRuleInput): string {
  const labels: string[] = [];
  for (let at: number | null = id; at !== null; at = input.analysis.nodes[at]!.parent) labels.unshift(input.analysis.nodes[at]!.label);
  return labels.join('/');
}

function isIgnored(finding: Finding, options: RunPlanRulesOptions): boolean {
  if (options.baseline?.has(finding.fingerprint)) return true;
  const keys = objectKeys(finding.object);
  if (finding.object.table) keys.push(`${finding.object.schema ?? ''}.${finding.object.table}`, finding.object.table);
  return options.config.ignore.some((entry) => (!entry.rule || entry.rule === finding.rule) && keys.some((key) => matchesPattern(entry.object, key)));
}

function unmetNeed(needs: readonly PlanRuleNeed[], input: PlanRuleInput): string | null {
  for (const need of needs) {
    if (need === 'analyze' && !input.analysis.analyzed) return 'needs actual figures: the plan was not run with ANALYZE';
    if (need === 'relations' && input.relations === null) {
      return 'needs the tables the plan reads (statistics, columns, indexes): give a database (-d) or a snapshot (--snapshot)';
    }
  }
  return null;
}
