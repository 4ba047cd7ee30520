import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/naming/identifier-near-max-length.js';
import { findingsFor } from '../../support/embedded.js';

describe('identifier-near-max-length', () => {
  test('fires on names longer than warnLength bytes, counting UTF-8 bytes', async () => {
    const longTable = 'customer_subscription_billing_adjustment_history_v2'; // 51 bytes
    const longColumn = 'é'.repeat(28); // 28 characters, 56 bytes
    const findings = await findingsFor(rule, `CREATE TABLE ${longTable} (id int, "${longColumn}" int, ${'x'.repeat(70)} int);`);
    assert.deepEqual(
      findings.map((f) => [f.object.type, f.evidence.bytes]),
      [
        ['column', 63],
        ['column', 56],
      ],
    );
    assert.match(findings[0]!.message, /is 63 bytes long, the 63-byte limit: a longer name given for it was probably truncated/);
    assert.deepEqual(findings[1]!.object, {
      type: 'column', schema: 'public', table: longTable, name: longColumn, column: longColumn,
    });
    assert.equal(findings[1]!.evidence.characters, 28);
    assert.equal((await findingsFor(rule, `CREATE TABLE ${longTable} (id int);`, { warnLength: 50 })).length, 1);
  });

  test('does not fire at or below warnLength', async () => {
    assert.deepEqual(await findingsFor(rule, `CREATE TABLE ${'t'.repeat(55)} (${'c'.repeat(55)} int);`), []);
  });
});
