import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { requireServer } from './pg-server.js';

test('the harness starts a real PostgreSQL server with hypopg and pg_stat_statements', async (t) => {
  const server = await requireServer(t);
  if (!server) return;
  const url = await server.createDatabase('harness_check');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("SELECT extname FROM pg_extension WHERE extname IN ('hypopg', 'pg_stat_statements') ORDER BY 1");
  await client.end();
  assert.deepEqual(rows.map((r) => r.extname), ['hypopg', 'pg_stat_statements']);
  assert.ok(server.versionNum >= 140000);
});
