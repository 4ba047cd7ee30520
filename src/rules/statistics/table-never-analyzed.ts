import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import { tableKey } from '../../catalog/snapshot-index.js';
import type { CatalogSnapshot, Table } from '../../catalog/types.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineRule, type ReportedFinding } from '../rule.js';

/**
 * Without statistics the planner guesses row counts and value distributions from the table's size on
 * disk, and bad guesses choose nested loops over millions of rows or skip the right index. Autovacuum
 * analyzes ordinary tables on its own but never analyzes partitioned parents, so a parent stays blind
 * unless someone runs ANALYZE on it.
 */
export default defineRule({
  meta: {
    id: 'table-never-analyzed',
    category: 'statistics',
    defaultSeverity: 'warning',
    description: 'A table holding data has never been analyzed, so the planner has no statistics for it.',
    fixable: true,
    requires: ['live-server', 'table-statistics'],
    defaultOptions: {
      /** Tables with fewer rows (counted or estimated) are left alone: misestimates there cost little. */
      minRows: 1000,
      /** ...unless their heap is at least this large (bytes), for when row counters were reset. */
      minBytes: 8 * 1024 * 1024,
    },
  },
  check({ snapshot, index, options, report }) {
    const autovacuumOff = snapshot.settings.find((s) => s.name === 'autovacuum')?.value === 'off';
    const holdsData = (rows: number, bytes: number): boolean => rows >= options.minRows || bytes >= options.minBytes;
    // Column statistics survive a statistics reset that clears last_analyze: they prove an ANALYZE ran.
    const analyzed = (t: Table): boolean =>
      t.stats === null || t.stats.lastAnalyze !== null || t.stats.lastAutoanalyze !== null || index.columnsOf(t).some((c) => c.stats !== null);

    for (const table of index.designTables()) {
      if (table.kind === 'partitioned table') {
        checkPartitioned(table, index, snapshot, analyzed, holdsData, report);
        continue;
      }
      if (analyzed(table)) continue;
      const rows = rowsOf(table);
      if (!holdsData(rows, table.tableBytes ?? 0)) continue;
      const name = qualifiedName(table.schema, table.name);
      report({
        object: { type: 'table', schema: table.schema, name: table.name },
        message: `Table ${table.schema}.${table.name} holds about ${rows} rows but has never been analyzed, so the planner has no statistics for it.`,
        evidence: {
          liveTuples: table.stats!.liveTuples,
          rowEstimate: table.rowEstimate,
          tableBytes: table.tableBytes,
          modsSinceAnalyze: table.stats!.modsSinceAnalyze,
          autovacuumDisabled: autovacuumOff || table.reloptions.includes('autovacuum_enabled=false'),
          statsReset: snapshot.server.statsReset,
        },
        fix: {
          sql: `ANALYZE ${name};`,
          safeOnline: true,
          note: 'ANALYZE reads a sample of the table and takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes. If autovacuum is off for this table, turn it back on so statistics stay current.',
        },
      });
    }
  },
});

/**
 * One finding per partitioned table: when the parent itself was never analyzed (autovacuum never does
 * it), or when some of its leaf partitions holding data were not.
 */
function checkPartitioned(
  parent: Table,
  index: SnapshotIndex,
  snapshot: CatalogSnapshot,
  analyzed: (t: Table) => boolean,
  holdsData: (rows: number, bytes: number) => boolean,
  report: (finding: ReportedFinding) => void,
): void {
  const leaves = leafPartitions(parent, index);
  const rows = leaves.reduce((n, t) => n + rowsOf(t), 0);
  const bytes = leaves.reduce((n, t) => n + (t.tableBytes ?? 0), 0);
  // Only ANALYZE sets a partitioned table's reltuples (PostgreSQL 14+ keep -1 until then).
  const parentAnalyzed = analyzed(parent) || (parent.rowEstimate ?? -1) >= 0;
  const blindLeaves = leaves.filter((t) => !analyzed(t) && holdsData(rowsOf(t), t.tableBytes ?? 0));
  if (parentAnalyzed ? blindLeaves.length === 0 : !holdsData(rows, bytes)) return;

  const name = qualifiedName(parent.schema, parent.name);
  report({
    object: { type: 'partitioned table', schema: parent.schema, name: parent.name },
    message: parentAnalyzed
      ? `Partitioned table ${parent.schema}.${parent.name} has ${blindLeaves.length} partition(s) holding data that were never analyzed.`
      : `Partitioned table ${parent.schema}.${parent.name} holds about ${rows} rows in ${leaves.length} partition(s) but has never been analyzed itself, and autovacuum never analyzes partitioned tables.`,
    evidence: {
      parentAnalyzed,
      rows,
      tableBytes: bytes,
      partitions: leaves.length,
      partitionsNeverAnalyzed: blindLeaves.slice(0, 20).map((t) => `${t.schema}.${t.name}`),
      partitionsNeverAnalyzedCount: blindLeaves.length,
      statsReset: snapshot.server.statsReset,
    },
    fix: {
      sql: parentAnalyzed
        ? `ANALYZE ${blindLeaves.map((t) => qualifiedName(t.schema, t.name)).join(', ')};`
        : `ANALYZE ${name};`,
      safeOnline: true,
      note: parentAnalyzed
        ? 'ANALYZE takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes.'
        : 'ANALYZE of the parent also analyzes every partition (it reads a sample of each) under a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes. Autovacuum will not keep the parent current: schedule ANALYZE of the parent after bulk loads or periodically.',
    },
  });
}

/** Partitions that hold rows, through every level of sub-partitioning. */
function leafPartitions(table: Table, index: SnapshotIndex): Table[] {
  const leaves: Table[] = [];
  const pending = [...index.partitions(table)];
  while (pending.length) {
    const t = pending.pop()!;
    if (t.kind === 'partitioned table') pending.push(...index.partitions(t));
    else if (t.kind === 'table') leaves.push(t);
  }
  return leaves.sort((a, b) => (tableKey(a.schema, a.name) < tableKey(b.schema, b.name) ? -1 : 1));
}

/** Counted live rows, or the planner's estimate when larger (counters reset, or not yet flushed). */
function rowsOf(table: Table): number {
  return Math.max(table.stats?.liveTuples ?? 0, table.rowEstimate ?? 0);
}
