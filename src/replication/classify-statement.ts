/**
 * Whether a statement of the workload could run on a hot standby, read with the real parser. A standby
 * runs read-only transactions only: it refuses INSERT/UPDATE/DELETE/MERGE (also inside a WITH),
 * SELECT ... FOR UPDATE/SHARE, SELECT INTO, DDL, and functions that write or take a transaction ID
 * (nextval, setval, txid_current, large-object writes, pg_notify). Advisory locks would run, but they
 * lock only on the server they are taken on, so code that coordinates through them must stay on the
 * primary. A call of a volatile function of the user's may write: it is listed for review, not counted
 * as routable.
 */
import { parseSync } from '../sql/parser.js';

export type StatementRoute =
  /** Reads only: a replica can serve it (mind read-after-write). */
  | 'replica'
  /** Writes, locks rows, or calls something a standby refuses: primary only. */
  | 'primary'
  /** Reads, but calls a volatile function of the user's that may write: check it before routing. */
  | 'review';

export interface StatementClass {
  route: StatementRoute;
  /** Why, in a few words: `INSERT`, `SELECT ... FOR UPDATE`, `calls nextval()`, `calls volatile app.touch()`. */
  reason: string;
  /** Tables read (schema-qualified when written so). */
  reads: string[];
  /** Tables written. */
  writes: string[];
  /** User functions called, for the volatility lookup: `schema.name` or `name`. */
  functions: string[];
}

/** Functions of pg_catalog a standby refuses or that only make sense on the primary. */
const PRIMARY_FUNCTIONS = new Set([
  'nextval', 'setval', 'txid_current', 'pg_current_xact_id', 'pg_current_wal_lsn', 'pg_current_wal_insert_lsn', 'pg_switch_wal',
  'pg_create_restore_point', 'pg_notify', 'lo_create', 'lo_creat', 'lo_import', 'lo_unlink', 'lo_put', 'lo_from_bytea', 'lowrite', 'lo_truncate',
  'pg_advisory_lock', 'pg_advisory_xact_lock', 'pg_try_advisory_lock', 'pg_try_advisory_xact_lock', 'pg_advisory_lock_shared',
  'pg_advisory_xact_lock_shared', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock', 'pg_advisory_unlock_all',
  'set_config',
]);

const WRITE_STATEMENTS: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

type Node = Record<string, unknown>;

export function classifyStatement(sql: string): StatementClass {
  let tree: { stmts?: { stmt?: Node }[] };
  try {
    tree = parseSync(sql) as typeof tree;
  } catch {
    return { route: 'primary', reason: 'not parsed', reads: [], writes: [], functions: [] };
  }
  const statements = (tree.stmts ?? []).map((s) => s.stmt ?? {});
  const kinds = statements.map((s) => Object.keys(s)[0] ?? '');
  const reads = new Set<string>();
  const writes = new Set<string>();
  const functions = new Set<string>();
  const primaryReasons: string[] = [];
  const cteNames = new Set<string>();
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    for (const [name, child] of Object.entries(node)) {
      if (WRITE_STATEMENTS[name]) {
        primaryReasons.push(WRITE_STATEMENTS[name]!);
        const relation = (child as Node).relation as Node | undefined;
        if (relation) writes.add(relationName(relation));
      }
      if (name === 'lockingClause' && Array.isArray(child) && child.length) primaryReasons.push('SELECT ... FOR UPDATE/SHARE');
      if (name === 'intoClause' && child) primaryReasons.push('SELECT INTO');
      if (name === 'CommonTableExpr') cteNames.add(String((child as Node).ctename ?? ''));
      if (name === 'RangeVar') {
        const relation = relationName(child as Node);
        if (!writes.has(relation) || key !== 'relation') reads.add(relation);
      }
      if (name === 'FuncCall') {
        const parts = (((child as Node).funcname as Node[] | undefined) ?? []).map((p) => String(((p.String as Node | undefined)?.sval as string | undefined) ?? ''));
        const fn = parts[parts.length - 1]!.toLowerCase();
        const schema = parts.length > 1 ? parts[0]!.toLowerCase() : null;
        if ((schema === null || schema === 'pg_catalog') && PRIMARY_FUNCTIONS.has(fn)) primaryReasons.push(`calls ${fn}()`);
        else if (schema !== 'pg_catalog') functions.add(parts.join('.'));
      }
      visit(child, name);
    }
  };
  visit(statements);
  for (const w of writes) reads.delete(w);
  for (const cte of cteNames) reads.delete(cte);
  const result = { reads: [...reads].sort(), writes: [...writes].sort(), functions: [...functions].sort() };
  const notQuery = kinds.find((k) => k !== 'SelectStmt' && !WRITE_STATEMENTS[k]);
  if (notQuery) return { route: 'primary', reason: notQuery.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase(), ...result };
  if (primaryReasons.length) return { route: 'primary', reason: [...new Set(primaryReasons)].join(', '), ...result };
  return { route: 'replica', reason: 'reads only', ...result };
}

function relationName(relation: Node): string {
  const name = String(relation.relname ?? '');
  return relation.schemaname ? `${String(relation.schemaname)}.${name}` : name;
}
