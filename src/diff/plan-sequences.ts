/**
 * Sequences that stand on their own (CREATE SEQUENCE, serial). Identity sequences belong to their
 * column and are written with it (see the columns planner). A sequence is created before the tables
 * whose defaults call it, and owned by its column once the column exists.
 */
import type { Sequence } from '../catalog/types.js';
import { changedSequenceOptions, qualifiedName, quoteIdent, sequenceOptions } from './ddl.js';
import type { Plan } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

function ownedByText(s: Sequence): string {
  return s.ownedBy ? `${qualifiedName(s.ownedBy.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)}` : 'NONE';
}

function sameOwner(a: Sequence, b: Sequence): boolean {
  return ownedByText(a) === ownedByText(b);
}

/** Standalone sequences created, altered, owned and dropped. */
export function planSequences(plan: Plan): void {
  for (const [k, s] of sortedEntries(plan.to.sequences)) {
    if (plan.to.isIdentitySequence(s)) continue;
    const name = qualifiedName(s.schema, s.name);
    const object = { type: 'sequence' as const, schema: s.schema, name: s.name };
    const before = plan.from.sequences.get(k);
    if (!before || plan.from.isIdentitySequence(before)) {
      plan.add('sequences', { kind: 'create sequence', object, sql: `CREATE SEQUENCE ${[name, ...sequenceOptions(s, true)].join(' ')};` });
      plan.markCreated('sequence', k);
      if (s.ownedBy) {
        plan.add('sequence ownership', { kind: 'set sequence owner', object, sql: `ALTER SEQUENCE ${name} OWNED BY ${ownedByText(s)};` });
      }
      continue;
    }
    const changes = changedSequenceOptions(before, s, true);
    if (changes.length) {
      plan.add('sequences', { kind: 'alter sequence', object, sql: `ALTER SEQUENCE ${name} ${changes.join(' ')};` });
    }
    if (!sameOwner(before, s)) {
      plan.add('sequence ownership', { kind: 'set sequence owner', object, sql: `ALTER SEQUENCE ${name} OWNED BY ${ownedByText(s)};` });
    }
  }
  for (const [k, s] of sortedEntries(plan.from.sequences)) {
    if (plan.from.isIdentitySequence(s)) continue;
    const after = plan.to.sequences.get(k);
    if (after && !plan.to.isIdentitySequence(after)) continue;
    if (s.ownedBy) {
      const columnKey = key(s.ownedBy.schema, s.ownedBy.table, s.ownedBy.column);
      const target = plan.to.columns.get(columnKey);
      // Dropped with the column or table that owns it; or replaced by that column's new identity.
      if (!target || !plan.to.tables.has(key(s.ownedBy.schema, s.ownedBy.table))) continue;
      if (target.identity && !plan.from.columns.get(columnKey)?.identity) continue;
    }
    plan.add('drop sequences', {
      kind: 'drop sequence',
      object: { type: 'sequence', schema: s.schema, name: s.name },
      sql: `DROP SEQUENCE ${qualifiedName(s.schema, s.name)};`,
      destructive: true,
      loses: 'the sequence and its current value; the DROP fails while a default still calls it',
    });
  }
}
