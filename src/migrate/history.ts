/**
 * The history table, `pgarchitect.migration_history`: one row per applied (or failed) migration and
 * per baseline. It is created on the first `migrate up` or `migrate baseline`, never by a read.
 */
import type { Db } from '../db/db.js';

export const HISTORY_SCHEMA = 'pgarchitect';
export const HISTORY_TABLE = `${HISTORY_SCHEMA}.migration_history`;

/** What a history row records. */
export type HistoryType = 'versioned' | 'repeatable' | 'baseline';

export interface HistoryRow {
  /** Order of installation (an identity column). */
  rank: number;
  /** Normalised version (`3`, `1.1`); null for a repeatable migration. */
  version: string | null;
  description: string;
  type: HistoryType;
  /** The file name; `<< baseline >>` for a baseline. */
  script: string;
  checksum: string | null;
  installedBy: string;
  /** ISO 8601, UTC. */
  installedAt: string;
  executionMs: number;
  success: boolean;
  /** False when the migration ran statement by statement, outside a transaction block. */
  transactional: boolean;
  /** Statements that completed; for a failed non-transactional migration, those that stayed applied. */
  statementsRun: number;
  statementsTotal: number;
  /** The error of a failed migration: `statement 3 (line 7): 23505 duplicate key …`. */
  error: string | null;
}

/** A row to insert. */
export type NewHistoryRow = Omit<HistoryRow, 'rank' | 'installedAt' | 'installedBy'>;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  installed_rank bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version text,
  description text NOT NULL,
  type text NOT NULL CHECK (type IN ('versioned', 'repeatable', 'baseline')),
  script text NOT NULL,
  checksum text,
  installed_by text NOT NULL DEFAULT current_user,
  installed_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL DEFAULT 0,
  success boolean NOT NULL,
  transactional boolean NOT NULL DEFAULT true,
  statements_run integer NOT NULL DEFAULT 0,
  statements_total integer NOT NULL DEFAULT 0,
  error text,
  CHECK ((type = 'repeatable') = (version IS NULL))
)`;

/** Whether the history table exists (a database never migrated by pgarchitect has none). */
export async function historyTableExists(db: Db): Promise<boolean> {
  const rows = await db.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [HISTORY_TABLE]);
  return rows[0]?.exists === true;
}

/** Creates the schema and table when missing. Run while holding the migrate lock. */
export async function ensureHistoryTable(db: Db): Promise<void> {
  if (await historyTableExists(db)) return;
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${HISTORY_SCHEMA}`);
  await db.exec(CREATE_TABLE);
  await db.exec(`COMMENT ON TABLE ${HISTORY_TABLE} IS 'Migrations applied by pgarchitect migrate: one row per applied or failed migration and per baseline.'`);
}

/** Every row, in installation order; none when the table does not exist. */
export async function readHistory(db: Db): Promise<HistoryRow[]> {
  if (!(await historyTableExists(db))) return [];
  const rows = await db.query<Record<string, unknown>>(
    `SELECT installed_rank, version, description, type, script, checksum, installed_by,
            to_char(installed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS installed_at,
            execution_ms, success, transactional, statements_run, statements_total, error
       FROM ${HISTORY_TABLE} ORDER BY installed_rank`,
    [],
  );
  return rows.map((r) => ({
    rank: Number(r.installed_rank),
    version: (r.version as string | null) ?? null,
    description: String(r.description),
    type: r.type as HistoryType,
    script: String(r.script),
    checksum: (r.checksum as string | null) ?? null,
    installedBy: String(r.installed_by),
    installedAt: String(r.installed_at),
    executionMs: Number(r.execution_ms),
    success: r.success === true,
    transactional: r.transactional === true,
    statementsRun: Number(r.statements_run),
    statementsTotal: Number(r.statements_total),
    error: (r.error as string | null) ?? null,
  }));
}

/** Inserts one row (inside the migration's transaction when it has one). */
export async function insertHistoryRow(db: Db, row: NewHistoryRow): Promise<void> {
  await db.query(
    `INSERT INTO ${HISTORY_TABLE} (version, description, type, script, checksum, execution_ms, success, transactional, statements_run, statements_total, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [row.version, row.description, row.type, row.script, row.checksum, Math.round(row.executionMs), row.success, row.transactional, row.statementsRun, row.statementsTotal, row.error],
  );
}

/** Removes the failed rows of a version (or of a repeatable script): a new attempt replaces them. */
export async function deleteFailedRows(db: Db, version: string | null, script: string): Promise<void> {
  if (version === null) await db.query(`DELETE FROM ${HISTORY_TABLE} WHERE NOT success AND version IS NULL AND script = $1`, [script]);
  else await db.query(`DELETE FROM ${HISTORY_TABLE} WHERE NOT success AND version = $1`, [version]);
}

/** Removes rows by rank (down migrations, repair). */
export async function deleteHistoryRows(db: Db, ranks: readonly number[]): Promise<void> {
  if (ranks.length === 0) return;
  await db.query(`DELETE FROM ${HISTORY_TABLE} WHERE installed_rank = ANY($1::bigint[])`, [ranks.map(String)]);
}

/** Records a new checksum for an applied row (repair). */
export async function updateChecksum(db: Db, rank: number, checksum: string): Promise<void> {
  await db.query(`UPDATE ${HISTORY_TABLE} SET checksum = $2 WHERE installed_rank = $1`, [rank, checksum]);
}
