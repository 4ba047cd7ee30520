/**
 * One PGlite per test process, shared by all cases (a cold start costs seconds and hundreds of MB).
 * Each case starts from an empty database: `useSchema(sql)` drops every user schema and role, then
 * loads the case's SQL.
 */
import { after } from 'node:test';
import { readSnapshot } from '../../src/catalog/read-snapshot.js';
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../../src/config/config.js';
import { EmbeddedDb } from '../../src/db/embedded-db.js';
import { runRules } from '../../src/engine/run-rules.js';
import type { Finding } from '../../src/finding.js';
import type { AnyRule } from '../../src/rules/rule.js';
import { splitStatements } from '../../src/sql/split-statements.js';

/** Extensions every shared instance can CREATE. */
export const TEST_EXTENSIONS = ['uuid-ossp', 'pg_trgm', 'pgcrypto', 'citext', 'btree_gist', 'hstore'];

let shared: Promise<EmbeddedDb> | undefined;

// Registered when this module is imported (at the top level of a test file), so the hook belongs to
// the root of the file's tests: the instance lives until every test of the file has run.
after(async () => {
  const db = await shared?.catch(() => undefined);
  shared = undefined;
  await db?.close();
});

export function sharedEmbedded(): Promise<EmbeddedDb> {
  shared ??= EmbeddedDb.create(TEST_EXTENSIONS);
  return shared;
}

const RESET_SQL = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' AND rolname <> current_user LOOP
    EXECUTE format('DROP OWNED BY %I CASCADE', r.rolname);
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
END $$;
CREATE SCHEMA public;
ALTER SCHEMA public OWNER TO pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
`;

/** Empties the shared database and loads `sql` into it; returns the database. */
export async function useSchema(sql: string): Promise<EmbeddedDb> {
  const db = await sharedEmbedded();
  await db.exec(RESET_SQL);
  if (sql.trim()) await execStatements(db, sql);
  return db;
}

/** Runs a script one statement at a time (CONCURRENTLY and VACUUM refuse an implicit transaction). */
export async function execStatements(db: { exec(sql: string): Promise<void> }, sql: string): Promise<void> {
  for (const statement of await splitStatements(sql)) await db.exec(statement.text);
}

/** Loads `sql` into an empty database and reads its snapshot (source kind `files`). */
export async function snapshotOf(sql: string): Promise<CatalogSnapshot> {
  const db = await useSchema(sql);
  return (await readSnapshot(db, { source: 'files', description: 'test' })).snapshot;
}

/** Snapshot of the shared database as it is now (after fixes were applied, say). */
export async function currentSnapshot(): Promise<CatalogSnapshot> {
  const db = await sharedEmbedded();
  return (await readSnapshot(db, { source: 'files', description: 'test' })).snapshot;
}

/** Findings of one rule on a snapshot, with optional rule options. */
export async function findingsOn(snapshot: CatalogSnapshot, rule: AnyRule, options?: Record<string, unknown>): Promise<Finding[]> {
  const config: Config = options ? { ...EMPTY_CONFIG, rules: { [rule.meta.id]: { options } } } : EMPTY_CONFIG;
  const result = await runRules(snapshot, [rule], { config });
  if (result.skipped.length) throw new Error(`rule skipped: ${result.skipped[0]!.reason}`);
  return result.findings;
}

/** Loads `sql` into an empty embedded database and returns the findings of `rule`. */
export async function findingsFor(rule: AnyRule, sql: string, options?: Record<string, unknown>): Promise<Finding[]> {
  return findingsOn(await snapshotOf(sql), rule, options);
}

/**
 * Applies every finding's fix to the shared database, statement by statement, then returns the rule's
 * findings on the new state: the proof that a fix makes its finding disappear.
 */
export async function findingsAfterFixes(rule: AnyRule, findings: Finding[], options?: Record<string, unknown>): Promise<Finding[]> {
  const db = await sharedEmbedded();
  for (const finding of findings) {
    if (!finding.fix) throw new Error(`finding of ${finding.rule} on ${finding.object.name} has no fix`);
    await execStatements(db, finding.fix.sql);
  }
  return findingsOn(await currentSnapshot(), rule, options);
}
