/**
 * Tables: which relations are created, dropped or recreated, CREATE TABLE for new ones (plainly, with
 * their columns and inline keys and checks: nothing uses them yet), DROP TABLE in foreign key order,
 * and the table-level options of the others. Their columns are planned in plan-columns.ts.
 * Partitions take their columns from their parent and are created as PARTITION OF.
 */
import type { Column, Constraint, Table } from '../catalog/types.js';
import { columnDefinition, createTable, optionName, qualifiedName, quoteIdent, withOptions } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import { planColumns } from './plan-columns.js';
import type { Plan, PlannedStep } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

/** The step object for a table. */
export function tableObject(table: Pick<Table, 'schema' | 'name' | 'kind'>): DiffObject {
  return { type: table.kind, schema: table.schema, name: table.name };
}

/**
 * Which relations are created, dropped or recreated (a table that becomes a view, a table that
 * becomes partitioned or moves to another parent). Views of the same kind on both sides are decided
 * by the views planner, which knows what they depend on.
 */
export function analyseRelations(plan: Plan): void {
  const keys = new Set([...plan.from.tables.keys(), ...plan.from.views.keys(), ...plan.to.tables.keys(), ...plan.to.views.keys()]);
  for (const k of [...keys].sort()) {
    const before = plan.from.relationKind(k);
    const after = plan.to.relationKind(k);
    if (before === 'foreign table' || after === 'foreign table') {
      if (before !== after) {
        const table = (plan.to.tables.get(k) ?? plan.from.tables.get(k))!;
        plan.add('tables', {
          kind: 'foreign table',
          object: { type: 'foreign table', schema: table.schema, name: table.name },
          sql: '',
          notes: ['foreign tables (and their servers) are not written by pgarchitect diff: create or drop it by hand'],
        });
      }
      continue;
    }
    if (before && !after) plan.droppedRelations.add(k);
    else if (!before && after) plan.createdRelations.add(k);
    else if (before !== after || (plan.from.tables.has(k) && !samePartitioning(plan.from.tables.get(k)!, plan.to.tables.get(k)!))) {
      plan.droppedRelations.add(k);
      plan.createdRelations.add(k);
      plan.recreatedRelations.add(k);
    }
  }
}

function samePartitioning(a: Table, b: Table): boolean {
  return (
    a.partitionKey === b.partitionKey &&
    a.partitionBound === b.partitionBound &&
    (a.parent?.schema ?? null) === (b.parent?.schema ?? null) &&
    (a.parent?.name ?? null) === (b.parent?.name ?? null)
  );
}

function depth(plan: Plan, table: Table): number {
  let n = 0;
  for (let t: Table | undefined = table; t?.parent; t = plan.to.tables.get(key(t.parent.schema, t.parent.name))) n++;
  return n;
}

/** Tables dropped (in foreign key order), created (parents first), and altered (options, then columns). */
export function planTables(plan: Plan): void {
  // Drops first in the plan (for `requires`); phases put them in their place.
  const drops = new Map<string, PlannedStep>();
  const { order, cycles } = dropOrder(plan);
  for (const k of order) {
    const table = plan.from.tables.get(k)!;
    const rows = table.rowEstimate !== null && table.rowEstimate > 0 ? `its rows (about ${Math.round(table.rowEstimate)})` : 'its rows';
    const owned = plan.from.snapshot.sequences.filter((s) => s.ownedBy?.schema === table.schema && s.ownedBy.table === table.name && !plan.from.isIdentitySequence(s));
    const step = plan.add(plan.recreatedRelations.has(k) ? 'drop relations' : 'drop tables', {
      kind: plan.recreatedRelations.has(k) ? `drop ${table.kind} to recreate it` : `drop ${table.kind}`,
      object: tableObject(table),
      sql: `DROP TABLE ${qualifiedName(table.schema, table.name)};`,
      destructive: true,
      loses: [
        rows,
        table.kind === 'partitioned table' ? 'its partitions' : null,
        owned.length ? `the sequence${owned.length > 1 ? 's' : ''} it owns (${owned.map((s) => s.name).join(', ')})` : null,
        'its indexes, constraints and triggers',
      ]
        .filter(Boolean)
        .join(', '),
      notes: [plan.recreatedRelations.has(k) ? recreateReason(plan, k) : tableRenameHint(plan, table)],
    });
    drops.set(k, step);
    plan.tableDrops.set(k, step);
  }
  dropForeignKeysInCycles(plan, cycles, drops);

  const created = sortedEntries(plan.to.tables)
    .filter(([k, t]) => plan.createdRelations.has(k) && t.kind !== 'foreign table')
    .sort(([ka, a], [kb, b]) => depth(plan, a) - depth(plan, b) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  for (const [k, table] of created) createNewTable(plan, k, table, drops.get(k));

  for (const [k, table] of sortedEntries(plan.to.tables)) {
    if (table.kind === 'foreign table' || !plan.keeps(k)) continue;
    const before = plan.from.tables.get(k)!;
    alterTableOptions(plan, before, table);
    if (!table.parent) planColumns(plan, k, table);
  }
}

/** The table a dropped table goes with: itself, or the highest dropped partitioned table above it. */
function dropRoot(plan: Plan, k: string): string {
  let root = k;
  for (let t = plan.from.tables.get(k); t?.parent && plan.droppedRelations.has(key(t.parent.schema, t.parent.name)); t = plan.from.tables.get(root)) {
    root = key(t.parent.schema, t.parent.name);
  }
  return root;
}

/** Foreign keys between two tables the migration drops: [referencing root, referenced root, constraint]. */
function foreignKeysBetweenDropped(plan: Plan): [string, string, Constraint][] {
  const edges: [string, string, Constraint][] = [];
  for (const c of plan.from.snapshot.constraints) {
    if (c.kind !== 'foreign key' || c.inherited || !c.references) continue;
    const own = key(c.schema, c.table);
    const ref = key(c.references.schema, c.references.table);
    if (!plan.droppedRelations.has(own) || !plan.droppedRelations.has(ref) || !plan.from.tables.has(own) || !plan.from.tables.has(ref)) continue;
    const a = dropRoot(plan, own);
    const b = dropRoot(plan, ref);
    if (a !== b) edges.push([a, b, c]);
  }
  return edges;
}

/**
 * Dropped tables, a table that references another before it (DROP TABLE refuses to drop a table a
 * foreign key still points at); foreign keys in a cycle are dropped first (see dropForeignKeysInCycles).
 */
function dropOrder(plan: Plan): { order: string[]; cycles: Constraint[] } {
  const roots = [...plan.from.tables.keys()].filter((k) => plan.droppedRelations.has(k) && plan.from.tables.get(k)!.kind !== 'foreign table' && dropRoot(plan, k) === k).sort();
  const edges = foreignKeysBetweenDropped(plan);
  const order: string[] = [];
  const done = new Set<string>();
  const cycles: Constraint[] = [];
  const visit = (k: string, path: Set<string>): void => {
    if (done.has(k)) return;
    path.add(k);
    for (const [own, ref, c] of edges) {
      if (ref !== k || done.has(own)) continue;
      if (path.has(own)) cycles.push(c);
      else visit(own, path);
    }
    path.delete(k);
    done.add(k);
    order.push(k);
  };
  for (const k of roots) visit(k, new Set());
  return { order, cycles };
}

function dropForeignKeysInCycles(plan: Plan, cycles: Constraint[], drops: Map<string, PlannedStep>): void {
  for (const c of cycles) {
    plan.add('drop referencing', {
      kind: 'drop foreign key',
      object: { type: 'constraint', schema: c.schema, table: c.table, name: c.name },
      sql: `ALTER TABLE ${qualifiedName(c.schema, c.table)} DROP CONSTRAINT ${quoteIdent(c.name)};`,
      destructive: true,
      loses: 'the foreign key, with the tables it joins (they reference each other: one key goes first)',
      requires: [drops.get(dropRoot(plan, key(c.schema, c.table)))],
    });
  }
}

/** A table of `to` with the same columns, which a rename would explain. */
function tableRenameHint(plan: Plan, table: Table): string | null {
  const shape = (columns: readonly Column[] | undefined) => (columns ?? []).map((c) => `${c.name} ${c.type}`).join(', ');
  const before = shape(plan.from.columnsOf.get(key(table.schema, table.name)));
  const candidates = [...plan.to.tables.values()].filter(
    (t) => t.schema === table.schema && !plan.from.tables.has(key(t.schema, t.name)) && shape(plan.to.columnsOf.get(key(t.schema, t.name))) === before,
  );
  if (candidates.length !== 1) return null;
  return `${candidates[0]!.name} is created with the same columns: if ${table.name} was renamed, ALTER TABLE ... RENAME TO keeps its rows (pgarchitect does not guess renames)`;
}

function recreateReason(plan: Plan, k: string): string {
  const before = plan.from.relationKind(k);
  const after = plan.to.relationKind(k);
  if (before !== after) return `a ${before} in from and a ${after} in to: dropped and created again`;
  return 'its partitioning (key, parent or bound) differs, which ALTER TABLE cannot change: dropped and created again (move the rows yourself)';
}

function createNewTable(plan: Plan, k: string, table: Table, replacing: PlannedStep | undefined): void {
  const columns = table.parent ? [] : (plan.to.columnsOf.get(k) ?? []);
  const inline = plan.to.snapshot.constraints.filter(
    (c) =>
      c.schema === table.schema &&
      c.table === table.name &&
      c.local &&
      !c.inherited &&
      c.validated &&
      !table.parent &&
      (c.kind === 'primary key' || c.kind === 'unique' || c.kind === 'check' || c.kind === 'exclusion'),
  );
  // Attaching a partition locks its parent: a concern only when the parent is in use already.
  const parentExists = table.parent !== null && plan.keeps(key(table.parent.schema, table.parent.name));
  const sql = createTable(
    table,
    columns.map((c) => columnDefinition(c, plan.to.identitySequence(c))),
    inline.map((c) => `CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`),
  );
  plan.add('tables', {
    kind: `create ${table.kind === 'partitioned table' ? 'partitioned table' : table.parent ? 'partition' : 'table'}`,
    object: tableObject(table),
    sql,
    requires: [replacing],
    notes: [
      parentExists ? `CREATE TABLE ... PARTITION OF takes an ACCESS EXCLUSIVE lock on ${table.parent!.name} while it runs (brief: the new partition is empty)` : null,
      replacing && !plan.options.allowDrops ? 'needs the DROP above, which needs --allow-drops' : null,
    ],
    safeOnline: !parentExists,
  });
  plan.markCreated('table', k);
  for (const c of columns) plan.markCreated('column', key(c.schema, c.table, c.name));
  for (const c of inline) plan.markCreated('constraint', key(c.schema, c.table, c.name));
}

function alterTableOptions(plan: Plan, before: Table, after: Table): void {
  const name = qualifiedName(after.schema, after.name);
  const object = tableObject(after);
  if (before.persistence !== after.persistence && after.persistence !== 'temporary') {
    plan.add('tables', {
      kind: after.persistence === 'unlogged' ? 'set unlogged' : 'set logged',
      object,
      sql: `ALTER TABLE ${name} SET ${after.persistence === 'unlogged' ? 'UNLOGGED' : 'LOGGED'};`,
      safeOnline: false,
      notes: ['rewrites the table under an ACCESS EXCLUSIVE lock'],
    });
  }
  const afterNames = new Set(after.reloptions.map(optionName));
  const set = after.reloptions.filter((o) => !before.reloptions.includes(o));
  const reset = before.reloptions.map(optionName).filter((n) => !afterNames.has(n));
  if (set.length || reset.length) {
    const actions = [...(set.length ? [`SET ${withOptions(set)}`] : []), ...(reset.length ? [`RESET (${reset.join(', ')})`] : [])];
    plan.add('tables', { kind: 'set storage parameters', object, sql: `ALTER TABLE ${name} ${actions.join(', ')};`, notes: ['a brief SHARE UPDATE EXCLUSIVE lock for most parameters'] });
  }
}
