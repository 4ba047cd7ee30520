import { defineHealthRule } from '../health-rule.js';
import { plural, serverObject } from './lib/words.js';

/** How many synchronous standbys synchronous_standby_names asks for, and from which names. */
export function requiredSynchronous(value: string): { count: number; method: 'first' | 'any'; names: string[] } | null {
  const text = value.trim();
  if (!text) return null;
  const match = /^(?:(first|any)\s+)?(\d+)\s*\((.*)\)$/is.exec(text);
  const list = (match ? match[3]! : text).split(',').map((n) => n.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
  return { count: match ? Number(match[2]) : 1, method: match?.[1]?.toLowerCase() === 'any' ? 'any' : 'first', names: list };
}

/**
 * With synchronous_standby_names set, a commit waits until enough named standbys confirm it. When fewer
 * of them are connected than required, every writing transaction hangs at COMMIT: to the application
 * the database is down.
 */
export default defineHealthRule({
  meta: {
    id: 'synchronous-standby-missing',
    category: 'replication',
    defaultSeverity: 'error',
    description: 'Fewer synchronous standbys are connected than synchronous_standby_names requires, so commits wait.',
    fixable: true,
    defaultOptions: {},
  },
  needs: ['standbys'],
  examined(facts) {
    const value = facts.settings.synchronous_standby_names?.setting ?? '';
    return value ? `synchronous_standby_names = '${value}' against ${plural(facts.standbys!.length, 'connected standby', 'connected standbys')}` : 'synchronous_standby_names is empty: replication is asynchronous';
  },
  check({ facts, report }) {
    const value = facts.settings.synchronous_standby_names?.setting ?? '';
    const required = requiredSynchronous(value);
    if (!required) return;
    const synchronous = facts.standbys!.filter((s) => s.syncState === 'sync' || s.syncState === 'quorum');
    if (synchronous.length >= required.count) return;
    const commit = facts.settings.synchronous_commit?.setting ?? 'on';
    const waits = commit !== 'off' && commit !== 'local';
    report({
      object: serverObject(facts),
      message: `synchronous_standby_names = '${value}' requires ${plural(required.count, 'synchronous standby', 'synchronous standbys')}, and ${synchronous.length === 0 ? 'none is' : `only ${synchronous.length} ${synchronous.length === 1 ? 'is' : 'are'}`} connected${synchronous.length ? ` (${synchronous.map((s) => s.name).join(', ')})` : ''}: ${waits ? `with synchronous_commit = ${commit}, every commit that writes waits until one connects` : `synchronous_commit = ${commit} here, but sessions that set it to on wait at commit`}.`,
      evidence: { synchronousStandbyNames: value, required: required.count, method: required.method, names: required.names, connected: facts.standbys!.map((s) => ({ name: s.name, state: s.state, syncState: s.syncState })), synchronousCommit: commit },
      fix: {
        sql: "ALTER SYSTEM SET synchronous_standby_names = '';\nSELECT pg_reload_conf();",
        safeOnline: true,
        note: 'this makes replication asynchronous until the standbys are back: commits no longer wait, and a failover in that time may lose the latest commits. Better, bring a listed standby back (or list one that is connected) and reload.',
      },
    });
  },
});
