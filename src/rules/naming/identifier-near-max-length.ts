import type { ObjectRef } from '../../finding.js';
import { defineRule } from '../rule.js';

/** NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * PostgreSQL silently truncates identifiers to 63 bytes. A name close to that leaves no room for the
 * names derived from it (`<table>_<column>_fkey`, `_idx`, `_seq`, partition names), which get cut
 * and de-duplicated with digits, so migrations that refer to them by the expected name miss; two long
 * names sharing their first 63 bytes are the same name.
 */
export default defineRule({
  meta: {
    id: 'identifier-near-max-length',
    category: 'naming',
    defaultSeverity: 'info',
    description: 'A name is close to the 63-byte identifier limit, so names derived from it get truncated.',
    fixable: false,
    defaultOptions: {
      /** Report names longer than this many bytes (UTF-8). */
      warnLength: 55,
    },
  },
  check({ index, snapshot, options, report }) {
    const tooLong = (name: string): boolean =>
      // A UTF-16 code unit is at most 3 UTF-8 bytes: most names are ruled out without encoding them.
      name.length * 3 > options.warnLength && Buffer.byteLength(name, 'utf8') > options.warnLength;
    const reportLong = (object: ObjectRef, label: string, path: string, key?: string): void => {
      const bytes = Buffer.byteLength(object.name, 'utf8');
      const atLimit = bytes >= MAX_IDENTIFIER_BYTES;
      report({
        object,
        message: atLimit
          ? `${label} ${path} is ${bytes} bytes long, the 63-byte limit: a longer name given for it was probably truncated.`
          : `${label} ${path} is ${bytes} bytes long, close to the 63-byte limit at which PostgreSQL truncates names.`,
        evidence: {
          bytes,
          characters: [...object.name].length,
          warnLength: options.warnLength,
          limit: MAX_IDENTIFIER_BYTES,
          possiblyTruncated: atLimit,
        },
        fix: null,
        ...(key === undefined ? {} : { key }),
      });
    };

    for (const schema of snapshot.schemas) {
      if (tooLong(schema.name)) reportLong({ type: 'schema', name: schema.name }, 'Schema', schema.name);
    }
    for (const table of index.designTables()) {
      if (tooLong(table.name)) {
        const type = table.kind === 'partitioned table' ? 'partitioned table' : 'table';
        reportLong({ type, schema: table.schema, name: table.name }, 'Table', `${table.schema}.${table.name}`);
      }
      for (const column of index.columnsOf(table)) {
        if (!tooLong(column.name)) continue;
        const object: ObjectRef = { type: 'column', schema: table.schema, table: table.name, name: column.name, column: column.name };
        reportLong(object, 'Column', `${table.schema}.${table.name}.${column.name}`);
      }
      for (const constraint of index.constraintsOf(table)) {
        if (constraint.inherited || !tooLong(constraint.name)) continue;
        const object: ObjectRef = { type: 'constraint', schema: table.schema, table: table.name, name: constraint.name };
        reportLong(object, 'Constraint', `${table.schema}.${table.name}.${constraint.name}`);
      }
    }
    for (const idx of index.designIndexes()) {
      // An index backing a constraint shares its name and is reported as the constraint.
      if (idx.constraint !== null || !tooLong(idx.name)) continue;
      reportLong({ type: 'index', schema: idx.schema, table: idx.table, name: idx.name }, 'Index', `${idx.schema}.${idx.name}`);
    }
    for (const view of snapshot.views) {
      if (!tooLong(view.name)) continue;
      const object: ObjectRef = { type: view.materialized ? 'materialized view' : 'view', schema: view.schema, name: view.name };
      reportLong(object, view.materialized ? 'Materialized view' : 'View', `${view.schema}.${view.name}`);
    }
    for (const sequence of snapshot.sequences) {
      if (!tooLong(sequence.name)) continue;
      reportLong({ type: 'sequence', schema: sequence.schema, name: sequence.name }, 'Sequence', `${sequence.schema}.${sequence.name}`);
    }
    for (const fn of snapshot.functions) {
      if (!tooLong(fn.name)) continue;
      reportLong({ type: 'function', schema: fn.schema, name: fn.name }, 'Function', `${fn.schema}.${fn.name}(${fn.arguments})`, fn.arguments);
    }
  },
});
