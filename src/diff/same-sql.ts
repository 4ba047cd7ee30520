/**
 * Whether two definitions Postgres printed mean the same thing. Texts are compared first; when they
 * differ, their parse trees (the real parser, locations left out) are, after undoing the one rewrite
 * that makes Postgres's printing not a fixed point: `x IN ('a', 'b')` on a varchar column is stored as
 * `x::text = ANY (ARRAY['a'::varchar, 'b'::varchar]::text[])`, and that text, parsed again, is stored
 * as `ARRAY['a'::varchar::text, 'b'::varchar::text]`. Without this, a CHECK, a view or a partial index
 * built from a migration would differ from one built from scratch, and every diff would rebuild it.
 * And a view on one table is printed with qualified columns before PostgreSQL 16, without after.
 * Requires `ensureParser()`.
 */
import { parseSync } from '../sql/parser.js';

/** How a definition is made a statement the parser reads. */
export type SqlWrap = 'statement' | 'expression' | 'constraint' | 'query';

const canonical = new Map<string, string | null>();

function statementOf(text: string, wrap: SqlWrap): string {
  switch (wrap) {
    case 'expression':
      return `SELECT ${text}`;
    case 'constraint':
      return `ALTER TABLE t ADD CONSTRAINT c ${text}`;
    case 'query':
      return text.trim().replace(/;\s*$/, '');
    default:
      return text;
  }
}

/** The parse tree of a definition as JSON, normalised; null when the parser cannot read it. */
export function canonicalSql(text: string, wrap: SqlWrap): string | null {
  const sql = statementOf(text, wrap);
  let result = canonical.get(sql);
  if (result === undefined) {
    try {
      result = JSON.stringify(normalise(parseSync(sql).stmts ?? []));
    } catch {
      result = null;
    }
    canonical.set(sql, result);
  }
  return result;
}

/** The two definitions are equal as text, or as normalised parse trees. */
export function sameSql(a: string | null, b: string | null, wrap: SqlWrap): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ca = canonicalSql(a, wrap);
  return ca !== null && ca === canonicalSql(b, wrap);
}

/** Where a node was in the text: not part of what it means. */
const POSITIONS = new Set(['location', 'stmt_location', 'stmt_len', 'list_start', 'list_end']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function normalise(node: unknown): Json {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node as Json;
  const record = node as Record<string, unknown>;
  const pushed = pushArrayCast(record);
  if (pushed) return normalise(pushed);
  if (record.SelectStmt) return { SelectStmt: normalise(unqualifySingleRelation(record.SelectStmt as Record<string, unknown>)) };
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(record)) {
    if (POSITIONS.has(k)) continue;
    out[k] = normalise(v);
  }
  return out;
}

/**
 * A SELECT from one table: `users.id` -> `id`. PostgreSQL 16 stopped qualifying columns when the
 * query reads a single relation; a view read from an older server must compare equal to the same
 * view read from a newer one. Only the SELECT's own clauses: subqueries have their own scope.
 */
function unqualifySingleRelation(select: Record<string, unknown>): Record<string, unknown> {
  const from = select.fromClause as Record<string, unknown>[] | undefined;
  const range = from?.length === 1 ? (from[0]!.RangeVar as { relname?: string; alias?: { aliasname?: string } } | undefined) : undefined;
  const name = range?.alias?.aliasname ?? range?.relname;
  if (!name) return select;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const ref = record.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
    if (ref?.fields?.length === 2 && ref.fields[0]!.String?.sval === name) return { ColumnRef: { ...ref, fields: [ref.fields[1]] } };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = k === 'SubLink' || k === 'SelectStmt' || k === 'RangeSubselect' ? v : strip(v);
    return out;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(select)) out[k] = k === 'fromClause' ? v : strip(v);
  return out;
}

/** `ARRAY[a, b]::t[]` -> `ARRAY[a::t, b::t]`, the form Postgres stores when it reads the first again. */
function pushArrayCast(node: Record<string, unknown>): Record<string, unknown> | null {
  const cast = node.TypeCast as { arg?: Record<string, unknown>; typeName?: Record<string, unknown> } | undefined;
  const array = cast?.arg?.A_ArrayExpr as { elements?: unknown[] } | undefined;
  const bounds = cast?.typeName?.arrayBounds as unknown[] | undefined;
  if (!cast || !array || !bounds || bounds.length !== 1) return null;
  const { arrayBounds: _bounds, ...elementType } = cast.typeName!;
  return { A_ArrayExpr: { elements: (array.elements ?? []).map((element) => ({ TypeCast: { arg: element, typeName: elementType } })) } };
}
