import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { orderMigrations } from '../../src/load/discover.js';

const names = (files: string[]) => files.map((f) => basename(f));

describe('migration order', () => {
  test('Flyway: versions compared numerically, repeatables last, undo scripts ignored', () => {
    const result = orderMigrations(['db/V10__late.sql', 'db/V2__second.sql', 'db/V1.1__patch.sql', 'db/R__views.sql', 'db/V1__init.sql', 'db/U2__undo.sql']);
    assert.equal(result.layout, 'flyway');
    assert.deepEqual(names(result.files), ['V1__init.sql', 'V1.1__patch.sql', 'V2__second.sql', 'V10__late.sql', 'R__views.sql']);
    assert.deepEqual(names(result.ignored), ['U2__undo.sql']);
  });

  test('golang-migrate: up files by version, down files ignored', () => {
    const result = orderMigrations(['m/000010_more.up.sql', 'm/000002_b.up.sql', 'm/000002_b.down.sql', 'm/000001_init.up.sql']);
    assert.equal(result.layout, 'golang-migrate');
    assert.deepEqual(names(result.files), ['000001_init.up.sql', '000002_b.up.sql', '000010_more.up.sql']);
    assert.deepEqual(names(result.ignored), ['000002_b.down.sql']);
  });

  test('anything else: natural sort, so 2_x comes before 10_x', () => {
    const result = orderMigrations(['s/10_views.sql', 's/2_tables.sql', 's/1_schema.sql']);
    assert.equal(result.layout, 'plain');
    assert.deepEqual(names(result.files), ['1_schema.sql', '2_tables.sql', '10_views.sql']);
  });
});
