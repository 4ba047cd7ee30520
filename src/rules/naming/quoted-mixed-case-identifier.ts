import type { Fix, ObjectRef } from '../../finding.js';
import { defineRule } from '../rule.js';
import { KeywordLookup, keywordFreeName, relationNamesBySchema, type ColumnContext } from './reserved-word-identifier.js';

/**
 * PostgreSQL folds unquoted names to lower case, so "OrderItems", "createdAt" or "first name" can only
 * ever be reached quoted: every query, tool and psql session must write the quotes, and forgetting
 * them gives "relation orderitems does not exist". snake_case names need no quotes.
 */
export default defineRule({
  meta: {
    id: 'quoted-mixed-case-identifier',
    category: 'naming',
    defaultSeverity: 'warning',
    description: 'A name has upper case letters, spaces or other characters that force quoting it in every query.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, snapshot, report }) {
    const keywords = new KeywordLookup();
    const quoteIdent = (name: string): string => keywords.quote(name);
    const suggestedName = (name: string, column?: ColumnContext): string => snakeCaseName(name, keywords, column);
    const renamer = new Renamer(snapshot.schemas.map((s) => s.name), () => relationNamesBySchema(snapshot), keywords);
    const rename = (candidate: Candidate): void => {
      const wanted = candidate.wanted ?? suggestedName(candidate.object.name);
      const target = claim(candidate.namespaces, candidate.namespaceKey?.(wanted) ?? wanted) ? wanted : null;
      candidate.onRenamed?.(target);
      report({
        object: candidate.object,
        message: `${candidate.label} ${candidate.path} must be quoted in every query (${reason(candidate.object.name)}).`,
        evidence: {
          quoted: quoteIdent(candidate.object.name),
          reason: reason(candidate.object.name),
          suggestedName: wanted,
          suggestedNameTaken: target === null,
        },
        fix: target === null ? null : renameFix(candidate.sql(quoteIdent(target)), target),
        ...(candidate.key === undefined ? {} : { key: candidate.key }),
      });
    };

    // Containers first: the fixes of what they contain name them by their new name, and findings are
    // reported (so applied) container first, since `public.T` sorts before `public.T.c`.
    for (const schema of snapshot.schemas) {
      if (!needsQuoting(schema.name)) continue;
      rename({
        object: { type: 'schema', name: schema.name },
        label: 'Schema',
        path: schema.name,
        namespaces: [renamer.schemas],
        sql: (to) => `ALTER SCHEMA ${quoteIdent(schema.name)} RENAME TO ${to};`,
        onRenamed: (to) => to && renamer.renamedSchemas.set(schema.name, to),
      });
    }

    const designTables = index.designTables();
    for (const table of designTables) {
      if (!needsQuoting(table.name)) continue;
      rename({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        label: 'Table',
        path: `${table.schema}.${table.name}`,
        namespaces: [renamer.relationsIn(table.schema)],
        sql: (to) => `ALTER TABLE ${renamer.relation(table.schema, table.name)} RENAME TO ${to};`,
        onRenamed: (to) => to && renamer.renamedTables.set(`${table.schema}.${table.name}`, to),
      });
    }

    for (const view of snapshot.views) {
      if (!needsQuoting(view.name)) continue;
      rename({
        object: { type: view.materialized ? 'materialized view' : 'view', schema: view.schema, name: view.name },
        label: view.materialized ? 'Materialized view' : 'View',
        path: `${view.schema}.${view.name}`,
        namespaces: [renamer.relationsIn(view.schema)],
        sql: (to) => `ALTER ${view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${renamer.relation(view.schema, view.name)} RENAME TO ${to};`,
      });
    }

    for (const sequence of snapshot.sequences) {
      if (!needsQuoting(sequence.name)) continue;
      rename({
        object: { type: 'sequence', schema: sequence.schema, name: sequence.name },
        label: 'Sequence',
        path: `${sequence.schema}.${sequence.name}`,
        namespaces: [renamer.relationsIn(sequence.schema)],
        sql: (to) => `ALTER SEQUENCE ${renamer.relation(sequence.schema, sequence.name)} RENAME TO ${to};`,
      });
    }

    for (const idx of index.designIndexes()) {
      // An index backing a constraint is renamed with it, and reported as the constraint.
      if (idx.constraint !== null || !needsQuoting(idx.name)) continue;
      rename({
        object: { type: 'index', schema: idx.schema, table: idx.table, name: idx.name },
        label: 'Index',
        path: `${idx.schema}.${idx.name}`,
        namespaces: [renamer.relationsIn(idx.schema)],
        sql: (to) => `ALTER INDEX ${renamer.relation(idx.schema, idx.name)} RENAME TO ${to};`,
      });
    }

    for (const table of designTables) {
      const columns = index.columnsOf(table);
      // Most tables have nothing to rename: skip the name sets and the table's quoted name.
      if (!columns.some((c) => needsQuoting(c.name)) && !index.constraintsOf(table).some((c) => !c.inherited && needsQuoting(c.name))) continue;
      const columnNames = new Set(columns.map((c) => c.name));
      const newTableName = renamer.renamedTables.get(`${table.schema}.${table.name}`) ?? table.name;
      const tableRef = renamer.relation(table.schema, newTableName);
      for (const column of columns) {
        if (!needsQuoting(column.name)) continue;
        rename({
          object: { type: 'column', schema: table.schema, table: table.name, name: column.name, column: column.name },
          label: 'Column',
          path: `${table.schema}.${table.name}.${column.name}`,
          wanted: suggestedName(column.name, { column, table: newTableName, foreignKey: false }),
          namespaces: [columnNames],
          sql: (to) => `ALTER TABLE ${tableRef} RENAME COLUMN ${quoteIdent(column.name)} TO ${to};`,
        });
      }

      // Constraint names are unique per table; one backed by an index also renames the index, whose
      // name must be free among the schema's relations.
      const constraints = index.constraintsOf(table).filter((c) => !c.inherited);
      const constraintNames = new Set(constraints.map((c) => c.name));
      for (const constraint of constraints) {
        if (!needsQuoting(constraint.name)) continue;
        rename({
          object: { type: 'constraint', schema: table.schema, table: table.name, name: constraint.name },
          label: 'Constraint',
          path: `${table.schema}.${table.name}.${constraint.name}`,
          namespaces: constraint.index === null ? [constraintNames] : [constraintNames, renamer.relationsIn(table.schema)],
          sql: (to) => `ALTER TABLE ${tableRef} RENAME CONSTRAINT ${quoteIdent(constraint.name)} TO ${to};`,
        });
      }
    }

    // Functions are told apart by their arguments: a name is free when no function of the same
    // arguments has it.
    const signatures = new Set(snapshot.functions.map((f) => `${f.schema}.${f.name}(${f.arguments})`));
    for (const fn of snapshot.functions) {
      if (!needsQuoting(fn.name)) continue;
      const statement = fn.kind === 'procedure' ? 'PROCEDURE' : fn.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
      const args = fn.kind === 'aggregate' && fn.arguments === '' ? '*' : fn.arguments;
      rename({
        object: { type: 'function', schema: fn.schema, name: fn.name },
        label: fn.kind === 'procedure' ? 'Procedure' : 'Function',
        path: `${fn.schema}.${fn.name}(${fn.arguments})`,
        namespaces: [signatures],
        namespaceKey: (name) => `${fn.schema}.${name}(${fn.arguments})`,
        sql: (to) => `ALTER ${statement} ${renamer.relation(fn.schema, fn.name)}(${args}) RENAME TO ${to};`,
        key: fn.arguments,
      });
    }
  },
});

/** One quoted name to report, and how to rename it. */
interface Candidate {
  object: ObjectRef;
  label: string;
  /** The name as the message prints it. */
  path: string;
  /** The new name; by default the snake_case form of the object's name. */
  wanted?: string;
  /** Names already in use among which the new name must be unique. */
  namespaces: Set<string>[];
  /** How the new name is recorded in `namespaces`, when not as itself. */
  namespaceKey?: (name: string) => string;
  /** The rename statement, given the new name already quoted as needed. */
  sql: (to: string) => string;
  onRenamed?: (to: string | null) => unknown;
  key?: string;
}

/**
 * Remembers the names in use and the new names given, so two objects never get the same name and
 * the fixes of a container's contents name the container as it will be called.
 */
class Renamer {
  readonly schemas: Set<string>;
  readonly renamedSchemas = new Map<string, string>();
  readonly renamedTables = new Map<string, string>();
  private relations: Map<string, Set<string>> | undefined;

  /** `relationNames` is called on first need only: most schemas have nothing to rename. */
  constructor(
    schemas: readonly string[],
    private readonly relationNames: () => Map<string, Set<string>>,
    private readonly keywords: KeywordLookup,
  ) {
    this.schemas = new Set(schemas);
  }

  relationsIn(schema: string): Set<string> {
    this.relations ??= this.relationNames();
    let names = this.relations.get(schema);
    if (!names) this.relations.set(schema, (names = new Set()));
    return names;
  }

  /** `schema.name`, with the schema's new name when this rule renames it. */
  relation(schema: string, name: string): string {
    return this.keywords.qualified(this.renamedSchemas.get(schema) ?? schema, name);
  }
}

/** Whether `key` is free in every namespace; a free key is then taken in all of them. */
function claim(namespaces: readonly Set<string>[], key: string): boolean {
  if (namespaces.some((n) => n.has(key))) return false;
  for (const n of namespaces) n.add(key);
  return true;
}

function renameFix(sql: string, target: string): Fix {
  return {
    sql,
    safeOnline: true,
    note:
      `renames to ${target}. The rename is instant (a brief lock, no rewrite), but every query, function body ` +
      `and application that writes the quoted name must change in the same release. Apply the fixes in the ` +
      `order reported: a column's fix names its table by the table's new name.`,
  };
}

/** True when PostgreSQL would fold or reject the name unquoted (keywords are reserved-word-identifier's). */
export function needsQuoting(name: string): boolean {
  return !/^[a-z_\u0080-\u{10FFFF}][a-z0-9_$\u0080-\u{10FFFF}]*$/u.test(name);
}

function reason(name: string): string {
  const reasons: string[] = [];
  if (/[A-Z]/.test(name)) reasons.push('upper case letters');
  if (/\s/.test(name)) reasons.push('spaces');
  if (/[^A-Za-z0-9_$\s\u0080-\u{10FFFF}]/u.test(name)) reasons.push('special characters');
  if (/^[0-9$]/.test(name)) reasons.push('starts with a digit or $');
  return reasons.join(', ') || 'not a plain identifier';
}

/** OrderItems → order_items, createdAt → created_at, "first name" → first_name, HTTPStatus → http_status. */
function snakeCaseName(name: string, keywords: KeywordLookup, column?: ColumnContext): string {
  let snake = name
    .replace(/([a-z0-9\u00DF-\u00FF])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_$\u0080-\u{10FFFF}]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') snake = 'unnamed';
  if (/^[0-9$]/.test(snake)) snake = `_${snake}`;
  const kind = keywords.kind(snake);
  if (kind === 'none' || kind === 'unreserved') return snake;
  return keywordFreeName(snake, keywords, column);
}
