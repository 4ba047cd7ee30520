import { qualifiedName } from '../../sql/quote.js';
import { defineHealthRule } from '../health-rule.js';
import { bloatExamined, methodText } from './lib/bloat-words.js';
import { formatBytes, percent } from './lib/words.js';

const MB = 1024 * 1024;

/**
 * VACUUM makes the space of dead rows reusable but does not give it back: after a mass DELETE or
 * UPDATE, or when vacuum lagged for long, the table stays larger than its rows need. Scans read the
 * empty space, caches hold it and backups copy it.
 */
export default defineHealthRule({
  meta: {
    id: 'table-bloat',
    category: 'bloat',
    defaultSeverity: 'warning',
    description: 'A table takes much more space than its live rows need (estimated from statistics, or measured with pgstattuple and --exact).',
    fixable: true,
    defaultOptions: {
      /** Report from this share of the table wasted. */
      minRatio: 0.3,
      /** ...and at least this many bytes wasted. */
      minWastedBytes: 100 * MB,
    },
  },
  needs: ['tableBloat'],
  examined(facts) {
    return bloatExamined(facts.tableBloat!, 'table');
  },
  check({ facts, options, report }) {
    const reading = facts.tableBloat!;
    for (const b of reading.relations) {
      if (b.ratio < options.minRatio || b.wastedBytes < options.minWastedBytes) continue;
      const name = qualifiedName(b.schema, b.name);
      report({
        object: { type: 'table', schema: b.schema, name: b.name },
        message: `Table ${b.schema}.${b.name} takes ${formatBytes(b.bytes)} where its rows need about ${formatBytes(b.expectedBytes)}: ${formatBytes(b.wastedBytes)} (${percent(b.ratio, 0)}) is free space or dead rows (${methodText(reading)}).`,
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
          sql: `VACUUM (FULL, ANALYZE) ${name};`,
          safeOnline: false,
          note:
            'VACUUM FULL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: no reads or writes until it ends, and it needs room for a second copy. ' +
            'Online alternatives: pg_repack or pg_squeeze. If the space will fill again soon (a table that grows back), leave it: VACUUM already lets new rows reuse it.' +
            (reading.method === 'estimate' ? ' Estimates can be off for tables with wide or unusual columns: confirm with --exact (pgstattuple) first.' : ''),
        },
      });
    }
  },
});
