/**
 * Enums, domains and composite types. New enum labels are added in place (ALTER TYPE ... ADD VALUE,
 * at their position); removing or reordering labels, or changing a domain's base type, needs a new
 * type: the old one is renamed, the new one created, the columns converted, the old one dropped.
 */
import type { UserType } from '../catalog/types.js';
import { constraintBody, derivedName, literalList, qualifiedName, quoteIdent, quoteLiteral } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import { sameSql } from './same-sql.js';
import type { Plan, PlannedStep } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

const KIND_ORDER = { enum: 0, domain: 1, composite: 2 } as const;

function typeObject(t: UserType): DiffObject {
  return { type: t.kind === 'domain' ? 'domain' : 'type', schema: t.schema, name: t.name };
}

function typeWord(t: UserType): string {
  return t.kind === 'domain' ? 'DOMAIN' : 'TYPE';
}

/** Types created (in dependency order), altered, recreated and dropped. */
export function planTypes(plan: Plan): void {
  for (const [k, type] of creationOrder(plan)) {
    const before = plan.from.types.get(k);
    if (!before) {
      createType(plan, type);
    } else if (before.kind !== type.kind || needsRecreate(before, type)) {
      recreateType(plan, before, type);
    } else {
      alterType(plan, before, type);
    }
  }
  const dropped = sortedEntries(plan.from.types)
    .filter(([k]) => !plan.to.types.has(k))
    .sort(([, a], [, b]) => KIND_ORDER[b.kind] - KIND_ORDER[a.kind]);
  for (const [k, type] of dropped) {
    plan.replacedTypes.add(k);
    plan.add('drop types', {
      kind: `drop ${type.kind === 'domain' ? 'domain' : 'type'}`,
      object: typeObject(type),
      sql: `DROP ${typeWord(type)} ${qualifiedName(type.schema, type.name)};`,
      destructive: true,
      loses: `the ${type.kind}${type.kind === 'enum' ? ` and its labels (${type.labels.join(', ')})` : ''}; the DROP fails while a column or function of this migration's result still uses it`,
    });
  }
}

/**
 * Enums first, then domains and composite types, each after the types of `to` its base type or
 * attributes name (a domain over a domain, a composite type with a composite attribute).
 */
function creationOrder(plan: Plan): [string, UserType][] {
  const entries = sortedEntries(plan.to.types).sort(([, a], [, b]) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const uses = (type: UserType, other: UserType): boolean => {
    const text = [type.baseType ?? '', ...type.attributes.map((a) => a.type)].join(' ');
    return new RegExp(`(^|[\\s.(,"])${other.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s),"\\[])`).test(text);
  };
  const order: [string, UserType][] = [];
  const done = new Set<string>();
  const visit = (entry: [string, UserType], path: Set<string>): void => {
    const [k, type] = entry;
    if (done.has(k) || path.has(k)) return;
    path.add(k);
    for (const other of entries) if (other[0] !== k && uses(type, other[1])) visit(other, path);
    path.delete(k);
    done.add(k);
    order.push(entry);
  };
  for (const entry of entries) visit(entry, new Set());
  return order;
}

function createType(plan: Plan, type: UserType): void {
  const name = qualifiedName(type.schema, type.name);
  const statements: string[] = [];
  if (type.kind === 'enum') {
    statements.push(`CREATE TYPE ${name} AS ENUM (${literalList(type.labels)});`);
  } else if (type.kind === 'composite') {
    statements.push(`CREATE TYPE ${name} AS (${type.attributes.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ')});`);
  } else {
    const parts = [`CREATE DOMAIN ${name} AS ${type.baseType ?? 'text'}`];
    if (type.collation) parts.push(`COLLATE ${quoteIdent(type.collation)}`);
    if (type.default !== null) parts.push(`DEFAULT ${type.default}`);
    if (type.notNull) parts.push('NOT NULL');
    for (const c of type.constraints.filter((c) => c.validated)) parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
    statements.push(`${parts.join(' ')};`);
    for (const c of type.constraints.filter((c) => !c.validated)) {
      statements.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`);
    }
  }
  plan.add('types', { kind: `create ${type.kind === 'domain' ? 'domain' : 'type'}`, object: typeObject(type), sql: statements.join('\n') });
  plan.createdTypes.add(key(type.schema, type.name));
  plan.markCreated('type', key(type.schema, type.name));
}

/** Labels removed or reordered, or a domain's base type or collation changed: ALTER cannot do it. */
function needsRecreate(before: UserType, after: UserType): boolean {
  if (before.kind === 'enum') {
    const kept = after.labels.filter((l) => before.labels.includes(l));
    return kept.length !== before.labels.length || kept.some((l, i) => l !== before.labels[i]);
  }
  if (before.kind === 'domain') return before.baseType !== after.baseType || before.collation !== after.collation;
  return false;
}

/**
 * Rename the old type out of the way, create the new one, convert every column that uses it (the
 * columns planner writes those steps from `retypedColumns`), drop the old one at the end.
 */
function recreateType(plan: Plan, before: UserType, after: UserType): void {
  const typeKey = key(after.schema, after.name);
  const oldName = derivedName(before.name, '_pgarchitect_old');
  const qualifiedNew = qualifiedName(after.schema, after.name);
  const rename = plan.add('types', {
    kind: `rename ${before.kind === 'domain' ? 'domain' : 'type'} to replace it`,
    object: typeObject(before),
    sql: `ALTER ${typeWord(before)} ${qualifiedName(before.schema, before.name)} RENAME TO ${quoteIdent(oldName)};`,
    notes: [
      before.kind === 'enum' && after.kind === 'enum'
        ? 'Postgres cannot remove or reorder enum labels: a new type is created and every column using the old one converted through text'
        : `Postgres cannot change this ${before.kind} in place: a new type is created and every column using the old one converted`,
      'functions with the type in their arguments or result keep the old one, and then its DROP at the end fails: recreate them on the new type',
    ],
  });
  plan.replacedTypes.add(typeKey);
  createType(plan, after);
  const usedBy: string[] = [];
  for (const column of plan.from.snapshot.columns) {
    if (column.typeSchema !== before.schema || column.typeName !== before.name) continue;
    const tableKey = key(column.schema, column.table);
    const table = plan.from.tables.get(tableKey);
    if (!table || table.parent || !plan.keeps(tableKey)) continue;
    const columnKey = key(column.schema, column.table, column.name);
    const target = plan.to.columns.get(columnKey);
    if (!target || target.typeSchema !== after.schema || target.typeName !== after.name) continue;
    usedBy.push(`${column.table}.${column.name}`);
    const via = after.kind === 'domain' ? (after.baseType ?? 'text') : 'text';
    plan.retypedColumns.set(columnKey, {
      type: target.type,
      collation: target.collation,
      using: `${quoteIdent(column.name)}::${via}${column.isArray ? '[]' : ''}::${qualifiedNew}${column.isArray ? '[]' : ''}`,
      becauseOf: `${before.kind} ${before.schema}.${before.name} is recreated`,
    });
  }
  const drop = plan.add('drop types', {
    kind: `drop replaced ${before.kind === 'domain' ? 'domain' : 'type'}`,
    object: { ...typeObject(before), name: oldName },
    sql: `DROP ${typeWord(before)} ${qualifiedName(before.schema, oldName)};`,
    notes: [
      usedBy.length ? `the columns that used it (${usedBy.join(', ')}) were converted to the new ${after.kind}` : null,
      before.kind === 'enum' ? 'the conversion fails if a row holds a label the new type lacks: update those rows first' : null,
    ],
    requires: [rename],
  });
  // Columns this migration drops keep the old type until they are dropped (planned later: see linkTypeDrops).
  const columns = plan.from.snapshot.columns
    .filter((c) => c.typeSchema === before.schema && c.typeName === before.name)
    .map((c) => key(c.schema, c.table, c.name));
  awaitingColumnDrops.set(drop, columns);
}

const awaitingColumnDrops = new WeakMap<PlannedStep, string[]>();

/** After the columns are planned: the DROP of a replaced type needs the drops of the columns still using it. */
export function linkTypeDrops(plan: Plan): void {
  for (const step of plan.steps) {
    for (const k of awaitingColumnDrops.get(step) ?? []) {
      const drop = plan.columnDrops.get(k);
      if (drop) step.requires.push(drop);
    }
  }
}

function alterType(plan: Plan, before: UserType, after: UserType): void {
  const name = qualifiedName(after.schema, after.name);
  const object = typeObject(after);
  if (after.kind === 'enum') {
    addEnumLabels(plan, before.labels, after.labels, name, object);
  } else if (after.kind === 'domain') {
    alterDomain(plan, before, after, name, object);
  } else {
    alterComposite(plan, before, after, name, object);
  }
}

/**
 * New labels at their place: those before the first existing label go BEFORE their successor (in
 * reverse order), the others AFTER their predecessor.
 */
function addEnumLabels(plan: Plan, before: readonly string[], after: readonly string[], name: string, object: DiffObject): void {
  const first = after.findIndex((l) => before.includes(l));
  const statements: string[] = [];
  if (first < 0) {
    for (const label of after) statements.push(`ALTER TYPE ${name} ADD VALUE ${quoteLiteral(label)};`);
  } else {
    for (let i = first - 1; i >= 0; i--) statements.push(`ALTER TYPE ${name} ADD VALUE ${quoteLiteral(after[i]!)} BEFORE ${quoteLiteral(after[i + 1]!)};`);
    for (let i = first + 1; i < after.length; i++) {
      if (!before.includes(after[i]!)) statements.push(`ALTER TYPE ${name} ADD VALUE ${quoteLiteral(after[i]!)} AFTER ${quoteLiteral(after[i - 1]!)};`);
    }
  }
  if (statements.length === 0) return;
  plan.add('types', {
    kind: 'add enum values',
    object,
    sql: statements.join('\n'),
    notes: ['a new label cannot be used in the transaction that adds it: run the script in autocommit mode, as written'],
  });
}

function alterDomain(plan: Plan, before: UserType, after: UserType, name: string, object: DiffObject): void {
  if (!sameSql(before.default, after.default, 'expression')) {
    plan.add('types', {
      kind: 'alter domain default',
      object,
      sql: after.default === null ? `ALTER DOMAIN ${name} DROP DEFAULT;` : `ALTER DOMAIN ${name} SET DEFAULT ${after.default};`,
    });
  }
  const beforeConstraints = new Map(before.constraints.map((c) => [c.name, c]));
  const afterConstraints = new Map(after.constraints.map((c) => [c.name, c]));
  for (const c of before.constraints) {
    const next = afterConstraints.get(c.name);
    if (next && sameSql(constraintBody(next.definition), constraintBody(c.definition), 'constraint')) continue;
    plan.add('drop constraints', { kind: 'drop domain constraint', object: { ...object, name: `${after.name}.${c.name}` }, sql: `ALTER DOMAIN ${name} DROP CONSTRAINT ${quoteIdent(c.name)};` });
  }
  for (const c of after.constraints) {
    const previous = beforeConstraints.get(c.name);
    const same = previous && sameSql(constraintBody(previous.definition), constraintBody(c.definition), 'constraint');
    if (same && (previous.validated || !c.validated)) continue;
    const statements = same ? [] : [`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteIdent(c.name)} ${constraintBody(c.definition)} NOT VALID;`];
    if (c.validated) statements.push(`ALTER DOMAIN ${name} VALIDATE CONSTRAINT ${quoteIdent(c.name)};`);
    plan.add('constraints', {
      kind: same ? 'validate domain constraint' : 'add domain constraint',
      object: { ...object, name: `${after.name}.${c.name}` },
      sql: statements.join('\n'),
      notes: ['added NOT VALID then validated: the check of existing values does not block writes'],
    });
  }
  if (before.notNull !== after.notNull) {
    plan.add('types', {
      kind: after.notNull ? 'set domain not null' : 'drop domain not null',
      object,
      sql: `ALTER DOMAIN ${name} ${after.notNull ? 'SET' : 'DROP'} NOT NULL;`,
      safeOnline: !after.notNull,
      notes: [after.notNull ? 'checks every column using the domain, under locks that block writes; fails if one holds a NULL' : null],
    });
  }
}

function alterComposite(plan: Plan, before: UserType, after: UserType, name: string, object: DiffObject): void {
  const beforeAttributes = new Map(before.attributes.map((a) => [a.name, a.type]));
  const afterNames = new Set(after.attributes.map((a) => a.name));
  const actions: string[] = [];
  const removed: string[] = [];
  for (const a of before.attributes) {
    if (!afterNames.has(a.name)) {
      actions.push(`DROP ATTRIBUTE ${quoteIdent(a.name)}`);
      removed.push(a.name);
    }
  }
  for (const a of after.attributes) {
    const type = beforeAttributes.get(a.name);
    if (type === undefined) actions.push(`ADD ATTRIBUTE ${quoteIdent(a.name)} ${a.type}`);
    else if (type !== a.type) actions.push(`ALTER ATTRIBUTE ${quoteIdent(a.name)} TYPE ${a.type}`);
  }
  if (actions.length === 0) return;
  const kept = after.attributes.filter((a) => beforeAttributes.has(a.name)).map((a) => a.name);
  const keptBefore = before.attributes.filter((a) => afterNames.has(a.name)).map((a) => a.name);
  plan.add('types', {
    kind: 'alter composite type',
    object,
    sql: `ALTER TYPE ${name} ${actions.join(', ')};`,
    destructive: removed.length > 0,
    loses: removed.length ? `the values of attribute${removed.length > 1 ? 's' : ''} ${removed.join(', ')} wherever the type is stored` : null,
    safeOnline: false,
    notes: [
      'fails while a table column uses the type (Postgres does not convert stored composite values)',
      kept.join() !== keptBefore.join() ? 'the attribute order differs, and ALTER TYPE cannot reorder attributes' : null,
    ],
  });
}
