import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Index } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { indexesByTable, shapeSignature } from './lib/index-shape.js';

/**
 * A failed `CREATE INDEX CONCURRENTLY` (or `REINDEX CONCURRENTLY`) leaves an INVALID index behind.
 * The planner never uses it, so the index meant to be there is missing; past the "ready" phase writes
 * keep maintaining it too (a unique one still rejects conflicting rows). Nothing fails, nobody notices.
 */
export default defineRule({
  meta: {
    id: 'invalid-index',
    category: 'indexes',
    defaultSeverity: 'error',
    description: 'An index is marked invalid (a failed concurrent build) and is never used.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    if (snapshot.indexes.every((i) => i.valid)) return; // the usual case: nothing to group
    // Every index that can be invalid on its own: a partition's copy of a partitioned index is reported
    // through its parent, but a leftover of REINDEX CONCURRENTLY on a partition stands on its own.
    const candidates = snapshot.indexes.filter((i) => {
      const table = index.table(i.schema, i.table);
      return table !== undefined && (table.parent === null || i.parentIndex === null);
    });
    for (const tableIndexes of indexesByTable(candidates).values()) {
      for (const invalid of tableIndexes) {
        if (invalid.valid) continue;
        const twin = tableIndexes.find((i) => i.valid && (i.unique || !invalid.unique) && shapeSignature(i) === shapeSignature(invalid));
        const name = `${invalid.schema}.${invalid.table}.${invalid.name}`;
        const missing = invalid.partitioned ? partitionsWithoutIndex(invalid, index) : [];
        const message = invalid.partitioned
          ? `Partitioned index ${name} is invalid: partitions without a valid index attached to it: ${missing.join(', ') || 'unknown'}; create one CONCURRENTLY on each and ALTER INDEX ... ATTACH PARTITION it.`
          : twin
            ? `Index ${name} is invalid (a failed concurrent build) and duplicates the valid ${twin.name}.`
            : `Index ${name} is invalid (a failed concurrent build, unless one is running right now): queries never use it${invalid.ready ? ', yet every write maintains it' : ''}.`;
        report({
          object: { type: 'index', schema: invalid.schema, table: invalid.table, name: invalid.name },
          message,
          evidence: {
            definition: invalid.definition,
            unique: invalid.unique,
            ready: invalid.ready,
            bytes: invalid.bytes,
            validTwin: twin?.name ?? null,
            ...(invalid.partitioned ? { partitionsWithoutIndex: missing } : {}),
          },
          fix: invalid.partitioned ? null : twin ? dropOnly(invalid) : rebuild(invalid),
        });
      }
    }
  },
});

/** Direct partitions (`schema.name`) that have no valid index attached to the partitioned index. */
function partitionsWithoutIndex(parent: Index, lookups: SnapshotIndex): string[] {
  return lookups
    .partitions({ schema: parent.schema, name: parent.table })
    .filter((p) => !lookups.indexesOf(p).some((i) => i.parentIndex === parent.name && i.valid))
    .map((p) => `${p.schema}.${p.name}`)
    .sort();
}

function dropOnly(index: Index): Fix {
  return { sql: `DROP INDEX CONCURRENTLY ${qualifiedName(index.schema, index.name)};`, safeOnline: true };
}

/** Drop and build again, concurrently, from the index's own definition. */
function rebuild(index: Index): Fix {
  const create = index.definition.replace(/^CREATE (UNIQUE )?INDEX /, (_, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `);
  return {
    sql: `DROP INDEX CONCURRENTLY ${qualifiedName(index.schema, index.name)};\n${create};`,
    safeOnline: true,
    note: index.unique
      ? 'a unique build usually fails on duplicate values: remove them first, or the rebuild fails and leaves an invalid index again'
      : 'find why the build failed first (cancelled, deadlock, out of disk): the same cause makes the rebuild fail again',
  };
}
