import type { Column, Table, View } from '../../catalog/types.js';
import type { Fix, ObjectRef } from '../../finding.js';
import { keywordKind, type KeywordKind } from '../../sql/parser.js';
import { defineRule } from '../rule.js';
import { plural, singular } from '../lib/inflect.js';

/**
 * A table or column named after an SQL keyword (user, order, group, end, left) must be quoted in
 * every query, or it parses as something else: `SELECT user FROM t` quietly returns the session user.
 * Keywords the grammar accepts as names (int, time, position) still make queries hard to read.
 */
export default defineRule({
  meta: {
    id: 'reserved-word-identifier',
    category: 'naming',
    defaultSeverity: 'warning',
    description: 'A table, view or column is named with an SQL keyword.',
    fixable: true,
    defaultOptions: {
      /** Keyword categories (as the PostgreSQL parser classifies them) that are reported. */
      categories: ['reserved', 'type-function-name', 'column-name'] as string[],
    },
  },
  check({ index, snapshot, options, report }) {
    const categories = new Set(options.categories);
    const keywords = new KeywordLookup();
    // A name needing quotes for other reasons ("Order") is quoted-mixed-case-identifier's.
    const flagged = (name: string): KeywordKind | null => {
      const kind = keywords.kind(name);
      return categories.has(kind) ? kind : null;
    };
    // Needed only to rename a relation, which few schemas call for.
    let relationNames: Map<string, Set<string>> | undefined;
    /** Tables renamed by this rule's own fixes: their columns' fixes use the new name (reported, and so applied, first). */
    const renamedTables = new Map<string, string>();

    const relations: (Table | View)[] = [...index.designTables(), ...snapshot.views];
    for (const relation of relations) {
      const kind = flagged(relation.name);
      if (!kind) continue;
      const object = relationObject(relation);
      relationNames ??= relationNamesBySchema(snapshot);
      const names = relationNames.get(relation.schema) ?? new Set<string>();
      const suggested = keywordFreeName(relation.name, keywords);
      const free = !names.has(suggested);
      if (free) {
        names.add(suggested);
        if (!('materialized' in relation)) renamedTables.set(`${relation.schema}.${relation.name}`, suggested);
      }
      report({
        object,
        message: `${label(object)} ${relation.schema}.${relation.name} is named with the SQL keyword "${relation.name}" (${kind}).`,
        evidence: { keyword: relation.name, keywordCategory: kind, suggestedName: suggested, suggestedNameTaken: !free },
        fix: free
          ? renameFix(`${alterKeyword(relation)} ${keywords.qualified(relation.schema, relation.name)} RENAME TO ${keywords.quote(suggested)};`, suggested)
          : null,
      });
    }

    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      if (!columns.some((c) => flagged(c.name))) continue;
      const taken = new Set(columns.map((c) => c.name));
      const foreignKeyColumns = new Set(
        index.constraintsOf(table).flatMap((c) => (c.kind === 'foreign key' ? c.columns : [])),
      );
      const tableName = renamedTables.get(`${table.schema}.${table.name}`) ?? table.name;
      for (const column of columns) {
        const kind = flagged(column.name);
        if (!kind) continue;
        const suggested = keywordFreeName(column.name, keywords, { column, table: tableName, foreignKey: foreignKeyColumns.has(column.name) });
        const free = !taken.has(suggested);
        if (free) taken.add(suggested);
        report({
          object: { type: 'column', schema: table.schema, table: table.name, name: column.name, column: column.name },
          message: `Column ${table.schema}.${table.name}.${column.name} is named with the SQL keyword "${column.name}" (${kind}).`,
          evidence: { keyword: column.name, keywordCategory: kind, suggestedName: suggested, suggestedNameTaken: !free },
          fix: free
            ? renameFix(
                `ALTER TABLE ${keywords.qualified(table.schema, tableName)} RENAME COLUMN ${keywords.quote(column.name)} TO ${keywords.quote(suggested)};`,
                suggested,
                tableName !== table.name ? `${table.schema}.${tableName}` : undefined,
              )
            : null,
        });
      }
    }
  },
});

/**
 * The parser's keyword category of names, each word scanned once per run: one scan costs about
 * 15 µs, too much to repeat for 100,000 columns. Quotes names the way `quoteIdent` does.
 */
export class KeywordLookup {
  private readonly kinds = new Map<string, KeywordKind>();

  kind(word: string): KeywordKind {
    // Every PostgreSQL keyword is lower-case letters and underscores (the test checks pg_get_keywords()).
    if (!/^[a-z_]+$/.test(word)) return 'none';
    let kind = this.kinds.get(word);
    if (kind === undefined) this.kinds.set(word, (kind = keywordKind(word)));
    return kind;
  }

  quote(name: string): string {
    if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
      const kind = this.kind(name);
      if (kind === 'none' || kind === 'unreserved') return name;
    }
    return `"${name.replace(/"/g, '""')}"`;
  }

  qualified(schema: string, name: string): string {
    return `${this.quote(schema)}.${this.quote(name)}`;
  }
}

/** What a column's new name is chosen from. */
export interface ColumnContext {
  column: Column;
  /** The (possibly new) name of its table. */
  table: string;
  foreignKey: boolean;
}

const TABLE_RENAMES: Record<string, string> = { user: 'app_user' };

const COLUMN_RENAMES: Record<string, string> = {
  order: 'sort_order',
  desc: 'description',
  default: 'default_value',
  user: 'user_name',
  group: 'group_name',
  from: 'valid_from',
  to: 'valid_to',
  limit: 'limit_value',
  offset: 'offset_value',
  timestamp: 'recorded_at',
  position: 'sort_position',
  values: 'value_list',
};

/**
 * A non-keyword name for a keyword-named object: tables take their plural (order → orders) or a
 * conventional name (user → app_user); a column is named from how it is used (a foreign key → _id, a
 * timestamp → _at, a boolean → is_) or from a short list, else prefixed with its table's name.
 */
export function keywordFreeName(word: string, keywords: KeywordLookup, context?: ColumnContext): string {
  const candidate = context ? columnName(word, context) : (TABLE_RENAMES[word] ?? plural(word));
  const kind = keywords.kind(candidate);
  return kind === 'none' || kind === 'unreserved' ? candidate : `${candidate}_${context ? 'value' : 'data'}`;
}

function columnName(word: string, { column, table, foreignKey }: ColumnContext): string {
  if (foreignKey) return `${word}_id`;
  const known = COLUMN_RENAMES[word];
  if (known) return known;
  if (column.typeName === 'timestamptz' || column.typeName === 'timestamp') return `${word}_at`;
  if (column.typeName === 'date') return `${word}_date`;
  if (column.typeName === 'bool') return `is_${word}`;
  return `${singular(table)}_${word}`;
}



function renameFix(sql: string, suggested: string, renamedTable?: string): Fix {
  return {
    sql,
    safeOnline: true,
    note:
      `renames to ${suggested} (a suggestion: pick the name that reads best). The rename itself is instant, ` +
      `but every query, function body and application that uses the old name must change in the same release` +
      (renamedTable ? `; refers to the table by its new name ${renamedTable}, so apply the table's rename first` : ''),
  };
}

/** Names of every relation per schema (tables, partitions, views, sequences, indexes share one namespace). */
export function relationNamesBySchema(snapshot: {
  tables: readonly { schema: string; name: string }[];
  views: readonly { schema: string; name: string }[];
  sequences: readonly { schema: string; name: string }[];
  indexes: readonly { schema: string; name: string }[];
}): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const list of [snapshot.tables, snapshot.views, snapshot.sequences, snapshot.indexes]) {
    for (const { schema, name } of list) {
      const set = names.get(schema);
      if (set) set.add(name);
      else names.set(schema, new Set([name]));
    }
  }
  return names;
}

function relationObject(relation: Table | View): ObjectRef {
  if ('materialized' in relation) {
    return { type: relation.materialized ? 'materialized view' : 'view', schema: relation.schema, name: relation.name };
  }
  return { type: relation.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: relation.schema, name: relation.name };
}

function alterKeyword(relation: Table | View): string {
  if ('materialized' in relation) return relation.materialized ? 'ALTER MATERIALIZED VIEW' : 'ALTER VIEW';
  return 'ALTER TABLE';
}

function label(object: ObjectRef): string {
  return object.type === 'materialized view' ? 'Materialized view' : object.type === 'view' ? 'View' : 'Table';
}
