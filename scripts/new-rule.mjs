#!/usr/bin/env node
// Scaffolds the three files of a new rule: the rule, its test and its doc page.
//   npm run new-rule -- <area> <rule-id>
// Then add the rule to src/rules/<area>/index.ts (kept sorted by id).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [area, id] = process.argv.slice(2);
if (!area || !id || !/^[a-z][a-z0-9-]*$/.test(id)) {
  console.error('usage: npm run new-rule -- <area> <rule-id>   (for example: keys fk-without-index)');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const queryRule = `import { defineQueryRule } from '../query-rule.js';

/** Why this matters, in one or two sentences. */
export default defineQueryRule({
  meta: {
    id: '${id}',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'What the rule finds, in one sentence.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, { report }) {
      void select;
      void report;
    },
  },
});
`;
const queryTest = `import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ${camel} from '../../../src/rules/query/${id}.js';
import { lintWith } from '../../support/lint.js';

describe('${id}', () => {
  test('fires on ...', async () => {
    const findings = await lintWith(${camel}, 'SELECT 1');
    assert.equal(findings.length, 1);
  });

  test('does not fire on the near miss ...', async () => {
    assert.deepEqual(await lintWith(${camel}, 'SELECT 1'), []);
  });
});
`;
const files = {
  [`src/rules/${area}/${id}.ts`]: area === 'query' ? queryRule : `import { defineRule } from '../rule.js';

/** Why this matters, in one or two sentences. */
export default defineRule({
  meta: {
    id: '${id}',
    category: '${area}',
    defaultSeverity: 'warning',
    description: 'What the rule finds, in one sentence.',
    fixable: false,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      void table;
      void report;
    }
  },
});
`,
  [`test/rules/${area}/${id}.test.ts`]: area === 'query' ? queryTest : `import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ${camel} from '../../../src/rules/${area}/${id}.js';
import { findingsFor } from '../../support/embedded.js';

describe('${id}', () => {
  test('fires on ...', async () => {
    const findings = await findingsFor(${camel}, 'CREATE TABLE t (id int);');
    assert.equal(findings.length, 1);
  });

  test('does not fire on the near miss ...', async () => {
    assert.deepEqual(await findingsFor(${camel}, 'CREATE TABLE t (id int PRIMARY KEY);'), []);
  });
});
`,
  [`docs/rules/${id}.md`]: `# ${id}

| | |
|---|---|
| Category | ${area} |
| Default severity | warning |
| Fixable | no |
| Needs | ${area === 'query' ? 'the statement only' : 'the schema only'} |
| Options | none |

## What it finds

## Why it matters

## How to fix

## Example

\`\`\`sql
\`\`\`

## References
`,
};
for (const [path, content] of Object.entries(files)) {
  const full = join(root, path);
  if (existsSync(full)) {
    console.error(`${path} exists already`);
    process.exit(2);
  }
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  console.log(`created ${path}`);
}
