import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/float-for-money.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('float-for-money', () => {
  test('fires on float columns named for money, and the fix makes them exact', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE order_lines (id bigint PRIMARY KEY, unit_price double precision, "totalAmount" real, fees float8, weight_kg float8);
       INSERT INTO order_lines VALUES (1, 0.1 + 0.2, 19.99, 1.5, 2.25);`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.name, f.evidence.matchedWord]),
      [
        ['fees', 'fee'],
        ['totalAmount', 'total'],
        ['unit_price', 'price'],
      ],
    );
    assert.deepEqual(findings[2]!.object, { type: 'column', schema: 'public', table: 'order_lines', name: 'unit_price', column: 'unit_price' });
    assert.match(findings[2]!.message, /public\.order_lines\.unit_price is double precision but its name says it holds money/);
    assert.equal(findings[2]!.fix!.sql, 'ALTER TABLE public.order_lines ALTER COLUMN unit_price TYPE numeric(19,4) USING unit_price::numeric(19,4);');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ price: string }>('SELECT unit_price::text AS price FROM order_lines');
    assert.equal(row!.price, '0.3000');
  });

  test('takes its words from the options', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE payroll (wage float8, salary float8);', { words: ['wage'] });
    assert.deepEqual(
      findings.map((f) => f.object.name),
      ['wage'],
    );
  });

  test('does not fire on numeric money, on floats with other names, nor on words inside words', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE measurements (price numeric(12,2), temperature float8, costume_size float8, taxonomy_score real, feedback_score float8);`,
    );
    assert.deepEqual(findings, []);
  });
});
