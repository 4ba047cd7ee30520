import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/concurrently-in-transaction.js';
import { useSchema } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

describe('concurrently-in-transaction', () => {
  test('fires on CONCURRENTLY statements between BEGIN and COMMIT, which PostgreSQL refuses', async () => {
    const sql = `BEGIN;
CREATE INDEX CONCURRENTLY orders_ref_idx ON orders (ref);
DROP INDEX CONCURRENTLY orders_old_idx;
REINDEX INDEX CONCURRENTLY orders_pkey;
ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;
COMMIT;`;
    const findings = await lintWith(rule, sql);
    assert.deepEqual(findings.map((f) => f.evidence.statement), ['CREATE INDEX CONCURRENTLY', 'DROP INDEX CONCURRENTLY', 'REINDEX CONCURRENTLY', 'ALTER TABLE … DETACH PARTITION … CONCURRENTLY']);
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /^CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and it comes after a BEGIN with no COMMIT before it/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 2, column: 45 });
    const db = await useSchema('CREATE TABLE orders (ref text);');
    await assert.rejects(db.exec('BEGIN; CREATE INDEX CONCURRENTLY orders_ref_idx ON orders (ref); COMMIT;'), /cannot run inside a transaction block/);
    await db.exec('ROLLBACK').catch(() => undefined);
  });

  test('near misses: after COMMIT, outside any block, REFRESH MATERIALIZED VIEW CONCURRENTLY (allowed in one)', async () => {
    const sql = `BEGIN;
ALTER TABLE orders ADD COLUMN a int;
COMMIT;
CREATE INDEX CONCURRENTLY ON orders (a);
BEGIN;
REFRESH MATERIALIZED VIEW CONCURRENTLY sales_summary;
ROLLBACK;
DROP INDEX CONCURRENTLY orders_a_idx;`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('assumeInTransaction: for tools that wrap every file in a transaction', async () => {
    const findings = await lintWith(rule, 'CREATE INDEX CONCURRENTLY ON orders (ref);', { options: { assumeInTransaction: true } });
    assert.match(findings[0]!.message, /the rule option assumeInTransaction says the migration tool runs each file in one/);
  });
});
