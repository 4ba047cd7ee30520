import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import * as AjvDraft04 from 'ajv-draft-04';

// A CommonJS package whose class is its default export: under NodeNext it sits on .default.
const Ajv = AjvDraft04.default.default ?? AjvDraft04.default;
import { review } from '../../src/review.js';
import { formatSarif } from '../../src/report/sarif.js';
import { allRules } from '../../src/rules/index.js';
import { snapshotOf } from '../support/embedded.js';
import { reviewSnapshot } from '../../src/review.js';

/** The official SARIF 2.1.0 schema, as shipped by Microsoft's @microsoft/jest-sarif package. */
function sarifSchema(): object {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
  return JSON.parse(readFileSync(join(dir, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
}

function validate(log: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  const check = ajv.compile(sarifSchema());
  return check(log) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('sarif report', () => {
  test('is valid SARIF 2.1.0 for findings from SQL files, with file locations and fingerprints', async () => {
    const result = await review([new URL('../../examples/shop.sql', import.meta.url).pathname]);
    assert.ok(result.findings.length > 0);
    const log = JSON.parse(formatSarif(result, allRules));
    assert.deepEqual(validate(log), []);
    const first = log.runs[0].results[0];
    assert.match(first.locations[0].physicalLocation.artifactLocation.uri, /shop\.sql$/);
    assert.ok(first.locations[0].physicalLocation.region.startLine >= 1);
    assert.match(first.partialFingerprints['pgarchitect/v1'], /^[0-9a-f]{16}$/);
    assert.equal(log.runs[0].tool.driver.rules[first.ruleIndex].id, first.ruleId);
  });

  test('is valid when findings have no file (live server or snapshot) and when loading failed', async () => {
    const snapshot = await snapshotOf('CREATE TABLE audit (at timestamptz);');
    const result = await reviewSnapshot(snapshot, {}, {
      sourceKind: 'snapshot',
      errors: [{ file: 'x.sql', line: 3, column: 7, sqlstate: '42601', message: 'syntax error at or near "TABEL"' }],
      partial: true,
    });
    const log = JSON.parse(formatSarif(result, allRules));
    assert.deepEqual(validate(log), []);
    assert.equal(log.runs[0].invocations[0].executionSuccessful, false);
    const pk = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'table-without-primary-key');
    assert.equal(pk.locations[0].physicalLocation.artifactLocation.uri, 'database/public/audit');
  });

  test('the validator itself rejects a broken log', () => {
    assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ tool: {} }] }), []);
  });
});
