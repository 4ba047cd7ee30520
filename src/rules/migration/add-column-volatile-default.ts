import type { ColumnDef, Constraint, FuncCall, RangeVar } from 'libpg-query';
import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Fix } from '../../finding.js';
import { quoteIdent } from '../../sql/quote.js';
import type { StatementSource } from '../query-rule.js';
import { columnConstraints, columnConstraintText, columnDefOf, stringList, tableCmds } from './lib/alter-table.js';
import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { relationSql } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/** Built-in (and common extension) functions that are VOLATILE: a new value for every row. */
const VOLATILE_FUNCTIONS = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'clock_timestamp', 'timeofday', 'nextval', 'currval', 'lastval', 'setval', 'txid_current', 'pg_current_xact_id', 'gen_random_bytes',
]);
const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

/**
 * Since PostgreSQL 11, ADD COLUMN with a constant or STABLE default (`0`, `now()`) only records the
 * default: no row is touched. A VOLATILE default (random(), clock_timestamp(), gen_random_uuid(), a
 * sequence) must be computed for each existing row, so the table is rewritten, indexes and all, under
 * ACCESS EXCLUSIVE. So are identity, serial and stored generated columns.
 */
export default defineMigrationRule({
  meta: {
    id: 'add-column-volatile-default',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'ADD COLUMN whose value is computed for every existing row (a volatile default, serial, identity or stored generated column), which rewrites the table.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    AlterTableStmt(stmt, { statement, schema, options, report }, file) {
      const cmds = tableCmds(stmt);
      if (cmds.length === 0) return;
      const target = targetOf(stmt.relation!, schema, file);
      if (target.createdInFile) return;
      for (const cmd of cmds) {
        const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined;
        const cause = column ? rewriteCause(column, schema) : null;
        if (!column || !cause) continue;
        const name = column.colname ?? '';
        const fix = cause.defaultConstraint && cmds.length === 1 ? splitDefault(statement.source, stmt.relation!, column, cause.defaultConstraint) : null;
        report({
          message: `ADD COLUMN ${name} ${cause.what}, so ${target.label} is rewritten with its indexes under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} until the rewrite ends${estimateClause(target, 'rewrite')}. ${cause.instead}`,
          evidence: { table: target.label, column: name, cause: cause.kind, ...(cause.function ? { function: cause.function } : {}), ...lockEvidence('ACCESS EXCLUSIVE'), rewrite: true, ...sizeEvidence(target, 'rewrite') },
          severity: severityForSize(target.size, options),
          fix,
          location: column.location,
          key: name,
          object: target.object,
        });
      }
    },
  },
});

interface RewriteCause {
  kind: 'volatile default' | 'serial' | 'identity' | 'stored generated';
  what: string;
  instead: string;
  function?: string;
  defaultConstraint?: Constraint;
}

function rewriteCause(column: ColumnDef, schema: SnapshotIndex | undefined): RewriteCause | null {
  const typeName = stringList(column.typeName?.names);
  const type = typeName[typeName.length - 1] ?? '';
  if (typeName.length === 1 && SERIAL_TYPES.has(type)) {
    return { kind: 'serial', what: `is ${type}: every existing row is given a value from its sequence`, instead: 'Add a plain column, fill it in batches, then attach a sequence or identity to it.' };
  }
  for (const constraint of columnConstraints(column)) {
    if (constraint.contype === 'CONSTR_IDENTITY') {
      return { kind: 'identity', what: 'is an identity column: every existing row is given a value from its sequence', instead: 'Add a plain column, fill it in batches, then ALTER COLUMN … ADD GENERATED … AS IDENTITY (RESTART past the largest value).' };
    }
    if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind === 's') {
      return { kind: 'stored generated', what: 'is a stored generated column: its value is computed and stored for every existing row', instead: 'On PostgreSQL 18 a VIRTUAL generated column is computed on read and adds no rewrite; otherwise add a plain column, fill it in batches and keep it up to date with a trigger.' };
    }
    if (constraint.contype === 'CONSTR_DEFAULT') {
      const volatile = volatileCall(constraint.raw_expr, schema);
      if (volatile) {
        return {
          kind: 'volatile default',
          what: `has a volatile default (${volatile}()): it is computed for every existing row`,
          instead: 'Add the column without the default, then SET DEFAULT (it applies to new rows only), and fill the existing rows in batches.',
          function: volatile,
          defaultConstraint: constraint,
        };
      }
    }
  }
  return null;
}

/** The first VOLATILE function an expression calls: a built-in one, or one of the schema declared VOLATILE. */
function volatileCall(node: unknown, schema: SnapshotIndex | undefined): string | null {
  if (typeof node !== 'object' || node === null) return null;
  const call = (node as { FuncCall?: FuncCall }).FuncCall;
  if (call) {
    const parts = stringList(call.funcname);
    const name = parts[parts.length - 1] ?? '';
    if (VOLATILE_FUNCTIONS.has(name)) return name;
    const declared = schema?.snapshot.functions.filter((f) => f.name === name && (parts.length === 1 || f.schema === parts[0]));
    if (declared?.length && declared.some((f) => f.volatility === 'volatile')) return name;
  }
  for (const value of Object.values(node as Record<string, unknown>)) {
    const found = volatileCall(value, schema);
    if (found) return found;
  }
  return null;
}

/**
 * The column added without its default (and without NOT NULL, which an empty column cannot meet
 * until it is filled), then the default set for new rows.
 */
function splitDefault(source: StatementSource, relation: RangeVar, column: ColumnDef, constraint: Constraint): Fix | null {
  const defaultClause = columnConstraintText(source, column, constraint, 'default');
  if (!defaultClause) return null;
  const expression = defaultClause.text.replace(/^default\s+/i, '');
  const notNull = columnConstraints(column).find((c) => c.contype === 'CONSTR_NOTNULL');
  const notNullClause = notNull ? columnConstraintText(source, column, notNull, 'not') : null;
  if (notNull && !notNullClause) return null;
  const edits: { start: number; end: number; text: string }[] = [{ ...defaultClause.cut, text: '' }];
  if (notNullClause) edits.push({ ...notNullClause.cut, text: '' });
  const table = relationSql(relation, true);
  const name = quoteIdent(column.colname ?? '');
  return {
    sql: `${source.rewrite(edits)}\nALTER TABLE ${table} ALTER COLUMN ${name} SET DEFAULT ${expression};`,
    safeOnline: true,
    note:
      `Existing rows get NULL, not ${expression}: fill them in batches (UPDATE ${table} SET ${name} = ${expression} WHERE ${name} IS NULL AND <key range>), each in its own transaction.` +
      (notNull ? ' Then make it NOT NULL without a long lock (see set-not-null-scans-table).' : ''),
  };
}
