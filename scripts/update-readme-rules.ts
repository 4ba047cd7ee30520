// Rewrites the rules tables in README.md from the registries, so the README always lists every rule
// with its category and default severity: the review rules between the rules:start and rules:end
// markers, the lint rules between lint-rules:start and lint-rules:end, the migration lint rules
// between migration-rules:start and migration-rules:end, the explain diagnoses between
// explain-rules:start and explain-rules:end, the health checks between health-rules:start and
// health-rules:end.
//   npx tsx scripts/update-readme-rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { HEALTH_PART_SOURCES } from '../src/health/facts.js';
import { healthRules } from '../src/rules/health/index.js';
import { allRules } from '../src/rules/index.js';
import { migrationRules } from '../src/rules/migration/index.js';
import { planRules } from '../src/rules/plan/index.js';
import { queryRules } from '../src/rules/query/index.js';
import type { RuleMeta } from '../src/rules/rule.js';

const path = new URL('../README.md', import.meta.url);
let readme = readFileSync(path, 'utf8');

function row(meta: RuleMeta<object>, needs: string): string {
  return `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.category} | ${meta.defaultSeverity} | ${meta.fixable ? 'yes' : ''} | ${needs} | ${meta.description} |`;
}

function replaceTable(text: string, marker: string, rows: string[]): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  if (text.indexOf(start) < 0 || text.indexOf(end) < 0) throw new Error(`README.md has no ${marker} markers`);
  const table = ['| Rule | Category | Default | Fix | Needs | Finds |', '|---|---|---|---|---|---|', ...rows].join('\n');
  return `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`;
}

const reviewRows = allRules.map((r) => row(r.meta, r.meta.requires?.includes('live-server') ? 'live server' : 'schema'));
const lintRows = queryRules.map((r) => row(r.meta, r.meta.requires?.includes('schema') ? 'schema' : 'statement'));
readme = replaceTable(readme, 'rules', reviewRows);
readme = replaceTable(readme, 'lint-rules', lintRows);
const migrationRows = migrationRules.map((r) => row(r.meta, 'largeTableBytes' in r.meta.defaultOptions ? 'statement; sizes with --db' : 'statement'));
readme = replaceTable(readme, 'migration-rules', migrationRows);
const explainRows = planRules.map((r) => row(r.meta, r.needs?.includes('relations') ? 'tables' : r.needs?.includes('analyze') ? 'ANALYZE' : 'plan'));
readme = replaceTable(readme, 'explain-rules', explainRows);
const healthRows = healthRules.map((r) => row(r.meta, r.needs.length ? r.needs.map((part) => HEALTH_PART_SOURCES[part]).join(', ') : 'settings'));
readme = replaceTable(readme, 'health-rules', healthRows);
writeFileSync(path, readme);
console.log(`README.md: ${reviewRows.length} review rules, ${lintRows.length} lint rules, ${migrationRows.length} migration rules, ${explainRows.length} explain diagnoses, ${healthRows.length} health checks`);
