import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FileSlice } from '../../src/lint/file-slice.js';
import { FileText } from '../../src/lint/file-text.js';
import { chunkSql, statementEnds } from '../../src/lint/sql-chunks.js';

/** The text before each statement end, to read the cases at a glance. */
function statementsEndingAt(sql: string): string[] {
  let start = 0;
  return statementEnds(sql).map((end) => {
    const statement = sql.slice(start, end).trim();
    start = end + 1;
    return statement;
  });
}

describe('statementEnds', () => {
  test('semicolons in strings, quoted identifiers and comments end nothing', () => {
    const sql = `SELECT ';', 'it''s; fine';\nSELECT "a;""b" FROM t; -- a comment; with one\nSELECT 1 /* block; /* nested; */ still; */ ;`;
    assert.deepEqual(statementsEndingAt(sql), [
      "SELECT ';', 'it''s; fine'",
      'SELECT "a;""b" FROM t',
      '-- a comment; with one\nSELECT 1 /* block; /* nested; */ still; */',
    ]);
  });

  test("E'' strings have backslash escapes; other strings do not", () => {
    assert.deepEqual(statementsEndingAt(String.raw`SELECT E'\';', e'\\'; SELECT 'a\'; SELECT 2;`), [String.raw`SELECT E'\';', e'\\'`, String.raw`SELECT 'a\'`, 'SELECT 2']);
    // An identifier ending in e before a quote is not an escape string: `some'...'` is `some` then '...'.
    assert.deepEqual(statementsEndingAt(String.raw`SELECT some'\'; SELECT 3;`), [String.raw`SELECT some'\'`, 'SELECT 3']);
  });

  test('dollar quotes, with and without a tag; parameters and $ in identifiers are not quotes', () => {
    const sql = 'DO $$ BEGIN PERFORM 1; END $$; SELECT $fn$ a; $$ b; $fn$; SELECT $1, a$b$c; SELECT $x$ $X$; $x$;';
    assert.deepEqual(statementsEndingAt(sql), ['DO $$ BEGIN PERFORM 1; END $$', 'SELECT $fn$ a; $$ b; $fn$', 'SELECT $1, a$b$c', 'SELECT $x$ $X$; $x$']);
  });

  test('BEGIN ATOMIC bodies run to their END, through CASE ... END', () => {
    const sql = `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;
END;
SELECT 'atomic';
BEGIN;
COMMIT;`;
    assert.deepEqual(statementsEndingAt(sql).map((s) => s.split('\n')[0]), ['CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql', "SELECT 'atomic'", 'BEGIN', 'COMMIT']);
  });

  test('unterminated strings, comments and dollar quotes hide the rest', () => {
    assert.deepEqual(statementEnds("SELECT 1; SELECT 'abc; SELECT 2;"), [8]);
    assert.deepEqual(statementEnds('SELECT 1; /* x; SELECT 2;'), [8]);
    assert.deepEqual(statementEnds('SELECT 1; SELECT $a$ x; SELECT 2;'), [8]);
  });

  test('non-ASCII text: offsets are UTF-16 code units', () => {
    const sql = "SELECT 'é😀;'; SELECT café; SELECT 1;";
    assert.deepEqual(statementEnds(sql), [sql.indexOf("'; ") + 1, sql.indexOf('é; ') + 1, sql.length - 1]);
  });
});

describe('chunkSql', () => {
  test('chunks are at least the target length, cut before a semicolon, and cover the text', () => {
    const sql = Array.from({ length: 40 }, (_, i) => `SELECT ${i} FROM t;\n`).join('');
    const chunks = chunkSql(sql, 100);
    assert.ok(chunks.length > 3);
    assert.equal(chunks.map((c) => sql.slice(c.start, c.end)).join(''), sql);
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.end - chunk.start >= 100);
    for (const chunk of chunks.slice(1)) assert.equal(sql[chunk.start], ';');
  });

  test('each chunk knows the line and column of its first character', () => {
    const sql = 'SELECT 1; SELECT 2;\nSELECT 3;\n\nSELECT 4; SELECT 5;';
    const chunks = chunkSql(sql, 5);
    assert.deepEqual(
      chunks.map((c) => [sql.slice(c.start, c.end), c.line, c.column]),
      [
        ['SELECT 1', 1, 1],
        ['; SELECT 2', 1, 9],
        [';\nSELECT 3', 1, 19],
        [';\n\nSELECT 4', 2, 9],
        ['; SELECT 5', 4, 9],
        [';', 4, 19],
      ],
    );
  });

  test('one chunk when there is no cut point past the target', () => {
    assert.deepEqual(chunkSql('SELECT 1; SELECT 2', 1000), [{ start: 0, end: 18, line: 1, column: 1 }]);
    assert.deepEqual(chunkSql('', 10), [{ start: 0, end: 0, line: 1, column: 1 }]);
  });
});

describe('FileSlice', () => {
  test('locations are in the whole file, by characters, across non-ASCII text', () => {
    const text = "SELECT 'é';\nSELECT 'x😀', 1; SELECT 'ü', 2;\nSELECT 3;";
    const file = new FileText('f.sql', text);
    const start = text.indexOf("; SELECT 'ü'");
    // The slice begins at line 2, column 16 (the emoji is two UTF-16 code units, as editors count).
    assert.equal(start - text.indexOf('\n'), 16);
    const slice = new FileSlice('f.sql', text.slice(start), 2, 16);
    for (const needle of ["SELECT 'ü'", '2;', 'SELECT 3']) {
      const inSlice = Buffer.byteLength(text.slice(start, text.indexOf(needle)));
      const inFile = Buffer.byteLength(text.slice(0, text.indexOf(needle)));
      assert.deepEqual(slice.location(inSlice), file.location(inFile), needle);
    }
  });
});
