/**
 * Triggers (pg_get_triggerdef) and row level security: policies and the table flags. A changed trigger
 * is CREATE OR REPLACE TRIGGER (PostgreSQL 14+), unless its function is dropped and created again, in
 * which case it is dropped first. RLS is enabled after the policies exist, so no role meets a table it
 * can suddenly read nothing from.
 */
import type { Policy, Table, Trigger } from '../catalog/types.js';
import { qualifiedName, quoteIdent } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import { sameSql } from './same-sql.js';
import type { Plan } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

function triggerObject(t: Trigger): DiffObject {
  return { type: 'trigger', schema: t.schema, table: t.table, name: t.name };
}

function policyObject(p: Policy): DiffObject {
  return { type: 'policy', schema: p.schema, table: p.table, name: p.name };
}

/** The trigger's function is dropped (and created again) by the migration. */
function functionGoes(plan: Plan, t: Trigger): boolean {
  return [...plan.droppedFunctions].some((k) => k.startsWith(key(t.functionSchema, t.functionName, '')));
}

/** Triggers dropped, replaced and created; enabled or disabled as in `to`. */
export function planTriggers(plan: Plan): void {
  for (const [k, t] of sortedEntries(plan.from.triggers)) {
    if (t.inherited || !plan.keeps(key(t.schema, t.table))) continue;
    const after = plan.to.triggers.get(k);
    if (after && sameSql(after.definition, t.definition, 'statement') && !functionGoes(plan, t)) continue;
    const replaceable = after && !functionGoes(plan, t) && /^CREATE TRIGGER /.test(after.definition) && /^CREATE TRIGGER /.test(t.definition);
    if (replaceable) continue;
    plan.add('drop triggers', {
      kind: after ? 'drop trigger to recreate it' : 'drop trigger',
      object: triggerObject(t),
      sql: `DROP TRIGGER ${quoteIdent(t.name)} ON ${qualifiedName(t.schema, t.table)};`,
      notes: [after && functionGoes(plan, t) ? `its function ${t.functionSchema}.${t.functionName} is dropped and created again` : null, 'a brief SHARE ROW EXCLUSIVE lock'],
    });
  }
  for (const [k, t] of sortedEntries(plan.to.triggers)) {
    if (t.inherited) continue;
    const relation = key(t.schema, t.table);
    if (!plan.keeps(relation) && !plan.createdRelations.has(relation)) continue;
    const before = plan.keeps(relation) ? plan.from.triggers.get(k) : undefined;
    const recreate = !before || functionGoes(plan, before) || !/^CREATE TRIGGER /.test(t.definition) || !/^CREATE TRIGGER /.test(before.definition);
    if (before && sameSql(before.definition, t.definition, 'statement') && !functionGoes(plan, before)) {
      if (before.enabled !== t.enabled) {
        plan.add('triggers', { kind: t.enabled ? 'enable trigger' : 'disable trigger', object: triggerObject(t), sql: `ALTER TABLE ${qualifiedName(t.schema, t.table)} ${t.enabled ? 'ENABLE' : 'DISABLE'} TRIGGER ${quoteIdent(t.name)};` });
      }
      continue;
    }
    const statements = [recreate ? `${t.definition};` : `${t.definition.replace(/^CREATE TRIGGER /, 'CREATE OR REPLACE TRIGGER ')};`];
    if (!t.enabled) statements.push(`ALTER TABLE ${qualifiedName(t.schema, t.table)} DISABLE TRIGGER ${quoteIdent(t.name)};`);
    plan.add('triggers', {
      kind: recreate ? 'create trigger' : 'replace trigger',
      object: triggerObject(t),
      sql: statements.join('\n'),
      notes: ['a brief SHARE ROW EXCLUSIVE lock'],
    });
    if (recreate) plan.markCreated('trigger', k);
  }
}

function rolesText(roles: readonly string[]): string {
  return roles.map((r) => (r === 'public' ? 'PUBLIC' : quoteIdent(r))).join(', ');
}

function createPolicy(p: Policy): string {
  const parts = [`CREATE POLICY ${quoteIdent(p.name)} ON ${qualifiedName(p.schema, p.table)}`];
  if (!p.permissive) parts.push('AS RESTRICTIVE');
  if (p.command !== 'ALL') parts.push(`FOR ${p.command}`);
  if (!(p.roles.length === 1 && p.roles[0] === 'public')) parts.push(`TO ${rolesText(p.roles)}`);
  if (p.using !== null) parts.push(`USING (${p.using})`);
  if (p.withCheck !== null) parts.push(`WITH CHECK (${p.withCheck})`);
  return `${parts.join(' ')};`;
}

function samePolicy(a: Policy, b: Policy): boolean {
  return a.command === b.command && a.permissive === b.permissive && a.roles.join() === b.roles.join() && sameSql(a.using, b.using, 'expression') && sameSql(a.withCheck, b.withCheck, 'expression');
}

/** Policies dropped and created, then row level security enabled, forced or disabled. */
export function planPolicies(plan: Plan): void {
  for (const [k, p] of sortedEntries(plan.from.policies)) {
    if (!plan.keeps(key(p.schema, p.table))) continue;
    const after = plan.to.policies.get(k);
    if (after && samePolicy(p, after)) continue;
    plan.add('drop policies', {
      kind: after ? 'drop policy to recreate it' : 'drop policy',
      object: policyObject(p),
      sql: `DROP POLICY ${quoteIdent(p.name)} ON ${qualifiedName(p.schema, p.table)};`,
    });
  }
  for (const [k, p] of sortedEntries(plan.to.policies)) {
    const relation = key(p.schema, p.table);
    if (!plan.keeps(relation) && !plan.createdRelations.has(relation)) continue;
    const before = plan.keeps(relation) ? plan.from.policies.get(k) : undefined;
    if (before && samePolicy(before, p)) continue;
    plan.add('policies', {
      kind: 'create policy',
      object: policyObject(p),
      sql: createPolicy(p),
      notes: [p.roles.some((r) => r !== 'public') ? 'the roles it names must exist on the server' : null],
    });
  }
  for (const [k, t] of sortedEntries(plan.to.tables)) {
    if (t.kind === 'foreign table') continue;
    const before = plan.keeps(k) ? plan.from.tables.get(k) : undefined;
    if (!before && !plan.createdRelations.has(k)) continue;
    rowSecurity(plan, before, t);
  }
}

function rowSecurity(plan: Plan, before: Table | undefined, after: Table): void {
  const name = qualifiedName(after.schema, after.name);
  const object: DiffObject = { type: after.kind, schema: after.schema, name: after.name };
  if ((before?.rowSecurity ?? false) !== after.rowSecurity) {
    plan.add('policies', {
      kind: after.rowSecurity ? 'enable row level security' : 'disable row level security',
      object,
      sql: `ALTER TABLE ${name} ${after.rowSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;`,
      notes: [after.rowSecurity ? 'from now on roles other than the owner (and BYPASSRLS roles) see only the rows a policy gives them' : null],
    });
  }
  if ((before?.forceRowSecurity ?? false) !== after.forceRowSecurity) {
    plan.add('policies', {
      kind: after.forceRowSecurity ? 'force row level security' : 'no force row level security',
      object,
      sql: `ALTER TABLE ${name} ${after.forceRowSecurity ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY;`,
    });
  }
}
