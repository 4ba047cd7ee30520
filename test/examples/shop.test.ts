/**
 * The shipped example, reviewed end to end: the findings are exactly those in
 * examples/shop.expected.txt (regenerate with UPDATE_EXPECTED=1 npm test -- examples), and the fix
 * script, applied to the schema on the engine, removes every finding it fixes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixScript } from '../../src/fix-script.js';
import type { Finding } from '../../src/finding.js';
import { review } from '../../src/review.js';

const example = new URL('../../examples/shop.sql', import.meta.url).pathname;
const expectedFile = new URL('../../examples/shop.expected.txt', import.meta.url).pathname;

const line = (f: Finding) => `${f.severity} ${f.rule} ${[f.object.schema, f.object.table, f.object.name].filter(Boolean).join('.')}`;

describe('examples/shop.sql', () => {
  test('loads completely and gives the expected findings', async () => {
    const result = await review([example]);
    assert.deepEqual(result.errors, []);
    assert.equal(result.partial, false);
    const actual = result.findings.map(line).join('\n') + '\n';
    if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, actual);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'));
    assert.deepEqual(result.skipped.map((s) => s.rule).sort(), ['high-dead-tuple-ratio', 'int-key-exhaustion', 'partition-default-has-rows', 'partition-uneven-size', 'table-never-analyzed', 'unused-index']);
    for (const finding of result.findings) {
      assert.ok(finding.location && finding.location.line > 0, `${line(finding)} has a location`);
      assert.ok(finding.message.length > 20);
    }
  });

  test('the fix script (with --unsafe-fixes) applies cleanly and the fixed findings are gone', async () => {
    const before = await review([example]);
    const fixed = before.findings.filter((f) => f.fix);
    assert.ok(fixed.length >= 15, `${fixed.length} fixable findings`);
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-shop-'));
    const schema = join(dir, 'shop.sql');
    writeFileSync(schema, readFileSync(example, 'utf8') + '\n' + fixScript(before, { includeUnsafe: true }));
    const after = await review([schema]);
    assert.deepEqual(after.errors, [], 'the fix script runs without errors');
    const remaining = new Set(after.findings.map((f) => f.fingerprint));
    const stillThere = fixed.filter((f) => remaining.has(f.fingerprint)).map(line);
    assert.deepEqual(stillThere, []);
  });
});
