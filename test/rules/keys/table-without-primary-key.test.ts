import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/table-without-primary-key.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('table-without-primary-key', () => {
  test('fires on a table without a primary key, and the surrogate-key fix removes it', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE audit_log (table_name text, changed_at timestamptz);');
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'audit_log' });
    assert.match(findings[0]!.message, /public\.audit_log has no primary key/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('promotes a NOT NULL unique constraint when there is one', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE country (code char(2) NOT NULL UNIQUE, name text);');
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.fix!.sql, /PRIMARY KEY USING INDEX country_pkey/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on a table with a primary key, nor on partitions of a keyed parent', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE users (id bigint PRIMARY KEY);
       CREATE TABLE events (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
    );
    assert.deepEqual(findings, []);
  });
});
