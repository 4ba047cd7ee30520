/** `partition maintain` as text: per table what was done (or, with --dry-run, the SQL that would run). Pure. */
import pc from 'picocolors';
import type { MaintainAction, MaintainResult } from './maintain-result.js';

const VERBS: Record<MaintainAction['kind'], string> = { create: 'created', move: 'moved', detach: 'detached', finalize: 'finished detach of', dump: 'dumped', drop: 'dropped' };
const PLANNED: Record<MaintainAction['kind'], string> = { create: 'create', move: 'move', detach: 'detach', finalize: 'finish detach of', dump: 'dump', drop: 'drop' };

export function formatMaintainText(result: MaintainResult, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color === true);
  const lines = [`pgarchitect partition maintain: ${result.source.description}${result.dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const table of result.tables) {
    lines.push('', c.bold(`${table.table}`) + c.dim(`  ${table.interval}, premake ${table.premake}${table.retention ? `, retention ${table.retention} (${table.retentionAction})` : ''}`));
    if (table.actions.length === 0) lines.push('  nothing to do');
    for (const action of table.actions) {
      const range = action.from !== undefined ? ` [${action.from}, ${action.to})` : '';
      const rows = action.rows ? ` (${action.rows.toLocaleString('en-US')} rows from the default partition)` : '';
      const how = action.kind === 'detach' ? (action.concurrently ? ' concurrently' : ' (ACCESS EXCLUSIVE, briefly)') : '';
      const file = action.file ? ` to ${action.file}` : '';
      if (action.status === 'planned') {
        lines.push(`  ${PLANNED[action.kind]} ${action.partition}${range}${rows}${file}`);
        for (const statement of action.sql) lines.push(c.dim(`    ${statement}`));
      } else if (action.status === 'done') {
        lines.push(`  ${VERBS[action.kind]} ${action.partition}${range}${rows}${how}${file}${action.attempts > 1 ? c.dim(` (${action.attempts} attempts)`) : ''}`);
      } else {
        lines.push(c.red(`  ${action.status === 'failed' ? 'FAILED' : 'skipped'}: ${PLANNED[action.kind]} ${action.partition}${range}: ${action.error ?? ''}${action.attempts > 1 ? ` (after ${action.attempts} attempts)` : ''}`));
      }
    }
    for (const note of table.notes) lines.push(c.yellow(`  note: ${note}`));
  }
  const s = result.summary;
  const verb = result.dryRun ? 'Would do' : 'Done';
  lines.push(
    '',
    `${verb}: ${s.created} created, ${s.moved} moved out of the default partition (${s.rowsMoved.toLocaleString('en-US')} rows), ${s.detached} detached, ${s.dumped} dumped, ${s.dropped} dropped` +
      (s.failed ? c.red(`, ${s.failed} failed`) : '') + '.',
  );
  return lines.join('\n') + '\n';
}
