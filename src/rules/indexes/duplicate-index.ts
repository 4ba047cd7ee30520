import type { Index } from '../../catalog/types.js';
import { defineRule, type ReportedFinding } from '../rule.js';
import { backsKeyConstraint, compareText, designIndexesByTable, dropIndexFix, shapeSignature, uniqueDropNote } from './lib/index-shape.js';

/**
 * Two indexes with the same method, keys, key options, INCLUDE columns and predicate store the same
 * entries twice: every write pays for both, both compete for cache, and the planner only ever needs one.
 */
export default defineRule({
  meta: {
    id: 'duplicate-index',
    category: 'indexes',
    defaultSeverity: 'warning',
    description: 'Two indexes on a table are identical: same method, keys, key options, INCLUDE columns and predicate.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const designIndexes of designIndexesByTable(index).values()) {
      if (designIndexes.length < 2) continue;
      const tableIndexes = designIndexes.filter((i) => i.valid);
      const groups = new Map<string, Index[]>();
      for (const ix of tableIndexes) {
        const signature = shapeSignature(ix);
        const group = groups.get(signature);
        if (group) group.push(ix);
        else groups.set(signature, [ix]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        // A plain twin of a PRIMARY KEY or UNIQUE constraint's index is index-duplicates-constraint's finding.
        const members = group.some(backsKeyConstraint) ? group.filter((i) => i.constraint !== null) : group;
        if (members.length < 2) continue;
        const kept = [...members].sort(keepFirst)[0]!;
        for (const duplicate of members) {
          if (duplicate !== kept) reportDuplicate(duplicate, kept, report);
        }
      }
    }
  },
});

/** Prefer the index that backs a constraint (a primary key first), then a unique one, then the first name. */
function keepFirst(a: Index, b: Index): number {
  return rank(a) - rank(b) || compareText(a.name, b.name);
}

function rank(index: Index): number {
  if (index.primary) return 0;
  if (index.constraint !== null) return 1;
  if (index.unique) return 2;
  return 3;
}

function reportDuplicate(duplicate: Index, kept: Index, report: (finding: ReportedFinding) => void): void {
  const bothConstraints = duplicate.constraint !== null && kept.constraint !== null;
  const name = `${duplicate.schema}.${duplicate.table}.${duplicate.name}`;
  const message = bothConstraints
    ? `Index ${name} duplicates ${kept.name}: constraints ${duplicate.constraint} and ${kept.constraint} enforce the same thing twice; drop one of the constraints once nothing (a foreign key, an ON CONFLICT clause) relies on it.`
    : `Index ${name} duplicates ${kept.name}, which is kept.`;
  report({
    object: { type: 'index', schema: duplicate.schema, table: duplicate.table, name: duplicate.name },
    message,
    evidence: {
      keptIndex: kept.name,
      definition: duplicate.definition,
      keptDefinition: kept.definition,
      bytes: duplicate.bytes,
      keptBytes: kept.bytes,
      constraint: duplicate.constraint,
      keptConstraint: kept.constraint,
    },
    fix: bothConstraints
      ? null
      : dropIndexFix(duplicate, uniqueDropNote(duplicate, kept.name)),
  });
}
