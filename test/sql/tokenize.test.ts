import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureParser, scanSync } from '../../src/sql/parser.js';
import { tokenizeSql } from '../../src/sql/tokenize.js';

/** Statements with every kind of token the scanner knows, and the traps between them. */
const CASES = [
  "SELECT a.b, \"Quoted \"\"x\"\"\", 'it''s', E'it\\'s \\\\', B'0101', X'1F', N'nat', U&'d\\0061t', U&\"d\\0061t\" FROM t",
  "SELECT $1, $$dollar ' \" $$, $tag$ body $ $tag$, $a$x$a$ FROM t WHERE x = $2::int",
  'SELECT 1, 1.5, .5, 1e10, 1.5E-3, 0x1F, 0o17, 0b101, 1_000_000, 1..10 FROM t',
  'SELECT a::text, b := 1, c => 2, x->>\'k\', y #>> \'{a}\', z @> \'{}\', a<>b, a!=b, a<=b, a>=-1, a=-1, a*-1, -1, - 2',
  "SELECT 'con'\n  'tinued', 'not' 'continued' FROM t -- comment 'x'\n/* block /* nested */ still */ WHERE a",
  "SELECT x FROM t WHERE name LIKE '%é%' AND \"naïve\" = 'café' ORDER BY random() LIMIT 5 OFFSET 10",
  'SELECT ARRAY[1,2][1], (x).f, t.*, count(*) FILTER (WHERE a) OVER (PARTITION BY b) FROM t',
  'SELECT a+b, a-b, a||b, a~~b, a!~~*b, @a, a%b, a^b, |/a, a<->b, a&&b FROM t',
];

describe('tokenizeSql', () => {
  test('agrees with the PostgreSQL scanner on every token boundary', async () => {
    await ensureParser();
    for (const sql of CASES) {
      const bytes = Buffer.from(sql, 'utf8');
      const expected = scanSync(sql)
        .tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
        .map((t) => bytes.toString('utf8', t.start, t.end));
      const actual = tokenizeSql(sql).map((t) => sql.slice(t.start, t.end));
      assert.deepEqual(actual, expected, sql);
    }
  });

  test('unquoted words carry their lower-case form; an unterminated string runs to the end', () => {
    assert.deepEqual(tokenizeSql('SELECT "From" FROM').map((t) => t.word), ['select', null, 'from']);
    assert.deepEqual(tokenizeSql("SELECT 'abc").map((t) => [t.start, t.end]), [[0, 6], [7, 11]]);
  });
});
