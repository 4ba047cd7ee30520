import { formatKb, settingKb } from '../../tune/size.js';
import { defineHealthRule } from '../health-rule.js';
import { count, serverObject } from './lib/words.js';

/**
 * Checkpoints should come on time (checkpoint_timeout), spreading their writes. When WAL fills
 * max_wal_size first, they are requested early and more often: more full-page images in WAL, more
 * I/O bursts.
 */
export default defineHealthRule({
  meta: {
    id: 'requested-checkpoints',
    category: 'resources',
    defaultSeverity: 'warning',
    description: 'More checkpoints were requested (WAL filled max_wal_size) than came on time (pg_stat_bgwriter, or pg_stat_checkpointer on 17+).',
    fixable: true,
    defaultOptions: {
      /** Fewer requested checkpoints than this are no pattern. */
      minRequested: 10,
    },
  },
  needs: ['checkpoints'],
  examined(facts) {
    const cp = facts.checkpoints!;
    return `${count(cp.timed)} timed and ${count(cp.requested)} requested checkpoints since ${cp.statsReset ? cp.statsReset.slice(0, 16) : 'the statistics began'} (${cp.view})`;
  },
  check({ facts, options, report }) {
    const cp = facts.checkpoints!;
    if (cp.requested < options.minRequested || cp.requested <= cp.timed) return;
    const setting = facts.settings.max_wal_size;
    const currentKb = setting ? settingKb(setting.setting, setting.unit) : null;
    const doubled = currentKb === null ? null : formatKb(Math.ceil((currentKb * 2) / (1024 * 1024)) * 1024 * 1024);
    report({
      object: serverObject(facts),
      message: `${count(cp.requested)} of ${count(cp.requested + cp.timed)} checkpoints were requested rather than timed: WAL filled max_wal_size${currentKb === null ? '' : ` (${formatKb(currentKb)})`} before checkpoint_timeout came.`,
      evidence: {
        timed: cp.timed,
        requested: cp.requested,
        minRequested: options.minRequested,
        view: cp.view,
        statsReset: cp.statsReset,
        maxWalSize: currentKb === null ? null : formatKb(currentKb),
        checkpointTimeout: facts.settings.checkpoint_timeout?.setting ?? null,
      },
      fix: doubled
        ? {
            sql: `ALTER SYSTEM SET max_wal_size = '${doubled}';\nSELECT pg_reload_conf();`,
            safeOnline: true,
            note: 'a reload is enough; keep room on the WAL disk for it. Manual CHECKPOINTs and base backups count as requested too: if those explain the count, leave max_wal_size alone. pgarchitect tune weighs it with the rest.',
          }
        : null,
    });
  },
});
