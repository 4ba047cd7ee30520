/**
 * `health`: how a running server is kept. It reads the catalog snapshot (for the review rules that check
 * the same things: dead rows, never-analysed tables, integer keys near their maximum, invalid indexes,
 * constraints never validated) and the health facts (vacuum, wraparound, bloat, sessions, replication,
 * archiving, statistics), in a read-only session bounded by statement_timeout and lock_timeout, then
 * runs every check. Each check says what it examined; those that could not run say why.
 */
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../config/config.js';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import { postgresErrorInfo, type Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { LiveDb } from '../db/live-db.js';
import { resolveRule, summarize, sortFindings } from '../engine/findings.js';
import { runRules } from '../engine/run-rules.js';
import { severityRank, type Severity } from '../finding.js';
import { healthRules } from '../rules/health/index.js';
import type { AnyHealthRule } from '../rules/health-rule.js';
import { readLiveSnapshot, type ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import type { HealthFacts } from './facts.js';
import { readHealthFacts } from './read-facts.js';
import { HEALTH_RESULT_SCHEMA_VERSION, type HealthCheck, type HealthResult } from './result.js';
import { REUSED_REVIEW_RULES, reusedExamined } from './reused-rules.js';
import { runHealthRules } from './run-health-rules.js';

export interface HealthOptions extends ConnectionLimits {
  /** The server (URL, else DATABASE_URL and the PG* variables of `env`). */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  config?: Config;
  /** Run only these checks (health check or review rule ids). */
  only?: readonly string[];
  /** Fingerprints of findings to leave out (an earlier `--format json`). */
  baseline?: ReadonlySet<string>;
  /** Measure bloat with pgstattuple, which reads each table and B-tree index of 1 MB or more. */
  exact?: boolean;
  /** The health checks to run (default all). */
  rules?: readonly AnyHealthRule[];
}

/** Every check id `health` runs: its own checks and the review rules it reuses. */
export function healthCheckIds(): string[] {
  return [...healthRules, ...REUSED_REVIEW_RULES].map((r) => r.meta.id).sort();
}

/** Connects (read only), reads, checks, disconnects. */
export async function health(options: HealthOptions = {}): Promise<HealthResult> {
  const env = options.env ?? process.env;
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env });
  try {
    return await healthOfDb(db, describeConnection(connection, env), options);
  } finally {
    await db.close();
  }
}

/**
 * The checks over a session already open (it should be read only: see LiveDb.connect). The facts come
 * first: they never wait for a lock. The catalog snapshot leaves out the relations another session
 * holds or waits for an ACCESS EXCLUSIVE lock on (and says so in the notices); should it still fail
 * (a privilege, DDL taking new locks again and again), the review rules that need it are listed as not
 * run, and every other check still reports.
 */
export async function healthOfDb(db: Db, description: string, options: HealthOptions = {}): Promise<HealthResult> {
  const facts = await readHealthFacts(db, { exact: options.exact });
  const catalog = await readCatalog(db, description);
  return healthOfFacts(catalog.snapshot ?? catalog.reason, facts, options, catalog.notices, description);
}

/** The snapshot, or why it could not be read (a Postgres error: lock timeout, privilege). */
export async function readCatalog(db: Db, description: string): Promise<{ snapshot: CatalogSnapshot | null; reason: string; notices: string[] }> {
  try {
    // No rule health or maintenance plan runs reads per-column statistics.
    const { snapshot, notices } = await readLiveSnapshot(db, description, { columnStatistics: false });
    return { snapshot, reason: '', notices: notices.map((n) => n.message) };
  } catch (error) {
    if (error instanceof UserError) return { snapshot: null, reason: `the catalog snapshot could not be read: ${error.message}`, notices: [] };
    const info = postgresErrorInfo(error);
    if (!info) throw error;
    const reason =
      info.sqlstate === '55P03'
        ? `the catalog snapshot waited for a table lock past lock_timeout (a session holds or waits for an ACCESS EXCLUSIVE lock: see blocked-sessions): ${info.message}`
        : `the catalog snapshot could not be read: ${info.message}`;
    return { snapshot: null, reason, notices: [] };
  }
}

/**
 * The checks over a snapshot and facts already read (pure: no I/O). Without a snapshot (a string: why
 * not), the review rules that need it are listed as not run with that reason.
 */
export async function healthOfFacts(snapshot: CatalogSnapshot | string, facts: HealthFacts, options: HealthOptions = {}, notices: string[] = [], description?: string): Promise<HealthResult> {
  const config = options.config ?? EMPTY_CONFIG;
  const run = { config, only: options.only, baseline: options.baseline };
  const own = await runHealthRules(facts, options.rules ?? healthRules, run);
  const wanted = REUSED_REVIEW_RULES.filter((rule) => resolveRule(rule.meta, run) !== null);
  const reused =
    typeof snapshot === 'string'
      ? { findings: [], skipped: wanted.map((rule) => ({ rule: rule.meta.id, reason: snapshot })), suppressed: 0 }
      : await runRules(snapshot, wanted, run);

  const index = typeof snapshot === 'string' ? null : new SnapshotIndex(snapshot);
  const skippedIds = new Set(reused.skipped.map((s) => s.rule));
  const reusedChecks: HealthCheck[] = wanted
    .filter((rule) => !skippedIds.has(rule.meta.id))
    .map((rule) => ({
      rule: rule.meta.id,
      category: rule.meta.category,
      examined: reusedExamined(rule.meta.id, snapshot as CatalogSnapshot, index!),
      findings: reused.findings.filter((f) => f.rule === rule.meta.id).length,
    }));

  const findings = sortFindings([...own.findings, ...reused.findings]);
  const checks = [...own.checks, ...reusedChecks].sort((a, b) => (a.rule < b.rule ? -1 : 1));
  const skipped = [...own.skipped, ...reused.skipped].sort((a, b) => (a.rule < b.rule ? -1 : 1));
  const bloat = facts.tableBloat ?? facts.indexBloat;
  return {
    schemaVersion: HEALTH_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: {
      kind: 'live',
      description: description ?? (typeof snapshot === 'string' ? facts.server.database : snapshot.source.description),
      database: facts.server.database,
      serverVersion: facts.server.version,
      serverVersionNum: facts.server.versionNum,
      standby: facts.server.inRecovery,
      user: facts.server.user,
      readAllStats: facts.server.readAllStats,
      takenAt: facts.server.takenAt,
    },
    bloatMethod: bloat?.method ?? null,
    summary: summarize(findings, { rulesRun: checks.length, rulesSkipped: skipped.length, suppressed: own.suppressed + reused.suppressed }),
    findings,
    checks,
    skipped,
    notices: [...notices, ...facts.notes],
  };
}

/** True when some finding is at or above `failOn`. */
export function healthFailsOn(result: HealthResult, failOn: Severity): boolean {
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}
