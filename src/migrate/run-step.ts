/**
 * Runs one migration script: in one transaction, or (when a statement refuses a transaction block)
 * statement by statement. A lock timeout rolls back and retries with backoff; a failure reports the
 * file, the statement, its line and Postgres's error, and what stayed applied.
 */
import { postgresErrorInfo, type PostgresErrorInfo } from '../db/db.js';
import type { SqlStatement } from '../sql/split-statements.js';
import type { MigrationScript } from './migration-files.js';
import { RETRYABLE_SQLSTATES, resetSession, setLockTimeout, type MigrateSession } from './session.js';
import { isConcurrentOperation, nonTransactionalReason } from './transaction-safety.js';

/** A migration to run (or that would run): an up script, or the down script of an applied one. */
export interface PlannedStep {
  direction: 'up' | 'down';
  type: 'versioned' | 'repeatable';
  version: string | null;
  description: string;
  script: MigrationScript;
  /** For an up step: the checksum recorded in the history (the up file's). */
  checksum: string;
}

/** Why a statement runs outside a transaction block. */
export interface NonTransactionalStatement {
  /** 1-based statement number in the file. */
  statement: number;
  line: number;
  reason: string;
}

export type StatementOutcome = 'ran' | 'failed' | 'rolled back' | 'not run' | 'would run';

export interface StatementReport {
  /** 1-based number in the file. */
  index: number;
  line: number;
  column: number;
  /** The statement's first line, shortened. */
  summary: string;
  outcome: StatementOutcome;
  durationMs: number;
  /** Set when this statement cannot run in a transaction block. */
  nonTransactional?: string;
}

/** An open transaction a lock-timed-out migration may have queued behind. */
export interface OpenTransaction {
  pid: number;
  state: string;
  applicationName: string;
  /** How long its transaction has been open, ms. */
  ageMs: number;
}

export interface StepFailure {
  file: string;
  line: number;
  column: number;
  /** 1-based statement number; null when COMMIT failed (a deferred constraint, say). */
  statement: number | null;
  statements: number;
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  transactional: boolean;
  /** Statements that stayed applied: none for a transactional migration (it was rolled back). */
  applied: number[];
  /** INVALID indexes a failed CONCURRENTLY statement left behind. */
  invalidIndexes: string[];
  /** Attempts made (more than one after lock timeouts). */
  attempts: number;
  /** With a lock timeout that outlasted the retries: the oldest open transactions of the database. */
  openTransactions?: OpenTransaction[];
}

export interface StepReport {
  direction: 'up' | 'down';
  type: 'versioned' | 'repeatable';
  version: string | null;
  description: string;
  file: string;
  transactional: boolean;
  /** The statements that keep the migration out of a transaction. */
  nonTransactional: NonTransactionalStatement[];
  /** True when the file wrapped itself in BEGIN … COMMIT (left to the runner). */
  ownTransaction: boolean;
  outcome: 'applied' | 'reverted' | 'failed' | 'would apply' | 'would revert';
  durationMs: number;
  attempts: number;
  statements: StatementReport[];
  failure: StepFailure | null;
}

/** The statements of a script that refuse a transaction block, given the server's version. */
export function nonTransactionalStatements(script: MigrationScript, serverVersionNum: number): NonTransactionalStatement[] {
  const out: NonTransactionalStatement[] = [];
  script.statements.forEach((s, i) => {
    const reason = nonTransactionalReason(s.node, serverVersionNum);
    if (reason) out.push({ statement: i + 1, line: script.locate(s.offset).line, reason });
  });
  return out;
}

/** The report of a step that is not run (dry run). */
export function plannedReport(step: PlannedStep, serverVersionNum: number): StepReport {
  const nonTransactional = nonTransactionalStatements(step.script, serverVersionNum);
  return {
    ...header(step, nonTransactional),
    outcome: step.direction === 'up' ? 'would apply' : 'would revert',
    durationMs: 0,
    attempts: 0,
    statements: statementReports(step.script, nonTransactional, 'would run'),
    failure: null,
  };
}

/**
 * Runs a step. `inTransaction` writes its history inside the migration's transaction (or right
 * after it, outside one); `afterFailure` records a failure once the transaction is rolled back.
 */
export async function runStep(
  session: MigrateSession,
  step: PlannedStep,
  history: {
    onSuccess(report: StepReport): Promise<void>;
    onFailure(report: StepReport): Promise<void>;
  },
): Promise<StepReport> {
  const nonTransactional = nonTransactionalStatements(step.script, session.serverVersionNum);
  const report: StepReport = {
    ...header(step, nonTransactional),
    outcome: 'failed',
    durationMs: 0,
    attempts: 0,
    statements: statementReports(step.script, nonTransactional, 'not run'),
    failure: null,
  };
  const started = performance.now();
  const verb = step.direction === 'up' ? 'applying' : 'reverting';
  session.progress(`${verb} ${step.script.display}${report.transactional ? '' : ` (statement by statement: ${nonTransactional.map((n) => n.reason).join(', ')})`}`);
  // The history records the time the migration took, measured before its row is written.
  const onSuccess = async (r: StepReport) => {
    r.durationMs = Math.round(performance.now() - started);
    await history.onSuccess(r);
  };
  try {
    if (report.transactional) await runInTransaction(session, step, report, onSuccess);
    else await runStatementByStatement(session, step, report, onSuccess);
  } finally {
    report.durationMs = Math.round(performance.now() - started);
    // After a lost connection this fails too: the original error is the one to report.
    await resetSession(session).catch(() => undefined);
  }
  if (report.failure) await history.onFailure(report);
  else report.outcome = step.direction === 'up' ? 'applied' : 'reverted';
  return report;
}

async function runInTransaction(session: MigrateSession, step: PlannedStep, report: StepReport, onSuccess: (report: StepReport) => Promise<void>): Promise<void> {
  const { db } = session;
  const statements = step.script.statements;
  for (let attempt = 1; ; attempt++) {
    report.attempts = attempt;
    for (const s of report.statements) Object.assign(s, { outcome: 'not run', durationMs: 0 });
    let failedAt: number | null = -1;
    let error: unknown;
    await db.exec('BEGIN');
    for (let i = 0; i < statements.length; i++) {
      const t = performance.now();
      try {
        await db.exec(statements[i]!.text);
        Object.assign(report.statements[i]!, { outcome: 'ran', durationMs: Math.round(performance.now() - t) });
      } catch (e) {
        Object.assign(report.statements[i]!, { outcome: 'failed', durationMs: Math.round(performance.now() - t) });
        failedAt = i;
        error = e;
        break;
      }
    }
    if (failedAt === -1) {
      try {
        await onSuccess(report);
        await db.exec('COMMIT');
        return;
      } catch (e) {
        failedAt = null;
        error = e;
      }
    }
    await db.exec('ROLLBACK').catch(() => undefined);
    for (const s of report.statements) if (s.outcome === 'ran') s.outcome = 'rolled back';
    const info = postgresErrorInfo(error);
    if (!info) throw error;
    if (RETRYABLE_SQLSTATES[info.sqlstate] && attempt <= session.retries) {
      await pauseBeforeRetry(session, step, failedAt, info, attempt);
      continue;
    }
    report.failure = await failure(session, step, true, failedAt, info, attempt, [], []);
    return;
  }
}

async function runStatementByStatement(session: MigrateSession, step: PlannedStep, report: StepReport, onSuccess: (report: StepReport) => Promise<void>): Promise<void> {
  const { db } = session;
  const statements = step.script.statements;
  report.attempts = 1;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    const concurrent = isConcurrentOperation(statement.node);
    for (let attempt = 1; ; attempt++) {
      report.attempts = Math.max(report.attempts, attempt);
      const invalidBefore = concurrent ? await invalidIndexes(session) : [];
      // CONCURRENTLY waits for other transactions without blocking the table's readers and writers;
      // a lock timeout in its later phases would only leave an INVALID index behind.
      if (concurrent) await setLockTimeout(db, 0);
      const t = performance.now();
      try {
        await db.exec(statement.text);
        Object.assign(report.statements[i]!, { outcome: 'ran', durationMs: Math.round(performance.now() - t) });
        break;
      } catch (error) {
        Object.assign(report.statements[i]!, { outcome: 'failed', durationMs: Math.round(performance.now() - t) });
        const info = postgresErrorInfo(error);
        if (!info) throw error;
        const left = concurrent ? (await invalidIndexes(session)).filter((name) => !invalidBefore.includes(name)) : [];
        if (RETRYABLE_SQLSTATES[info.sqlstate] && attempt <= session.retries && left.length === 0) {
          await pauseBeforeRetry(session, step, i, info, attempt);
          continue;
        }
        const applied = report.statements.filter((s) => s.outcome === 'ran').map((s) => s.index);
        report.failure = await failure(session, step, false, i, info, attempt, applied, left);
        return;
      } finally {
        if (concurrent) await setLockTimeout(db, session.lockTimeoutMs);
      }
    }
  }
  try {
    await onSuccess(report);
  } catch (error) {
    const info = postgresErrorInfo(error);
    if (!info) throw error;
    report.failure = await failure(session, step, false, null, info, report.attempts, report.statements.map((s) => s.index), []);
  }
}

async function pauseBeforeRetry(session: MigrateSession, step: PlannedStep, failedAt: number | null, info: PostgresErrorInfo, attempt: number): Promise<void> {
  // Exponential backoff with jitter, so that runners and the application do not retry in lockstep.
  const delay = Math.min(session.retryDelayMs * 2 ** (attempt - 1), 60_000) * (1 + Math.random() * 0.25);
  const where = failedAt === null ? 'COMMIT' : `statement ${failedAt + 1}`;
  session.progress(`${RETRYABLE_SQLSTATES[info.sqlstate]} in ${step.script.display} (${where}): rolled back; retry ${attempt} of ${session.retries} in ${(delay / 1000).toFixed(1)} s`);
  await new Promise((resolve) => setTimeout(resolve, delay));
}

async function failure(
  session: MigrateSession,
  step: PlannedStep,
  transactional: boolean,
  failedAt: number | null,
  info: PostgresErrorInfo,
  attempts: number,
  applied: number[],
  invalid: string[],
): Promise<StepFailure> {
  const script = step.script;
  const statement: SqlStatement | undefined = failedAt === null ? undefined : script.statements[failedAt];
  const offset = statement ? statement.offset + (info.position ? info.position - 1 : 0) : script.text.length;
  const place = script.locate(Math.min(offset, script.text.length));
  const result: StepFailure = {
    file: script.display,
    line: place.line,
    column: place.column,
    statement: failedAt === null ? null : failedAt + 1,
    statements: script.statements.length,
    sqlstate: info.sqlstate,
    message: info.message,
    ...(info.detail ? { detail: info.detail } : {}),
    ...(info.hint ? { hint: info.hint } : {}),
    transactional,
    applied,
    invalidIndexes: invalid,
    attempts,
  };
  if (RETRYABLE_SQLSTATES[info.sqlstate]) result.openTransactions = await openTransactions(session);
  return result;
}

/** The oldest open transactions of this database, other than the runner's own. */
async function openTransactions(session: MigrateSession): Promise<OpenTransaction[]> {
  try {
    const rows = await session.db.query<{ pid: number; state: string | null; application_name: string | null; age_ms: string }>(
      `SELECT pid, state, application_name, (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint AS age_ms
         FROM pg_catalog.pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
        ORDER BY xact_start LIMIT 3`,
      [],
    );
    return rows.map((r) => ({ pid: Number(r.pid), state: r.state ?? 'unknown', applicationName: r.application_name ?? '', ageMs: Number(r.age_ms) }));
  } catch {
    return [];
  }
}

async function invalidIndexes(session: MigrateSession): Promise<string[]> {
  const rows = await session.db.query<{ name: string }>(
    `SELECT i.indexrelid::regclass::text AS name FROM pg_catalog.pg_index i WHERE NOT i.indisvalid ORDER BY 1`,
    [],
  );
  return rows.map((r) => r.name);
}

function header(step: PlannedStep, nonTransactional: NonTransactionalStatement[]) {
  return {
    direction: step.direction,
    type: step.type,
    version: step.version,
    description: step.description,
    file: step.script.display,
    transactional: nonTransactional.length === 0,
    nonTransactional,
    ownTransaction: step.script.ownTransaction,
  };
}

function statementReports(script: MigrationScript, nonTransactional: NonTransactionalStatement[], outcome: StatementOutcome): StatementReport[] {
  return script.statements.map((s, i) => {
    const reason = nonTransactional.find((n) => n.statement === i + 1)?.reason;
    return {
      index: i + 1,
      ...script.locate(s.offset),
      summary: summarise(s.text),
      outcome,
      durationMs: 0,
      ...(reason ? { nonTransactional: reason } : {}),
    };
  });
}

function summarise(text: string): string {
  const firstLine = text.split('\n')[0]!.trim();
  const more = text.includes('\n') ? ' …' : '';
  return firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine + more;
}
