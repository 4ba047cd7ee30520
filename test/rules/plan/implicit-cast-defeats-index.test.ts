import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/implicit-cast-defeats-index.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `
  CREATE TABLE accounts (id int PRIMARY KEY, code varchar(20) NOT NULL, region char(2) NOT NULL, balance int NOT NULL);
  INSERT INTO accounts SELECT g, 'A' || g, 'R' || (g % 10), g FROM generate_series(1, 50000) g;
  CREATE INDEX accounts_code_idx ON accounts (code);
  CREATE INDEX accounts_region_idx ON accounts (region);
  ANALYZE accounts;`;
const SERIAL = { max_parallel_workers_per_gather: '0' };

describe('implicit-cast-defeats-index', () => {
  test('fires on an integer key compared with a numeric literal', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const findings = await db.findings(rule, 'SELECT * FROM accounts WHERE id = 42.0', { settings: SERIAL });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Seq Scan on accounts');
    assert.match(finding!.message, /^Seq Scan on accounts compares accounts\.id \(integer\) as numeric \(\(\(accounts\.id\)::numeric = 42\.0\)\): the column is cast in every row, so index accounts_pkey on \(id\) cannot be used\./);
    assert.deepEqual([finding!.evidence.columnType, finding!.evidence.castTo, finding!.evidence.index], ['integer', 'numeric', 'accounts_pkey']);
  });

  test('fires on a char(n) column compared with text', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding] = await db.findings(rule, `SELECT * FROM accounts WHERE region = 'R1'::text`, { settings: SERIAL });
    assert.match(finding!.message, /compares accounts\.region \(character\(2\)\) as text/);
  });

  test('does not fire on the literal in the column type, on varchar compared with text, or on a column without index', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, 'SELECT * FROM accounts WHERE id = 42', { settings: SERIAL }), []);
    assert.deepEqual(await db.findings(rule, `SELECT * FROM accounts WHERE code = 'A42'::text`, { settings: SERIAL }), []);
    assert.deepEqual(await db.findings(rule, 'SELECT * FROM accounts WHERE balance = 42.0', { settings: SERIAL }), []);
  });
});
