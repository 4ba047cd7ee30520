import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-timestamp-without-time-zone.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-timestamp-without-time-zone', () => {
  test('fires on timestamp (with or without the words, precision, arrays); the fix declares timestamptz', async () => {
    const findings = await lintWith(rule, 'CREATE TABLE jobs (id int, run_at timestamp(3) without time zone DEFAULT now() NOT NULL, seen timestamp[]);\nALTER TABLE jobs ADD COLUMN done_at timestamp;');
    assert.deepEqual(findings.map((f) => f.evidence.declared), ['timestamp(3) without time zone', 'timestamp[]', 'timestamp']);
    assert.equal(findings[0]!.message, 'Column jobs.run_at is declared timestamp(3) without time zone: its values carry no time zone, so the instant they mean depends on who wrote them. Declare it timestamptz(3).');
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE jobs (id int, run_at timestamptz(3) DEFAULT now() NOT NULL, seen timestamp[]);');
    assert.equal(findings[1]!.fix!.sql, 'CREATE TABLE jobs (id int, run_at timestamp(3) without time zone DEFAULT now() NOT NULL, seen timestamptz[]);');
    assert.equal(findings[2]!.fix!.sql, 'ALTER TABLE jobs ADD COLUMN done_at timestamptz;');
    await fixesParse(findings);
  });

  test('near misses: timestamptz, timestamp with time zone, date', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (a timestamptz, b timestamp with time zone, c date);'), []);
  });
});
