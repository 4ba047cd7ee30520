import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import duplicateIndex from '../../../src/rules/indexes/duplicate-index.js';
import indexDuplicatesConstraint from '../../../src/rules/indexes/index-duplicates-constraint.js';
import redundantIndex from '../../../src/rules/indexes/redundant-index.js';
import { findingsAfterFixes, findingsFor, findingsOn, snapshotOf } from '../../support/embedded.js';

describe('index-duplicates-constraint', () => {
  test('fires on a plain index beside a primary key, and only this rule does', async () => {
    const snapshot = await snapshotOf(
      `CREATE TABLE accounts (id bigint PRIMARY KEY, handle text);
       CREATE INDEX accounts_id_idx ON accounts (id);`,
    );
    const findings = await findingsOn(snapshot, indexDuplicatesConstraint);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'accounts', name: 'accounts_id_idx' });
    assert.match(findings[0]!.message, /public\.accounts\.accounts_id_idx duplicates the index of primary key accounts_pkey/);
    assert.deepEqual(await findingsOn(snapshot, duplicateIndex), []);
    assert.deepEqual(await findingsOn(snapshot, redundantIndex), []);
    assert.deepEqual(await findingsAfterFixes(indexDuplicatesConstraint, findings), []);
  });

  test('fires on a unique index beside a unique constraint with an INCLUDE list', async () => {
    const findings = await findingsFor(
      indexDuplicatesConstraint,
      `CREATE TABLE users (id bigint, email text, name text, CONSTRAINT users_email_key UNIQUE (email) INCLUDE (name));
       CREATE UNIQUE INDEX users_email_idx ON users (email);`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /duplicates the index of unique constraint users_email_key/);
    assert.match(findings[0]!.fix!.note!, /foreign key/);
    assert.deepEqual(await findingsAfterFixes(indexDuplicatesConstraint, findings), []);
  });

  test('does not fire on a partial, differently ordered, wider or stricter index', async () => {
    const findings = await findingsFor(
      indexDuplicatesConstraint,
      `CREATE TABLE t (id int PRIMARY KEY, code text UNIQUE, n int);
       CREATE INDEX t_id_partial ON t (id) WHERE n > 0;
       CREATE INDEX t_id_desc ON t (id DESC);
       CREATE INDEX t_id_n ON t (id, n);
       CREATE INDEX t_id_incl ON t (id) INCLUDE (n);
       CREATE UNIQUE INDEX t_code_nnd ON t (code) NULLS NOT DISTINCT;
       CREATE INDEX t_code_hash ON t USING hash (code);`,
    );
    assert.deepEqual(findings, []);
  });
});
