/** `--format markdown`: a report for pull requests and wikis. */
import { describeObject, type Severity } from '../finding.js';
import type { ReviewResult } from '../result.js';

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

export function formatMarkdown(result: ReviewResult): string {
  const s = result.summary;
  const out: string[] = [];
  out.push(`# pgarchitect review: ${escape(result.source.description)}`, '');
  out.push(`Database \`${result.source.database}\`, ${escape(result.source.serverVersion.split(' on ')[0] ?? '')}, source: ${result.source.kind}.`, '');
  out.push('| Errors | Warnings | Info | Rules run | Not checked | Suppressed |', '|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${s.error} | ${s.warning} | ${s.info} | ${s.rulesRun} | ${s.rulesSkipped} | ${s.suppressed} |`, '');
  if (result.partial) out.push('> **Partial review:** not everything loaded; see the load errors below.', '');
  if (result.errors.length) {
    out.push('## Load errors', '');
    for (const e of result.errors) {
      out.push(`- \`${e.file}:${e.line}:${e.column}\` **${e.sqlstate}** ${escape(e.message)}`);
      if (e.detail) out.push(`  - Detail: ${escape(e.detail)}`);
      if (e.hint) out.push(`  - Hint: ${escape(e.hint)}`);
      if (e.explanation) out.push(`  - Why: ${escape(e.explanation)}`);
      if (e.suggestion) out.push(`  - Fix: ${escape(e.suggestion)}`);
    }
    out.push('');
  }
  if (result.findings.length) {
    out.push('## Findings', '', '| | Rule | Object | Message |', '|---|---|---|---|');
    for (const f of result.findings) {
      out.push(`| ${ICON[f.severity]} ${f.severity} | \`${f.rule}\` | \`${escape(describeObject(f.object))}\` | ${escape(f.message)} |`);
    }
    out.push('');
    const fixable = result.findings.filter((f) => f.fix);
    if (fixable.length) {
      out.push('## Fixes', '');
      for (const f of fixable) {
        out.push(`### ${f.rule}: ${escape(describeObject(f.object))}`, '');
        out.push(`${f.fix!.safeOnline ? 'Online-safe.' : '**Takes a blocking lock:** schedule it.'}${f.fix!.note ? ` ${escape(f.fix!.note)}` : ''}`, '');
        out.push('```sql', f.fix!.sql, '```', '');
      }
    }
  }
  if (result.skipped.length) {
    out.push('## Not checked', '');
    for (const k of result.skipped) out.push(`- \`${k.rule}\`: ${escape(k.reason)}`);
    out.push('');
  }
  if (result.notices.length) {
    out.push('## Notes', '');
    for (const n of result.notices) out.push(`- ${n.file ? `\`${n.file}:${n.line}\` ` : ''}${escape(n.message)}`);
    out.push('');
  }
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
