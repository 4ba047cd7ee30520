/**
 * Text helpers for the migration rules' rewrites: the statement's own text for a clause (a
 * constraint, a column definition), names written as the statement wrote them, and the names
 * PostgreSQL would choose for an unnamed constraint or index.
 */
import type { RangeVar } from 'libpg-query';
import { quoteIdent } from '../../../sql/quote.js';
import type { StatementSource, Token } from '../../query-rule.js';

/** Index of the first token that ends after byte `offset`, or the token count. */
function tokenIndexFrom(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.end <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The end (byte offset) of the clause that starts at `start`: its last token before the next `,` or
 * unmatched `)` at its own depth, or before the statement's end. A constraint of ALTER TABLE
 * (`CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) ON DELETE CASCADE`), a column definition.
 */
export function clauseEnd(source: StatementSource, start: number): number {
  const tokens = source.tokens();
  let depth = 0;
  let end = start;
  for (let i = tokenIndexFrom(tokens, start); i < tokens.length; i++) {
    const text = tokens[i]!.text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      if (depth === 0) break;
      depth--;
    } else if ((text === ',' || text === ';') && depth === 0) break;
    end = tokens[i]!.end;
  }
  return end;
}

/** The clause's text (see `clauseEnd`). */
export function clauseText(source: StatementSource, start: number): string {
  return source.slice(start, clauseEnd(source, start));
}

/** The byte offset where a table name as written ends (`orders`, `sales."Orders"`); null without a location. */
export function relationEnd(source: StatementSource, relation: RangeVar): number | null {
  if (relation.location === undefined || relation.location < 0) return null;
  const tokens = source.tokens();
  let i = tokenIndexFrom(tokens, relation.location);
  if (i >= tokens.length) return null;
  while (i + 2 < tokens.length && tokens[i + 1]!.text === '.') i += 2;
  return tokens[i]!.end;
}

/** The first token with this keyword (a lower-case word) at or after `from`. */
export function keywordToken(source: StatementSource, keyword: string, from = source.start): Token | undefined {
  const tokens = source.tokens();
  for (let i = tokenIndexFrom(tokens, from); i < tokens.length; i++) if (tokens[i]!.keyword === keyword) return tokens[i];
  return undefined;
}

/** The first token at or after `from` whose unquoted name is `name` (a column named in ALTER COLUMN). */
export function nameToken(source: StatementSource, name: string, from = source.start): Token | undefined {
  const tokens = source.tokens();
  for (let i = tokenIndexFrom(tokens, from); i < tokens.length; i++) {
    const text = tokens[i]!.text;
    const unquoted = text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : tokens[i]!.keyword;
    if (unquoted === name) return tokens[i];
  }
  return undefined;
}

/** A table name for SQL, quoted where needed, with its schema when the statement wrote one; `ONLY` when asked and written. */
export function relationSql(relation: RangeVar, keepOnly = false): string {
  const name = `${relation.schemaname ? `${quoteIdent(relation.schemaname)}.` : ''}${quoteIdent(relation.relname ?? '')}`;
  return keepOnly && relation.inh !== true ? `ONLY ${name}` : name;
}

/** A name in the schema of `relation` (as written): an index or view beside the table. */
export function siblingSql(relation: RangeVar, name: string): string {
  return `${relation.schemaname ? `${quoteIdent(relation.schemaname)}.` : ''}${quoteIdent(name)}`;
}

/** The longest name PostgreSQL keeps (NAMEDATALEN - 1 bytes). */
const MAX_NAME = 63;

/**
 * The name PostgreSQL gives an unnamed constraint or index (`makeObjectName`): `table_columns_label`,
 * the longer of the first two parts shortened until the whole fits in 63 bytes.
 */
export function defaultName(table: string, columns: readonly string[], label: string): string {
  let first = table;
  let second = columns.join('_');
  const overhead = label.length + 1 + (second ? 1 : 0);
  while (Buffer.byteLength(first) + Buffer.byteLength(second) > MAX_NAME - overhead) {
    if (Buffer.byteLength(first) > Buffer.byteLength(second)) first = first.slice(0, -1);
    else second = second.slice(0, -1);
  }
  return second ? `${first}_${second}_${label}` : `${first}_${label}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
