import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/avoid-money-type.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('avoid-money-type', () => {
  test('fires on money columns (scalar and array), and the fix keeps the amounts', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE invoices (id bigint PRIMARY KEY, total money NOT NULL DEFAULT 0, instalments money[]);
       INSERT INTO invoices VALUES (1, 1234.56, ARRAY[617.28::money, 617.28::money]);`,
    );
    assert.equal(findings.length, 2);
    assert.deepEqual(findings[1]!.object, { type: 'column', schema: 'public', table: 'invoices', name: 'total', column: 'total' });
    assert.match(findings[1]!.message, /public\.invoices\.total is money/);
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE public.invoices ALTER COLUMN total TYPE numeric(19,4) USING total::numeric;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ total: string; instalments: string }>('SELECT total::text, instalments::text FROM invoices');
    assert.deepEqual(row, { total: '1234.5600', instalments: '{617.2800,617.2800}' });
  });

  test('does not fire on numeric or integer cents', async () => {
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE prices (amount numeric(12,2), amount_cents bigint);'), []);
  });
});
