import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/jit-dominates.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `CREATE TABLE t AS SELECT g AS id, g % 100 AS v FROM generate_series(1, 1000) g; ANALYZE t;`;
const QUERY = 'SELECT sum(v), avg(v), max(id) FROM t WHERE v > 10';
/** JIT for any cost, with inlining and optimisation: compiling costs far more than this query. */
const EAGER_JIT = { jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0' };

describe('jit-dominates', () => {
  test('fires when compilation takes most of a short query; jit = off removes it', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [available] = await db.server.query<{ ok: boolean }>('postgres', 'SELECT pg_jit_available() AS ok');
    if (!available!.ok) {
      // Debian's postgresql-15 ships llvmjit; in CI its absence is a broken set-up, not a reason to skip.
      if (process.env.CI === 'true') throw new Error('this server has no JIT (llvmjit): install the full postgresql-15 package');
      console.warn('\n*** SKIPPED: this server has no JIT (llvmjit) ***\n');
      t.skip('*** SKIPPED: this server has no JIT (llvmjit) ***');
      return;
    }
    const [finding, ...rest] = await db.findings(rule, QUERY, { settings: EAGER_JIT });
    assert.deepEqual(rest, []);
    assert.equal(finding!.object.name, 'Aggregate');
    assert.match(finding!.message, /^JIT compilation took [\d.]+ ms of the [\d.]+ ms the query ran \(\d+%\), compiling \d+ functions because the plan's estimated cost [\d.,]+ passed jit_above_cost \(0\)\.$/);
    assert.equal(finding!.fix!.sql, 'SET jit = off;');
    assert.deepEqual(await db.findings(rule, QUERY, { settings: { ...EAGER_JIT, jit: 'off' } }), []);
  });
});
