import { defineHealthRule } from '../health-rule.js';
import { count, duration } from './lib/words.js';

/**
 * While archiving fails, completed WAL files pile up in pg_wal (the disk fills and the server stops)
 * and the backups that rely on the archive cannot be restored past the last archived file.
 */
export default defineHealthRule({
  meta: {
    id: 'wal-archiving-failing',
    category: 'archiving',
    defaultSeverity: 'error',
    description: 'WAL archiving is on and failing now, or falling behind (pg_stat_archiver).',
    fixable: false,
    defaultOptions: {
      /** Warn when this many completed WAL files wait to be archived. */
      maxPendingSegments: 16,
    },
  },
  needs: ['archiver'],
  examined(facts) {
    const mode = facts.settings.archive_mode?.setting ?? 'unknown';
    const a = facts.archiver!;
    if (mode === 'off') return 'archive_mode = off: nothing is archived (see wal-archiving-off)';
    return `archive_mode = ${mode}: ${count(a.archivedCount)} WAL files archived and ${count(a.failedCount)} failures since ${a.statsReset ? a.statsReset.slice(0, 16) : 'the statistics began'}${a.lastArchivedSeconds !== null ? `, the last ${duration(a.lastArchivedSeconds)} ago` : ''}`;
  },
  check({ facts, options, report }) {
    const mode = facts.settings.archive_mode?.setting;
    if (!mode || mode === 'off') return;
    if (facts.server.inRecovery && mode !== 'always') return; // a standby archives only with archive_mode = always
    const a = facts.archiver!;
    const pending = a.pendingSegments;
    const behind = pending !== null && pending >= options.maxPendingSegments;
    if (!a.failingNow && !behind) return;
    const command = facts.settings.archive_library?.setting ? `archive_library ${facts.settings.archive_library.setting}` : 'archive_command';
    report({
      object: { type: 'server', name: facts.server.database },
      message: a.failingNow
        ? `WAL archiving fails: the last attempt, on ${a.lastFailedWal ?? 'a WAL file'} at ${a.lastFailedTime?.slice(0, 19) ?? 'unknown time'}, failed, and the last success was ${a.lastArchivedTime ? `${duration(a.lastArchivedSeconds ?? 0)} ago (${a.lastArchivedWal})` : 'never'}; WAL piles up in pg_wal until ${command} works again.`
        : `WAL archiving falls behind: ${count(pending!)} completed WAL files wait to be archived (warning from ${options.maxPendingSegments}); the last was archived ${duration(a.lastArchivedSeconds ?? 0)} ago.`,
      severity: a.failingNow ? 'error' : 'warning',
      evidence: {
        archiveMode: mode,
        archivedCount: a.archivedCount,
        failedCount: a.failedCount,
        lastArchivedWal: a.lastArchivedWal,
        lastArchivedTime: a.lastArchivedTime,
        lastFailedWal: a.lastFailedWal,
        lastFailedTime: a.lastFailedTime,
        currentWal: a.currentWal,
        pendingSegments: pending,
        maxPendingSegments: options.maxPendingSegments,
      },
      fix: null,
    });
  },
});
