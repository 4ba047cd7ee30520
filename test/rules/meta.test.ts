/**
 * The registry, the rule files, their tests and their docs must agree: every rule has all three, the
 * id is the file name, the registry is sorted, and the README lists every rule.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CATEGORY_NAMES } from '../../src/finding.js';
import { allRules as reviewRules, RULE_AREAS as REVIEW_AREAS } from '../../src/rules/index.js';
import { healthRules } from '../../src/rules/health/index.js';
import { migrationRules } from '../../src/rules/migration/index.js';
import { planRules } from '../../src/rules/plan/index.js';
import { queryRules } from '../../src/rules/query/index.js';

/** Every rule set: review (schema), lint (query and migration), explain (plan) and health (the running server). */
const RULE_SETS = [
  { name: 'review', areas: [...REVIEW_AREAS] as string[], rules: reviewRules },
  { name: 'lint', areas: ['query'], rules: queryRules },
  { name: 'migration lint', areas: ['migration'], rules: migrationRules },
  { name: 'explain', areas: ['plan'], rules: planRules },
  { name: 'health', areas: ['health'], rules: healthRules },
];
const RULE_AREAS = RULE_SETS.flatMap((s) => s.areas);
const allRules = RULE_SETS.flatMap((s) => s.rules as readonly { meta: (typeof reviewRules)[number]['meta'] }[]);

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('rule registry', () => {
  test('every rule file is registered, and every registered rule has a file named by its id', () => {
    const files = RULE_AREAS.flatMap((area) =>
      readdirSync(new URL(`src/rules/${area}/`, root))
        .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
        .map((f) => `${area}/${f.replace(/\.ts$/, '')}`),
    );
    const ids = files.map((f) => f.split('/')[1]!).sort();
    assert.deepEqual(allRules.map((r) => r.meta.id).sort(), ids);
    for (const file of files) {
      const [area, id] = file.split('/') as [string, string];
      assert.match(read(`src/rules/${area}/index.ts`), new RegExp(`from './${id}\\.js'`), `${id} is imported by its area's index`);
    }
  });

  test('ids are unique across all rule sets and kebab-case; each registry is sorted', () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    for (const set of RULE_SETS) {
      const setIds = set.rules.map((r) => r.meta.id);
      assert.deepEqual(setIds, [...setIds].sort(), `${set.name} registry sorted`);
    }
  });

  test('every rule has a test file and a doc page with the required sections', () => {
    for (const rule of allRules) {
      const { id } = rule.meta;
      const area = RULE_AREAS.find((a) => existsSync(new URL(`src/rules/${a}/${id}.ts`, root)))!;
      assert.ok(existsSync(new URL(`test/rules/${area}/${id}.test.ts`, root)), `test/rules/${area}/${id}.test.ts`);
      const doc = read(`docs/rules/${id}.md`);
      assert.match(doc, new RegExp(`^# ${id}\\n`), `${id}.md starts with its id`);
      for (const section of ['## What it finds', '## Why it matters', '## How to fix', '## Example']) {
        assert.ok(doc.includes(section), `${id}.md has "${section}"`);
      }
      assert.match(doc, new RegExp(`Default severity \\| ${rule.meta.defaultSeverity}`), `${id}.md states its default severity`);
    }
  });

  test('no stray doc pages or tests for rules that do not exist', () => {
    const ids = new Set(allRules.map((r) => r.meta.id));
    for (const doc of readdirSync(new URL('docs/rules/', root))) assert.ok(ids.has(doc.replace(/\.md$/, '')), `docs/rules/${doc}`);
    for (const area of RULE_AREAS) {
      for (const t of readdirSync(new URL(`test/rules/${area}/`, root)).filter((f) => !f.startsWith('.'))) assert.ok(ids.has(t.replace(/\.test\.ts$/, '')), `test/rules/${area}/${t}`);
    }
  });

  test('metadata is complete: category, severity, description, options', () => {
    for (const { meta } of allRules) {
      assert.ok(CATEGORY_NAMES.includes(meta.category), `${meta.id}: category ${meta.category}`);
      assert.ok(['error', 'warning', 'info'].includes(meta.defaultSeverity));
      assert.match(meta.description, /^[A-Z].*\.$/, `${meta.id}: description is one sentence`);
      assert.equal(typeof meta.defaultOptions, 'object');
    }
  });

  test('the README lists every rule with its default severity', () => {
    const readme = read('README.md');
    for (const { meta } of allRules) {
      assert.match(readme, new RegExp(`\\| \\[\`${meta.id}\`\\]\\(docs/rules/${meta.id}\\.md\\) \\| ${meta.category} \\| ${meta.defaultSeverity} \\|`), `README row for ${meta.id}`);
    }
  });
});
