/**
 * Quoting for the SQL pgarchitect generates (fix scripts). Identifiers are quoted only when Postgres
 * needs it: upper case or unusual characters, or a keyword the grammar does not accept as a bare name.
 * Requires `ensureParser()` (the keyword list is the parser's own).
 */
import { keywordKind } from './parser.js';

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    const kind = keywordKind(name);
    if (kind === 'none' || kind === 'unreserved') return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, each part quoted as needed. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `(a, b, "C")` */
export function columnList(columns: readonly string[]): string {
  return `(${columns.map(quoteIdent).join(', ')})`;
}
