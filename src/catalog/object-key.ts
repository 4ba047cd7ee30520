/**
 * Text keys that name an object independently of OIDs: `schema.table`, `schema.table.column`,
 * `schema.index`. The SQL-file loader records where each key was defined and which inline
 * `-- pgarchitect-ignore` comments apply to it; config ignore patterns match against the same keys.
 */
import type { ObjectRef } from '../finding.js';

/** The keys a finding's object answers to, most specific first. */
export function objectKeys(object: ObjectRef): string[] {
  const schema = object.schema ?? '';
  switch (object.type) {
    case 'column':
      return [`${schema}.${object.table}.${object.column ?? object.name}`, `${schema}.${object.table}`];
    case 'constraint':
    case 'trigger':
      return [`${schema}.${object.table}.${object.name}`, `${schema}.${object.table}`];
    case 'index':
      return object.table ? [`${schema}.${object.name}`, `${schema}.${object.table}`] : [`${schema}.${object.name}`];
    case 'table':
    case 'partitioned table':
      return [`${schema}.${object.table ?? object.name}`];
    case 'schema':
    case 'database':
    case 'role':
    case 'extension':
      return [object.name];
    default:
      return [`${schema}.${object.name}`];
  }
}

/** `*` matches any run of characters; everything else literally. */
export function matchesPattern(pattern: string, key: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(key);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
