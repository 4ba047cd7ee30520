/**
 * GRANT and REVOKE on tables, views, sequences, functions and schemas: what `to` grants beyond what a
 * new object has by default. An owner's own privileges are implicit and left out. Objects the migration
 * creates (or recreates) start with the defaults, so their grants are written again.
 */
import type { Privilege } from '../catalog/types.js';
import { qualifiedName, quoteIdent } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import type { Plan } from './plan.js';
import { functionKey, key, type SchemaModel } from './schema-model.js';

type Granted = Map<string, Privilege>;

function grantKey(p: Privilege): string {
  return `${p.grantee}\u0000${p.privilege}\u0000${p.grantable}`;
}

function objectKey(p: Privilege): string {
  return `${p.objectType}\u0000${p.schema ?? ''}\u0000${p.name}`;
}

/** Privileges by object, without the database's and without an owner's grants to itself. */
function byObject(privileges: readonly Privilege[]): Map<string, Granted> {
  const map = new Map<string, Granted>();
  for (const p of privileges) {
    if (p.objectType === 'database' || p.grantee === p.grantor) continue;
    let granted = map.get(objectKey(p));
    if (!granted) map.set(objectKey(p), (granted = new Map()));
    granted.set(grantKey(p), p);
  }
  return map;
}

/** The function of a privilege row (named `name(identity arguments)`). */
function functionOf(model: SchemaModel, p: Privilege) {
  return model.snapshot.functions.find((f) => f.schema === p.schema && `${f.name}(${f.arguments})` === p.name);
}

function target(model: SchemaModel, p: Privilege): { sql: string; object: DiffObject } {
  switch (p.objectType) {
    case 'schema':
      return { sql: `SCHEMA ${quoteIdent(p.name)}`, object: { type: 'schema', name: p.name } };
    case 'sequence':
      return { sql: `SEQUENCE ${qualifiedName(p.schema ?? '', p.name)}`, object: { type: 'sequence', schema: p.schema ?? '', name: p.name } };
    case 'function': {
      const f = functionOf(model, p);
      return {
        sql: `ROUTINE ${qualifiedName(p.schema ?? '', f?.name ?? p.name)}${f ? `(${f.argumentTypes})` : ''}`,
        object: { type: f?.kind === 'procedure' ? 'procedure' : 'function', schema: p.schema ?? '', name: f ? `${f.name}(${f.argumentTypes})` : p.name },
      };
    }
    default: {
      const kind = model.relationKind(key(p.schema ?? '', p.name)) ?? 'table';
      return { sql: `TABLE ${qualifiedName(p.schema ?? '', p.name)}`, object: { type: kind, schema: p.schema ?? '', name: p.name } };
    }
  }
}

/** The object exists after the migration only because the migration creates it (new or again). */
function createdByMigration(plan: Plan, p: Privilege): boolean {
  switch (p.objectType) {
    case 'schema':
      return plan.isCreated('schema', p.name);
    case 'sequence':
      return plan.isCreated('sequence', key(p.schema ?? '', p.name)) || !plan.from.sequences.has(key(p.schema ?? '', p.name));
    case 'function': {
      const f = functionOf(plan.to, p);
      return f ? plan.createdFunctions.has(functionKey(f)) : false;
    }
    default:
      return !plan.keeps(key(p.schema ?? '', p.name));
  }
}

function grantee(p: Privilege): string {
  return p.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(p.grantee);
}

/** GRANT what `to` grants that the object does not have after the migration; REVOKE what it no longer grants. */
export function planPrivileges(plan: Plan): void {
  const before = byObject(plan.from.snapshot.privileges);
  const after = byObject(plan.to.snapshot.privileges);
  for (const [k, granted] of [...after.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sample = granted.values().next().value as Privilege;
    const created = createdByMigration(plan, sample);
    if (!created && !before.has(k) && !objectExistsInFrom(plan, sample)) continue;
    // A new function grants EXECUTE to PUBLIC by default; nothing else has grants by default.
    const had: Granted = created ? new Map([...granted].filter(([, p]) => p.objectType === 'function' && p.grantee === 'PUBLIC' && p.privilege === 'EXECUTE')) : (before.get(k) ?? new Map());
    const { sql: on, object } = target(plan.to, sample);
    for (const [g, p] of granted) {
      if (had.has(g)) continue;
      plan.add('privileges', {
        kind: `grant ${p.privilege}`,
        object,
        sql: `GRANT ${p.privilege} ON ${on} TO ${grantee(p)}${p.grantable ? ' WITH GRANT OPTION' : ''};`,
        notes: [p.grantee !== 'PUBLIC' ? `the role ${p.grantee} must exist on the server` : null],
      });
    }
    if (!created) revokeMissing(plan, had, granted, on, object);
  }
  for (const [k, granted] of [...before.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (after.has(k)) continue;
    const sample = granted.values().next().value as Privilege;
    if (!objectExistsInTo(plan, sample) || createdByMigration(plan, sample)) continue;
    const { sql: on, object } = target(plan.from, sample);
    revokeMissing(plan, granted, new Map(), on, object);
  }
}

function revokeMissing(plan: Plan, had: Granted, granted: Granted, on: string, object: DiffObject): void {
  for (const [g, p] of had) {
    if (granted.has(g)) continue;
    // Granted in to as well, without the grant option: only the option goes.
    const optionOnly = [...granted.values()].some((q) => q.grantee === p.grantee && q.privilege === p.privilege);
    plan.add('privileges', { kind: `revoke ${p.privilege}`, object, sql: `REVOKE ${optionOnly ? 'GRANT OPTION FOR ' : ''}${p.privilege} ON ${on} FROM ${grantee(p)};` });
  }
}

function objectExistsInFrom(plan: Plan, p: Privilege): boolean {
  return exists(plan.from, p);
}

function objectExistsInTo(plan: Plan, p: Privilege): boolean {
  return exists(plan.to, p);
}

function exists(model: SchemaModel, p: Privilege): boolean {
  switch (p.objectType) {
    case 'schema':
      return model.schemas.has(p.name);
    case 'sequence':
      return model.sequences.has(key(p.schema ?? '', p.name));
    case 'function':
      return functionOf(model, p) !== undefined;
    default:
      return model.relationKind(key(p.schema ?? '', p.name)) !== undefined;
  }
}
