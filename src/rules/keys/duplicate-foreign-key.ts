import type { Constraint } from '../../catalog/types.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * Two foreign keys enforcing the same reference check every insert and update twice, fire their
 * triggers twice on every delete of a referenced row, and leave it unclear which actions
 * (ON DELETE, deferrability) the design intends. Usually a migration ran twice under different names.
 */
export default defineRule({
  meta: {
    id: 'duplicate-foreign-key',
    category: 'keys',
    defaultSeverity: 'warning',
    description: 'Two foreign keys on a table have the same columns and reference the same table and columns.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      const groups = new Map<string, Constraint[]>();
      for (const fk of index.constraintsOf(table)) {
        if (fk.kind !== 'foreign key' || fk.inherited || !fk.references) continue;
        const key = referenceKey(fk);
        const group = groups.get(key);
        if (group) group.push(fk);
        else groups.set(key, [fk]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        // Keep a validated one (it proves the existing rows), then the first by name.
        const [kept, ...redundant] = [...group].sort((a, b) => Number(b.validated) - Number(a.validated) || (a.name < b.name ? -1 : 1));
        for (const fk of redundant) {
          const target = fk.references!;
          const differences = behaviourDifferences(kept!, fk);
          report({
            object: { type: 'constraint', schema: table.schema, table: table.name, name: fk.name },
            message: `Foreign key ${table.schema}.${table.name}.${fk.name} repeats ${kept!.name}: both make (${fk.columns.join(', ')}) reference ${target.schema}.${target.table} (${target.columns.join(', ')}).`,
            evidence: {
              constraint: fk.name,
              duplicateOf: kept!.name,
              columns: fk.columns,
              referencedTable: `${target.schema}.${target.table}`,
              referencedColumns: target.columns,
              differences,
            },
            fix: {
              sql: `ALTER TABLE ${qualifiedName(table.schema, table.name)} DROP CONSTRAINT ${quoteIdent(fk.name)};`,
              safeOnline: true,
              note:
                `keeps ${kept!.name}; dropping takes a brief ACCESS EXCLUSIVE lock on the table` +
                (differences.length ? `; the two differ (${differences.join('; ')}): check which behaviour is intended first` : ''),
            },
          });
        }
      }
    }
  },
});

/** Referenced table plus the column pairs as a set: (a, b) → (x, y) equals (b, a) → (y, x). */
function referenceKey(fk: Constraint): string {
  const target = fk.references!;
  const pairs = fk.columns.map((c, n) => `${c}\u0000${target.columns[n] ?? ''}`).sort();
  return `${target.schema}\u0000${target.table}\u0000${pairs.join('\u0001')}`;
}

function behaviourDifferences(kept: Constraint, other: Constraint): string[] {
  const a = kept.references!;
  const b = other.references!;
  const differences: string[] = [];
  if (a.onDelete !== b.onDelete) differences.push(`ON DELETE ${a.onDelete} vs ${b.onDelete}`);
  if (a.onUpdate !== b.onUpdate) differences.push(`ON UPDATE ${a.onUpdate} vs ${b.onUpdate}`);
  if (a.matchType !== b.matchType) differences.push(`MATCH ${a.matchType} vs ${b.matchType}`);
  if (kept.deferrable !== other.deferrable) differences.push(`${kept.deferrable ? 'deferrable' : 'not deferrable'} vs ${other.deferrable ? 'deferrable' : 'not deferrable'}`);
  if (kept.validated !== other.validated) differences.push(`validated vs NOT VALID`);
  return differences;
}
