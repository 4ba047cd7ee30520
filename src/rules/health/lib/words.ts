/** Wording shared by the health checks: counts, sizes, durations, sessions and objects named the same way everywhere. */
import type { ObjectRef } from '../../../finding.js';
import type { HealthFacts, HealthTable, Session } from '../../../health/facts.js';
import { formatBytes } from '../../../tune/size.js';

export { formatBytes };

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `1 table`, `3 tables`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** `45 s`, `12 min`, `3.5 h`, `2.1 days`. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

export function percent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** Seconds rounded for evidence: whole seconds, or tenths under a minute. */
export function roundSeconds(seconds: number | null): number | null {
  if (seconds === null) return null;
  return seconds < 60 ? Math.round(seconds * 10) / 10 : Math.round(seconds);
}

/** The server as a finding's object: named by the database connected to. */
export function serverObject(facts: HealthFacts): ObjectRef {
  return { type: 'server', name: facts.server.database };
}

export function tableObject(table: Pick<HealthTable, 'schema' | 'name' | 'kind'>): ObjectRef {
  return { type: table.kind === 'partitioned table' ? 'partitioned table' : table.kind === 'materialized view' ? 'materialized view' : 'table', schema: table.schema, name: table.name };
}

export function sessionObject(session: Session): ObjectRef {
  return { type: 'session', name: `pid ${session.pid}` };
}

/** `pid 4242 (app on shop as alice)`. */
export function describeSession(session: Session): string {
  const who = [session.application ? session.application : null, session.database ? `on ${session.database}` : null, session.user ? `as ${session.user}` : null].filter(Boolean).join(' ');
  return `pid ${session.pid}${who ? ` (${who})` : ''}`;
}

/** What a session is, for evidence: who, where, what it runs and for how long. */
export function sessionEvidence(session: Session): Record<string, unknown> {
  return {
    pid: session.pid,
    database: session.database,
    user: session.user,
    application: session.application,
    clientAddress: session.clientAddress,
    state: session.state,
    transactionSeconds: roundSeconds(session.transactionSeconds),
    querySeconds: roundSeconds(session.querySeconds),
    stateSeconds: roundSeconds(session.stateSeconds),
    waitEvent: session.waitEventType ? `${session.waitEventType}: ${session.waitEvent ?? ''}` : null,
    xminAge: session.xminAge,
    query: session.query,
  };
}

/**
 * A client connection. A hidden one (another role's, without pg_read_all_stats) shows no backend type;
 * it has a database and a user, which background processes mostly lack.
 */
export function isClient(session: Session): boolean {
  return session.backendType === 'client backend' || (session.hidden && session.backendType === null && session.database !== null && session.user !== null);
}

/** Client sessions other than this one, and how many of them this role may not see into. */
export function clientSessions(facts: HealthFacts): { visible: Session[]; hidden: number } {
  const clients = (facts.activity ?? []).filter((s) => isClient(s) && !s.self);
  return { visible: clients.filter((s) => !s.hidden), hidden: clients.filter((s) => s.hidden).length };
}

/** `12 client sessions (3 of other roles hidden from this role: GRANT pg_read_all_stats)`. */
export function sessionsExamined(facts: HealthFacts): string {
  const { visible, hidden } = clientSessions(facts);
  const total = visible.length + hidden;
  return `${plural(total, 'client session')}${hidden ? ` (${count(hidden)} of other roles hidden from this role: GRANT pg_read_all_stats to see them)` : ''}`;
}

/** The tables with storage (not partitioned parents), system catalogs included. */
export function storedTables(facts: HealthFacts): HealthTable[] {
  return (facts.tables ?? []).filter((t) => t.kind !== 'partitioned table');
}

export function isSystemSchema(schema: string): boolean {
  return schema === 'pg_catalog' || schema === 'information_schema';
}

/** `12 tables and 62 system catalogs`: user tables apart from the catalogs, which are checked too. */
export function tablesText(tables: readonly HealthTable[], noun = 'table'): string {
  const system = tables.filter((t) => isSystemSchema(t.schema)).length;
  return `${plural(tables.length - system, noun)} and ${plural(system, 'system catalog')}`;
}

/** Number of a setting, or the fallback when hidden or absent. */
export function settingNumber(facts: HealthFacts, name: string, fallback: number): number {
  const value = facts.settings[name]?.setting;
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/** The xmin horizon's holders: what keeps VACUUM from removing dead rows and freezing, oldest first. */
export function horizonHolders(facts: HealthFacts, limit = 5): { holder: string; xminAge: number }[] {
  const holders: { holder: string; xminAge: number }[] = [];
  for (const s of facts.activity ?? []) {
    const age = Math.max(s.xminAge ?? 0, s.xidAge ?? 0);
    if (age > 0 && !s.self) holders.push({ holder: `session ${describeSession(s)}${s.state ? `, ${s.state}` : ''}`, xminAge: age });
  }
  for (const p of facts.preparedTransactions ?? []) holders.push({ holder: `prepared transaction '${p.gid}' (${p.database}, ${duration(p.seconds)} old)`, xminAge: p.xidAge });
  for (const slot of facts.slots ?? []) {
    const age = Math.max(slot.xminAge ?? 0, slot.catalogXminAge ?? 0);
    if (age > 0) holders.push({ holder: `replication slot ${slot.name}${slot.active ? '' : ' (inactive)'}`, xminAge: age });
  }
  for (const standby of facts.standbys ?? []) if (standby.xminAge) holders.push({ holder: `standby ${standby.name} (hot_standby_feedback)`, xminAge: standby.xminAge });
  return holders.sort((a, b) => b.xminAge - a.xminAge).slice(0, limit);
}
