import type { Column } from '../../catalog/types.js';
import type { Fix, ObjectRef } from '../../finding.js';
import { keywordKind } from '../../sql/parser.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule, type ReportedFinding } from '../rule.js';
import { keywordFreeName, relationNamesBySchema } from './reserved-word-identifier.js';

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
    const renamer = new Renamer(snapshot.schemas.map((s) => s.name), relationNamesBySchema(snapshot));

    // Containers first: the fixes of what they contain name them by their new name, and findings are
    // reported (and applied) container first, since `public.T` sorts before `public.T.c`.
    for (const schema of snapshot.schemas) {
      if (!needsQuoting(schema.name)) continue;
      const target = renamer.claim(renamer.schemas, schema.name, suggestedName(schema.name));
      report(finding({ type: 'schema', name: schema.name }, 'Schema', schema.name, target, (to) => `ALTER SCHEMA ${quoteIdent(schema.name)} RENAME TO ${quoteIdent(to)};`));
    }

    const designTables = index.designTables();
    for (const table of designTables) {
      if (!needsQuoting(table.name)) continue;
      const target = renamer.claim(renamer.relationsIn(table.schema), table.name, suggestedName(table.name));
      if (target) renamer.renamedTables.set(`${table.schema}.${table.name}`, target);
      const object: ObjectRef = { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name };
      report(finding(object, 'Table', `${table.schema}.${table.name}`, target, (to) => `ALTER TABLE ${renamer.relation(table.schema, table.name)} RENAME TO ${quoteIdent(to)};`));
    }

    for (const view of snapshot.views) {
      if (!needsQuoting(view.name)) continue;
      const target = renamer.claim(renamer.relationsIn(view.schema), view.name, suggestedName(view.name));
      const type = view.materialized ? 'materialized view' : 'view';
      const statement = view.materialized ? 'ALTER MATERIALIZED VIEW' : 'ALTER VIEW';
      report(finding({ type, schema: view.schema, name: view.name }, view.materialized ? 'Materialized view' : 'View', `${view.schema}.${view.name}`, target, (to) => `${statement} ${renamer.relation(view.schema, view.name)} RENAME TO ${quoteIdent(to)};`));
    }

    for (const sequence of snapshot.sequences) {
      if (!needsQuoting(sequence.name)) continue;
      const target = renamer.claim(renamer.relationsIn(sequence.schema), sequence.name, suggestedName(sequence.name));
      report(finding({ type: 'sequence', schema: sequence.schema, name: sequence.name }, 'Sequence', `${sequence.schema}.${sequence.name}`, target, (to) => `ALTER SEQUENCE ${renamer.relation(sequence.schema, sequence.name)} RENAME TO ${quoteIdent(to)};`));
    }

    for (const table of designTables) {
      const columns = index.columnsOf(table);
      const taken = new Set(columns.map((c) => c.name));
      const tableName = renamer.table(table.schema, table.name);
      for (const column of columns) {
        if (!needsQuoting(column.name)) continue;
        const target = renamer.claim(taken, column.name, suggestedName(column.name, column, table.name));
        const object: ObjectRef = { type: 'column', schema: table.schema, table: table.name, name: column.name, column: column.name };
        report(finding(object, 'Column', `${table.schema}.${table.name}.${column.name}`, target, (to) => `ALTER TABLE ${tableName} RENAME COLUMN ${quoteIdent(column.name)} TO ${quoteIdent(to)};`));
      }

      // Constraint names are unique per table; those backed by an index also name that index.
      const constraints = index.constraintsOf(table).filter((c) => !c.inherited);
      const constraintNames = new Set(constraints.map((c) => c.name));
      for (const constraint of constraints) {
        if (!needsQuoting(constraint.name)) continue;
        const wanted = suggestedName(constraint.name);
        const target = constraint.index && renamer.relationsIn(table.schema).has(wanted) ? null : renamer.claim(constraintNames, constraint.name, wanted);
        if (target && constraint.index) renamer.relationsIn(table.schema).add(target);
        const object: ObjectRef = { type: 'constraint', schema: table.schema, table: table.name, name: constraint.name };
        report(finding(object, 'Constraint', `${table.schema}.${table.name}.${constraint.name}`, target, (to) => `ALTER TABLE ${tableName} RENAME CONSTRAINT ${quoteIdent(constraint.name)} TO ${quoteIdent(to)};`, wanted));
      }
    }

    for (const idx of index.designIndexes()) {
      // An index backing a constraint is renamed with it (and reported as the constraint).
      if (idx.constraint !== null || !needsQuoting(idx.name)) continue;
      const target = renamer.claim(renamer.relationsIn(idx.schema), idx.name, suggestedName(idx.name));
      const object: ObjectRef = { type: 'index', schema: idx.schema, table: idx.table, name: idx.name };
      report(finding(object, 'Index', `${idx.schema}.${idx.name}`, target, (to) => `ALTER INDEX ${renamer.relation(idx.schema, idx.name)} RENAME TO ${quoteIdent(to)};`));
    }

    const signatures = new Set(snapshot.functions.map((f) => `${f.schema}.${f.name}(${f.arguments})`));
    for (const fn of snapshot.functions) {
      if (!needsQuoting(fn.name)) continue;
      const wanted = suggestedName(fn.name);
      const target = signatures.has(`${fn.schema}.${wanted}(${fn.arguments})`) ? null : wanted;
      if (target) signatures.add(`${fn.schema}.${target}(${fn.arguments})`);
      const statement = fn.kind === 'procedure' ? 'ALTER PROCEDURE' : fn.kind === 'aggregate' ? 'ALTER AGGREGATE' : 'ALTER FUNCTION';
      const args = fn.kind === 'aggregate' && fn.arguments === '' ? '*' : fn.arguments;
      const object: ObjectRef = { type: 'function', schema: fn.schema, name: fn.name };
      report({
        ...finding(object, fn.kind === 'procedure' ? 'Procedure' : 'Function', `${fn.schema}.${fn.name}(${fn.arguments})`, target, (to) => `${statement} ${renamer.relation(fn.schema, fn.name)}(${args}) RENAME TO ${quoteIdent(to)};`, wanted),
        key: fn.arguments,
      });
    }
  },
});

/**
 * Decides new names and remembers them, so two objects never get the same one and the fixes of a
 * container's contents can name the container as it will be called.
 */
class Renamer {
  readonly schemas: Set<string>;
  private readonly renamedSchemas = new Map<string, string>();
  readonly renamedTables = new Map<string, string>();

  constructor(schemas: readonly string[], private readonly relations: Map<string, Set<string>>) {
    this.schemas = new Set(schemas);
  }

  /** The wanted name when it is free in `taken` (then reserved), else null. */
  claim(taken: Set<string>, original: string, wanted: string): string | null {
    if (taken.has(wanted)) return null;
    taken.add(wanted);
    if (taken === this.schemas) this.renamedSchemas.set(original, wanted);
    return wanted;
  }

  relationsIn(schema: string): Set<string> {
    let names = this.relations.get(schema);
    if (!names) this.relations.set(schema, (names = new Set()));
    return names;
  }

  /** `schema.name` with the schema's new name when this rule renames it. */
  relation(schema: string, name: string): string {
    return qualifiedName(this.renamedSchemas.get(schema) ?? schema, name);
  }

  /** A table as the fixes of its columns and constraints must name it. */
  table(schema: string, name: string): string {
    return this.relation(schema, this.renamedTables.get(`${schema}.${name}`) ?? name);
  }
}

/** The finding for one name; `target` is null when the wanted name is taken (then no fix). */
function finding(object: ObjectRef, label: string, path: string, wanted: string, target: string | null, sql: (to: string) => string): ReportedFinding {
  return {
    object,
    message: `${label} ${path} must be quoted in every query (${reason(object.name)}).`,
    evidence: { quoted: quoteIdent(object.name), reason: reason(object.name), suggestedName: wanted, suggestedNameTaken: target === null },
    fix: target === null ? null : renameFix(sql(target), target),
  };
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
function suggestedName(name: string, column?: Column, table?: string): string {
  let snake = name
    .replace(/([a-z0-9\u00DF-\u00FF])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_$\u0080-\u{10FFFF}]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (snake === '') snake = 'unnamed';
  if (/^[0-9$]/.test(snake)) snake = `_${snake}`;
  const kind = keywordKind(snake);
  if (kind === 'none' || kind === 'unreserved') return snake;
  return keywordFreeName(snake, column && table ? { column, table, foreignKey: false } : undefined);
}
