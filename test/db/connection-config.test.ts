import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveClientConfig } from '../../src/db/connection-config.js';

/** Runs `fn`, returning the process warnings it emitted. */
async function warningsOf(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error): void => void seen.push(warning.message);
  process.on('warning', listener);
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('connection URLs', () => {
  test("sslmode has libpq's meaning: require encrypts without verifying, verify-full verifies, disable is plain; no warning", async () => {
    const warnings = await warningsOf(() => {
      const require = resolveClientConfig({ url: 'postgres://app:s3cret@db.example:5433/shop?sslmode=require' }, {});
      assert.deepEqual([require.host, String(require.port), require.user, require.password, require.database], ['db.example', '5433', 'app', 's3cret', 'shop']);
      assert.equal((require.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized, false);
      const full = resolveClientConfig({ url: 'postgres://app@db.example/shop?sslmode=verify-full' }, {});
      assert.equal(typeof full.ssl, 'object');
      assert.notEqual((full.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized, false);
      assert.equal(resolveClientConfig({ url: 'postgres://app@db.example/shop?sslmode=disable' }, {}).ssl, false);
      // Asked for in the URL itself: not an error.
      assert.equal((resolveClientConfig({ url: 'postgres://app@db.example/shop?uselibpqcompat=true&sslmode=require' }, {}).ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized, false);
    });
    assert.deepEqual(warnings, []);
  });

  test('the session settings ride along: application_name and the timeouts', () => {
    const config = resolveClientConfig({ url: 'postgres://app@db.example/shop', lockTimeoutMs: 500 }, {});
    assert.deepEqual([config.application_name, config.statement_timeout, config.lock_timeout], ['pgarchitect', 30_000, 500]);
  });
});
