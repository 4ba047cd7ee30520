import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/avoid-char-n.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('avoid-char-n', () => {
  test('fires on character(n) columns, and the fix (varchar(n)) keeps keys and foreign keys working', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE countries (code char(2) PRIMARY KEY, name text);
       CREATE TABLE addresses (id bigint PRIMARY KEY, country char(2) REFERENCES countries, tags character(3)[]);
       INSERT INTO countries VALUES ('f', 'France?');
       INSERT INTO addresses VALUES (1, 'f', ARRAY['a']);`,
    );
    assert.deepEqual(
      findings.map((f) => `${f.object.table}.${f.object.name}`),
      ['addresses.country', 'addresses.tags', 'countries.code'],
    );
    assert.deepEqual(findings[2]!.object, { type: 'column', schema: 'public', table: 'countries', name: 'code', column: 'code' });
    assert.match(findings[2]!.message, /public\.countries\.code is character\(2\): values are blank-padded to 2 characters/);
    assert.equal(findings[2]!.fix!.sql, 'ALTER TABLE public.countries ALTER COLUMN code TYPE varchar(2);');
    assert.equal(findings[2]!.fix!.safeOnline, false);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const rows = await db.query<{ code: string }>("SELECT code || '|' AS code FROM addresses JOIN countries ON code = country");
    assert.deepEqual(rows, [{ code: 'f|' }]);
  });

  test('does not fire on varchar, text, the internal "char" type, nor unpadded bpchar', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE flags (a varchar(2), b text, c "char", d bpchar);');
    assert.deepEqual(findings, []);
  });
});
