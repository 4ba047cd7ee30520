import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/cluster.js';
import { lintWith } from '../../support/lint.js';
import { MB, sizedSnapshotOf } from '../../support/migration.js';

describe('cluster', () => {
  test('fires on CLUSTER of a table, and on CLUSTER of every clustered table as an error', async () => {
    const findings = await lintWith(rule, 'CLUSTER orders USING orders_created_at_idx;\nCLUSTER;');
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /^CLUSTER orders rewrites the table and its indexes in index order under an ACCESS EXCLUSIVE lock/);
    assert.equal(findings[0]!.evidence.index, 'orders_created_at_idx');
    assert.equal(findings[1]!.severity, 'error');
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: a table created earlier in the file; a small table is information', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCLUSTER t USING t_a;'), []);
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id int);', { orders: { tableBytes: 1 * MB, rows: 1000 } });
    const [f] = await lintWith(rule, 'CLUSTER orders;', { schema });
    assert.equal(f!.severity, 'info');
  });
});
