import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/wide-table.js';
import { findingsFor } from '../../support/embedded.js';

function tableWith(columns: number): string {
  return `CREATE TABLE survey (${Array.from({ length: columns }, (_, i) => `answer_${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)} text`).join(', ')});`;
}

describe('wide-table', () => {
  test('fires on a table with more columns than maxColumns', async () => {
    const findings = await findingsFor(rule, tableWith(51));
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'survey' });
    assert.match(findings[0]!.message, /public\.survey has 51 columns \(more than 50\)/);
    assert.equal(findings[0]!.evidence.columns, 51);
  });

  test('does not fire at the limit, and the limit is an option', async () => {
    assert.deepEqual(await findingsFor(rule, tableWith(50)), []);
    assert.equal((await findingsFor(rule, tableWith(11), { maxColumns: 10 })).length, 1);
  });
});
