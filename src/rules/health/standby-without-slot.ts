import { defineHealthRule } from '../health-rule.js';
import { plural } from './lib/words.js';

/**
 * A standby streaming without a replication slot gets only the WAL the primary still has. If it falls
 * behind (a restart, a network cut, a long replay) past wal_keep_size and the checkpoints since, the
 * primary recycles WAL the standby still needs, and the standby must be rebuilt from a base backup unless
 * it can read the WAL archive.
 */
export default defineHealthRule({
  meta: {
    id: 'standby-without-slot',
    category: 'replication',
    defaultSeverity: 'warning',
    description: 'A standby streams without a replication slot and the primary keeps no extra WAL for it (wal_keep_size = 0).',
    fixable: true,
    defaultOptions: {},
  },
  needs: ['standbys', 'slots'],
  examined(facts) {
    const standbys = facts.standbys!;
    const withSlot = standbys.filter((s) => s.slotName !== null).length;
    return standbys.length ? `${plural(standbys.length, 'standby', 'standbys')}, ${withSlot} through a slot (wal_keep_size = ${facts.settings.wal_keep_size?.setting ?? 'unknown'} MB)` : 'no standby connected (pg_stat_replication is empty)';
  },
  check({ facts, report }) {
    const keep = Number(facts.settings.wal_keep_size?.setting ?? '0');
    if (keep > 0) return;
    const archiving = facts.settings.archive_mode?.setting !== undefined && facts.settings.archive_mode.setting !== 'off';
    for (const standby of facts.standbys!) {
      if (standby.slotName !== null || standby.state === 'backup') continue;
      const slot = standby.name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
      report({
        object: { type: 'standby', name: standby.name },
        message: `Standby ${standby.name} streams without a replication slot and wal_keep_size is 0: if it falls behind past the next checkpoints, the primary removes WAL it still needs and it must be rebuilt from a base backup${archiving ? ' (or catch up from the WAL archive, if its restore_command reads it)' : ''}.`,
        evidence: { standby: standby.name, state: standby.state, slotName: null, walKeepSizeMb: keep, archiveMode: facts.settings.archive_mode?.setting ?? null },
        fix: {
          sql: `SELECT pg_create_physical_replication_slot('${slot}');`,
          safeOnline: true,
          note: `then set primary_slot_name = '${slot}' on the standby and reload it. A slot keeps WAL for as long as the standby is away: set max_slot_wal_keep_size so that a standby gone for good cannot fill the primary's disk (the inactive-replication-slot check watches it). Alternatively set wal_keep_size to the WAL written during the longest outage to ride out.`,
        },
      });
    }
  },
});
