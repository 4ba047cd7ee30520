import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/disable-triggers.js';
import { lintWith } from '../../support/lint.js';

describe('disable-triggers', () => {
  test('DISABLE TRIGGER ALL is an error (foreign keys unenforced); USER and a named trigger are warnings', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE orders DISABLE TRIGGER ALL;\nALTER TABLE orders DISABLE TRIGGER USER, DISABLE TRIGGER orders_audit;');
    assert.deepEqual(findings.map((f) => [f.evidence.triggers, f.severity]), [['ALL', 'error'], ['USER', 'warning'], ['orders_audit', 'warning']]);
    assert.match(findings[0]!.message, /^DISABLE TRIGGER ALL on orders turns off every trigger of the table for every session, including the internal ones that enforce foreign keys/);
    assert.equal(findings[0]!.evidence.foreignKeysUnenforced, true);
    assert.equal(findings[0]!.evidence.lock, 'SHARE ROW EXCLUSIVE');
    assert.match(findings[2]!.message, /turns trigger orders_audit off for every session/);
  });

  test('near misses: ENABLE TRIGGER, a table created earlier in the file', async () => {
    assert.deepEqual(await lintWith(rule, 'ALTER TABLE orders ENABLE TRIGGER ALL;\nCREATE TABLE t (a int);\nALTER TABLE t DISABLE TRIGGER ALL;'), []);
  });
});
