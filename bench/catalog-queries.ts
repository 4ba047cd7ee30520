/**
 * The statements of src/catalog/queries.ts with their names, so a benchmark can say which catalog query
 * a time belongs to. Functions of the server version are called with it; `tablesQuery` is named `tables`.
 */
import * as queries from '../src/catalog/queries.js';

export interface NamedQuery {
  name: string;
  sql: string;
}

export function catalogQueries(versionNum: number): NamedQuery[] {
  return Object.entries(queries).map(([exported, value]) => ({
    name: exported.replace(/Query$/, ''),
    sql: typeof value === 'function' ? (value as (v: number) => string)(versionNum) : String(value),
  }));
}

/** Every major version whose catalog queries may differ (the queries branch on major versions only). */
const MAJOR_VERSIONS = [120000, 130000, 140000, 150000, 160000, 170000, 180000];

/** The name of a statement sent by readSnapshot, or its first words when it is not one of queries.ts. */
export function catalogQueryName(sql: string): string {
  for (const versionNum of MAJOR_VERSIONS) {
    const found = catalogQueries(versionNum).find((q) => q.sql === sql);
    if (found) return found.name;
  }
  return sql.trim().slice(0, 40).replace(/\s+/g, ' ');
}
