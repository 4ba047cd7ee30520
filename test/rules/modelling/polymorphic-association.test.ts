import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/polymorphic-association.js';
import { findingsFor } from '../../support/embedded.js';

describe('polymorphic-association', () => {
  test('fires on a type + id pair without a foreign key', async () => {
    const findings = await findingsFor(
      rule,
      'CREATE TABLE comments (id bigint PRIMARY KEY, commentable_type text NOT NULL, commentable_id bigint NOT NULL, body text);',
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, {
      type: 'column', schema: 'public', table: 'comments', name: 'commentable_id', column: 'commentable_id',
    });
    assert.match(findings[0]!.message, /public\.comments\.commentable_type and commentable_id form a polymorphic association/);
    assert.match(String(findings[0]!.evidence.alternative), /num_nonnulls\(parent_a_id, parent_b_id\) = 1/);
    assert.equal(findings[0]!.fix, null);
  });

  test('does not fire when the id column has a foreign key, or without a matching pair', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE payments (id bigint PRIMARY KEY);
       CREATE TABLE refunds (id bigint PRIMARY KEY, payment_type text, payment_id bigint REFERENCES payments, reference_type text, other_id int);`,
    );
    assert.deepEqual(findings, []);
  });
});
