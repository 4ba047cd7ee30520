import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import nonSargableDateExpression from '../../../src/rules/query/non-sargable-date-expression.js';
import { snapshotOf } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('non-sargable-date-expression', () => {
  test('date_trunc compared with a boundary date: rewritten as a range, parenthesised under OR', async () => {
    const findings = await lintWith(
      nonSargableDateExpression,
      `SELECT id FROM orders WHERE date_trunc('day', placed_at) = '2024-02-29';
SELECT id FROM orders o WHERE o.status = 'x' OR date_trunc('month', o.placed_at) >= '2024-12-01';
SELECT id FROM orders WHERE '2024-01-01' > date_trunc('year', placed_at);`,
    );
    assert.deepEqual(
      findings.map((f) => f.fix?.sql),
      [
        "SELECT id FROM orders WHERE placed_at >= '2024-02-29' AND placed_at < '2024-03-01';",
        "SELECT id FROM orders o WHERE o.status = 'x' OR o.placed_at >= '2024-12-01';",
        "SELECT id FROM orders WHERE placed_at < '2024-01-01';",
      ],
    );
    assert.equal(findings[0]!.severity, 'warning');
    assert.match(findings[0]!.message, /^`date_trunc\('day', placed_at\) = '2024-02-29'` computes a value from placed_at for every row, so an index on placed_at cannot serve it/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 29 });
    for (const f of findings) await assertParses(f.fix!.sql);
  });

  test('extract(year ...) = 2024 becomes a year range; = under OR gets parentheses', async () => {
    const [f] = await lintWith(nonSargableDateExpression, 'SELECT 1 FROM events WHERE kind = 1 OR extract(year FROM at) = 2024');
    assert.equal(f!.fix!.sql, "SELECT 1 FROM events WHERE kind = 1 OR (at >= '2024-01-01' AND at < '2025-01-01');");
  });

  test('::date: rewritten only when the schema says the column is a date or timestamp', async () => {
    const sql = "SELECT 1 FROM events WHERE at::date = '2024-03-10'";
    const [noSchema] = await lintWith(nonSargableDateExpression, sql);
    assert.equal(noSchema!.fix, null, 'a text column cast to date would compare as text after the rewrite');
    assert.equal(noSchema!.evidence.suggestion, "at >= '2024-03-10' AND at < '2024-03-11'");
    const schema = await snapshotOf('CREATE TABLE events (id int, at timestamptz, day_text text);');
    const [typed] = await lintWith(nonSargableDateExpression, `${sql}; SELECT 1 FROM events WHERE date(at) = $1; SELECT 1 FROM events WHERE at::date = current_date`, { schema });
    assert.equal(typed!.fix!.sql, "SELECT 1 FROM events WHERE at >= '2024-03-10' AND at < '2024-03-11';");
    const all = await lintWith(nonSargableDateExpression, `SELECT 1 FROM events WHERE date(at) = $1; SELECT 1 FROM events WHERE at::date = current_date`, { schema });
    assert.deepEqual(all.map((f) => f.fix?.sql), ['SELECT 1 FROM events WHERE at >= $1::date AND at < $1::date + 1;', 'SELECT 1 FROM events WHERE at >= current_date AND at < current_date + 1;']);
    assert.deepEqual(await lintWith(nonSargableDateExpression, "SELECT 1 FROM events WHERE day_text::date = '2024-03-10'", { schema }), [], 'not a date column: left alone');
  });

  test('fires without a rewrite where no exact range exists', async () => {
    const findings = await lintWith(
      nonSargableDateExpression,
      `SELECT 1 FROM t WHERE extract(dow FROM at) = 1;
SELECT 1 FROM t WHERE date_trunc('month', at) = '2024-03-15';
SELECT 1 FROM t WHERE date_trunc('day', at, 'UTC') = '2024-03-15';`,
    );
    assert.equal(findings.length, 3);
    assert.deepEqual(findings.map((f) => f.fix), [null, null, null]);
    assert.match(findings[0]!.message, /or index the expression/);
  });

  test('near misses: a range on the column, date_trunc in the select list, a comparison with another column', async () => {
    const sql = `SELECT 1 FROM t WHERE at >= '2024-01-01' AND at < '2024-02-01';
SELECT date_trunc('day', at), count(*) FROM t GROUP BY 1;
SELECT 1 FROM t JOIN u ON date_trunc('day', t.at) = u.day;`;
    assert.deepEqual(await lintWith(nonSargableDateExpression, sql), []);
  });
});
