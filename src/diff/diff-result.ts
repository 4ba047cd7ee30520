/**
 * What `diff` produces: the ordered steps of the migration that turns one schema (`from`) into another
 * (`to`), each with its SQL, whether it destroys something `to` does not have, and what it locks.
 * Part of the JSON contract of `pgarchitect diff --format json`: add fields, never rename or remove them
 * without bumping `schemaVersion`.
 */

export const DIFF_RESULT_SCHEMA_VERSION = 1;

/** The kinds of object a step can be about. */
export type DiffObjectType =
  | 'schema'
  | 'extension'
  | 'type'
  | 'domain'
  | 'sequence'
  | 'function'
  | 'procedure'
  | 'aggregate'
  | 'table'
  | 'partitioned table'
  | 'foreign table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'view'
  | 'materialized view'
  | 'trigger'
  | 'policy';

/** The object a step is about. `name` is its own name; for a function, `name(argument types)`. */
export interface DiffObject {
  type: DiffObjectType;
  schema?: string;
  table?: string;
  name: string;
}

/** One step of the migration: one change, in one or more statements. */
export interface DiffStep {
  /** What the step does: `create table`, `add column`, `alter column type`, `drop index`, ... */
  kind: string;
  object: DiffObject;
  /** Complete statements, each ending with `;`; empty for a step pgarchitect cannot write (see notes). */
  sql: string;
  /** Drops data or code that `to` does not have (a table, a column, a function...): needs allowDrops. */
  destructive: boolean;
  /** For a destructive step: what is lost. */
  loses: string | null;
  /**
   * Written as SQL in the script. False for a destructive step without allowDrops, a step that needs
   * one of those, and a step with no SQL: all written as comments.
   */
  applied: boolean;
  /** Takes no lock that blocks reads or writes for long: no table rewrite or scan under ACCESS EXCLUSIVE. */
  safeOnline: boolean;
  /** Locks and rewrites, what can make the step fail, what it leaves to you. */
  notes: string[];
}

/** Where one side of the diff was read from. */
export interface DiffSide {
  /** Redacted: a URL without its password, or file names. */
  description: string;
  kind: 'live' | 'files' | 'snapshot';
  database: string;
  /** `server_version_num` of the engine the snapshot was read from. */
  versionNum: number;
}

/** How the migration is written. */
export interface DiffOptions {
  /** Write destructive steps (drops of tables, columns, functions, types...) as SQL, not as comments. */
  allowDrops?: boolean;
  /** CREATE/DROP INDEX CONCURRENTLY on existing tables (default true); false for transactional migration runners. */
  concurrently?: boolean;
}

/** The migration from `from` to `to`. */
export interface DiffResult {
  schemaVersion: typeof DIFF_RESULT_SCHEMA_VERSION;
  from: DiffSide;
  to: DiffSide;
  options: Required<DiffOptions>;
  /** In the order they must run. Empty when the two schemas are the same. */
  steps: DiffStep[];
  /** About the whole migration: renames are not detected, statements pgarchitect does not write... */
  notes: string[];
}

/** True when the schemas differ (the CLI exits 1, like `diff`). */
export function hasDifferences(result: DiffResult): boolean {
  return result.steps.length > 0;
}

/** `schema.table.name`, for messages and the script's step titles. */
export function describeDiffObject(object: DiffObject): string {
  return [object.schema, object.table, object.name].filter((p) => p !== undefined && p !== '').join('.');
}
