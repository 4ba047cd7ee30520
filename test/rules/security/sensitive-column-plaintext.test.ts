import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/security/sensitive-column-plaintext.js';
import { findingsFor } from '../../support/embedded.js';

describe('sensitive-column-plaintext', () => {
  test('fires on text columns named like passwords, tokens, keys and identity or card numbers', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE DOMAIN short_text AS varchar(40);
       CREATE TABLE users (
         id int PRIMARY KEY,
         email text,
         password text,
         reset_token varchar(64),
         ssn char(9),
         "cardNumber" text,
         cvv short_text,
         api_keys text[]
       );`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.name, f.evidence.matchedTerm]),
      [
        ['api_keys', 'api_key'],
        ['cardNumber', 'card_number'],
        ['cvv', 'cvv'],
        ['password', 'password'],
        ['reset_token', 'token'],
        ['ssn', 'ssn'],
      ],
    );
    const password = findings.find((f) => f.object.name === 'password')!;
    assert.deepEqual(password.object, { type: 'column', schema: 'public', table: 'users', name: 'password', column: 'password' });
    assert.match(password.message, /public\.users\.password \(text\) is named like sensitive data \("password"\) but is stored as plain text/);
    assert.match(String(password.evidence.advice), /gen_salt\('bf'\)/);
    assert.equal(password.fix, null);
    assert.match(String(findings.find((f) => f.object.name === 'cvv')!.evidence.advice), /PCI DSS/);
  });

  test('does not fire on hashed, encrypted or binary columns, nor on names about something else', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE users (
         id int PRIMARY KEY,
         password_hash text,
         hashed_password text,
         encrypted_ssn text,
         ssn_last4 text,
         card_number_last4 text,
         token_type text,
         secret_question text,
         password_changed_at timestamptz,
         passwordless boolean,
         api_key bytea
       );`,
    );
    assert.deepEqual(findings, []);
  });

  test('uses the configured terms instead of the defaults', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE staff (id int PRIMARY KEY, password text, salary_amount text);', {
      sensitiveTerms: ['salary'],
      valueSuffixes: ['amount'],
    });
    assert.deepEqual(
      findings.map((f) => f.object.name),
      ['salary_amount'],
    );
  });
});
