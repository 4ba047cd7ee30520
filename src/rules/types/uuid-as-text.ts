import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Column, Constraint } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { columnLabel, columnObject, doBlock, referencingColumns, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';
import { UUID_GENERATOR_CALL, uuidSignal as uuidSignalOf } from './lib/type-checks.js';

/**
 * A UUID kept as text takes 37 bytes (plus the index entry) instead of 16, compares byte by byte
 * under a collation instead of as a number, and accepts any string: upper and lower case spellings of
 * the same UUID, or garbage. The uuid type is smaller, faster and validates its input.
 */
export default defineRule({
  meta: {
    id: 'uuid-as-text',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A text, varchar or char column holds UUIDs, judging by its name, length or default.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    const candidates = index.designColumns().flatMap((column) => {
      const signal = uuidSignal(column);
      return signal ? [{ column, signal }] : [];
    });
    const candidateKeys = new Set(candidates.map((c) => columnKey(c.column)));
    for (const { column, signal } of candidates) {
      const referenced = referencedColumn(index, column);
      const referencedBy = referencingColumns(index, column);
      const noFix = referenced
        ? candidateKeys.has(referenced.key)
          ? `references ${referenced.label}, and is converted by the fix of that column`
          : `references ${referenced.label}: convert both together (drop the foreign key, change both columns, re-add it)`
        : typeChangeBlocker(index, column, 'uuid');
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type} but holds UUIDs (${signal}): the uuid type takes 16 bytes instead of 37 and rejects malformed values.`,
        evidence: {
          type: column.type,
          signal,
          default: column.default,
          referencedBy: referencedBy.map((r) => columnLabel(r)),
          ...(noFix ? { noFix } : {}),
        },
        fix: noFix ? null : fixFor(index, column, referencedBy),
      });
    }
  },
});

function columnKey(column: { schema: string; table: string; name: string }): string {
  return `${column.schema}\u0000${column.table}\u0000${column.name}`;
}

/** Why the column looks like it holds UUIDs, or null (only base types: a domain over text is left alone). */
function uuidSignal(column: Column): string | null {
  if (column.typeKind !== 'b') return null;
  const length = column.type.match(/^(?:character varying|character)\((\d+)\)$/)?.[1];
  return uuidSignalOf({ name: column.name, typeName: column.typeName, length: length ? Number(length) : null, isArray: column.isArray, default: column.default });
}

/** The column this one points at through a foreign key, if any. */
function referencedColumn(index: SnapshotIndex, column: Column): { key: string; label: string } | null {
  for (const constraint of index.constraintsOf({ schema: column.schema, name: column.table })) {
    if (constraint.kind !== 'foreign key' || !constraint.references) continue;
    const position = constraint.columns.indexOf(column.name);
    const target = position >= 0 ? constraint.references.columns[position] : undefined;
    if (target === undefined) continue;
    const { schema, table } = constraint.references;
    return { key: columnKey({ schema, table, name: target }), label: columnLabel({ schema, table, name: target }) };
  }
  return null;
}

/**
 * A uuid column and a text column cannot be joined by a foreign key, so the keys pointing at the
 * column are dropped, both sides converted and the keys re-created, in one transaction. A default is
 * dropped before the conversion (text defaults do not cast to uuid) and re-set as a uuid expression.
 */
function fixFor(index: SnapshotIndex, column: Column, referencedBy: ReturnType<typeof referencingColumns>): Fix {
  const foreignKeys = [...new Map(referencedBy.map((r) => [`${r.schema}.${r.table}.${r.constraint.name}`, r.constraint])).values()];
  const statements = foreignKeys.map((fk) => `ALTER TABLE ${qualifiedName(fk.schema, fk.table)} DROP CONSTRAINT ${quoteIdent(fk.name)};`);
  statements.push(...convert(column));
  for (const r of referencedBy) {
    const referencing = index.column(r.schema, r.table, r.name);
    if (referencing) statements.push(...convert(referencing));
  }
  for (const fk of foreignKeys) statements.push(...recreate(fk));
  const sql = statements.length > 1 ? doBlock(statements) : statements[0]!;
  const others = referencedBy.length ? ` Converted with it, as their foreign keys require: ${referencedBy.map((r) => columnLabel(r)).join(', ')}.` : '';
  return {
    sql,
    safeOnline: false,
    note:
      `${REWRITE_NOTE}${others} ` +
      "Any value that is not a valid UUID (an empty string, say) makes the conversion fail and nothing changes: clean such values first (NULLIF(col, '') for empty strings). " +
      'Application code that compares the column with text parameters may need a cast.',
  };
}

function convert(column: Column): string[] {
  const table = qualifiedName(column.schema, column.table);
  const name = quoteIdent(column.name);
  const statements: string[] = [];
  if (column.default) statements.push(`ALTER TABLE ${table} ALTER COLUMN ${name} DROP DEFAULT;`);
  statements.push(`ALTER TABLE ${table} ALTER COLUMN ${name} TYPE uuid USING ${name}::uuid;`);
  if (column.default) {
    const generator = column.default.match(UUID_GENERATOR_CALL)?.[0];
    statements.push(`ALTER TABLE ${table} ALTER COLUMN ${name} SET DEFAULT ${generator ?? `(${column.default})::uuid`};`);
  }
  return statements;
}

/** ADD CONSTRAINT from the catalog's definition, with the referenced table schema-qualified. */
function recreate(fk: Constraint): string[] {
  const table = qualifiedName(fk.schema, fk.table);
  const wasValid = fk.validated;
  let definition = fk.definition.replace(/\s+NOT VALID$/, '');
  if (fk.references) {
    definition = definition.replace(
      /^(FOREIGN KEY \((?:[^)"]|"(?:[^"]|"")*")*\) REFERENCES )(?:"(?:[^"]|"")*"|[^"(])+\(/,
      `$1${qualifiedName(fk.references.schema, fk.references.table).replace(/\$/g, '$$$$')}(`,
    );
  }
  return [`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${definition}${wasValid ? '' : ' NOT VALID'};`];
}
