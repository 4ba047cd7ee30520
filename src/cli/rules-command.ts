/** `pgarchitect rules [id]`: the rule lists (review, lint, explain, health), or one rule's documentation page. */
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { healthRules } from '../rules/health/index.js';
import { allRules } from '../rules/index.js';
import { planRules } from '../rules/plan/index.js';
import { queryRules } from '../rules/query/index.js';
import { migrationRules } from '../rules/migration/index.js';
import type { RuleMeta } from '../rules/rule.js';
import { EXIT_OK, type CliIo } from './cli-io.js';

const SETS: { title: string; command: string; rules: readonly { meta: RuleMeta<object> }[] }[] = [
  { title: 'Schema review rules', command: 'review', rules: allRules },
  { title: 'Query lint rules', command: 'lint', rules: queryRules },
  { title: 'Migration lint rules', command: 'lint', rules: migrationRules },
  { title: 'Plan diagnoses', command: 'explain', rules: planRules },
  { title: 'Health checks', command: 'health', rules: healthRules },
];

export function rulesCommand(id: string | undefined, options: { format?: string }, io: CliIo): number {
  const every = SETS.flatMap((set) => set.rules.map((r) => ({ ...r.meta, command: set.command })));
  if (id) {
    const rule = every.find((r) => r.id === id);
    if (!rule) throw new UserError(`unknown rule "${id}"`, 'run `pgarchitect rules` for the list');
    const doc = new URL(`../../docs/rules/${id}.md`, import.meta.url);
    io.stdout(existsSync(doc) ? readFileSync(doc, 'utf8') : `${id}: ${rule.description}\n`);
    return EXIT_OK;
  }
  if (options.format === 'json') {
    io.stdout(JSON.stringify(every, null, 2) + '\n');
    return EXIT_OK;
  }
  const width = Math.max(...every.map((r) => r.id.length));
  const categoryWidth = Math.max(...every.map((r) => r.category.length));
  for (const set of SETS) {
    if (set.rules.length === 0) continue;
    io.stdout(`${set.title} (pgarchitect ${set.command})\n`);
    for (const { meta } of set.rules) {
      const needs = meta.requires?.includes('live-server') ? ' (live server)' : '';
      io.stdout(`  ${meta.id.padEnd(width)}  ${meta.defaultSeverity.padEnd(7)}  ${meta.category.padEnd(categoryWidth)}  ${meta.fixable ? 'fix' : '   '}  ${meta.description}${needs}\n`);
    }
    io.stdout('\n');
  }
  return EXIT_OK;
}
