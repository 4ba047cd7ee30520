import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/security/public-schema-create-privilege.js';
import { findingsAfterFixes, findingsFor, findingsOn, snapshotOf } from '../../support/embedded.js';

describe('public-schema-create-privilege', () => {
  test('fires when CREATE on a schema is granted to PUBLIC, and the REVOKE removes it', async () => {
    const findings = await findingsFor(rule, 'GRANT CREATE ON SCHEMA public TO PUBLIC;');
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'schema', name: 'public' });
    assert.match(findings[0]!.message, /Schema public grants CREATE to PUBLIC/);
    assert.equal(findings[0]!.fix!.sql, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('says when the grant is the pre-15 default of the public schema', async () => {
    const snapshot = await snapshotOf('GRANT CREATE ON SCHEMA public TO PUBLIC;');
    snapshot.server.versionNum = 140013;
    const findings = await findingsOn(snapshot, rule);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /the default before PostgreSQL 15/);
    assert.equal(findings[0]!.evidence.defaultBeforePostgres15, true);
  });

  test('does not fire on the PostgreSQL 15+ default nor on CREATE granted to a named role', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE ROLE deployer;
       CREATE SCHEMA app;
       GRANT USAGE ON SCHEMA app TO PUBLIC;
       GRANT CREATE ON SCHEMA app TO deployer;`,
    );
    assert.deepEqual(findings, []);
  });
});
