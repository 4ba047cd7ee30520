import { formatKb, settingKb } from '../../tune/size.js';
import { defineHealthRule } from '../health-rule.js';
import { count, formatBytes, serverObject } from './lib/words.js';

const GB = 1024 * 1024 * 1024;

/**
 * A sort or hash that does not fit in work_mem spills to temporary files: disk I/O in the middle of a
 * query, often its slowest part. Often enough, and the server spends its I/O on scratch files.
 */
export default defineHealthRule({
  meta: {
    id: 'temp-file-usage',
    category: 'resources',
    defaultSeverity: 'warning',
    description: 'Queries write many temporary files: sorts and hashes spill out of work_mem (pg_stat_database, every database).',
    fixable: true,
    defaultOptions: {
      /** Report from this many bytes of temporary files since the statistics were reset... */
      minBytes: 1 * GB,
      /** ...when there is at least this many temporary files per 1,000 transactions. */
      minFilesPerThousandTransactions: 1,
    },
  },
  needs: ['serverActivity'],
  examined(facts) {
    const a = facts.serverActivity!;
    return `${count(a.tempFiles)} temporary files (${formatBytes(a.tempBytes)}) and ${count(a.transactions)} transactions in every database since ${a.statsReset ? a.statsReset.slice(0, 16) : 'the statistics began'}`;
  },
  check({ facts, options, report }) {
    const a = facts.serverActivity!;
    if (a.tempFiles === 0 || a.tempBytes < options.minBytes) return;
    const perThousand = a.transactions > 0 ? (a.tempFiles * 1000) / a.transactions : Infinity;
    if (perThousand < options.minFilesPerThousandTransactions) return;
    const workMem = facts.settings.work_mem;
    const workMemKb = workMem ? settingKb(workMem.setting, workMem.unit) : null;
    const logged = facts.settings.log_temp_files?.setting;
    report({
      object: serverObject(facts),
      message: `Queries wrote ${count(a.tempFiles)} temporary files, ${formatBytes(a.tempBytes)} in all (${formatBytes(Math.round(a.tempBytes / a.tempFiles))} each on average, ${Number.isFinite(perThousand) ? perThousand.toFixed(1) : 'n/a'} per 1,000 transactions): sorts and hashes spill out of work_mem${workMemKb === null ? '' : ` (${formatKb(workMemKb)})`}.`,
      evidence: {
        tempFiles: a.tempFiles,
        tempBytes: a.tempBytes,
        transactions: a.transactions,
        filesPerThousandTransactions: Number.isFinite(perThousand) ? Math.round(perThousand * 10) / 10 : null,
        minBytes: options.minBytes,
        minFilesPerThousandTransactions: options.minFilesPerThousandTransactions,
        workMem: workMemKb === null ? null : formatKb(workMemKb),
        logTempFiles: logged ?? null,
        statsReset: a.statsReset,
      },
      fix:
        logged === '-1'
          ? {
              sql: "ALTER SYSTEM SET log_temp_files = '10MB';\nSELECT pg_reload_conf();",
              safeOnline: true,
              note: 'logs each query that writes a temporary file of 10MB or more, so the spilling queries can be found; then give those more work_mem (SET LOCAL work_mem, or per role) rather than raising it for every connection. pgarchitect tune weighs work_mem against these figures.',
            }
          : null,
    });
  },
});
