/**
 * The formulas' values checked against a running server: its current settings, and the statistics
 * that show how they serve its workload. Pure functions of the formulas' output and `ServerFacts`.
 *
 * - Temporary files written (pg_stat_database) back raising work_mem, or keeping it when the
 *   formula would lower it (unless it is over 4 times the memory-safe value).
 * - More requested than timed checkpoints back raising max_wal_size.
 * - A low cache hit ratio backs raising shared_buffers.
 * - Far fewer open connections than max_connections suggest a pooler and a lower limit (before the
 *   formulas run, since work_mem is budgeted per connection).
 * - Build options (lz4, io_uring) and replication in use veto values the server cannot take.
 * - Values within 10% of the formula are left alone: changing them is not worth a reload or a restart.
 */
import { knownSetting, type SettingKind } from './known-settings.js';
import { DEFAULT_CONNECTIONS, type FormulaSetting } from './pgtune.js';
import type { TuneRecommendation } from './result.js';
import type { ServerFacts, ServerSetting } from './server-facts.js';
import { formatBytes, formatKb, KB_PER_GB, settingKb } from './size.js';
import type { Workload } from './tune-input.js';

/** A value within this share of the recommendation is left as it is. */
export const CLOSE_ENOUGH = 0.1;
/** Fewer block reads than this say nothing about the cache hit ratio. */
export const MIN_BLOCK_READS = 10_000;
/** Requested checkpoints below this count are too few to call a pattern. */
export const MIN_REQUESTED_CHECKPOINTS = 10;
/** A work_mem this many times the memory-safe value is lowered even when queries spill. */
export const WORK_MEM_RISK = 4;
/** max_connections is worth lowering from this size on, when at most a quarter of it is in use. */
export const POOLER_FROM_CONNECTIONS = 100;

export interface ConnectionPlan {
  /** The count the memory formulas budget for (null: the workload's usual count). */
  connections: number | null;
  source: 'given' | 'server' | 'workload default' | 'lowered';
  /** When lowering is advised: the limit today and the connections open now. */
  lowered: { from: number; clients: number } | null;
}

/**
 * The connection count to budget memory for: the one given, else the server's max_connections, or a
 * lower one when only a small share of it is open now; else pgtune's count for the workload.
 */
export function planConnections(given: number | null, workload: Workload, facts: ServerFacts | null): ConnectionPlan {
  if (given !== null) return { connections: given, source: 'given', lowered: null };
  const limit = facts?.settings.get('max_connections');
  if (!facts || !limit) return { connections: null, source: 'workload default', lowered: null };
  const max = Number(limit.setting);
  const clients = facts.clientConnections;
  if (clients !== null && max >= POOLER_FROM_CONNECTIONS && clients * 4 <= max) {
    const lower = Math.max(Math.ceil((clients * 4) / 10) * 10, DEFAULT_CONNECTIONS[workload]);
    if (lower <= max / 2) return { connections: lower, source: 'lowered', lowered: { from: max, clients } };
  }
  return { connections: max, source: 'server', lowered: null };
}

export interface EvidenceContext {
  workload: Workload;
  memoryKb: number;
  major: number;
  connections: ConnectionPlan;
  /** The connection count the formulas used. */
  budgetedConnections: number;
  dataFitsInRam: boolean | null;
}

export interface EvidenceOutcome {
  recommendations: TuneRecommendation[];
  notes: string[];
}

/** Recommendations without a server: every formula value, with the context Postgres documents. */
export function withoutServer(settings: readonly FormulaSetting[], major: number): TuneRecommendation[] {
  return settings.map((s) => {
    const known = knownSetting(s.name);
    const context = known.context(major);
    return { name: s.name, current: null, recommended: s.display, unit: known.unit, change: true, context, needsRestart: context === 'postmaster', reason: s.reason, evidence: [] };
  });
}

/** Recommendations checked against the server's settings and statistics. */
export function withServerEvidence(settings: readonly FormulaSetting[], facts: ServerFacts, context: EvidenceContext): EvidenceOutcome {
  const notes: string[] = [];
  const recommendations: TuneRecommendation[] = [];
  const vetoed = vetoes(facts);
  for (const formula of settings) {
    const server = facts.settings.get(formula.name);
    if (!server) {
      notes.push(`${formula.name} does not exist on this server (PostgreSQL ${facts.version}): left out.`);
      continue;
    }
    const veto = vetoed.get(formula.name);
    if (veto !== undefined) {
      if (veto) notes.push(veto);
      continue;
    }
    const draft: Draft = { ...formula, evidence: [], keep: false };
    ADJUSTERS[formula.name]?.(draft, server, facts, context);
    clampToRange(draft, server, notes);
    recommendations.push(finish(draft, server));
  }
  return { recommendations, notes };
}

/** A recommendation while the adjusters work on it; `keep` makes the current value the recommendation. */
interface Draft extends FormulaSetting {
  evidence: string[];
  keep: boolean;
}

type Adjuster = (draft: Draft, server: ServerSetting, facts: ServerFacts, context: EvidenceContext) => void;

const ADJUSTERS: Record<string, Adjuster> = {
  max_connections(draft, server, facts, { connections }) {
    const clients = facts.clientConnections;
    const open = clients === null ? null : `${count(clients)} client connection${clients === 1 ? '' : 's'} open when read, of ${server.setting} allowed (a snapshot: check at peak hours too)`;
    if (open) draft.evidence.push(open);
    if (connections.source === 'server') {
      draft.keep = true;
      draft.reason = "the server's limit: the memory settings below are budgeted for it";
    } else if (connections.lowered) {
      draft.reason = `only ${count(connections.lowered.clients)} of ${count(connections.lowered.from)} connections are open: put a connection pooler (PgBouncer) in front and lower the limit, which leaves each connection more memory`;
    } else if (clients !== null && Number(draft.value) >= POOLER_FROM_CONNECTIONS && clients * 4 <= Number(draft.value)) {
      draft.evidence.push('few of them are in use: a connection pooler would let the server allow fewer');
    }
  },

  work_mem(draft, server, facts, { budgetedConnections }) {
    const db = facts.databases;
    if (!db) return;
    const since = sinceText(db.statsReset);
    if (db.tempFiles === 0) {
      draft.evidence.push(`no temporary files ${since}`);
      return;
    }
    const perFile = db.tempBytes / db.tempFiles;
    const rate = db.transactions > 0 ? `, ${formatRate((db.tempFiles * 1000) / db.transactions)} per 1,000 transactions` : '';
    draft.evidence.push(`${count(db.tempFiles)} temporary file${db.tempFiles === 1 ? '' : 's'} ${since}, ${formatBytes(db.tempBytes)} in all: ${formatBytes(Math.round(perFile))} per file${rate}`);
    const currentKb = settingKb(server.setting, server.unit);
    const formulaKb = draft.value as number;
    if (currentKb !== null && currentKb > formulaKb * WORK_MEM_RISK) {
      draft.reason = `lower: ${formatKb(currentKb)} for each sort or hash of ${budgetedConnections} connections could exhaust memory (the safe value is ${formatKb(formulaKb)}); give the queries that spill more in their own session or role (SET work_mem) instead`;
    } else if (currentKb !== null && currentKb >= formulaKb) {
      draft.keep = true;
      draft.reason = `keep: queries spill to disk although work_mem is at or above the ${formatKb(formulaKb)} that is safe for ${budgetedConnections} connections; raise it only for those queries (SET work_mem in their session or role), found with log_temp_files = 0`;
    } else {
      draft.reason = `sorts and hashes spill to disk (temporary files, ${formatBytes(Math.round(perFile))} each on average); ${draft.reason}`;
    }
    const recommendedKb = draft.keep && currentKb !== null ? currentKb : formulaKb;
    if (perFile / 1024 > recommendedKb) {
      draft.evidence.push(`the average temporary file is larger than ${formatKb(recommendedKb)}: the largest sorts will still spill; give those queries more with SET LOCAL work_mem`);
    }
  },

  max_wal_size(draft, server, facts) {
    const cp = facts.checkpoints;
    if (!cp) return;
    draft.evidence.push(`${count(cp.timed)} timed and ${count(cp.requested)} requested checkpoints ${sinceText(cp.statsReset)} (${cp.view})`);
    const currentKb = settingKb(server.setting, server.unit);
    if (currentKb === null) return;
    const formulaKb = draft.value as number;
    if (cp.requested > cp.timed && cp.requested >= MIN_REQUESTED_CHECKPOINTS) {
      const why = `most checkpoints were requested, not timed: WAL filled max_wal_size (${formatKb(currentKb)}) before checkpoint_timeout came (manual CHECKPOINTs and base backups count as requested too)`;
      if (currentKb >= formulaKb) {
        draft.value = Math.ceil((currentKb * 2) / KB_PER_GB) * KB_PER_GB;
        draft.display = formatKb(draft.value);
        draft.reason = `${why}; double it so that checkpoints come on time`;
      } else {
        draft.reason = `${why}; ${draft.reason}`;
      }
    } else if (currentKb > formulaKb) {
      draft.keep = true;
      draft.reason = 'keep: larger than the formula gives, and checkpoints mostly come on time; lowering it would only make them more frequent';
    }
  },

  shared_buffers(draft, server, facts, { workload }) {
    const currentKb = settingKb(server.setting, server.unit);
    const formulaKb = draft.value as number;
    const db = facts.databases;
    const reads = db ? db.blocksHit + db.blocksRead : 0;
    const threshold = workload === 'dw' ? 0.9 : 0.99;
    let low = false;
    if (db && reads >= MIN_BLOCK_READS) {
      const ratio = db.blocksHit / reads;
      low = ratio < threshold;
      draft.evidence.push(`cache hit ratio ${formatPercent(ratio)} ${sinceText(db.statsReset)}: ${count(db.blocksRead)} of ${count(reads)} block reads missed shared_buffers${low ? ` (below ${formatPercent(threshold)})` : ''}`);
    } else if (db) {
      draft.evidence.push(`too few block reads (${count(reads)}) to judge the cache hit ratio`);
    }
    if (currentKb === null) return;
    if (currentKb < formulaKb) {
      if (low) draft.reason = `the cache misses often; ${draft.reason}`;
    } else if (low) {
      draft.keep = currentKb > formulaKb;
      draft.evidence.push('shared_buffers is already at least the formula value: the data read is larger than memory can cache; more memory, or leaner tables and indexes, would help more');
    } else if (currentKb <= formulaKb * 1.6) {
      draft.keep = true;
      draft.reason = `keep: within the usual range (the formula's ${formatKb(formulaKb)} to 1.6 times it); a change would need a restart for little gain`;
    }
  },

  huge_pages(draft, server, facts) {
    if (draft.value === 'off' && server.setting === 'try') {
      draft.keep = true;
      draft.reason = 'keep: try uses huge pages when the OS has some reserved and costs nothing otherwise';
    }
    const status = facts.settings.get('huge_pages_status');
    if (draft.value === 'try' && status?.setting === 'off') {
      const pages = facts.settings.get('shared_memory_size_in_huge_pages');
      draft.evidence.push(`huge pages are not in use now (huge_pages_status = off): reserve them in the OS (vm.nr_hugepages${pages ? `; ${pages.setting} needed at the current shared_buffers` : ''})`);
    }
  },

  wal_compression(draft, server) {
    if (draft.value === 'lz4' && server.enumvals && !server.enumvals.includes('lz4')) {
      draft.value = server.enumvals.includes('pglz') ? 'pglz' : 'on';
      draft.display = String(draft.value);
      draft.reason = 'compress full-page images in WAL; this server was built without lz4, so with pglz';
    }
  },

  io_method(draft, server) {
    if (draft.value === 'io_uring' && server.enumvals && !server.enumvals.includes('io_uring')) {
      draft.value = 'worker';
      draft.display = 'worker';
      draft.reason = 'this server was built without liburing: asynchronous I/O through worker processes';
    }
  },

  random_page_cost(draft, _server, facts, { memoryKb, dataFitsInRam }) {
    if (dataFitsInRam !== null && facts.dataBytes !== null) draft.evidence.push(`the databases take ${formatBytes(facts.dataBytes)}, ${dataFitsInRam ? 'less' : 'more'} than the ${formatKb(memoryKb)} of memory`);
  },
};

/** wal_level = minimal is refused while WAL is archived or streamed: vetoed settings and why. */
function vetoes(facts: ServerFacts): Map<string, string> {
  const reasons: string[] = [];
  const archive = facts.settings.get('archive_mode')?.setting;
  if (archive && archive !== 'off') reasons.push(`archive_mode is ${archive}`);
  if (facts.replication?.senders) reasons.push(`${facts.replication.senders} replica${facts.replication.senders === 1 ? ' is' : 's are'} streaming`);
  if (facts.replication?.slots) reasons.push(`${facts.replication.slots} replication slot${facts.replication.slots === 1 ? ' exists' : 's exist'}`);
  if (reasons.length === 0) return new Map();
  const why = `wal_level = minimal and max_wal_senders = 0 are left out: ${reasons.join(', ')}, and minimal WAL would end that.`;
  // One note for the pair: max_wal_senders goes with wal_level silently.
  return new Map([
    ['wal_level', why],
    ['max_wal_senders', ''],
  ]);
}

/** Keeps a number within the server's pg_settings range (a build without posix_fadvise allows no effective_io_concurrency). */
function clampToRange(draft: Draft, server: ServerSetting, notes: string[]): void {
  if (draft.keep || draft.kind === 'text' || server.maxVal === null) return;
  const inServerUnits = draft.kind === 'size' ? (draft.value as number) / (settingKb('1', server.unit) || 1) : (draft.value as number);
  const max = Number(server.maxVal);
  if (Number.isFinite(max) && inServerUnits > max) {
    notes.push(`${draft.name}: the formula gives ${draft.display}, more than this server allows; ${server.maxVal}${server.unit ?? ''} used instead.`);
    draft.value = draft.kind === 'size' ? (settingKb(server.maxVal, server.unit) ?? 0) : max;
    draft.display = draft.kind === 'size' ? formatKb(draft.value as number) : String(max);
  }
}

function finish(draft: Draft, server: ServerSetting): TuneRecommendation {
  const current = currentDisplay(server, draft.kind);
  const recommended = draft.keep ? current : draft.display;
  const evidence = [...draft.evidence];
  if (server.pendingRestart) evidence.push('a changed value is already waiting for a restart');
  return {
    name: draft.name,
    current,
    recommended,
    unit: server.unit,
    change: !draft.keep && differs(server, draft),
    context: server.context,
    needsRestart: server.context === 'postmaster',
    reason: draft.reason,
    evidence,
  };
}

/** The server's value in postgresql.conf form. */
export function currentDisplay(server: ServerSetting, kind: SettingKind): string {
  if (kind === 'size') {
    const kb = settingKb(server.setting, server.unit);
    return kb === null ? server.setting : formatKb(kb);
  }
  return server.setting;
}

function differs(server: ServerSetting, draft: Draft): boolean {
  if (draft.kind === 'text') return normalizeWord(server.setting) !== normalizeWord(String(draft.value));
  const current = draft.kind === 'size' ? settingKb(server.setting, server.unit) : Number(server.setting);
  if (current === null || !Number.isFinite(current)) return true;
  const target = draft.value as number;
  if (target === 0) return current !== 0;
  return Math.abs(current - target) / target > CLOSE_ENOUGH;
}

function normalizeWord(value: string): string {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return 'on';
  if (['off', 'false', 'no', '0'].includes(v)) return 'off';
  return v;
}

export function sinceText(reset: string | null): string {
  return reset ? `since ${reset.slice(0, 16)}` : 'since the statistics began';
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio >= 0.999 && ratio < 1 ? 2 : 1)}%`;
}

function formatRate(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}
