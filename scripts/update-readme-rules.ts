// Rewrites the rules table in README.md (between the rules:start and rules:end markers) from the
// registry, so the README always lists every rule with its category and default severity.
//   npx tsx scripts/update-readme-rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { allRules } from '../src/rules/index.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const rows = allRules.map((r) => {
  const needs = r.meta.requires?.includes('live-server') ? 'live server' : 'schema';
  return `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.category} | ${r.meta.defaultSeverity} | ${r.meta.fixable ? 'yes' : ''} | ${needs} | ${r.meta.description} |`;
});
const table = ['| Rule | Category | Default | Fix | Needs | Finds |', '|---|---|---|---|---|---|', ...rows].join('\n');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (readme.indexOf(start) < 0 || readme.indexOf(end) < 0) throw new Error('README.md has no rules markers');
writeFileSync(path, `${before}\n${table}\n${after}`);
console.log(`README.md: ${rows.length} rules`);
