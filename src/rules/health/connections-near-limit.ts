import { defineHealthRule } from '../health-rule.js';
import { count, isClient, percent, plural, serverObject, settingNumber } from './lib/words.js';

/**
 * Past max_connections (less the slots reserved for superusers and pg_use_reserved_connections), new
 * connections fail with "too many clients already". Close to it, a burst or a leak takes the
 * application down; each connection also costs memory whether it works or idles.
 */
export default defineHealthRule({
  meta: {
    id: 'connections-near-limit',
    category: 'connections',
    defaultSeverity: 'warning',
    description: 'Client connections use most of max_connections (less the reserved slots).',
    fixable: false,
    defaultOptions: {
      /** Warn from this share of the available connections in use. */
      warnRatio: 0.8,
      /** An error from this share. */
      errorRatio: 0.95,
    },
  },
  needs: ['activity'],
  examined(facts) {
    const { clients, available, max, reserved } = usage(facts);
    return `${plural(clients, 'client connection')} of ${count(available)} available (max_connections ${count(max)} less ${count(reserved)} reserved)`;
  },
  check({ facts, options, report }) {
    const { clients, available, max, reserved, byState } = usage(facts);
    const ratio = available > 0 ? clients / available : 1;
    if (ratio < options.warnRatio) return;
    report({
      object: serverObject(facts),
      message: `${count(clients)} of the ${count(available)} connections clients may open are in use (${percent(ratio, 0)}): new connections fail with "too many clients" once they are all taken.`,
      severity: ratio >= options.errorRatio ? 'error' : 'warning',
      evidence: { clients, available, maxConnections: max, reserved, ratio: Math.round(ratio * 1000) / 1000, warnRatio: options.warnRatio, errorRatio: options.errorRatio, byState },
      fix: null,
    });
  },
});

function usage(facts: Parameters<typeof serverObject>[0]) {
  const max = settingNumber(facts, 'max_connections', 100);
  const reserved = settingNumber(facts, 'superuser_reserved_connections', 3) + settingNumber(facts, 'reserved_connections', 0);
  const clients = facts.activity!.filter(isClient);
  const byState: Record<string, number> = {};
  for (const s of clients) {
    const state = s.hidden ? 'hidden' : (s.state ?? 'unknown');
    byState[state] = (byState[state] ?? 0) + 1;
  }
  return { clients: clients.length, available: Math.max(0, max - reserved), max, reserved, byState };
}
