/**
 * Constraints and indexes, in their online-safe forms on existing tables: CHECK and FOREIGN KEY added
 * NOT VALID then validated; PRIMARY KEY and UNIQUE built as a unique index CONCURRENTLY then attached
 * (ADD CONSTRAINT ... USING INDEX); indexes created and dropped CONCURRENTLY, a changed index built
 * under a new name before the old one is dropped. New tables get everything plainly: nothing uses them.
 */
import type { Constraint, Index } from '../catalog/types.js';
import { dropIndexFix } from '../rules/indexes/lib/index-shape.js';
import { constraintBody, createIndex, deferrableClause, derivedName, qualifiedName, quoteIdent } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import { sameSql } from './same-sql.js';
import type { Plan, PlannedStep } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

function constraintObject(c: Constraint): DiffObject {
  return { type: 'constraint', schema: c.schema, table: c.table, name: c.name };
}

function indexObject(i: Index): DiffObject {
  return { type: 'index', schema: i.schema, table: i.table, name: i.name };
}

/** Declared once on the table that owns it: not a partition's copy of its parent's. */
function isOwnConstraint(c: Constraint): boolean {
  return c.local && !c.inherited;
}

function isOwnIndex(i: Index): boolean {
  return i.constraint === null && i.parentIndex === null;
}

function sameConstraint(a: Constraint, b: Constraint): boolean {
  return a.kind === b.kind && sameSql(constraintBody(a.definition), constraintBody(b.definition), 'constraint');
}

/** The `from` columns this object uses that the migration drops (with the steps dropping them). */
function droppedColumnsOf(plan: Plan, schema: string, table: string, columns: readonly (string | null)[], definition: string): PlannedStep[] {
  const steps: PlannedStep[] = [];
  for (const c of plan.from.columnsOf.get(key(schema, table)) ?? []) {
    const k = key(schema, table, c.name);
    if (!plan.droppedColumns.has(k)) continue;
    const used = columns.includes(c.name) || new RegExp(`(^|[^\\w$"])"?${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$"])`).test(definition.replace(/^.*? USING \w+ /, ''));
    if (used) steps.push(plan.columnDrops.get(k)!);
  }
  return steps;
}

/** Constraints dropped (and foreign keys whose key is rebuilt), validated, and added in their safe forms. */
export function planConstraints(plan: Plan): void {
  // Unique constraints and indexes of `from` that go away: the foreign keys that rely on them must go first.
  const removedKeys: { schema: string; table: string; columns: string[] }[] = [];
  const readded = new Set<string>();

  for (const [k, c] of sortedEntries(plan.from.constraints)) {
    if (!isOwnConstraint(c)) continue;
    const tableKey = key(c.schema, c.table);
    if (!plan.keeps(tableKey)) continue;
    const after = plan.to.constraints.get(k);
    if (after && isOwnConstraint(after) && sameConstraint(c, after)) continue;
    if ((c.kind === 'primary key' || c.kind === 'unique') && !(after && sameConstraint(c, after))) removedKeys.push({ schema: c.schema, table: c.table, columns: c.columns });
    if (c.kind === 'foreign key') continue;
    const columnDrops = droppedColumnsOf(plan, c.schema, c.table, c.columns, c.definition);
    // Goes with the column the migration drops (if that drop is applied).
    if (!after && columnDrops.length) continue;
    plan.add('drop constraints', {
      kind: after ? 'drop constraint to recreate it' : 'drop constraint',
      object: constraintObject(c),
      sql: `ALTER TABLE ${qualifiedName(c.schema, c.table)} DROP CONSTRAINT ${quoteIdent(c.name)};`,
      notes: ['a brief ACCESS EXCLUSIVE lock', c.kind === 'primary key' || c.kind === 'unique' ? 'its index is dropped with it' : null, renameHint(plan, c)],
    });
    if (after) readded.add(k);
  }
  for (const [, i] of sortedEntries(plan.from.indexes)) {
    if (isOwnIndex(i) && i.unique && plan.keeps(key(i.schema, i.table))) {
      const after = plan.to.indexes.get(key(i.schema, i.name));
      if (!after || !sameSql(after.definition, i.definition, 'statement') || !isOwnIndex(after)) removedKeys.push({ schema: i.schema, table: i.table, columns: i.keyColumns.filter((c): c is string => c !== null) });
    }
  }

  // Foreign keys of `from` that go away or must be dropped while their key changes.
  for (const [k, c] of sortedEntries(plan.from.constraints)) {
    if (c.kind !== 'foreign key' || !isOwnConstraint(c) || !c.references) continue;
    const tableKey = key(c.schema, c.table);
    if (!plan.keeps(tableKey)) continue;
    const after = plan.to.constraints.get(k);
    const ref = c.references;
    const refTableKey = key(ref.schema, ref.table);
    const keyGoes = plan.recreatedRelations.has(refTableKey) || removedKeys.some((r) => r.schema === ref.schema && r.table === ref.table && sameSet(r.columns, ref.columns));
    if (after && isOwnConstraint(after) && sameConstraint(c, after) && !keyGoes) continue;
    const needs = [
      ...droppedColumnsOf(plan, c.schema, c.table, c.columns, ''),
      ...droppedColumnsOf(plan, ref.schema, ref.table, ref.columns, ''),
      plan.droppedRelations.has(refTableKey) && !plan.recreatedRelations.has(refTableKey) ? plan.tableDrops.get(refTableKey) : undefined,
    ].filter((s): s is PlannedStep => s !== undefined);
    // A foreign key to a table or column the migration drops goes with that (destructive) drop.
    plan.add(needs.length && !after ? 'drop referencing' : 'drop foreign keys', {
      kind: after ? 'drop foreign key to recreate it' : 'drop foreign key',
      object: constraintObject(c),
      sql: `ALTER TABLE ${qualifiedName(c.schema, c.table)} DROP CONSTRAINT ${quoteIdent(c.name)};`,
      destructive: needs.length > 0 && !after,
      loses: needs.length && !after ? `the foreign key, with the ${plan.droppedRelations.has(refTableKey) ? 'table' : 'column'} it references` : null,
      notes: [
        keyGoes && after && sameConstraint(c, after) ? `the key it references on ${ref.table} is dropped or rebuilt: added again after` : null,
        'brief SHARE ROW EXCLUSIVE locks on both tables',
      ],
      requires: needs.length && !after ? needs : [],
    });
    if (after) readded.add(k);
  }

  // Constraints of `to`.
  for (const [k, c] of sortedEntries(plan.to.constraints)) {
    if (!isOwnConstraint(c)) continue;
    const tableKey = key(c.schema, c.table);
    if (plan.isCreated('constraint', k) || (!plan.keeps(tableKey) && !plan.createdRelations.has(tableKey))) continue;
    const before = plan.keeps(tableKey) ? plan.from.constraints.get(k) : undefined;
    const columnRecreated = droppedColumnsOf(plan, c.schema, c.table, c.columns, c.definition);
    if (before && isOwnConstraint(before) && sameConstraint(before, c) && !readded.has(k) && columnRecreated.length === 0) {
      if (!before.validated && c.validated) {
        plan.add('constraints', {
          kind: 'validate constraint',
          object: constraintObject(c),
          sql: `ALTER TABLE ${qualifiedName(c.schema, c.table)} VALIDATE CONSTRAINT ${quoteIdent(c.name)};`,
          notes: ['scans the table under a SHARE UPDATE EXCLUSIVE lock: reads and writes go on'],
        });
      } else if (before.validated && !c.validated) {
        plan.note(`${c.schema}.${c.table}.${c.name} is validated in from and NOT VALID in to: a constraint cannot be made NOT VALID again, and it does no harm; left as it is`);
      }
      continue;
    }
    addConstraint(plan, c, plan.createdRelations.has(tableKey) && !plan.keeps(tableKey), columnRecreated);
  }
}

function addConstraint(plan: Plan, c: Constraint, newTable: boolean, requires: PlannedStep[]): void {
  const table = qualifiedName(c.schema, c.table);
  const name = quoteIdent(c.name);
  const object = constraintObject(c);
  const phase = c.kind === 'foreign key' ? 'foreign keys' : 'constraints';
  const partitioned = plan.to.tables.get(key(c.schema, c.table))?.kind === 'partitioned table';
  plan.markCreated('constraint', key(c.schema, c.table, c.name));
  if (newTable) {
    plan.add(phase, {
      kind: `add ${c.kind}`,
      object,
      sql: `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.definition};`,
      notes: [c.kind === 'foreign key' ? 'on a new, empty table: validated at once; a brief SHARE ROW EXCLUSIVE lock on the referenced table' : null],
      requires,
    });
    return;
  }
  const body = constraintBody(c.definition);
  if ((c.kind === 'check' || c.kind === 'foreign key') && !partitioned) {
    plan.add(phase, {
      kind: `add ${c.kind}`,
      object,
      sql: [`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${body} NOT VALID;`, ...(c.validated ? [`ALTER TABLE ${table} VALIDATE CONSTRAINT ${name};`] : [])].join('\n'),
      notes: [
        'added NOT VALID (brief lock, no scan), then VALIDATE scans under a lock that allows reads and writes',
        c.validated ? 'VALIDATE fails if an existing row breaks it: fix those rows first' : 'left NOT VALID, as in to',
      ],
      requires,
    });
    return;
  }
  const index = plan.to.constraintIndex(c);
  if ((c.kind === 'primary key' || c.kind === 'unique') && index && !partitioned) {
    plan.add(phase, {
      kind: `add ${c.kind}`,
      object,
      sql: [
        createIndex(index, plan.options.concurrently),
        `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${quoteIdent(index.name)}${deferrableClause(c.definition)};`,
      ].join('\n'),
      safeOnline: plan.options.concurrently,
      notes: [
        plan.options.concurrently ? 'the unique index is built CONCURRENTLY (reads and writes go on), then attached with a brief lock' : 'the unique index is built without CONCURRENTLY: writes wait for the build',
        `fails if existing rows hold duplicates: remove them first${plan.options.concurrently ? ' (a failed CONCURRENTLY build leaves an invalid index to drop)' : ''}`,
        c.kind === 'primary key' ? 'the columns must be NOT NULL already, or attaching scans the table under an ACCESS EXCLUSIVE lock' : null,
      ],
      requires,
    });
    return;
  }
  plan.add(phase, {
    kind: `add ${c.kind}`,
    object,
    sql: `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${c.definition};`,
    safeOnline: false,
    notes: [
      partitioned
        ? 'on a partitioned table: no NOT VALID or USING INDEX form; scans (and builds indexes on) every partition under locks that block writes'
        : 'an exclusion constraint has no online form: builds its index and checks the rows under an ACCESS EXCLUSIVE lock',
    ],
    requires,
  });
}

function renameHint(plan: Plan, c: Constraint): string | null {
  const added = plan.to.snapshot.constraints.filter(
    (t) => t.schema === c.schema && t.table === c.table && t.kind === c.kind && !plan.from.constraints.has(key(t.schema, t.table, t.name)) && constraintBody(t.definition) === constraintBody(c.definition),
  );
  if (added.length !== 1 || plan.to.constraints.has(key(c.schema, c.table, c.name))) return null;
  return `the same definition is added as ${added[0]!.name}: if it was renamed, ALTER TABLE ... RENAME CONSTRAINT does it without a rebuild (pgarchitect does not guess renames)`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Indexes that are not a constraint's nor a partition's copy: dropped, replaced and created. */
export function planIndexes(plan: Plan): void {
  for (const [k, i] of sortedEntries(plan.from.indexes)) {
    if (!isOwnIndex(i) || !plan.keeps(key(i.schema, i.table))) continue;
    const after = plan.to.indexes.get(k);
    if (after && isOwnIndex(after) && after.table === i.table) continue;
    // Dropped with the column it indexes, when the migration drops that column.
    if (!after && droppedColumnsOf(plan, i.schema, i.table, [...i.keyColumns, ...i.includeColumns], i.definition).length) continue;
    const fix = plan.options.concurrently ? dropIndexFix(i) : { sql: `DROP INDEX ${qualifiedName(i.schema, i.name)};`, safeOnline: false, note: 'without CONCURRENTLY: a brief ACCESS EXCLUSIVE lock on the table' };
    plan.add('drop indexes', { kind: 'drop index', object: indexObject(i), sql: fix.sql, safeOnline: fix.safeOnline, notes: [fix.note, indexRenameHint(plan, i)] });
  }
  for (const [k, i] of sortedEntries(plan.to.indexes)) {
    if (!isOwnIndex(i)) continue;
    const tableKey = key(i.schema, i.table);
    if (!plan.keeps(tableKey) && !plan.createdRelations.has(tableKey)) continue;
    const newTable = !plan.keeps(tableKey);
    // After the materialized view it indexes is created.
    const createPhase = plan.to.relationKind(tableKey) === 'materialized view' ? 'views' : 'indexes';
    const before = newTable ? undefined : plan.from.indexes.get(k);
    const columnRecreated = newTable ? [] : droppedColumnsOf(plan, i.schema, i.table, [...i.keyColumns, ...i.includeColumns], i.definition);
    const sameAsBefore = before && isOwnIndex(before) && before.table === i.table;
    if (sameAsBefore && sameSql(before.definition, i.definition, 'statement') && columnRecreated.length === 0) continue;
    plan.markCreated('index', k);
    const partitioned = i.partitioned;
    if (newTable || partitioned || columnRecreated.length) {
      plan.add(createPhase, {
        kind: 'create index',
        object: indexObject(i),
        sql: sameAsBefore && !columnRecreated.length ? [`DROP INDEX ${qualifiedName(i.schema, i.name)};`, createIndex(i, false)].join('\n') : createIndex(i, false),
        safeOnline: newTable,
        notes: [
          newTable ? 'on a new table: built plainly, nothing uses it yet' : null,
          !newTable && partitioned ? 'a partitioned index cannot be built CONCURRENTLY: the build blocks writes on every partition (or build it per partition with CONCURRENTLY and ATTACH PARTITION)' : null,
          !newTable && !partitioned ? 'its column is added again above: built plainly' : null,
        ],
        requires: columnRecreated,
      });
      continue;
    }
    if (sameAsBefore) {
      // Build the new definition beside the old one, then swap: the table is never without the index.
      const temporary = derivedName(i.name, '_pgarchitect_new');
      const drop = plan.options.concurrently ? `DROP INDEX CONCURRENTLY ${qualifiedName(i.schema, i.name)};` : `DROP INDEX ${qualifiedName(i.schema, i.name)};`;
      plan.add('indexes', {
        kind: 'replace index',
        object: indexObject(i),
        sql: [createIndex(i, plan.options.concurrently, temporary), drop, `ALTER INDEX ${qualifiedName(i.schema, temporary)} RENAME TO ${quoteIdent(i.name)};`].join('\n'),
        safeOnline: plan.options.concurrently,
        notes: ['the new definition is built under a temporary name, the old index dropped, the new one renamed: queries always have one of them'],
      });
      continue;
    }
    plan.add('indexes', {
      kind: 'create index',
      object: indexObject(i),
      sql: createIndex(i, plan.options.concurrently),
      safeOnline: plan.options.concurrently,
      notes: [
        plan.options.concurrently ? 'CONCURRENTLY: reads and writes go on; cannot run in a transaction block' : 'without CONCURRENTLY: writes to the table wait for the build',
        i.unique ? `fails if existing rows hold duplicates${plan.options.concurrently ? ' (a failed CONCURRENTLY build leaves an invalid index to drop)' : ''}` : null,
      ],
    });
  }
}

function indexRenameHint(plan: Plan, i: Index): string | null {
  const withoutName = (d: string) => d.replace(/^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")*"|\S+)/, '$1');
  const added = plan.to.snapshot.indexes.filter((t) => t.schema === i.schema && t.table === i.table && !plan.from.indexes.has(key(t.schema, t.name)) && withoutName(t.definition) === withoutName(i.definition));
  if (added.length !== 1) return null;
  return `the same index is created as ${added[0]!.name}: if it was renamed, ALTER INDEX ... RENAME TO does it without a rebuild (pgarchitect does not guess renames)`;
}
