/**
 * Representative values for a normalised statement's `$n` parameters, so `--verify` can execute it:
 * each parameter compared with a column takes a value from that column's statistics (pg_stats): the
 * most common value for equality and IN, a histogram bound for ranges (the 90th percentile for `>`, the
 * 10th for `<`, so a range selects about a tenth of the rows); `LIMIT $n` is 10 and `OFFSET $n` is 0.
 * A parameter it cannot place leaves the statement unexecuted, with the reason.
 */
import type { Db } from '../db/db.js';

type Json = Record<string, unknown>;

interface ParameterUse {
  column: string;
  operator: 'eq' | 'gt' | 'lt' | 'between-low' | 'between-high';
  /** Position among the values of an IN list. */
  index: number;
}

/** How each `$n` is used, by number: compared with a column, or LIMIT / OFFSET. */
export function parameterUses(tree: unknown): Map<number, ParameterUse | { literal: string }> {
  const uses = new Map<number, ParameterUse | { literal: string }>();
  const paramOf = (node: unknown): number | null => {
    let n = node as Json | undefined;
    while (n?.TypeCast) n = (n.TypeCast as Json).arg as Json;
    const ref = n?.ParamRef as Json | undefined;
    return ref ? Number(ref.number ?? 0) : null;
  };
  const columnOf = (node: unknown): string | null => {
    let n = node as Json | undefined;
    while (n?.TypeCast) n = (n.TypeCast as Json).arg as Json;
    const fields = ((n?.ColumnRef as Json | undefined)?.fields as Json[] | undefined) ?? [];
    const last = fields[fields.length - 1]?.String as Json | undefined;
    return (last?.sval as string | undefined) ?? null;
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const n = value as Json;
    if (n.SelectStmt) {
      const select = n.SelectStmt as Json;
      const limit = paramOf(select.limitCount);
      if (limit) uses.set(limit, { literal: '10' });
      const offset = paramOf(select.limitOffset);
      if (offset) uses.set(offset, { literal: '0' });
    }
    if (n.A_Expr) {
      const expr = n.A_Expr as Json;
      const op = ((expr.name as Json[] | undefined)?.[0]?.String as Json | undefined)?.sval as string | undefined;
      const kind = expr.kind as string;
      const leftColumn = columnOf(expr.lexpr);
      const rightColumn = columnOf(expr.rexpr);
      const leftParam = paramOf(expr.lexpr);
      const rightParam = paramOf(expr.rexpr);
      if (kind === 'AEXPR_OP' && op) {
        const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' };
        const [column, param, operator] = leftColumn && rightParam ? [leftColumn, rightParam, op] : rightColumn && leftParam ? [rightColumn, leftParam, flip[op] ?? op] : [null, null, op];
        if (column && param) {
          const kindOf = operator === '=' ? 'eq' : operator === '>' || operator === '>=' ? 'gt' : operator === '<' || operator === '<=' ? 'lt' : null;
          if (kindOf) uses.set(param, { column, operator: kindOf, index: 0 });
        }
      } else if ((kind === 'AEXPR_IN' || kind === 'AEXPR_OP_ANY') && leftColumn) {
        const list = Array.isArray(expr.rexpr) ? (expr.rexpr as unknown[]) : ((expr.rexpr as Json | undefined)?.List as Json | undefined)?.items as unknown[] | undefined ?? [expr.rexpr];
        list.forEach((item, index) => {
          const param = paramOf(item);
          if (param) uses.set(param, { column: leftColumn, operator: 'eq', index });
        });
      } else if (kind === 'AEXPR_BETWEEN' && leftColumn) {
        const bounds = (((expr.rexpr as Json | undefined)?.List as Json | undefined)?.items as unknown[] | undefined) ?? (Array.isArray(expr.rexpr) ? (expr.rexpr as unknown[]) : []);
        const low = paramOf(bounds[0]);
        const high = paramOf(bounds[1]);
        if (low) uses.set(low, { column: leftColumn, operator: 'between-low', index: 0 });
        if (high) uses.set(high, { column: leftColumn, operator: 'between-high', index: 0 });
      }
    }
    for (const child of Object.values(n)) visit(child);
  };
  visit(tree);
  return uses;
}

/** Where in a column's histogram a range parameter takes its value. */
const HISTOGRAM_SHARE: Record<Exclude<ParameterUse['operator'], 'eq'>, number> = { gt: 0.9, lt: 0.1, 'between-low': 0.45, 'between-high': 0.55 };

/** SQL literals for `$1..$parameters` from the statistics of the statement's tables, or the reason it cannot. */
export async function representativeValues(db: Db, tree: unknown, parameters: number): Promise<{ values: string[] } | { reason: string }> {
  const uses = parameterUses(tree);
  const tables = relationNames(tree);
  const values: string[] = [];
  for (let n = 1; n <= parameters; n++) {
    const use = uses.get(n);
    if (!use) return { reason: `$${n} is not compared with a column: no representative value for it` };
    if ('literal' in use) {
      values.push(use.literal);
      continue;
    }
    // The statement's tables, as the session's search path resolves them.
    const [stats] = await db.query<{ mcv: string | null; hist: string | null }>(
      `SELECT s.most_common_vals::text AS mcv, s.histogram_bounds::text AS hist
         FROM pg_stats s
        WHERE s.attname = $1 AND s.tablename = ANY($2)
          AND (s.schemaname = ANY($3) OR s.schemaname = ANY(current_schemas(false)))
        ORDER BY array_position(current_schemas(false), s.schemaname::text) NULLS FIRST
        LIMIT 1`,
      [use.column, tables.names, tables.schemas],
    );
    const mcv = stats?.mcv ? parseArrayLiteral(stats.mcv) : [];
    const hist = stats?.hist ? parseArrayLiteral(stats.hist) : [];
    const at = (share: number): string | undefined => hist[Math.min(hist.length - 1, Math.floor(share * (hist.length - 1)))];
    const value = use.operator === 'eq' ? (mcv[use.index] ?? mcv[0] ?? at(0.5)) : at(HISTOGRAM_SHARE[use.operator]);
    if (value === undefined) return { reason: `$${n}: no statistics for column ${use.column} (ANALYZE its table)` };
    values.push(`'${value.replace(/'/g, "''")}'`);
  }
  return { values };
}

/** Table names (and the schemas written) of the statement's relations. */
function relationNames(tree: unknown): { names: string[]; schemas: string[] } {
  const names = new Set<string>();
  const schemas = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const n = value as Json;
    const rangeVar = n.RangeVar as Json | undefined;
    if (rangeVar?.relname) {
      names.add(rangeVar.relname as string);
      if (rangeVar.schemaname) schemas.add(rangeVar.schemaname as string);
    }
    for (const child of Object.values(n)) visit(child);
  };
  visit(tree);
  return { names: [...names], schemas: [...schemas] };
}

/** Elements of a one-dimensional array in Postgres's text form: `{a,"b c",NULL}`. */
export function parseArrayLiteral(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('{') + 1;
  while (i < text.length && text[i] !== '}') {
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        value += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '}') value += text[i++];
    }
    out.push(value);
    if (text[i] === ',') i++;
  }
  return out;
}
