/** How pg_dump and pg_restore reach the server: PG* variables only, the password in PGPASSWORD, never on a command line. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childEnvironment, libpqVariables } from '../../src/db/child-connection.js';
import { withDatabase } from '../../src/backup/restore-target.js';

describe('child connection', () => {
  test('a URL becomes PG* variables, the password in PGPASSWORD, sslmode kept', () => {
    assert.deepEqual(libpqVariables({ url: 'postgres://app:s%40cret@db.internal:6432/shop?sslmode=require' }, {}), {
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGUSER: 'app',
      PGPASSWORD: 's@cret',
      PGDATABASE: 'shop',
      PGSSLMODE: 'require',
      PGAPPNAME: 'pgarchitect',
    });
    // No password in the URL: the caller's PGPASSWORD (or .pgpass) serves, as it would libpq.
    assert.equal(libpqVariables({ url: 'postgres://app@db/shop' }, { PGPASSWORD: 'x' }).PGPASSWORD, 'x');
    // No URL: the caller's PG* variables, not DATABASE_URL's absence.
    assert.deepEqual(libpqVariables({}, { PGHOST: 'h', PGDATABASE: 'd', HOME: '/root' }), { PGHOST: 'h', PGDATABASE: 'd', PGAPPNAME: 'pgarchitect' });
  });

  test("the child's environment drops this process's own PG* variables for the connection's", () => {
    process.env.PGHOST = 'elsewhere';
    try {
      const env = childEnvironment({ PGHOST: 'db' });
      assert.equal(env.PGHOST, 'db');
      assert.equal(env.PATH, process.env.PATH);
      assert.equal(childEnvironment({}).PGHOST, undefined);
    } finally {
      delete process.env.PGHOST;
    }
  });

  test('the target URL with another database, its query kept', () => {
    assert.equal(withDatabase('postgres://u:p@h:5/shop_verify?sslmode=require', 'postgres'), 'postgres://u:p@h:5/postgres?sslmode=require');
    assert.equal(withDatabase('postgres://u@h', 'pgarchitect_restore_1'), 'postgres://u@h/pgarchitect_restore_1');
  });
});
