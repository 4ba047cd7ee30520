import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import orAcrossColumns from '../../../src/rules/query/or-across-columns.js';
import { snapshotOf } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

describe('or-across-columns', () => {
  test('fires on an OR of tests of different columns', async () => {
    const findings = await lintWith(orAcrossColumns, "SELECT id FROM tickets WHERE active AND (assignee_id = $1 OR reporter_id = $1 OR status IN ('new', 'open'))");
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'info');
    assert.match(f!.message, /^`assignee_id = \$1 OR reporter_id = \$1 OR status IN \('new', 'open'\)` tests different columns \(assignee_id, reporter_id, status\)/);
    assert.deepEqual(f!.evidence, { columns: ['assignee_id', 'reporter_id', 'status'], unindexed: null });
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 42 });
  });

  test('with a schema: names the columns without an index; silent when each has one (BitmapOr)', async () => {
    const schema = await snapshotOf(`CREATE TABLE tickets (id int PRIMARY KEY, assignee_id int, reporter_id int);
CREATE INDEX tickets_assignee ON tickets (assignee_id);`);
    const [f] = await lintWith(orAcrossColumns, 'DELETE FROM tickets WHERE assignee_id = 1 OR reporter_id = 1', { schema });
    assert.deepEqual(f!.evidence.unindexed, ['reporter_id']);
    assert.match(f!.message, /reporter_id has none/);
    const indexed = await snapshotOf(`CREATE TABLE tickets (id int PRIMARY KEY, assignee_id int, reporter_id int);
CREATE INDEX tickets_assignee ON tickets (assignee_id);
CREATE INDEX tickets_reporter ON tickets (reporter_id, id);`);
    assert.deepEqual(await lintWith(orAcrossColumns, 'DELETE FROM tickets WHERE assignee_id = 1 OR reporter_id = 1', { schema: indexed }), []);
  });

  test('near misses: one column, an OR inside a larger expression, column-to-column tests, AND', async () => {
    const sql = `SELECT 1 FROM t WHERE a = 1 OR a = 2 OR a IS NULL;
SELECT 1 FROM t WHERE (a = 1 AND b = 2) OR c = 3;
SELECT 1 FROM t WHERE a = b OR c = 1;
SELECT 1 FROM t WHERE a = 1 AND b = 2;
SELECT a = 1 OR b = 2 FROM t;`;
    assert.deepEqual(await lintWith(orAcrossColumns, sql), []);
  });
});
