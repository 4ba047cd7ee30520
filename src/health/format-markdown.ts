/** `health --format markdown`: a report for wikis and tickets. A pure function of the result. */
import { describeObject, type Severity } from '../finding.js';
import { headerLine, orderedChecks, summaryLine } from './format-text.js';
import type { HealthResult } from './result.js';

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

export function formatHealthMarkdown(result: HealthResult): string {
  const out: string[] = [];
  out.push(`# pgarchitect health: ${escape(result.source.description)}`, '');
  out.push(`${escape(headerLine(result))}.`, '');
  out.push(`**${summaryLine(result)}**`, '');
  if (result.notices.length) {
    for (const n of result.notices) out.push(`> ${escape(n)}`);
    out.push('');
  }
  if (result.findings.length) {
    out.push('## Findings', '', '| | Check | Object | Message |', '|---|---|---|---|');
    for (const f of result.findings) out.push(`| ${ICON[f.severity]} ${f.severity} | \`${f.rule}\` | \`${escape(describeObject(f.object))}\` | ${escape(f.message)} |`);
    out.push('');
    const fixable = result.findings.filter((f) => f.fix);
    if (fixable.length) {
      out.push('## Fixes', '');
      for (const f of fixable) {
        out.push(`### ${f.rule}: ${escape(describeObject(f.object))}`, '');
        out.push(`${f.fix!.safeOnline ? 'Online-safe.' : '**Takes a blocking lock or a restart:** schedule it.'}${f.fix!.note ? ` ${escape(f.fix!.note)}` : ''}`, '');
        out.push('```sql', f.fix!.sql, '```', '');
      }
    }
  }
  out.push('## Checks run', '', '| Category | Check | Findings | Examined |', '|---|---|---:|---|');
  for (const k of orderedChecks(result.checks)) out.push(`| ${k.category} | \`${k.rule}\` | ${k.findings} | ${escape(k.examined)} |`);
  out.push('');
  if (result.skipped.length) {
    out.push('## Not run', '');
    for (const s of result.skipped) out.push(`- \`${s.rule}\`: ${escape(s.reason)}`);
    out.push('');
  }
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
