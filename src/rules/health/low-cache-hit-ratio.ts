import { formatKb, settingKb } from '../../tune/size.js';
import { defineHealthRule } from '../health-rule.js';
import { count, percent, serverObject } from './lib/words.js';

/**
 * A block not found in shared_buffers is read from the operating system's cache at best, from disk at
 * worst. A ratio below 99% on a transactional workload usually means the working set does not fit in
 * memory: queries read more than they need (missing indexes, bloat), or shared_buffers is small.
 */
export default defineHealthRule({
  meta: {
    id: 'low-cache-hit-ratio',
    category: 'resources',
    defaultSeverity: 'warning',
    description: 'Too many block reads miss shared_buffers (pg_stat_database, every database).',
    fixable: false,
    defaultOptions: {
      /** Report below this share of block reads found in shared_buffers. */
      minRatio: 0.99,
      /** Fewer block reads than this say nothing (a server just started). */
      minBlockReads: 10000,
    },
  },
  needs: ['serverActivity'],
  examined(facts) {
    const a = facts.serverActivity!;
    const reads = a.blocksHit + a.blocksRead;
    return `${count(reads)} block reads in every database since ${a.statsReset ? a.statsReset.slice(0, 16) : 'the statistics began'}${reads ? `, ${percent(a.blocksHit / reads, 2)} found in shared_buffers` : ''}`;
  },
  check({ facts, options, report }) {
    const a = facts.serverActivity!;
    const reads = a.blocksHit + a.blocksRead;
    if (reads < options.minBlockReads) return;
    const ratio = a.blocksHit / reads;
    if (ratio >= options.minRatio) return;
    const buffers = facts.settings.shared_buffers;
    const buffersKb = buffers ? settingKb(buffers.setting, buffers.unit) : null;
    report({
      object: serverObject(facts),
      message: `Only ${percent(ratio, 2)} of block reads were found in shared_buffers (below ${percent(options.minRatio, 0)}): ${count(a.blocksRead)} of ${count(reads)} went to the operating system or the disk.`,
      evidence: {
        ratio: Math.round(ratio * 10000) / 10000,
        minRatio: options.minRatio,
        blocksHit: a.blocksHit,
        blocksRead: a.blocksRead,
        statsReset: a.statsReset,
        sharedBuffers: buffersKb === null ? null : formatKb(buffersKb),
      },
      fix: null,
    });
  },
});
