import { quoteLiteral } from '../../sql/quote.js';
import { defineHealthRule } from '../health-rule.js';
import { count, duration, formatBytes, plural } from './lib/words.js';

const GB = 1024 * 1024 * 1024;

/**
 * A replication slot keeps every WAL file its consumer has not confirmed, and (with its xmin) every
 * row version it might still need. With no consumer, that grows without end: the WAL disk fills and
 * the server stops, or VACUUM cannot clean anything, until someone drops the slot.
 */
export default defineHealthRule({
  meta: {
    id: 'inactive-replication-slot',
    category: 'replication',
    defaultSeverity: 'warning',
    description: 'A replication slot has no consumer connected and retains WAL (or holds back VACUUM) meanwhile.',
    fixable: true,
    defaultOptions: {
      /** Report inactive slots retaining more WAL than this (bytes); slots holding back VACUUM always. */
      minRetainedBytes: 0,
      /** An error from this much WAL retained. */
      errorRetainedBytes: 10 * GB,
    },
  },
  needs: ['slots'],
  examined(facts) {
    const slots = facts.slots!;
    const inactive = slots.filter((s) => !s.active).length;
    return slots.length ? `${plural(slots.length, 'replication slot')} (${count(inactive)} inactive)` : 'no replication slot';
  },
  check({ facts, options, report }) {
    const keep = facts.settings.max_slot_wal_keep_size?.setting ?? null;
    for (const slot of facts.slots!) {
      if (slot.active || slot.temporary) continue;
      const retained = slot.retainedBytes ?? 0;
      const holdsXmin = (slot.xminAge ?? 0) > 0 || (slot.catalogXminAge ?? 0) > 0;
      const lost = slot.walStatus === 'lost' || slot.invalidationReason !== null;
      if (!lost && !holdsXmin && (slot.restartLsn === null || retained <= options.minRetainedBytes)) continue;
      const holding: string[] = [];
      if (slot.restartLsn !== null && !lost) holding.push(`keeps ${formatBytes(retained)} of WAL`);
      if (holdsXmin) holding.push(`holds back VACUUM by ${count(Math.max(slot.xminAge ?? 0, slot.catalogXminAge ?? 0))} transactions${slot.catalogXminAge ? ' (system catalogs)' : ''}`);
      const message = lost
        ? `Replication slot ${slot.name} (${slot.type}) is inactive and has lost the WAL its consumer needs (${slot.invalidationReason ?? slot.walStatus}): it can never be used again.`
        : `Replication slot ${slot.name} (${slot.type}${slot.database ? ` on ${slot.database}` : ''}) has no consumer connected${slot.inactiveSeconds !== null ? ` for ${duration(slot.inactiveSeconds)}` : ''} and ${holding.join(' and ')}.`;
      report({
        object: { type: 'replication slot', name: slot.name },
        message,
        severity: lost || retained >= options.errorRetainedBytes || slot.walStatus === 'unreserved' ? 'error' : 'warning',
        evidence: {
          type: slot.type,
          plugin: slot.plugin,
          database: slot.database,
          restartLsn: slot.restartLsn,
          retainedBytes: slot.retainedBytes,
          walStatus: slot.walStatus,
          safeWalBytes: slot.safeWalBytes,
          xminAge: slot.xminAge,
          catalogXminAge: slot.catalogXminAge,
          inactiveSeconds: slot.inactiveSeconds,
          invalidationReason: slot.invalidationReason,
          maxSlotWalKeepSize: keep,
          minRetainedBytes: options.minRetainedBytes,
        },
        fix: {
          sql: `SELECT pg_drop_replication_slot(${quoteLiteral(slot.name)});`,
          safeOnline: true,
          note:
            'frees the WAL and the xmin at once. Only when its consumer is gone for good: a standby or subscriber that returns after the drop needs a new base backup or a new initial copy. ' +
            (keep === '-1' ? "max_slot_wal_keep_size = -1 lets a slot keep WAL without limit; a bound (for example '50GB') caps the damage of the next abandoned slot." : ''),
        },
      });
    }
  },
});
