import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/vacuum-full.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse, GB, sizedSnapshotOf } from '../../support/migration.js';

describe('vacuum-full', () => {
  test('fires on VACUUM FULL of a table, and of the whole database as an error; the fix is plain VACUUM', async () => {
    const findings = await lintWith(rule, 'VACUUM (FULL, ANALYZE) orders;\nVACUUM FULL;');
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /^VACUUM FULL orders rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the copy is written\./);
    assert.equal(findings[0]!.severity, 'warning');
    assert.equal(findings[0]!.fix!.sql, 'VACUUM orders;');
    assert.equal(findings[1]!.severity, 'error');
    assert.match(findings[1]!.message, /^VACUUM FULL without a table rewrites every table of the database/);
    await fixesParse(findings);
  });

  test('near misses: plain VACUUM, VACUUM (FULL false), a table created earlier in the file', async () => {
    assert.deepEqual(await lintWith(rule, 'VACUUM ANALYZE orders;\nVACUUM (FULL false) orders;\nCREATE TABLE t (a int);\nVACUUM FULL t;'), []);
  });

  test('size: the estimate and an error for a large table', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id int);', { orders: { tableBytes: 40 * GB, totalBytes: 55 * GB, rows: 1e9 } });
    const [f] = await lintWith(rule, 'VACUUM FULL orders;', { schema });
    assert.equal(f!.severity, 'error');
    assert.equal(f!.evidence.estimate, 'rewrites 55 GB (1 billion rows) with its indexes');
  });
});
