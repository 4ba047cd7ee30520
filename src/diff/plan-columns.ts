/**
 * The columns of a table that exists on both sides: added, dropped, and altered one by one in an order
 * Postgres accepts and that keeps long locks away: identity dropped, type (with the default dropped and
 * set around it), default, NOT NULL through a validated CHECK, identity added, NOT NULL dropped.
 */
import type { Column, Table } from '../catalog/types.js';
import { doBlock } from '../rules/types/lib/columns.js';
import {
  changedSequenceOptions,
  columnDefinition,
  derivedName,
  identityOptions,
  isVolatileDefault,
  qualifiedName,
  quoteIdent,
  quoteLiteral,
  tableOf,
  typeChangeCost,
} from './ddl.js';
import type { DiffObject } from './diff-result.js';
import type { Plan, Retype } from './plan.js';
import { sameSql } from './same-sql.js';
import { key } from './schema-model.js';

/** The step object for a column. */
export function columnObject(column: Pick<Column, 'schema' | 'table' | 'name'>): DiffObject {
  return { type: 'column', schema: column.schema, table: column.table, name: column.name };
}

/** Columns added, dropped and altered on a table both sides have (not a partition: its parent's columns are its own). */
export function planColumns(plan: Plan, tableKey: string, table: Table): void {
  const before = plan.from.columnsOf.get(tableKey) ?? [];
  const after = plan.to.columnsOf.get(tableKey) ?? [];
  const added: Column[] = [];
  for (const column of after) {
    const previous = plan.from.columns.get(key(column.schema, column.table, column.name));
    if (previous) alterColumn(plan, table, previous, column);
    else {
      addColumn(plan, column);
      added.push(column);
    }
  }
  const removed = before.filter((c) => !plan.to.columns.has(key(c.schema, c.table, c.name)));
  for (const column of removed) dropColumn(plan, column, removed.length === 1 && added.length === 1 ? added[0] : undefined);

  const kept = after.filter((c) => plan.from.columns.has(key(c.schema, c.table, c.name))).map((c) => c.name);
  const keptBefore = before.filter((c) => plan.to.columns.has(key(c.schema, c.table, c.name))).map((c) => c.name);
  const addedInside = added.some((c) => after.indexOf(c) < after.length - added.length);
  if (kept.join('\u0000') !== keptBefore.join('\u0000') || addedInside) {
    plan.note(
      `${table.schema}.${table.name}: the column order of to differs from what the migration gives (new columns are added at the end, and Postgres cannot move a column); only a rebuild of the table changes it`,
    );
  }
}

function addColumn(plan: Plan, column: Column): void {
  const k = key(column.schema, column.table, column.name);
  const definition = columnDefinition(column, plan.to.identitySequence(column));
  const rewrites = column.identity !== null || column.generated === 'stored' || (column.default !== null && isVolatileDefault(column.default));
  plan.add('columns', {
    kind: 'add column',
    object: columnObject(column),
    sql: `ALTER TABLE ${tableOf(column)} ADD COLUMN ${definition};`,
    safeOnline: !rewrites,
    notes: [
      rewrites
        ? 'rewrites the table under an ACCESS EXCLUSIVE lock to fill in a value per row (identity, stored generated column or volatile default)'
        : column.default !== null
          ? 'no rewrite: the default is stored once in the catalog; a brief ACCESS EXCLUSIVE lock'
          : 'no rewrite; a brief ACCESS EXCLUSIVE lock',
      column.notNull && column.default === null && !column.identity && !column.generated
        ? 'NOT NULL without a DEFAULT fails if the table has rows: add it nullable, fill it, then set NOT NULL'
        : null,
    ],
  });
  plan.addedColumns.add(k);
  plan.markCreated('column', k);
}

function dropColumn(plan: Plan, column: Column, renameCandidate: Column | undefined): void {
  const k = key(column.schema, column.table, column.name);
  const owned = plan.from.sequenceOfColumn.get(k);
  const step = plan.add('drop columns', {
    kind: 'drop column',
    object: columnObject(column),
    sql: `ALTER TABLE ${tableOf(column)} DROP COLUMN ${quoteIdent(column.name)};`,
    destructive: true,
    loses: [`the values of ${column.name} (${column.type})`, owned && !column.identity ? `the sequence it owns (${owned.name})` : null, 'the indexes and constraints that use it'].filter(Boolean).join(', '),
    notes: [
      'a brief ACCESS EXCLUSIVE lock; the space is reclaimed only as rows are rewritten',
      renameCandidate && renameCandidate.type === column.type
        ? `if ${column.name} was renamed to ${renameCandidate.name}, replace this drop and the add with ALTER TABLE ... RENAME COLUMN ${quoteIdent(column.name)} TO ${quoteIdent(renameCandidate.name)} (pgarchitect cannot tell a rename from a drop and an add)`
        : null,
    ],
  });
  plan.droppedColumns.add(k);
  plan.columnDrops.set(k, step);
}

/**
 * The changes of one column that exists on both sides, in an order Postgres accepts: an identity is
 * dropped before a default is set, the type changes with the default dropped and set around it, NOT
 * NULL is set before an identity is added, and dropped after an identity is.
 */
function alterColumn(plan: Plan, table: Table, before: Column, after: Column): void {
  const k = key(after.schema, after.table, after.name);
  const name = tableOf(after);
  const column = quoteIdent(after.name);
  const object = columnObject(after);

  if (generatedChanged(before, after)) {
    const canSetExpression = before.generated === 'stored' && after.generated === 'stored' && before.type === after.type && plan.from.snapshot.server.versionNum >= 170000;
    if (canSetExpression) {
      plan.add('columns', {
        kind: 'alter generated column',
        object,
        sql: `ALTER TABLE ${name} ALTER COLUMN ${column} SET EXPRESSION AS (${after.generationExpression});`,
        safeOnline: false,
        notes: ['rewrites the table under an ACCESS EXCLUSIVE lock to compute the new values'],
      });
      return;
    }
    if (before.generated && !after.generated) {
      plan.add('columns', {
        kind: 'drop generation expression',
        object,
        sql: `ALTER TABLE ${name} ALTER COLUMN ${column} DROP EXPRESSION;`,
        notes: ['the column keeps its current values and becomes an ordinary column'],
      });
      before = { ...before, generated: null, generationExpression: null };
    } else {
      // Postgres cannot make an ordinary column generated, nor (before 17) change an expression: drop and add.
      const step = plan.add('columns', {
        kind: 'recreate column as generated',
        object,
        sql: [`ALTER TABLE ${name} DROP COLUMN ${column};`, `ALTER TABLE ${name} ADD COLUMN ${columnDefinition(after, undefined)};`].join('\n'),
        destructive: !before.generated,
        loses: before.generated ? null : `the stored values of ${after.name}, replaced by the generated expression`,
        safeOnline: false,
        notes: [
          before.generated ? 'the generated expression cannot be changed in place here: the column is dropped and added, which rewrites the table' : 'an ordinary column cannot become generated in place: dropped and added, which rewrites the table',
          'indexes, constraints and views that use the column are dropped with it and created again',
        ],
      });
      plan.droppedColumns.add(k);
      plan.addedColumns.add(k);
      plan.columnDrops.set(k, step);
      plan.markCreated('column', k);
      return;
    }
  }

  const beforeSequence = plan.from.identitySequence(before);
  const afterSequence = plan.to.identitySequence(after);
  if (before.identity && !after.identity) {
    plan.add('columns', { kind: 'drop identity', object, sql: `ALTER TABLE ${name} ALTER COLUMN ${column} DROP IDENTITY;`, notes: ['the values stay; the identity sequence is dropped'] });
  }

  const retype = plan.retypedColumns.get(k) ?? ownRetype(before, after);
  let defaultDone = false;
  if (retype) {
    if (table.partitionKeyColumns.includes(after.name)) {
      plan.add('columns', {
        kind: 'alter column type',
        object,
        sql: '',
        notes: [`${after.name} is in the partition key (${table.partitionKey}), whose type Postgres cannot change: recreate the partitioned table and move the rows`],
      });
    } else {
      const actions: string[] = [];
      const oldDefault = before.generated ? null : before.default;
      if (oldDefault !== null) actions.push(`ALTER COLUMN ${column} DROP DEFAULT`);
      actions.push(`ALTER COLUMN ${column} TYPE ${retype.type}${retype.collation ? ` COLLATE ${quoteIdent(retype.collation)}` : ''} USING ${retype.using}`);
      if (after.default !== null && !after.generated) actions.push(`ALTER COLUMN ${column} SET DEFAULT ${after.default}`);
      const cost = typeChangeCost(before.type, after.type);
      const rewrites = retype.becauseOf !== undefined || cost.rewrite;
      plan.retypedColumns.set(k, retype);
      plan.add('columns', {
        kind: 'alter column type',
        object,
        sql: `ALTER TABLE ${name} ${actions.join(', ')};`,
        safeOnline: !rewrites,
        notes: [
          retype.becauseOf ? `${retype.becauseOf}: ${before.type} values are converted, which rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock` : `${before.type} -> ${after.type}: ${cost.note}`,
          oldDefault !== null ? 'the default is dropped and set again in the same statement, so it need not cast' : null,
          usedByViews(plan, before) ? 'the views that use the column are dropped before and created again after' : null,
          'if a value cannot be converted (USING), the statement fails and changes nothing',
        ],
      });
      defaultDone = true;
    }
  }

  if (!defaultDone && !after.generated && !sameSql(before.default, after.default, 'expression')) {
    const convertsSerial = !before.identity && after.identity !== null && serialSequence(plan, before) !== undefined;
    if (!convertsSerial) {
      plan.add('columns', {
        kind: after.default === null ? 'drop default' : 'set default',
        object,
        sql: after.default === null ? `ALTER TABLE ${name} ALTER COLUMN ${column} DROP DEFAULT;` : `ALTER TABLE ${name} ALTER COLUMN ${column} SET DEFAULT ${after.default};`,
        notes: ['applies to rows inserted from now on; existing rows keep their values'],
      });
    }
  }

  if (!before.notNull && after.notNull) setNotNull(plan, table, after);

  if (!before.identity && after.identity) addIdentity(plan, before, after);
  else if (before.identity && after.identity) alterIdentity(plan, before, after, beforeSequence, afterSequence);

  if (before.notNull && !after.notNull) {
    plan.add('columns', { kind: 'drop not null', object, sql: `ALTER TABLE ${name} ALTER COLUMN ${column} DROP NOT NULL;`, notes: ['a brief ACCESS EXCLUSIVE lock, no scan'] });
  }
}

function usedByViews(plan: Plan, column: Column): boolean {
  return [...plan.from.views.values()].some((v) => v.dependsOn.some((d) => d.kind === 'relation' && d.schema === column.schema && d.name === column.table && d.column === column.name));
}

function generatedChanged(before: Column, after: Column): boolean {
  if (!before.generated && !after.generated) return false;
  return before.generated !== after.generated || !sameSql(before.generationExpression, after.generationExpression, 'expression');
}

function ownRetype(before: Column, after: Column): Retype | undefined {
  if (before.type === after.type && before.collation === after.collation) return undefined;
  const column = quoteIdent(after.name);
  // No cast joins two enums: go through text.
  const throughText = before.typeKind === 'e' && after.typeKind === 'e';
  const using = throughText ? `${column}::text${before.isArray ? '[]' : ''}::${after.type}` : `${column}::${after.type}`;
  return { type: after.type, collation: after.collation, using };
}

/**
 * SET NOT NULL without holding ACCESS EXCLUSIVE during the scan: a CHECK (col IS NOT NULL) added NOT
 * VALID and validated (under a lock that allows writes) lets SET NOT NULL skip its scan; the CHECK is
 * then dropped. A partitioned table takes SET NOT NULL directly.
 */
function setNotNull(plan: Plan, table: Table, column: Column): void {
  const name = tableOf(column);
  const quoted = quoteIdent(column.name);
  if (table.kind === 'partitioned table' || plan.addedColumns.has(key(column.schema, column.table, column.name))) {
    plan.add('columns', {
      kind: 'set not null',
      object: columnObject(column),
      sql: `ALTER TABLE ${name} ALTER COLUMN ${quoted} SET NOT NULL;`,
      safeOnline: false,
      notes: ['scans every partition for NULLs under an ACCESS EXCLUSIVE lock; fails if one holds a NULL (fill them first)'],
    });
    return;
  }
  const check = quoteIdent(derivedName(`${column.table}_${column.name}`, '_not_null_check'));
  plan.add('columns', {
    kind: 'set not null',
    object: columnObject(column),
    sql: [
      `ALTER TABLE ${name} ADD CONSTRAINT ${check} CHECK (${quoted} IS NOT NULL) NOT VALID;`,
      `ALTER TABLE ${name} VALIDATE CONSTRAINT ${check};`,
      `ALTER TABLE ${name} ALTER COLUMN ${quoted} SET NOT NULL;`,
      `ALTER TABLE ${name} DROP CONSTRAINT ${check};`,
    ].join('\n'),
    notes: [
      'the validated CHECK proves there is no NULL, so SET NOT NULL skips its scan: only brief ACCESS EXCLUSIVE locks; VALIDATE scans under a lock that allows reads and writes',
      'fails at VALIDATE if a row holds a NULL: fill them first',
    ],
  });
}

/** The sequence a serial column's `nextval('...')` default draws from, when the column owns it. */
function serialSequence(plan: Plan, column: Column) {
  const owned = plan.from.sequenceOfColumn.get(key(column.schema, column.table, column.name));
  return owned && column.default !== null && /^nextval\(/.test(column.default) ? owned : undefined;
}

function addIdentity(plan: Plan, before: Column, after: Column): void {
  const name = tableOf(after);
  const column = quoteIdent(after.name);
  const sequence = plan.to.identitySequence(after);
  const generated = `GENERATED ${after.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptions(after, sequence)}`;
  const serial = serialSequence(plan, before);
  const tableLiteral = quoteLiteral(name);
  if (serial) {
    // serial -> identity, as the prefer-identity-over-serial fix does: one DO block, starting the identity where the serial was.
    const serialName = qualifiedName(serial.schema, serial.name);
    const keep = plan.to.sequences.has(key(serial.schema, serial.name)) && !plan.to.isIdentitySequence(plan.to.sequences.get(key(serial.schema, serial.name))!);
    plan.add('columns', {
      kind: 'convert serial to identity',
      object: columnObject(after),
      sql: doBlock(
        [
          `ALTER TABLE ${name} ALTER COLUMN ${column} DROP DEFAULT;`,
          ...(keep ? [] : [`DROP SEQUENCE ${serialName};`]),
          `ALTER TABLE ${name} ALTER COLUMN ${column} ADD ${generated};`,
          `PERFORM setval(pg_get_serial_sequence(${tableLiteral}, ${quoteLiteral(after.name)}), next_value, false);`,
        ],
        [`next_value bigint := nextval(${quoteLiteral(serialName)});`],
      ),
      notes: ['one DO block (one transaction): the identity starts where the serial sequence was; brief ACCESS EXCLUSIVE locks, no rewrite'],
    });
    return;
  }
  const start = sequence?.startValue ?? 1;
  const increment = sequence?.increment ?? 1;
  plan.add('columns', {
    kind: 'add identity',
    object: columnObject(after),
    sql: [
      `ALTER TABLE ${name} ALTER COLUMN ${column} ADD ${generated};`,
      ...(increment > 0
        ? [`SELECT setval(pg_get_serial_sequence(${tableLiteral}, ${quoteLiteral(after.name)}), greatest(coalesce(max(${column}) + 1, ${start}), ${start}), false) FROM ${name};`]
        : []),
    ].join('\n'),
    notes: ['brief ACCESS EXCLUSIVE lock, no rewrite; the identity is set to continue after the largest existing value'],
  });
}

function alterIdentity(plan: Plan, before: Column, after: Column, beforeSequence: ReturnType<Plan['from']['identitySequence']>, afterSequence: ReturnType<Plan['to']['identitySequence']>): void {
  const name = tableOf(after);
  const column = quoteIdent(after.name);
  const actions: string[] = [];
  if (before.identity !== after.identity) actions.push(`SET GENERATED ${after.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
  if (beforeSequence && afterSequence) {
    // Bounds that are the defaults of each side's type follow a type change by themselves.
    const normal = (s: typeof beforeSequence, type: string) => ({ ...s, dataType: type });
    for (const option of changedSequenceOptions(normal(beforeSequence, afterSequence.dataType), afterSequence, false)) actions.push(`SET ${option}`);
  }
  const statements: string[] = [];
  if (actions.length) statements.push(`ALTER TABLE ${name} ALTER COLUMN ${column} ${actions.join(' ')};`);
  if (beforeSequence && afterSequence && (beforeSequence.name !== afterSequence.name || beforeSequence.schema !== afterSequence.schema)) {
    if (beforeSequence.schema !== afterSequence.schema) statements.push(`ALTER SEQUENCE ${qualifiedName(beforeSequence.schema, beforeSequence.name)} SET SCHEMA ${quoteIdent(afterSequence.schema)};`);
    if (beforeSequence.name !== afterSequence.name) statements.push(`ALTER SEQUENCE ${qualifiedName(afterSequence.schema, beforeSequence.name)} RENAME TO ${quoteIdent(afterSequence.name)};`);
  }
  if (statements.length) plan.add('columns', { kind: 'alter identity', object: columnObject(after), sql: statements.join('\n'), notes: ['brief locks, no rewrite'] });
}
