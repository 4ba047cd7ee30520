import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/entity-attribute-value.js';
import { findingsFor } from '../../support/embedded.js';

describe('entity-attribute-value', () => {
  test('fires on an entity / attribute / value table', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE product_attributes (id bigint PRIMARY KEY, entity_id bigint NOT NULL, attribute text NOT NULL, value text);
       CREATE TABLE post_meta (meta_id bigint PRIMARY KEY, post_id bigint, meta_key text, meta_value text);`,
    );
    assert.equal(findings.length, 2);
    const [postMeta, productAttributes] = findings;
    assert.deepEqual(productAttributes!.object, { type: 'table', schema: 'public', name: 'product_attributes' });
    assert.match(productAttributes!.message, /public\.product_attributes stores entity-attribute-value rows \(entity_id, attribute, value\)/);
    assert.deepEqual(postMeta!.evidence.attributeColumn, 'meta_key');
    assert.deepEqual(postMeta!.evidence.entityColumn, 'post_id');
  });

  test('a bare name column counts only beside a generic entity reference', async () => {
    assert.equal((await findingsFor(rule, 'CREATE TABLE props (object_id int, name text, value text);')).length, 1);
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE metrics (id int PRIMARY KEY, device_id int, name text, value float8);'), []);
  });

  test('does not fire on ordinary or wide tables, nor on key/value tables without an entity', async () => {
    const wide = Array.from({ length: 10 }, (_, i) => `extra${i} text`).join(', ');
    assert.deepEqual(
      await findingsFor(
        rule,
        `CREATE TABLE translations (id int PRIMARY KEY, locale text, key text, value text);
         CREATE TABLE settings_wide (id int PRIMARY KEY, user_id int, key text, value text, ${wide});
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int, total numeric);`,
      ),
      [],
    );
  });
});
