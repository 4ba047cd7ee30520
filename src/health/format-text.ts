/**
 * The terminal report of `health`: findings grouped by severity, then by object, each with its evidence
 * and fix; then every check with what it examined, the checks that could not run and why, and a
 * summary line. Colour only when asked. A pure function of the result.
 */
import pc from 'picocolors';
import { describeObject, type Finding, type Severity } from '../finding.js';
import type { HealthCheck, HealthResult } from './result.js';

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

/** The order checks are listed in: the order of the issue's list, vacuum first. */
export const CHECK_CATEGORY_ORDER = ['vacuum', 'statistics', 'wraparound', 'bloat', 'types', 'resources', 'connections', 'replication', 'archiving', 'observability', 'indexes', 'integrity'];

export function orderedChecks(checks: readonly HealthCheck[]): HealthCheck[] {
  const rank = (c: HealthCheck): number => {
    const at = CHECK_CATEGORY_ORDER.indexOf(c.category);
    return at < 0 ? CHECK_CATEGORY_ORDER.length : at;
  };
  return [...checks].sort((a, b) => rank(a) - rank(b) || (a.rule < b.rule ? -1 : 1));
}

export function formatHealthText(result: HealthResult, options: { color: boolean; verbose?: boolean }): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const verbose = options.verbose ?? true;
  const out: string[] = [];
  out.push(c.bold(`pgarchitect health: ${result.source.description}`));
  out.push(c.dim(headerLine(result)));
  out.push('');
  for (const notice of result.notices) out.push(c.yellow(`note: ${notice}`));
  if (result.notices.length) out.push('');

  for (const severity of ['error', 'warning', 'info'] as const) {
    const findings = result.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    out.push(paint[severity](c.bold(`${HEADINGS[severity]} (${findings.length})`)));
    let lastObject = '';
    for (const finding of findings) {
      const object = objectHeading(finding);
      if (object !== lastObject) {
        out.push(`  ${c.bold(object)}`);
        lastObject = object;
      }
      out.push(`    ${paint[severity](MARKS[severity])} ${finding.message} ${c.dim(`[${finding.rule}]`)}`);
      if (!verbose) continue;
      for (const line of evidenceLines(finding.evidence)) out.push(c.dim(`      ${line}`));
      if (finding.fix) {
        out.push(c.dim(`      fix${finding.fix.safeOnline ? ' (online-safe)' : ' (takes a blocking lock or a restart)'}:`));
        for (const line of finding.fix.sql.split('\n')) out.push(`        ${c.green(line)}`);
        if (finding.fix.note) out.push(c.dim(`      note: ${finding.fix.note}`));
      }
    }
    out.push('');
  }

  out.push(c.bold(`Checks run (${result.checks.length})`));
  const width = Math.max(0, ...result.checks.map((k) => k.rule.length));
  const categoryWidth = Math.max(0, ...result.checks.map((k) => k.category.length));
  for (const check of orderedChecks(result.checks)) {
    const mark = check.findings === 0 ? c.green('✓') : c.yellow(String(check.findings));
    out.push(`  ${check.category.padEnd(categoryWidth)}  ${check.rule.padEnd(width)}  ${mark}  ${c.dim(check.examined)}`);
  }
  out.push('');
  if (result.skipped.length) {
    out.push(c.bold(`Not run (${result.skipped.length})`));
    for (const s of result.skipped) out.push(`  ${s.rule}: ${s.reason}`);
    out.push('');
  }
  out.push(c.bold(summaryLine(result)));
  return out.join('\n') + '\n';
}

export function headerLine(result: HealthResult): string {
  const s = result.source;
  const version = /^([\d.]+)/.exec(s.serverVersion)?.[1] ?? s.serverVersion;
  const sees = s.readAllStats ? 'sees every session' : "sees only its own sessions' details (no pg_read_all_stats)";
  const bloat = result.bloatMethod === 'pgstattuple' ? 'bloat measured with pgstattuple' : result.bloatMethod === 'estimate' ? 'bloat estimated from statistics' : 'bloat not read';
  return `PostgreSQL ${version}, database ${s.database}, ${s.standby ? 'standby' : 'primary'}, as ${s.user} (${sees}); ${bloat}; read at ${s.takenAt.slice(0, 19).replace('T', ' ')}`;
}

export function summaryLine(result: HealthResult): string {
  const s = result.summary;
  const extra = [`${s.rulesRun} checks run`];
  if (s.rulesSkipped) extra.push(`${s.rulesSkipped} not run`);
  if (s.suppressed) extra.push(`${s.suppressed} suppressed`);
  return `${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.info} info (${extra.join(', ')})`;
}

export function objectHeading(finding: Finding): string {
  const o = finding.object;
  if (o.type === 'server') return `server (database ${o.name})`;
  if (o.type === 'session' || o.type === 'standby' || o.type === 'replication slot' || o.type === 'database') return `${o.type} ${o.name}`;
  const table = o.table ?? (o.type === 'table' || o.type === 'partitioned table' || o.type === 'materialized view' ? o.name : undefined);
  if (table && o.schema) return `${o.schema}.${table}`;
  return `${o.type} ${describeObject(o)}`;
}

/** `evidence: a=1, b=x` on one line; a blocking tree drawn as a tree under it. */
function evidenceLines(evidence: Record<string, unknown>): string[] {
  const { tree, ...rest } = evidence;
  const flat = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  const lines = flat ? [`evidence: ${flat}`] : [];
  if (tree && typeof tree === 'object') {
    lines.push('blocking tree:');
    const walk = (node: TreeNode, depth: number): void => {
      const wait = node.lockWaitSeconds === null ? '' : `, waiting ${node.lockWaitSeconds} s`;
      lines.push(`${'  '.repeat(depth + 1)}${depth ? '└ ' : ''}pid ${node.pid} ${node.state ?? ''}${wait}${node.query ? `: ${oneLine(node.query)}` : ''}`);
      for (const child of node.blocks) walk(child, depth + 1);
    };
    walk(tree as TreeNode, 0);
  }
  return lines;
}

interface TreeNode {
  pid: number;
  state: string | null;
  lockWaitSeconds: number | null;
  query: string | null;
  blocks: TreeNode[];
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
