/**
 * COMMENT ON for every object whose comment differs, and for objects the migration creates (a dropped
 * and recreated object loses its comment, so it is written again).
 */
import type { DiffObject, DiffObjectType } from './diff-result.js';
import { qualifiedName, quoteIdent, quoteLiteral } from './ddl.js';
import { functionObject, functionSignature } from './plan-functions.js';
import type { Plan } from './plan.js';
import { functionKey, key } from './schema-model.js';

interface Commented {
  object: DiffObject;
  /** What follows COMMENT ON: `TABLE s.t`, `COLUMN s.t.c`, `CONSTRAINT c ON s.t`... */
  target: string;
  comment: string | null;
  /** The comment in from; null when the object is created by the migration (or had none). */
  before: string | null;
}

/** COMMENT ON for each object whose comment differs or that the migration creates with one. */
export function planComments(plan: Plan): void {
  const items: Commented[] = [];
  const push = (object: DiffObject, target: string, comment: string | null, created: boolean, before: { comment: string | null } | undefined): void => {
    if (!created && !before) return;
    items.push({ object, target, comment, before: created ? null : (before?.comment ?? null) });
  };
  const relationCreated = (schema: string, name: string) => !plan.keeps(key(schema, name));
  const relationThere = (schema: string, name: string) => plan.keeps(key(schema, name)) || plan.createdRelations.has(key(schema, name));

  for (const s of plan.to.snapshot.schemas) push({ type: 'schema', name: s.name }, `SCHEMA ${quoteIdent(s.name)}`, s.comment, plan.isCreated('schema', s.name), plan.from.schemas.get(s.name));
  for (const t of plan.to.snapshot.types) {
    const k = key(t.schema, t.name);
    const type: DiffObjectType = t.kind === 'domain' ? 'domain' : 'type';
    push({ type, schema: t.schema, name: t.name }, `${t.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${qualifiedName(t.schema, t.name)}`, t.comment, plan.createdTypes.has(k), plan.from.types.get(k));
  }
  for (const f of plan.to.snapshot.functions) {
    const k = functionKey(f);
    const word = f.kind === 'procedure' ? 'PROCEDURE' : f.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
    push(functionObject(f), `${word} ${functionSignature(f)}`, f.comment, plan.createdFunctions.has(k), plan.from.functions.get(k));
  }
  for (const t of plan.to.snapshot.tables) {
    if (t.kind === 'foreign table' || !relationThere(t.schema, t.name)) continue;
    push({ type: t.kind, schema: t.schema, name: t.name }, `TABLE ${qualifiedName(t.schema, t.name)}`, t.comment, relationCreated(t.schema, t.name), plan.from.tables.get(key(t.schema, t.name)));
  }
  for (const v of plan.to.snapshot.views) {
    if (!relationThere(v.schema, v.name)) continue;
    push(
      { type: v.materialized ? 'materialized view' : 'view', schema: v.schema, name: v.name },
      `${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qualifiedName(v.schema, v.name)}`,
      v.comment,
      relationCreated(v.schema, v.name),
      plan.from.views.get(key(v.schema, v.name)),
    );
  }
  for (const c of plan.to.snapshot.columns) {
    if (!relationThere(c.schema, c.table)) continue;
    const k = key(c.schema, c.table, c.name);
    push(
      { type: 'column', schema: c.schema, table: c.table, name: c.name },
      `COLUMN ${qualifiedName(c.schema, c.table)}.${quoteIdent(c.name)}`,
      c.comment,
      relationCreated(c.schema, c.table) || plan.isCreated('column', k),
      plan.from.columns.get(k),
    );
  }
  for (const c of plan.to.snapshot.constraints) {
    if (!c.local || c.inherited || !relationThere(c.schema, c.table)) continue;
    const k = key(c.schema, c.table, c.name);
    push(
      { type: 'constraint', schema: c.schema, table: c.table, name: c.name },
      `CONSTRAINT ${quoteIdent(c.name)} ON ${qualifiedName(c.schema, c.table)}`,
      c.comment,
      relationCreated(c.schema, c.table) || plan.isCreated('constraint', k),
      plan.from.constraints.get(k),
    );
  }
  for (const i of plan.to.snapshot.indexes) {
    if (i.parentIndex !== null || !relationThere(i.schema, i.table)) continue;
    const created =
      relationCreated(i.schema, i.table) || plan.isCreated('index', key(i.schema, i.name)) || (i.constraint !== null && plan.isCreated('constraint', key(i.schema, i.table, i.constraint)));
    push({ type: 'index', schema: i.schema, table: i.table, name: i.name }, `INDEX ${qualifiedName(i.schema, i.name)}`, i.comment, created, plan.from.indexes.get(key(i.schema, i.name)));
  }
  for (const s of plan.to.snapshot.sequences) {
    const k = key(s.schema, s.name);
    const owner = plan.to.isIdentitySequence(s) && s.ownedBy ? key(s.ownedBy.schema, s.ownedBy.table, s.ownedBy.column) : null;
    const created = owner ? relationCreated(s.ownedBy!.schema, s.ownedBy!.table) || plan.isCreated('column', owner) || !plan.from.isIdentitySequence(plan.from.sequences.get(k) ?? s) : plan.isCreated('sequence', k);
    push({ type: 'sequence', schema: s.schema, name: s.name }, `SEQUENCE ${qualifiedName(s.schema, s.name)}`, s.comment, created, plan.from.sequences.get(k));
  }
  for (const t of plan.to.snapshot.triggers) {
    if (t.inherited || !relationThere(t.schema, t.table)) continue;
    const k = key(t.schema, t.table, t.name);
    push(
      { type: 'trigger', schema: t.schema, table: t.table, name: t.name },
      `TRIGGER ${quoteIdent(t.name)} ON ${qualifiedName(t.schema, t.table)}`,
      t.comment,
      relationCreated(t.schema, t.table) || plan.isCreated('trigger', k),
      plan.from.triggers.get(k),
    );
  }

  for (const item of items) {
    if (item.comment === item.before) continue;
    plan.add('comments', {
      kind: item.comment === null ? 'remove comment' : 'set comment',
      object: item.object,
      sql: `COMMENT ON ${item.target} IS ${item.comment === null ? 'NULL' : quoteLiteral(item.comment)};`,
    });
  }
}
