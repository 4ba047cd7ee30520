/**
 * The diff corpus: test/diff/corpus/<case>/{from.sql,to.sql} (and an optional expect.json); a side may
 * instead be `<side>.sql.ref`, holding the path of a repository file (examples/shop.sql). For each
 * case, on one shared embedded PostgreSQL: the diff of `to` against itself is empty; the migration
 * from `from` to `to` (with --allow-drops), applied to `from` statement by statement as psql would,
 * gives a schema whose snapshot equals `to`'s; and diffing that result against `to` finds nothing left.
 * CREATE/DROP INDEX CONCURRENTLY run as written: PGlite accepts them outside a transaction block.
 *
 * expect.json: { "contains": [...], "absent": [...] } texts of the script written without
 * --allow-drops; "destructive": the number of destructive steps.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { diffSnapshots } from '../../src/diff/diff.js';
import { describeDiffObject } from '../../src/diff/diff-result.js';
import { formatDiffSql } from '../../src/diff/format.js';
import { splitStatements } from '../../src/sql/split-statements.js';
import { currentSnapshot, sharedEmbedded, snapshotOf } from '../support/embedded.js';
import { comparable } from './comparable.js';

const CORPUS = new URL('./corpus/', import.meta.url).pathname;
const REPOSITORY = new URL('../../', import.meta.url).pathname;
const cases = readdirSync(CORPUS).filter((name) => existsSync(join(CORPUS, name, 'to.sql')) || existsSync(join(CORPUS, name, 'to.sql.ref'))).sort();

/** A corpus file, or the repository file its `.ref` names. */
function readCase(name: string, file: string): string {
  const ref = join(CORPUS, name, `${file}.ref`);
  if (existsSync(ref)) return readFileSync(join(REPOSITORY, readFileSync(ref, 'utf8').trim()), 'utf8');
  return readFileSync(join(CORPUS, name, file), 'utf8');
}

interface Expectations {
  contains?: string[];
  absent?: string[];
  destructive?: number;
}

async function apply(script: string): Promise<void> {
  const db = await sharedEmbedded();
  for (const statement of await splitStatements(script)) {
    try {
      await db.exec(statement.text);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nin: ${statement.text}\n\nscript:\n${script}`);
    }
  }
}

describe('diff corpus: the migration turns from into to', () => {
  test('the corpus has a case for every object kind', () => {
    assert.ok(cases.length >= 25, `${cases.length} cases`);
  });

  for (const name of cases) {
    test(name, async () => {
      const read = (file: string) => readCase(name, file);
      const expectations: Expectations = existsSync(join(CORPUS, name, 'expect.json')) ? JSON.parse(read('expect.json')) : {};
      const to = await snapshotOf(read('to.sql'));
      const same = await diffSnapshots(to, to);
      assert.deepEqual(same.steps.map((s) => `${s.kind} ${describeDiffObject(s.object)}`), [], 'to against itself');

      const from = await snapshotOf(read('from.sql'));
      const cautious = await diffSnapshots(from, to);
      const cautiousScript = formatDiffSql(cautious);
      for (const text of expectations.contains ?? []) assert.ok(cautiousScript.includes(text), `expected ${JSON.stringify(text)} in:\n${cautiousScript}`);
      for (const text of expectations.absent ?? []) assert.ok(!cautiousScript.includes(text), `did not expect ${JSON.stringify(text)} in:\n${cautiousScript}`);
      if (expectations.destructive !== undefined) assert.equal(cautious.steps.filter((s) => s.destructive).length, expectations.destructive, cautiousScript);
      for (const step of cautious.steps.filter((s) => s.destructive)) assert.equal(step.applied, false);

      // Without --allow-drops the script runs too, and leaves only what it left as comments.
      await snapshotOf(read('from.sql'));
      await apply(cautiousScript);
      const held = new Set(cautious.steps.filter((s) => !s.applied).map((s) => describeDiffObject(s.object)));
      const left = await diffSnapshots(await currentSnapshot(), to, { allowDrops: true });
      assert.deepEqual(
        left.steps.filter((s) => !held.has(describeDiffObject(s.object))).map((s) => `${s.kind} ${describeDiffObject(s.object)}`),
        [],
        `left after the script without --allow-drops:\n${cautiousScript}`,
      );

      await snapshotOf(read('from.sql'));
      const result = await diffSnapshots(from, to, { allowDrops: true });
      assert.ok(result.steps.length > 0, 'the case has differences');
      const script = formatDiffSql(result);
      assert.deepEqual(result.steps.filter((s) => !s.applied).map((s) => `${s.kind} ${describeDiffObject(s.object)}`), [], 'every step is written');
      await apply(script);
      const after = await currentSnapshot();
      assert.deepEqual(comparable(after), comparable(to), `the migrated schema differs from to; script:\n${script}`);
      const rest = await diffSnapshots(after, to, { allowDrops: true });
      assert.deepEqual(rest.steps.map((s) => `${s.kind} ${describeDiffObject(s.object)}`), [], 'nothing left to migrate');
    });
  }
});
