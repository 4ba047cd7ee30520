import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/security/rls-enabled-without-policy.js';
import { findingsFor } from '../../support/embedded.js';

describe('rls-enabled-without-policy', () => {
  test('fires on a table with row level security and no policy', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE ROLE app_user;
       CREATE TABLE notes (id int PRIMARY KEY, owner_id text, body text);
       GRANT SELECT ON notes TO app_user;
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'notes' });
    assert.match(findings[0]!.message, /public\.notes has row level security enabled but no policy, so only its owner/);
    assert.deepEqual(findings[0]!.evidence.rolesWithPrivileges, ['app_user']);
    assert.equal(findings[0]!.fix, null);
  });

  test('says that FORCE locks out the owner too', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE notes (id int PRIMARY KEY);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       ALTER TABLE notes FORCE ROW LEVEL SECURITY;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /forces row level security but has no policy, so no role, not even its owner/);
  });

  test('does not fire with a policy, without RLS, nor on partitions locked down under a parent with policies', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE notes (id int PRIMARY KEY, owner_id text);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own_notes ON notes USING (owner_id = current_user);
       CREATE TABLE plain (id int PRIMARY KEY);
       CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
       ALTER TABLE events ENABLE ROW LEVEL SECURITY;
       CREATE POLICY all_events ON events USING (true);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       ALTER TABLE events_2026 ENABLE ROW LEVEL SECURITY;`,
    );
    assert.deepEqual(findings, []);
  });
});
