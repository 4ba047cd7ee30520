import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../../src/finding.js';
import rule from '../../../src/rules/security/public-table-privileges.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('public-table-privileges', () => {
  test('fires once per table, view or sequence granted to PUBLIC, and the REVOKEs remove them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE accounts (id int PRIMARY KEY, balance numeric);
       GRANT SELECT, UPDATE, INSERT ON accounts TO PUBLIC;
       CREATE VIEW account_ids AS SELECT id FROM accounts;
       GRANT SELECT ON account_ids TO PUBLIC;
       CREATE SEQUENCE invoice_no;
       GRANT USAGE ON SEQUENCE invoice_no TO PUBLIC;`,
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [
        { type: 'view', schema: 'public', name: 'account_ids' },
        { type: 'table', schema: 'public', name: 'accounts' },
        { type: 'sequence', schema: 'public', name: 'invoice_no' },
      ],
    );
    const [view, accounts, sequence] = findings as [Finding, Finding, Finding];
    assert.match(accounts.message, /Table public\.accounts grants SELECT, INSERT, UPDATE to PUBLIC, so every role can change it/);
    assert.deepEqual(accounts.evidence.writePrivileges, ['INSERT', 'UPDATE']);
    assert.equal(accounts.fix!.sql, 'REVOKE SELECT, INSERT, UPDATE ON TABLE public.accounts FROM PUBLIC;');
    assert.match(view.message, /View public\.account_ids grants SELECT to PUBLIC, so every role can read it/);
    assert.equal(sequence.fix!.sql, 'REVOKE USAGE ON SEQUENCE public.invoice_no FROM PUBLIC;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on privileges granted to named roles', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE ROLE app_reader;
       CREATE TABLE accounts (id int PRIMARY KEY, balance numeric);
       GRANT SELECT ON accounts TO app_reader;
       CREATE SEQUENCE invoice_no;
       GRANT USAGE ON SEQUENCE invoice_no TO app_reader;`,
    );
    assert.deepEqual(findings, []);
  });
});
