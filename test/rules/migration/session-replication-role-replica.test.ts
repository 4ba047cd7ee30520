import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/session-replication-role-replica.js';
import { lintWith } from '../../support/lint.js';

describe('session-replication-role-replica', () => {
  test('fires on SET session_replication_role = replica, and on set_config of it', async () => {
    const findings = await lintWith(rule, "SET session_replication_role = replica;\nSELECT set_config('session_replication_role', 'replica', true);");
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /^session_replication_role = replica stops ordinary triggers for the rest of this session, including the internal ones that enforce foreign keys/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 32 });
    assert.equal(findings[0]!.evidence.foreignKeysUnenforced, true);
  });

  test('near misses: origin, local, RESET', async () => {
    assert.deepEqual(await lintWith(rule, "SET session_replication_role = origin;\nSET session_replication_role TO 'local';\nRESET session_replication_role;"), []);
  });
});
