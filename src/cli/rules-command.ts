/** `pgarchitect rules [id]`: the rule list, or one rule's documentation page. */
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { allRules } from '../rules/index.js';
import { EXIT_OK, type CliIo } from './cli-io.js';

export function rulesCommand(id: string | undefined, options: { format?: string }, io: CliIo): number {
  if (id) {
    const rule = allRules.find((r) => r.meta.id === id);
    if (!rule) throw new UserError(`unknown rule "${id}"`, 'run `pgarchitect rules` for the list');
    const doc = new URL(`../../docs/rules/${id}.md`, import.meta.url);
    io.stdout(existsSync(doc) ? readFileSync(doc, 'utf8') : `${id}: ${rule.meta.description}\n`);
    return EXIT_OK;
  }
  if (options.format === 'json') {
    io.stdout(JSON.stringify(allRules.map((r) => r.meta), null, 2) + '\n');
    return EXIT_OK;
  }
  const width = Math.max(...allRules.map((r) => r.meta.id.length));
  for (const r of allRules) {
    const needs = r.meta.requires?.includes('live-server') ? ' (live server)' : '';
    io.stdout(`${r.meta.id.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.category.padEnd(12)}  ${r.meta.fixable ? 'fix' : '   '}  ${r.meta.description}${needs}\n`);
  }
  return EXIT_OK;
}
