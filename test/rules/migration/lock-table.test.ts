import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/lock-table.js';
import { lintWith } from '../../support/lint.js';

describe('lock-table', () => {
  test('fires on LOCK TABLE, naming the mode and what it blocks; weak modes are information', async () => {
    const findings = await lintWith(rule, 'BEGIN;\nLOCK TABLE orders, lines;\nLOCK TABLE users IN SHARE MODE;\nLOCK TABLE audit IN ROW EXCLUSIVE MODE;\nCOMMIT;');
    assert.equal(findings.length, 3);
    assert.equal(findings[0]!.message, 'LOCK TABLE orders, lines IN ACCESS EXCLUSIVE MODE blocks reads and writes of orders and lines until the transaction ends. Keep that transaction short, and set lock_timeout so that waiting for the lock does not queue every other session behind it.');
    assert.deepEqual([findings[1]!.evidence.lock, findings[1]!.evidence.blocks, findings[1]!.severity], ['SHARE', 'writes (reads go on)', 'warning']);
    assert.equal(findings[2]!.severity, 'info');
  });

  test('outside a transaction block it says LOCK TABLE fails there; a table created earlier in the file is left alone', async () => {
    const [f] = await lintWith(rule, 'LOCK orders;');
    assert.match(f!.message, /outside a transaction block LOCK TABLE fails/);
    assert.deepEqual(await lintWith(rule, 'BEGIN;\nCREATE TABLE t (a int);\nLOCK TABLE t;\nCOMMIT;'), []);
  });
});
