import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/security/security-definer-without-search-path.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('security-definer-without-search-path', () => {
  test('fires on a SECURITY DEFINER function without search_path; the fix pins its own schema', async () => {
    const findings = await findingsFor(
      rule,
      `SET check_function_bodies = off;
       CREATE SCHEMA app;
       CREATE TABLE app.accounts (id int, balance numeric);
       INSERT INTO app.accounts VALUES (1, 42);
       CREATE FUNCTION app.balance_of(account int) RETURNS numeric LANGUAGE sql SECURITY DEFINER
         AS 'SELECT balance FROM accounts WHERE id = account';`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'function', schema: 'app', name: 'balance_of' });
    assert.match(findings[0]!.message, /app\.balance_of\(account integer\) has no fixed search_path/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER FUNCTION app.balance_of(account integer) SET search_path = app, pg_temp;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    // The unqualified table name now resolves through the pinned path, whatever the caller's.
    const db = await sharedEmbedded();
    await db.exec('SET search_path = pg_catalog');
    assert.deepEqual(await db.query('SELECT app.balance_of(1)::int AS balance'), [{ balance: 42 }]);
    await db.exec('RESET search_path; RESET check_function_bodies');
  });

  test('fires on search paths with public, "$user", a PUBLIC-writable schema, or pg_temp missing or first, and fixes them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE SCHEMA app;
       CREATE SCHEMA shared;
       GRANT CREATE ON SCHEMA shared TO PUBLIC;
       CREATE FUNCTION public.in_public() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
       CREATE FUNCTION app.with_public() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = app, public AS 'SELECT 1';
       CREATE FUNCTION app.with_user() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = "$user", app AS 'SELECT 1';
       CREATE FUNCTION app.with_shared() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = shared AS 'SELECT 1';
       CREATE PROCEDURE app.temp_first(n int) LANGUAGE sql SECURITY DEFINER SET search_path = pg_temp, app AS 'SELECT 1';
       CREATE FUNCTION app.temp_implicit() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = app AS 'SELECT 1';`,
    );
    const byName = new Map(findings.map((f) => [f.object.name, f]));
    assert.deepEqual([...byName.keys()].sort(), ['in_public', 'temp_first', 'temp_implicit', 'with_public', 'with_shared', 'with_user']);
    assert.match(byName.get('with_public')!.message, /unsafe search_path: it includes public/);
    assert.match(byName.get('with_user')!.message, /it includes "\$user"/);
    assert.match(byName.get('with_shared')!.message, /it includes shared/);
    assert.match(byName.get('temp_first')!.message, /pg_temp is searched before other schemas/);
    assert.match(byName.get('temp_implicit')!.message, /pg_temp is not listed, so the caller's temporary tables are searched first/);
    assert.equal(byName.get('temp_implicit')!.fix!.sql, 'ALTER FUNCTION app.temp_implicit() SET search_path = app, pg_temp;');
    assert.equal(byName.get('in_public')!.fix!.sql, 'ALTER FUNCTION public.in_public() SET search_path = pg_catalog, pg_temp;');
    assert.match(byName.get('in_public')!.fix!.note!, /schema-qualify the objects it uses from public/);
    assert.equal(byName.get('with_public')!.fix!.sql, 'ALTER FUNCTION app.with_public() SET search_path = app, pg_temp;');
    assert.equal(byName.get('with_shared')!.fix!.sql, 'ALTER FUNCTION app.with_shared() SET search_path = app, pg_temp;');
    assert.equal(byName.get('temp_first')!.fix!.sql, 'ALTER PROCEDURE app.temp_first(IN n integer) SET search_path = app, pg_temp;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on pinned trusted paths, an empty path, nor on SECURITY INVOKER functions', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE SCHEMA app;
       CREATE FUNCTION app.pinned() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp AS 'SELECT 1';
       CREATE FUNCTION app.catalog_only() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
       CREATE FUNCTION app.empty_path() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1';
       CREATE FUNCTION public.invoker() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
    );
    assert.deepEqual(findings, []);
  });
});
