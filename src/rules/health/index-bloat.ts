import { qualifiedName } from '../../sql/quote.js';
import { defineHealthRule } from '../health-rule.js';
import { bloatExamined, methodText } from './lib/bloat-words.js';
import { formatBytes, percent } from './lib/words.js';

const MB = 1024 * 1024;

/**
 * B-tree pages emptied by deletes and updates are reused only for keys of the same range, so an index
 * over churned data grows sparse: more pages to read and cache for the same keys. REINDEX
 * CONCURRENTLY rebuilds it compact without blocking writes.
 */
export default defineHealthRule({
  meta: {
    id: 'index-bloat',
    category: 'bloat',
    defaultSeverity: 'warning',
    description: 'A B-tree index takes much more space than its entries need (estimated from statistics, or measured with pgstatindex and --exact).',
    fixable: true,
    defaultOptions: {
      /** Report from this share of the index wasted (beyond its fillfactor). */
      minRatio: 0.3,
      /** ...and at least this many bytes wasted. */
      minWastedBytes: 32 * MB,
    },
  },
  needs: ['indexBloat'],
  examined(facts) {
    return bloatExamined(facts.indexBloat!, 'B-tree index');
  },
  check({ facts, options, report }) {
    const reading = facts.indexBloat!;
    for (const b of reading.relations) {
      if (b.ratio < options.minRatio || b.wastedBytes < options.minWastedBytes) continue;
      report({
        object: { type: 'index', schema: b.schema, table: b.table, name: b.name },
        message: `Index ${b.schema}.${b.table}.${b.name} takes ${formatBytes(b.bytes)} where its entries need about ${formatBytes(b.expectedBytes)}: ${formatBytes(b.wastedBytes)} (${percent(b.ratio, 0)}) is empty space (${methodText(reading)}).`,
        evidence: {
          method: reading.method,
          bytes: b.bytes,
          expectedBytes: b.expectedBytes,
          wastedBytes: b.wastedBytes,
          ratio: b.ratio,
          fillfactor: b.fillfactor,
          minRatio: options.minRatio,
          minWastedBytes: options.minWastedBytes,
        },
        fix: {
          sql: `REINDEX INDEX CONCURRENTLY ${qualifiedName(b.schema, b.name)};`,
          safeOnline: true,
          note:
            'REINDEX CONCURRENTLY builds a new copy beside the old one (room for both is needed) without blocking reads or writes, and must run outside a transaction block; if it fails it leaves an invalid index named ..._ccnew to drop.' +
            (reading.method === 'estimate' ? ' Estimates ignore B-tree deduplication and can be off for expression keys: confirm with --exact (pgstattuple) first.' : ''),
        },
      });
    }
  },
});
