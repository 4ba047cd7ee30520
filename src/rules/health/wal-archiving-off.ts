import { defineHealthRule } from '../health-rule.js';
import { serverObject } from './lib/words.js';

/**
 * Without a WAL archive there is no point-in-time recovery: a restore brings back the last base
 * backup, and every change since is lost. (Tools such as pgBackRest or Barman that stream WAL
 * themselves, and managed services, may archive without archive_mode; then ignore this.)
 */
export default defineHealthRule({
  meta: {
    id: 'wal-archiving-off',
    category: 'archiving',
    defaultSeverity: 'info',
    description: 'WAL archiving is off (archive_mode) on a primary, so there is no point-in-time recovery from a WAL archive.',
    fixable: false,
    defaultOptions: {},
  },
  needs: [],
  examined(facts) {
    return `archive_mode = ${facts.settings.archive_mode?.setting ?? 'unknown'}${facts.server.inRecovery ? ' (a standby: the primary archives)' : ''}`;
  },
  check({ facts, report }) {
    if (facts.server.inRecovery || facts.settings.archive_mode?.setting !== 'off') return;
    report({
      object: serverObject(facts),
      message: 'archive_mode is off: WAL is not archived, so a restore can only go back to a base backup, not to a point in time after it.',
      evidence: { archiveMode: 'off', walLevel: facts.settings.wal_level?.setting ?? null },
      fix: null,
    });
  },
});
