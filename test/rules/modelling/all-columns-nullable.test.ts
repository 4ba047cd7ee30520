import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/all-columns-nullable.js';
import { findingsFor } from '../../support/embedded.js';

describe('all-columns-nullable', () => {
  test('fires when every column outside the primary key is nullable', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, email text, born date);
       CREATE TABLE imports (line text, payload jsonb);`,
    );
    assert.equal(findings.length, 2);
    const [customers, imports] = findings;
    assert.deepEqual(customers!.object, { type: 'table', schema: 'public', name: 'customers' });
    assert.match(customers!.message, /Every column of public\.customers outside its primary key is nullable \(3 columns\)/);
    assert.deepEqual(customers!.evidence.nullableColumns, ['name', 'email', 'born']);
    assert.match(imports!.message, /Every column of public\.imports is nullable \(2 columns\)/);
  });

  test('does not fire when one column is NOT NULL (or checked), nor on tables with too few columns', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text);
       CREATE TABLE contacts (id bigint PRIMARY KEY, name text, email text, CHECK (email IS NOT NULL) NOT VALID);
       CREATE TABLE tags (id bigint PRIMARY KEY, label text);`,
    );
    assert.deepEqual(findings, []);
  });
});
