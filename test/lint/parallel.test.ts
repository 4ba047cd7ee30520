import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FileText } from '../../src/lint/file-text.js';
import { CHUNK_LENGTH, LintEngine, unitsOf, type LintEngineOptions } from '../../src/lint/lint-engine.js';
import type { LintResult } from '../../src/lint/lint-result.js';
import { lint, lintSources, type LintSource } from '../../src/lint/lint.js';
import { PARALLEL_MIN_LENGTH, threadCount } from '../../src/lint/lint-threads.js';
import { startParallelLint } from '../../src/lint/parallel-lint.js';
import { queryRules } from '../../src/rules/query/index.js';
import { ensureParser } from '../../src/sql/parser.js';

/** Statements that exercise the chunk scanner and the rules; `i` varies names and constants. */
const STATEMENTS: ((i: number) => string)[] = [
  (i) => `SELECT * FROM orders WHERE id = ${i};`,
  (i) => `-- a comment; with a semicolon and a 'quote\nSELECT id, 'é ${i};' AS label FROM users WHERE name = NULL;`,
  (i) => `SELECT E'it\\'s; ${i}', "Weird;""Name" FROM t ORDER BY id OFFSET 5000;`,
  (i) => `DO $$ BEGIN PERFORM ${i}; END $$;`,
  (i) => `CREATE FUNCTION f${i}() RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RETURN 'x; 😀'; END $fn$;`,
  (i) => `/* block ; /* nested ; */ still a comment */ DELETE FROM audit_${i % 7};`,
  (i) => `-- pgarchitect-ignore select-star: the export needs every column\nSELECT * FROM t${i};`,
  (i) => `SELECT 'emoji 😀 ü', a FROM t${i} ORDER BY random() LIMIT 1;`,
  (i) => `UPDATE accounts SET balance = ${i};`,
  (i) => `SELECT count(*) FROM t WHERE x NOT IN (SELECT y FROM u WHERE u.k = ${i});`,
  (i) => `SELECT a, b FROM t1, t2 WHERE t1.v LIKE '%${i}';`,
  (i) => (i % 4 === 0 ? `-- pgarchitect-ignore no-such-rule\nSELECT ${i};` : `INSERT INTO t (a, b) VALUES (${i}, 'ü');`),
  (i) => (i % 100 === 0 ? `CREATE FUNCTION g${i}(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT x + 1;\n  SELECT CASE WHEN x > 0 THEN 1 END;\nEND;` : `SELECT ${i} UNION SELECT ${i + 1};`),
];

/** A file of `count` statements, several on a line now and then. */
function generate(count: number, extra: (i: number) => string = () => ''): string {
  let sql = '';
  for (let i = 0; i < count; i++) sql += STATEMENTS[i % STATEMENTS.length]!(i) + extra(i) + (i % 9 === 0 ? ' ' : '\n');
  return sql;
}

/** The reference: every file parsed whole, on this thread (the engine without chunks or workers). */
function wholeFileLint(sources: readonly LintSource[], options: LintEngineOptions = {}): LintResult {
  const engine = new LintEngine(options);
  for (const source of sources) engine.lintFile(new FileText(source.file!, source.text));
  return engine.result(sources.map((s) => s.file!), null);
}

/**
 * Lints with the main thread and one worker both taking units (the worker is waited for), whatever
 * the input's size (`lint` itself starts a worker only for inputs of `PARALLEL_MIN_LENGTH` or more).
 */
async function lintOnTwoThreads(sources: readonly LintSource[], options: LintEngineOptions = {}): Promise<{ result: LintResult | null; unitsPerThread: number[] }> {
  const parallel = startParallelLint(sources.map((s) => ({ file: s.file!, text: s.text })), options, 2, 1);
  assert.ok(parallel, 'the input is large enough for a worker');
  await ensureParser();
  const outcome = await parallel.finish({ waitForWorkers: true });
  if (!outcome) return { result: null, unitsPerThread: [] };
  return { result: outcome.engine.result(sources.map((s) => s.file!), null), unitsPerThread: outcome.unitsPerThread };
}

const big = generate(4000);

/** Only the query rules: none of them keeps state across statements. */
const QUERY_RULES_ONLY = { only: queryRules.map((rule) => rule.meta.id) };

describe('lint on several threads and in chunks gives what one whole-file parse gives', () => {
  test('the generated file is cut in chunks and has findings of every kind', async () => {
    assert.ok(unitsOf(0, big, true).length > 4);
    await ensureParser();
    const reference = wholeFileLint([{ file: 'big.sql', text: big }]);
    assert.equal(reference.summary.statements, 4000);
    assert.deepEqual(reference.errors, []);
    assert.ok(reference.notices.length > 10);
    assert.ok(reference.summary.suppressed > 100);
    const rules = new Set(reference.findings.map((f) => f.rule));
    for (const rule of ['select-star', 'equals-null', 'offset-pagination', 'delete-without-where', 'update-without-where', 'not-in-subquery', 'order-by-random']) {
      assert.ok(rules.has(rule), rule);
    }
  });

  test('one file: threads=1 (chunks), threads=2, and the worker and main thread sharing the units', async () => {
    const sources = [{ file: 'big.sql', text: big }];
    await ensureParser();
    // The migration rules remember a file's earlier statements, so with them a file stays in one thread;
    // the query rules alone let its chunks be shared.
    const reference = wholeFileLint(sources, QUERY_RULES_ONLY);
    assert.deepEqual(await lint(sources, { threads: 1, ...QUERY_RULES_ONLY }), reference);
    assert.deepEqual(await lint(sources, { threads: 2, ...QUERY_RULES_ONLY }), reference);
    const shared = await lintOnTwoThreads(sources, QUERY_RULES_ONLY);
    assert.ok(shared.unitsPerThread.every((n) => n > 0), `units per thread: ${shared.unitsPerThread.join(', ')}`);
    assert.deepEqual(shared.result, reference);
    assert.deepEqual(await lint(sources, { threads: 2 }), wholeFileLint(sources), 'with the migration rules: the file in one thread');
  });

  test('several files, small and large, with configuration, --rule and a baseline passed to the worker', async () => {
    const sources = [
      { file: 'a.sql', text: 'SELECT * FROM a;\nDELETE FROM b;' },
      { file: 'big.sql', text: big },
      { file: 'c.sql', text: generate(300) },
    ];
    await ensureParser();
    const first = wholeFileLint(sources);
    const options: LintEngineOptions = {
      config: { rules: { 'equals-null': { severity: 'error' }, 'offset-pagination': { options: { minOffset: 10000 } } }, ignore: [{ rule: 'select-star', object: 'SELECT t1*' }] },
      only: ['select-star', 'equals-null', 'offset-pagination', 'delete-without-where', 'not-in-subquery'],
      baseline: new Set(first.findings.filter((_, i) => i % 3 === 0).map((f) => f.fingerprint)),
    };
    const reference = wholeFileLint(sources, options);
    assert.ok(reference.summary.suppressed > first.summary.suppressed);
    assert.deepEqual(lintSources(sources, options), reference);
    const shared = await lintOnTwoThreads(sources, options);
    assert.ok(shared.unitsPerThread.every((n) => n > 0), `units per thread: ${shared.unitsPerThread.join(', ')}`);
    assert.deepEqual(shared.result, reference);
  });

  test('a syntax error in a chunk: the threads stop and the file is parsed whole; errors and findings as one parse gives them', async () => {
    const broken = generate(4000, (i) => (i === 2500 ? '\nSELEC oops FROM t;' : i === 3900 ? "\nSELECT 'unterminated FROM t;" : ''));
    const sources = [{ file: 'broken.sql', text: broken }];
    await ensureParser();
    const reference = wholeFileLint(sources, QUERY_RULES_ONLY);
    assert.equal(reference.errors.length, 2);
    assert.deepEqual(await lint(sources, { threads: 1, ...QUERY_RULES_ONLY }), reference);
    assert.deepEqual(await lint(sources, { threads: 2, ...QUERY_RULES_ONLY }), reference);
    assert.equal((await lintOnTwoThreads(sources, QUERY_RULES_ONLY)).result, null, 'the parallel run gives up');
  });

  test('BEGIN ATOMIC bodies are not cut; a cut the scanner gets wrong (BEGIN /* comment */ ATOMIC) is caught by the parser', async () => {
    await ensureParser();
    for (const [opening, cutInside] of [['BEGIN ATOMIC', false], ['BEGIN /* c */ ATOMIC', true]] as const) {
      // The function starts just before the first cut point, so the chunk ends at its first semicolon unless the scanner knows better.
      const before = generate(400).slice(0, CHUNK_LENGTH - 200);
      const head = before.slice(0, before.lastIndexOf(';') + 1).padEnd(CHUNK_LENGTH - 10, ' ');
      const fn = `\nCREATE FUNCTION h() RETURNS int LANGUAGE sql ${opening} SELECT 1; SELECT 2; END;\n`;
      const text = head + fn + generate(2000);
      const firstCut = unitsOf(0, text, true)[0]!.chunk!.end;
      assert.equal(firstCut < head.length + fn.length - 2, cutInside, opening);
      const sources = [{ file: 'atomic.sql', text }];
      const reference = wholeFileLint(sources, QUERY_RULES_ONLY);
      assert.deepEqual(reference.errors, []);
      assert.deepEqual(await lint(sources, { threads: 1, ...QUERY_RULES_ONLY }), reference);
      const shared = await lintOnTwoThreads(sources, QUERY_RULES_ONLY);
      if (cutInside) assert.equal(shared.result, null, 'the parallel run gives up');
      else assert.deepEqual(shared.result, reference);
    }
  });

  test('no worker for a small input, for one thread, or for rules other than the built-in ones (files are then parsed whole)', () => {
    const custom = { meta: { id: 'custom', category: 'query' as const, defaultSeverity: 'info' as const, description: 'x', fixable: false, defaultOptions: {} }, visitors: {} };
    const sources = [{ file: 'big.sql', text: big }];
    assert.ok(big.length < PARALLEL_MIN_LENGTH);
    assert.equal(startParallelLint(sources, {}, 2), null);
    assert.equal(startParallelLint(sources, {}, 1, 1), null);
    assert.equal(startParallelLint(sources, { rules: [custom] }, 2, 1), null);
    assert.equal(new LintEngine({ rules: [custom] }).chunkable, false);
  });
});

describe('threadCount', () => {
  test('the option, else PGARCHITECT_THREADS, else the available parallelism up to 4', () => {
    assert.equal(threadCount(3, { PGARCHITECT_THREADS: '1' }), 3);
    assert.equal(threadCount(undefined, { PGARCHITECT_THREADS: '1' }), 1);
    const fallback = threadCount(undefined, {});
    assert.ok(fallback >= 1 && fallback <= 4);
    assert.throws(() => threadCount(undefined, { PGARCHITECT_THREADS: 'two' }), /PGARCHITECT_THREADS must be a positive integer/);
    assert.throws(() => threadCount(0, {}), /threads must be a positive integer/);
  });
});
