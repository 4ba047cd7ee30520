import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lint } from '../../../src/lint/lint.js';
import rule from '../../../src/rules/migration/missing-lock-timeout.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('missing-lock-timeout', () => {
  test('fires once per file, at the first statement that takes a blocking lock on an existing table', async () => {
    const findings = await lintWith(rule, `CREATE TABLE fresh (id int);
ALTER TABLE fresh ADD COLUMN a int;
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX ON orders (note);`);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^ALTER TABLE takes an ACCESS EXCLUSIVE lock on orders and nothing earlier in this file sets lock_timeout: if a long transaction holds a conflicting lock, the statement waits, and every query on orders that conflicts with it \(reads and writes\) queues behind it/);
    assert.deepEqual(f!.location, { file: 'q.sql', line: 3, column: 13 });
    assert.equal(f!.fix!.sql, "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;");
    await assertParses(f!.fix!.sql);
  });

  test('other blocking locks count too: CREATE INDEX (SHARE), a foreign key to an existing table', async () => {
    const [index] = await lintWith(rule, 'CREATE INDEX ON orders (ref);');
    assert.deepEqual([index!.evidence.lock, index!.evidence.table], ['SHARE', 'orders']);
    const [reference] = await lintWith(rule, 'CREATE TABLE lines (order_id bigint REFERENCES orders);');
    assert.deepEqual([reference!.evidence.lock, reference!.evidence.table], ['SHARE ROW EXCLUSIVE', 'orders']);
    const [custom] = await lintWith(rule, 'TRUNCATE orders;', { options: { lockTimeout: '2s' } });
    assert.equal(custom!.fix!.sql, "SET lock_timeout = '2s';\nTRUNCATE orders;");
  });

  test('near misses: SET lock_timeout before, SET LOCAL inside the transaction, set_config, CONCURRENTLY, new tables only', async () => {
    assert.deepEqual(await lintWith(rule, "SET lock_timeout = '3s';\nALTER TABLE orders ADD COLUMN a int;"), []);
    assert.deepEqual(await lintWith(rule, "BEGIN;\nSET LOCAL lock_timeout TO 2000;\nALTER TABLE orders ADD COLUMN a int;\nCOMMIT;"), []);
    assert.deepEqual(await lintWith(rule, "SELECT set_config('lock_timeout', '1s', false);\nDROP TABLE orders;"), []);
    assert.deepEqual(await lintWith(rule, 'CREATE INDEX CONCURRENTLY ON orders (ref);\nVACUUM orders;\nCREATE TABLE t (a int);\nCREATE INDEX ON t (a);'), []);
  });

  test('a lock_timeout of 0, a RESET, or SET LOCAL after its transaction ended do not count', async () => {
    assert.equal((await lintWith(rule, 'SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN a int;')).length, 1);
    assert.equal((await lintWith(rule, "SET lock_timeout = '5s';\nRESET lock_timeout;\nALTER TABLE orders ADD COLUMN a int;")).length, 1);
    assert.equal((await lintWith(rule, "BEGIN;\nSET LOCAL lock_timeout = '5s';\nCOMMIT;\nALTER TABLE orders ADD COLUMN a int;")).length, 1);
  });

  test('each file is its own migration', async () => {
    const result = await lint(
      [
        { file: 'V1__a.sql', text: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN a int;" },
        { file: 'V2__b.sql', text: 'ALTER TABLE orders ADD COLUMN b int;' },
      ],
      { rules: [rule] },
    );
    assert.deepEqual(result.findings.map((f) => f.location?.file), ['V2__b.sql']);
  });
});
