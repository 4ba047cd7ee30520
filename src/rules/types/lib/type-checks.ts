/**
 * The judgements of the types rules that do not depend on where a column comes from: the review
 * applies them to the snapshot's columns, the migration lint (src/rules/migration/column-*.ts) to the
 * columns a CREATE TABLE or ALTER TABLE ... ADD COLUMN declares. Both speak of a column in the same
 * small shape.
 */

/** A column as the types rules judge it. */
export interface TypedColumn {
  name: string;
  /** pg_type name of its base type: `bpchar`, `varchar`, `text`, `money`, `json`, `timestamp`, `float8`, ... */
  typeName: string;
  /** The length of a character or character varying column, when it has one. */
  length: number | null;
  isArray: boolean;
  /** The default's text, when it has one. */
  default: string | null;
}

/** The words of float-for-money: whole parts of a snake_case or camelCase name, singular or plural, that mean money. */
export const MONEY_WORDS: readonly string[] = ['price', 'amount', 'cost', 'total', 'balance', 'fee', 'tax', 'salary', 'payment', 'subtotal', 'discount', 'revenue'];

/** The exact type for amounts of money: 15 integer digits and 4 decimals. */
export const MONEY_NUMERIC = 'numeric(19,4)';

/** The money word a column name contains as a whole part (`unit_price`, `totalAmount`, `fees`). */
export function moneyWord(name: string, words: ReadonlySet<string>): string | null {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const part of parts) {
    if (words.has(part)) return part;
    const singular = part.endsWith('es') && words.has(part.slice(0, -2)) ? part.slice(0, -2) : part.endsWith('s') ? part.slice(0, -1) : null;
    if (singular && words.has(singular)) return singular;
  }
  return null;
}

/** True for real and double precision. */
export function isFloat(typeName: string): boolean {
  return typeName === 'float4' || typeName === 'float8';
}

/** A call of uuid-ossp's uuid_generate_v4(), schema-qualified or not (global: for `replace`). */
export const UUID_GENERATE_V4 = /(?<![\w$"])(?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?uuid_generate_v4\(\)/g;

/** A call of a UUID generator (built in, or from uuid-ossp), schema-qualified or not. */
export const UUID_GENERATOR_CALL =
  /(?<![\w$"])(?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?(?:gen_random_uuid|uuidv4|uuidv7|uuid_generate_v1mc|uuid_generate_v1|uuid_generate_v4)\(\)/;
const UUID_GENERATOR_NAME = /(?<![\w$])(?:gen_random_uuid|uuidv4|uuidv7|uuid_generate_v\w+)\s*\(/;

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar']);

/** Why a text, varchar or char column looks like it holds UUIDs (its name, its default, an id of 36 characters), or null. */
export function uuidSignal(column: TypedColumn): string | null {
  if (column.isArray || !TEXT_TYPES.has(column.typeName)) return null;
  const name = column.name.toLowerCase();
  if (name.endsWith('uuid') || name.endsWith('guid')) return 'its name';
  if (column.default && UUID_GENERATOR_NAME.test(column.default)) return 'its default generates UUIDs';
  const isIdName = name === 'id' || name.endsWith('_id') || column.name.endsWith('Id');
  if (isIdName && column.typeName !== 'text' && column.length === 36) return 'an id of exactly 36 characters';
  return null;
}
