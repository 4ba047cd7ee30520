/**
 * `pgarchitect migrate`: applies a Flyway or golang-migrate folder to a live server, recording each
 * migration in `pgarchitect.migration_history`. Every command reads and checks the whole folder
 * first; writing commands hold the migrate lock from before they read the history until they end.
 */
import { resolve } from 'node:path';
import type { Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { compareMigrationVersions } from '../load/discover.js';
import { acquireMigrateLock, releaseMigrateLock } from './advisory-lock.js';
import { deleteFailedRows, deleteHistoryRows, ensureHistoryTable, historyTableExists, insertHistoryRow, readHistory, updateChecksum, HISTORY_TABLE, type HistoryRow } from './history.js';
import { normaliseVersion, parseVersion, readMigrationFolder, type MigrationFolder, type VersionedMigration } from './migration-files.js';
import { migrationState, type MigrationStateSummary } from './migration-state.js';
import { MIGRATE_RESULT_SCHEMA_VERSION, type MigrateCommandName, type MigrateProblem, type MigrateResult } from './result.js';
import { plannedReport, runStep, type PlannedStep, type StepReport } from './run-step.js';
import { MIGRATE_DEFAULTS, openSession, type MigrateSession, type MigrateSettings } from './session.js';

export interface MigrateOptions extends Partial<MigrateSettings> {
  /** The migrations folder. */
  dir: string;
  /** For relative paths and paths in messages (default the process's working directory). */
  cwd?: string;
  /** Where to connect: a URL, else DATABASE_URL, else the PG* variables. */
  connection?: { url?: string; connectTimeoutMs?: number };
  env?: NodeJS.ProcessEnv;
  /** An open, writable session to use instead of connecting (left open). */
  db?: Db;
  /** How to name `db` in reports. */
  description?: string;
  /** Refuse gaps between versions. */
  noGaps?: boolean;
  /** Progress messages (stderr on a terminal). */
  onProgress?: (message: string) => void;
}

export interface MigrateUpOptions extends MigrateOptions {
  /** Apply pending migrations up to this version, included. */
  to?: string;
  /** Print what would run; write nothing (the session is read only). */
  dryRun?: boolean;
  /** Apply pending migrations whose version is below one already applied. */
  outOfOrder?: boolean;
}

export interface MigrateDownOptions extends MigrateOptions {
  /** How many of the last applied migrations to revert (default 1). */
  count?: number;
  dryRun?: boolean;
}

export interface MigrateRepairOptions extends MigrateOptions {
  dryRun?: boolean;
}

export interface MigrateBaselineOptions extends MigrateOptions {
  /** Versions up to this one are recorded as applied without running. */
  version: string;
  description?: string;
}

/** Where each migration stands. Read only; never creates the history table. */
export async function migrateStatus(options: MigrateOptions): Promise<MigrateResult> {
  return inspect('status', options);
}

/** Checks applied migrations against their files (checksums), and reports failed and missing ones. */
export async function migrateValidate(options: MigrateOptions): Promise<MigrateResult> {
  return inspect('validate', options);
}

/** Applies pending migrations in order, each in its own transaction where it can run in one. */
export async function migrateUp(options: MigrateUpOptions): Promise<MigrateResult> {
  const started = performance.now();
  const folder = await readFolder(options);
  const to = options.to === undefined ? null : parseVersion(options.to, '--to');
  return withSession(options, options.dryRun === true, async (session) => {
    const state = migrationState(folder, await readHistory(session.db));
    const result = baseResult('up', session, folder, state, options.dryRun === true);
    result.notices.push(...missingNotices(state));
    result.problems.push(...driftProblems(state));
    if (!options.outOfOrder) result.problems.push(...outOfOrderProblems(state));
    if (result.problems.length > 0) return finish(result, started, false);

    let versioned = [...state.pending, ...(options.outOfOrder ? state.outOfOrder : [])].sort((a, b) => compareMigrationVersions(a.versionParts, b.versionParts));
    const beyond = to ? versioned.filter((m) => compareMigrationVersions(m.versionParts, to) > 0) : [];
    if (to) versioned = versioned.filter((m) => compareMigrationVersions(m.versionParts, to) <= 0);
    const steps: PlannedStep[] = versioned.map((m) => ({ direction: 'up', type: 'versioned', version: m.version, description: m.description, script: m.up, checksum: m.up.checksum }));
    if (beyond.length > 0 && state.repeatablePending.length > 0) {
      result.notices.push(`repeatable migrations run after the last version: --to ${options.to} leaves ${state.repeatablePending.map((r) => r.script.display).join(', ')} pending`);
    } else {
      for (const r of state.repeatablePending) steps.push({ direction: 'up', type: 'repeatable', version: null, description: r.description, script: r.script, checksum: r.script.checksum });
    }
    if (to && state.currentVersion && steps.length === 0 && compareMigrationVersions(to, state.currentVersion.split('.').map(BigInt)) < 0) {
      result.notices.push(`the database is at version ${state.currentVersion}, above --to ${options.to}: \`migrate down\` reverts migrations`);
    }
    const ok = await runSteps(session, steps, result, options.dryRun === true);
    if (!options.dryRun) result.currentVersion = migrationState(folder, await readHistory(session.db)).currentVersion;
    return finish(result, started, ok);
  }, true);
}

/** Reverts the last `count` applied migrations with their down (or Flyway undo) files. */
export async function migrateDown(options: MigrateDownOptions): Promise<MigrateResult> {
  const started = performance.now();
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new UserError(`down: "${count}" is not a number of migrations`, 'give a whole number, 1 or more');
  const folder = await readFolder(options);
  return withSession(options, options.dryRun === true, async (session) => {
    const state = migrationState(folder, await readHistory(session.db));
    const result = baseResult('down', session, folder, state, options.dryRun === true);
    const applied = state.appliedNewestFirst;
    if (applied.length === 0) {
      result.notices.push(state.baseline ? `nothing applied above the baseline (version ${state.baseline.version}): nothing to revert` : 'no migration is applied: nothing to revert');
      return finish(result, started, true);
    }
    if (count > applied.length) {
      throw new UserError(`down ${count}: only ${applied.length} migration${applied.length === 1 ? ' is' : 's are'} applied${state.baseline ? ' above the baseline' : ''}`, `give at most ${applied.length}; nothing was reverted`);
    }
    const steps: PlannedStep[] = [];
    for (const target of applied.slice(0, count)) {
      const m = target.migration;
      if (!m) throw new UserError(`version ${target.version} (${target.rows[0]?.script ?? '?'}) is applied but its file is gone from ${folder.display}: its down file cannot be found`, 'restore the files; nothing was reverted');
      if (!m.down) throw new UserError(`${m.up.display}: no down file (${downFileName(m)}): version ${m.version} cannot be reverted`, 'write the down file, or revert fewer migrations; nothing was reverted');
      steps.push({ direction: 'down', type: 'versioned', version: m.version, description: m.description, script: m.down, checksum: m.up.checksum });
    }
    const ok = await runSteps(session, steps, result, options.dryRun === true, state);
    if (!options.dryRun) result.currentVersion = migrationState(folder, await readHistory(session.db)).currentVersion;
    return finish(result, started, ok);
  });
}

/**
 * Accepts the files as they are: records the current checksum of drifted applied migrations and
 * removes failed entries. Only ever run because the user asked for it.
 */
export async function migrateRepair(options: MigrateRepairOptions): Promise<MigrateResult> {
  const started = performance.now();
  const folder = await readFolder(options);
  return withSession(options, options.dryRun === true, async (session) => {
    const history = await readHistory(session.db);
    const state = migrationState(folder, history);
    const result = baseResult('repair', session, folder, state, options.dryRun === true);
    result.notices.push(...missingNotices(state));
    const byVersion = new Map(folder.versioned.map((m) => [m.version, m]));
    const realign: { row: HistoryRow; checksum: string }[] = [];
    for (const drifted of state.statuses.filter((s) => s.state === 'drifted')) {
      const row = [...history].reverse().find((h) => h.type === 'versioned' && h.success && h.version === drifted.version)!;
      realign.push({ row, checksum: drifted.checksum! });
      result.repairs.push({ action: 'checksum-realigned', version: drifted.version, file: drifted.file!, from: row.checksum, to: drifted.checksum! });
    }
    const failed = history.filter((row) => !row.success);
    for (const row of failed) result.repairs.push({ action: 'failed-entry-removed', version: row.version, file: byVersion.get(row.version ?? '')?.up.display ?? row.script });
    if (!options.dryRun && result.repairs.length > 0) {
      await session.db.exec('BEGIN');
      try {
        for (const { row, checksum } of realign) await updateChecksum(session.db, row.rank, checksum);
        await deleteHistoryRows(session.db, failed.map((row) => row.rank));
        await session.db.exec('COMMIT');
      } catch (error) {
        await session.db.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    if (result.repairs.length === 0) result.notices.push('nothing to repair: no drifted checksum, no failed entry');
    return finish(result, started, true);
  });
}

/**
 * Records `version` as the baseline of a database that predates pgarchitect: the migrations up to it
 * count as applied and never run here. Refused when migrations are already recorded.
 */
export async function migrateBaseline(options: MigrateBaselineOptions): Promise<MigrateResult> {
  const started = performance.now();
  const parts = parseVersion(options.version, '--version');
  const folder = await readFolder(options);
  return withSession(options, false, async (session) => {
    const history = await readHistory(session.db);
    const recorded = history.filter((row) => row.success && row.type !== 'repeatable');
    if (recorded.length > 0) {
      const state = migrationState(folder, history);
      throw new UserError(`the database already has migrations recorded in ${HISTORY_TABLE} (now at version ${state.currentVersion}): a baseline is for a database that has none`, 'see `pgarchitect migrate status`');
    }
    const version = normaliseVersion(parts);
    await insertHistoryRow(session.db, {
      version,
      description: options.description ?? '<< baseline >>',
      type: 'baseline',
      script: '<< baseline >>',
      checksum: null,
      executionMs: 0,
      success: true,
      transactional: true,
      statementsRun: 0,
      statementsTotal: 0,
      error: null,
    });
    const state = migrationState(folder, await readHistory(session.db));
    const result = baseResult('baseline', session, folder, state, false);
    const covered = folder.versioned.filter((m) => compareMigrationVersions(m.versionParts, parts) <= 0);
    result.notices.push(`baseline at version ${version}: ${covered.length} migration file${covered.length === 1 ? '' : 's'} up to it count${covered.length === 1 ? 's' : ''} as applied and will not run`);
    return finish(result, started, true);
  }, true);
}

async function inspect(command: 'status' | 'validate', options: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  const folder = await readFolder(options);
  return withSession(options, true, async (session) => {
    const exists = await historyTableExists(session.db);
    const state = migrationState(folder, exists ? await readHistory(session.db) : []);
    const result = baseResult(command, session, folder, state, false);
    result.migrations = state.statuses;
    if (!exists) result.notices.push(`no ${HISTORY_TABLE} table: no migration has been applied by pgarchitect to this database`);
    result.problems.push(...driftProblems(state), ...missingProblems(state), ...failedProblems(state), ...outOfOrderProblems(state));
    return finish(result, started, command === 'status' || result.problems.length === 0);
  });
}

async function runSteps(session: MigrateSession, steps: PlannedStep[], result: MigrateResult, dryRun: boolean, state?: MigrationStateSummary): Promise<boolean> {
  if (dryRun) {
    result.steps = steps.map((step) => plannedReport(step, session.serverVersionNum));
    return true;
  }
  const { db } = session;
  for (const step of steps) {
    const report: StepReport = await runStep(session, step, {
      async onSuccess(r) {
        if (step.direction === 'down') {
          const ranks = state?.appliedNewestFirst.find((a) => a.version === step.version)?.rows.map((row) => row.rank) ?? [];
          await deleteHistoryRows(db, ranks);
          return;
        }
        await deleteFailedRows(db, step.version, step.script.file);
        await insertHistoryRow(db, historyRow(step, r, true));
      },
      async onFailure(r) {
        if (step.direction === 'down') return;
        await deleteFailedRows(db, step.version, step.script.file);
        await insertHistoryRow(db, historyRow(step, r, false));
      },
    });
    result.steps.push(report);
    if (report.failure) {
      result.failure = report.failure;
      return false;
    }
  }
  return true;
}

function historyRow(step: PlannedStep, report: StepReport, success: boolean) {
  const failure = report.failure;
  const ran = report.statements.filter((s) => s.outcome === 'ran').length;
  return {
    version: step.version,
    description: step.description,
    type: step.type,
    script: step.script.file,
    checksum: step.checksum,
    executionMs: report.durationMs,
    success,
    transactional: report.transactional,
    statementsRun: ran,
    statementsTotal: report.statements.length,
    error: failure
      ? `${failure.statement === null ? 'COMMIT' : `statement ${failure.statement} of ${failure.statements}`} (line ${failure.line}): ${failure.sqlstate} ${failure.message}` +
        (failure.applied.length ? `; statement${failure.applied.length === 1 ? '' : 's'} ${failure.applied.join(', ')} stayed applied` : '')
      : null,
  };
}

/**
 * Opens the session; a writing command (not read only) takes the migrate lock before its body reads
 * the history, and `up` and `baseline` create the history table when it is missing.
 */
async function withSession<T>(options: MigrateOptions, readOnly: boolean, body: (session: MigrateSession) => Promise<T>, createHistory = false): Promise<T> {
  const session = await openSession({
    connection: options.connection,
    env: options.env,
    db: options.db,
    description: options.description,
    readOnly,
    settings: {
      lockTimeoutMs: options.lockTimeoutMs ?? MIGRATE_DEFAULTS.lockTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs ?? MIGRATE_DEFAULTS.statementTimeoutMs,
      retries: options.retries ?? MIGRATE_DEFAULTS.retries,
      retryDelayMs: options.retryDelayMs ?? MIGRATE_DEFAULTS.retryDelayMs,
    },
    progress: options.onProgress,
  });
  let locked = false;
  try {
    if (!readOnly) {
      await acquireMigrateLock(session.db, {
        onWait: (pid) => session.progress(`waiting for another migrate runner${pid ? ` (pid ${pid})` : ''} to finish`),
      });
      locked = true;
      if (createHistory) await ensureHistoryTable(session.db);
    }
    return await body(session);
  } finally {
    if (locked) await releaseMigrateLock(session.db).catch(() => undefined);
    await session.close();
  }
}

async function readFolder(options: MigrateOptions): Promise<MigrationFolder> {
  const cwd = options.cwd ?? process.cwd();
  return readMigrationFolder(resolve(cwd, options.dir), { cwd, noGaps: options.noGaps });
}

function baseResult(command: MigrateCommandName, session: MigrateSession, folder: MigrationFolder, state: MigrationStateSummary, dryRun: boolean): MigrateResult {
  return {
    schemaVersion: MIGRATE_RESULT_SCHEMA_VERSION,
    command,
    database: session.description,
    folder: folder.display,
    layout: folder.layout,
    dryRun,
    settings: { lockTimeoutMs: session.lockTimeoutMs, statementTimeoutMs: session.statementTimeoutMs, retries: session.retries },
    currentVersion: state.currentVersion,
    migrations: [],
    steps: [],
    repairs: [],
    problems: [],
    failure: null,
    notices: [],
    ok: true,
    durationMs: 0,
  };
}

function finish(result: MigrateResult, started: number, ok: boolean): MigrateResult {
  result.ok = ok;
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

function driftProblems(state: MigrationStateSummary): MigrateProblem[] {
  return state.statuses
    .filter((s) => s.state === 'drifted')
    .map((s) => ({
      kind: 'drifted' as const,
      version: s.version,
      file: s.file!,
      message: `${s.file}: changed since it was applied (checksum ${short(s.appliedChecksum)} in the history, ${short(s.checksum)} now): restore the file, or accept the change with \`pgarchitect migrate repair\``,
    }));
}

function missingProblems(state: MigrationStateSummary): MigrateProblem[] {
  return state.statuses
    .filter((s) => s.state === 'missing')
    .map((s) => ({ kind: 'missing' as const, version: s.version, file: s.script, message: missingMessage(s.version, s.script) }));
}

function missingNotices(state: MigrationStateSummary): string[] {
  return missingProblems(state).map((p) => p.message);
}

function missingMessage(version: string | null, script: string): string {
  return `${script}: ${version === null ? 'repeatable migration' : `version ${version}`} is recorded in the history but the file is gone from the folder`;
}

function failedProblems(state: MigrationStateSummary): MigrateProblem[] {
  return state.statuses
    .filter((s) => s.state === 'failed')
    .map((s) => ({
      kind: 'failed' as const,
      version: s.version,
      file: s.file ?? s.script,
      message: `${s.file ?? s.script}: its last attempt failed (${s.error ?? 'no detail'}): \`migrate up\` runs it again, \`migrate repair\` removes the entry`,
    }));
}

function outOfOrderProblems(state: MigrationStateSummary): MigrateProblem[] {
  return state.outOfOrder.map((m) => ({
    kind: 'out-of-order' as const,
    version: m.version,
    file: m.up.display,
    message: `${m.up.display}: version ${m.version} is pending but the database is already at version ${state.currentVersion}: \`migrate up --out-of-order\` applies it`,
  }));
}

function downFileName(m: VersionedMigration): string {
  return m.up.file.endsWith('.up.sql') ? m.up.file.replace(/\.up\.sql$/i, '.down.sql') : m.up.file.replace(/^V/i, 'U');
}

function short(checksum: string | null): string {
  return checksum ? checksum.slice(0, 12) : 'none';
}
