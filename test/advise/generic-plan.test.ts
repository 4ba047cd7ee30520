/**
 * Generic plans of `$n` statements on both paths: EXPLAIN (GENERIC_PLAN) on PostgreSQL 17 (the native
 * build of the pg17-bin devDependency) and PREPARE with force_generic_plan on 15 (the test server).
 * Both must plan the same statement with the same index, whatever values a custom plan would see.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parameterCount, planStatement } from '../../src/advise/generic-plan.js';
import { LiveDb } from '../../src/db/live-db.js';
import { walkPlan } from '../../src/plan/types.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { requireServer, requireStarted, startServer, type TestServer } from '../support/pg-server.js';
import { binDirOf } from '../support/postgres-packages.js';

const SCHEMA = `
  CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL, b text);
  INSERT INTO t SELECT i, i % 1000, md5(i::text) FROM generate_series(1, 50000) i;
  CREATE INDEX t_a_idx ON t (a);
  ANALYZE t;
`;
const STATEMENT = 'SELECT b FROM t WHERE a = $1 AND id > $2';

async function check(server: TestServer, name: string): Promise<void> {
  const url = await server.createDatabase(name);
  await server.admin(name, SCHEMA);
  const db = await LiveDb.connect({ url });
  try {
    await db.exec('SET plan_cache_mode = force_generic_plan');
    const plan = await planStatement(db, server.versionNum, STATEMENT, 2);
    const indexes: string[] = [];
    walkPlan(plan.Plan, (node) => {
      if (typeof node['Index Name'] === 'string') indexes.push(node['Index Name']);
    });
    assert.deepEqual(indexes, ['t_a_idx'], JSON.stringify(plan.Plan));
    assert.ok(Number(plan.Plan['Total Cost']) > 0);
    // The session is left as it was: the next statement of that name can be prepared again.
    await planStatement(db, server.versionNum, STATEMENT, 2);
  } finally {
    await db.close();
  }
}

describe('planStatement', () => {
  test('PREPARE with force_generic_plan on PostgreSQL 15', async (t) => {
    const server = await requireServer(t);
    if (!server) return;
    assert.ok(server.versionNum < 160000);
    await check(server, 'generic15');
  });

  test('EXPLAIN (GENERIC_PLAN) on PostgreSQL 17', async (t) => {
    const server = await requireStarted(t, () => startServer({ binDir: binDirOf('pg17-bin') }));
    if (!server) return;
    t.after(() => server.stop());
    await check(server, 'generic17');
  });

  test('parameterCount reads the highest $n from the parse tree', async () => {
    await ensureParser();
    const count = (sql: string) => parameterCount(parseSync(sql).stmts![0]!.stmt);
    assert.equal(count('SELECT 1'), 0);
    assert.equal(count(STATEMENT), 2);
    assert.equal(count('SELECT * FROM t WHERE a = $3 OR a = $1'), 3);
  });
});
