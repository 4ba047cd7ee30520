/**
 * The lock waits pgarchitect causes or suffers, seen two ways while pgbench runs:
 *
 * - a sampler, one session of its own polling pg_stat_activity every `intervalMs`: each session waiting
 *   on a heavyweight lock (wait_event_type 'Lock') with its blockers from pg_blocking_pids(), sorted by
 *   whether the waiter or a blocker is a pgarchitect session (application_name 'pgarchitect', which
 *   pgarchitect sets on every live connection). It catches waits that last about an interval or more.
 * - the server log, every wait that reached deadlock_timeout (1 s) with log_lock_waits on, and every
 *   lock timeout: exhaustive for long waits, which the sampler could miss between two polls only if they
 *   were short. Pgarchitect's backends are known from log_connections.
 *
 * The sampler runs in every phase, with pgarchitect or without, so its own cost is the same in both.
 */
import { readFileSync, statSync } from 'node:fs';
import pg from 'pg';

/** The application_name of pgarchitect's sessions (src/db/connection-config.ts). */
export const PGARCHITECT_APPLICATION = 'pgarchitect';

/** The sampler's own application_name, so it never counts itself. */
const SAMPLER_APPLICATION = 'pgarchitect-bench-lock-sampler';

/** Server settings the log side needs; deadlock_timeout keeps PostgreSQL's default (1 s). */
export const LOCK_LOG_SETTINGS: Readonly<Record<string, string>> = {
  log_lock_waits: 'on',
  log_connections: 'on',
  log_line_prefix: "'%m [%p] app=%a '",
};

export interface LockWaitExample {
  waiterApp: string;
  waiterQuery: string;
  lock: string;
  blockerApps: string[];
  blockerQuery: string;
}

export interface LockTally {
  samples: number;
  /** Samples in which at least one pgarchitect session existed. */
  samplesWithPgarchitect: number;
  /**
   * Samples in which a pgarchitect session held a snapshot (backend_xmin set): while it does, VACUUM and
   * HOT pruning keep every row version deleted since, and pgbench's hot rows grow chains of them.
   */
  samplesWithPgarchitectSnapshot: number;
  /** The oldest such snapshot seen, in transactions (age(backend_xmin)). */
  maxPgarchitectXminAge: number;
  /** Distinct pgarchitect backends seen. */
  pgarchitectSessions: number;
  /**
   * CPU time of the pgarchitect backends (server side), from /proc/<pid>/stat as last sampled: a lower
   * bound, since the work after a backend's last sample is missed (0 where /proc is not readable).
   */
  pgarchitectBackendCpuMs: number;
  /** (sample, waiting session) pairs where the waiter is not pgarchitect and a blocker is. */
  waitsCausedByPgarchitect: number;
  /** (sample, waiting session) pairs where the waiter is a pgarchitect session. */
  waitsOfPgarchitect: number;
  /** (sample, waiting session) pairs among other sessions (pgbench's own row-lock contention). */
  otherWaits: number;
  examples: LockWaitExample[];
}

export function emptyTally(): LockTally {
  return { samples: 0, samplesWithPgarchitect: 0, samplesWithPgarchitectSnapshot: 0, maxPgarchitectXminAge: 0, pgarchitectSessions: 0, pgarchitectBackendCpuMs: 0, waitsCausedByPgarchitect: 0, waitsOfPgarchitect: 0, otherWaits: 0, examples: [] };
}

export function addTallies(a: LockTally, b: LockTally): LockTally {
  return {
    samples: a.samples + b.samples,
    samplesWithPgarchitect: a.samplesWithPgarchitect + b.samplesWithPgarchitect,
    samplesWithPgarchitectSnapshot: a.samplesWithPgarchitectSnapshot + b.samplesWithPgarchitectSnapshot,
    maxPgarchitectXminAge: Math.max(a.maxPgarchitectXminAge, b.maxPgarchitectXminAge),
    pgarchitectSessions: a.pgarchitectSessions + b.pgarchitectSessions,
    pgarchitectBackendCpuMs: a.pgarchitectBackendCpuMs + b.pgarchitectBackendCpuMs,
    waitsCausedByPgarchitect: a.waitsCausedByPgarchitect + b.waitsCausedByPgarchitect,
    waitsOfPgarchitect: a.waitsOfPgarchitect + b.waitsOfPgarchitect,
    otherWaits: a.otherWaits + b.otherWaits,
    examples: [...a.examples, ...b.examples].slice(0, 5),
  };
}

interface ActivityRow {
  pid: number;
  app: string;
  waiting: boolean;
  lock: string | null;
  blockers: number[];
  xmin_age: number | null;
  query: string;
}

// pg_blocking_pids() only for sessions waiting on a lock: it takes every lock manager partition lock.
const SAMPLE_SQL = `
SELECT a.pid, a.application_name AS app, a.wait_event_type = 'Lock' AS waiting,
       CASE WHEN a.wait_event_type = 'Lock' THEN a.wait_event END AS lock,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blockers,
       age(a.backend_xmin) AS xmin_age,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 100) AS query
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()`;

/** Polls pg_stat_activity every `intervalMs` from `start()` to `stop()`. */
export class LockSampler {
  #client: pg.Client | null = null;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #tally = emptyTally();
  /** pgarchitect backend pid → its CPU ms when last sampled. */
  #pgarchitectCpu = new Map<number, number>();

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    this.#tally = emptyTally();
    this.#pgarchitectCpu = new Map();
    const client = new pg.Client({ connectionString: this.url, application_name: SAMPLER_APPLICATION });
    client.on('error', () => undefined);
    await client.connect();
    this.#client = client;
    this.#running = true;
    this.#loop = this.#run(client);
  }

  async stop(): Promise<LockTally> {
    this.#running = false;
    await this.#loop;
    await this.#client?.end().catch(() => undefined);
    this.#client = null;
    const cpu = [...this.#pgarchitectCpu.values()].reduce((sum, v) => sum + v, 0);
    return { ...this.#tally, pgarchitectSessions: this.#pgarchitectCpu.size, pgarchitectBackendCpuMs: cpu };
  }

  async #run(client: pg.Client): Promise<void> {
    while (this.#running) {
      const started = Date.now();
      const { rows } = await client.query<ActivityRow>(SAMPLE_SQL);
      this.#record(rows);
      const rest = this.intervalMs - (Date.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }

  #record(rows: ActivityRow[]): void {
    const tally = this.#tally;
    const byPid = new Map(rows.map((r) => [r.pid, r]));
    const isPgarchitect = (row: ActivityRow | undefined): boolean => row?.app === PGARCHITECT_APPLICATION;
    tally.samples++;
    const ours = rows.filter(isPgarchitect);
    if (ours.length > 0) tally.samplesWithPgarchitect++;
    const snapshots = ours.filter((r) => r.xmin_age !== null);
    if (snapshots.length > 0) tally.samplesWithPgarchitectSnapshot++;
    for (const r of snapshots) tally.maxPgarchitectXminAge = Math.max(tally.maxPgarchitectXminAge, r.xmin_age!);
    for (const row of ours) {
      const cpu = processCpuMs(row.pid); // NaN once the backend has exited: keep the last reading
      this.#pgarchitectCpu.set(row.pid, Math.max(this.#pgarchitectCpu.get(row.pid) ?? 0, Number.isNaN(cpu) ? 0 : cpu));
    }
    for (const waiter of rows.filter((r) => r.waiting)) {
      const blockers = waiter.blockers.map((pid) => byPid.get(pid));
      if (isPgarchitect(waiter)) tally.waitsOfPgarchitect++;
      else if (blockers.some(isPgarchitect)) tally.waitsCausedByPgarchitect++;
      else {
        tally.otherWaits++;
        continue;
      }
      const example: LockWaitExample = {
        waiterApp: waiter.app,
        waiterQuery: waiter.query,
        lock: waiter.lock ?? '',
        blockerApps: blockers.map((b) => b?.app ?? '(gone)'),
        blockerQuery: blockers.find(isPgarchitect)?.query ?? blockers[0]?.query ?? '',
      };
      const seen = tally.examples.some((e) => e.waiterQuery === example.waiterQuery && e.blockerQuery === example.blockerQuery);
      if (!seen && tally.examples.length < 5) tally.examples.push(example);
    }
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux whatever the kernel's HZ). */
const USER_HZ = 100;

/**
 * User + system CPU of a local process so far, from /proc, or with `children` that of its children it
 * has waited for (the postmaster waits for every backend that exits). NaN when it cannot be read.
 */
export function processCpuMs(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state (field 3) is
    // [0], utime and stime (14, 15) are [11] and [12], cutime and cstime (16, 17) [13] and [14].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [user, system] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
    return ((Number(user) + Number(system)) * 1000) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

export interface LogLockFacts {
  /** Waits of ≥ deadlock_timeout by other sessions on a lock a pgarchitect backend held. */
  longWaitsCausedByPgarchitect: number;
  /** Waits of ≥ deadlock_timeout by pgarchitect backends. */
  longWaitsOfPgarchitect: number;
  /** Statements of pgarchitect cancelled by lock_timeout. */
  lockTimeoutsOfPgarchitect: number;
  /** Other ERROR lines of pgarchitect sessions (a read-only violation would show here). */
  otherErrorsOfPgarchitect: number;
  /** Backends of pgarchitect that connected in this part of the log. */
  pgarchitectConnections: number;
}

/** The server log's length now, to read what a phase adds. */
export function logOffset(logFile: string): number {
  return statSync(logFile).size;
}

/** Reads the log lines written from `from` to `to` (byte offsets) and counts what concerns pgarchitect. */
export function readLogLockFacts(logFile: string, from: number, to: number): LogLockFacts {
  const text = readFileSync(logFile).subarray(from, to).toString('utf8');
  const lines = text.split('\n');
  // Backends are identified by pid; log_connections names their application (PostgreSQL 12+).
  const ours = new Set<number>();
  for (const line of lines) {
    const m = /\[(\d+)\] .*connection authorized: .*application_name=(\S+)/.exec(line);
    if (m && m[2] === PGARCHITECT_APPLICATION) ours.add(Number(m[1]));
  }
  const facts: LogLockFacts = { longWaitsCausedByPgarchitect: 0, longWaitsOfPgarchitect: 0, lockTimeoutsOfPgarchitect: 0, otherErrorsOfPgarchitect: 0, pgarchitectConnections: ours.size };
  const prefix = /^\S+ \S+ \S+ \[(\d+)\] app=(\S*) (\w+):\s+(.*)$/;
  for (let i = 0; i < lines.length; i++) {
    const m = prefix.exec(lines[i]!);
    if (!m) continue;
    const [, pid, app, level, message] = m;
    const waiterIsOurs = app === PGARCHITECT_APPLICATION || ours.has(Number(pid));
    if (level === 'LOG' && /still waiting for/.test(message!)) {
      // The next line: "DETAIL:  Process(es) holding the lock: 123, 456. Wait queue: ...".
      const detail = /holding the lock: ([\d, ]+)\./.exec(lines[i + 1] ?? '');
      const holders = detail ? detail[1]!.split(',').map((p) => Number(p.trim())) : [];
      if (waiterIsOurs) facts.longWaitsOfPgarchitect++;
      else if (holders.some((p) => ours.has(p))) facts.longWaitsCausedByPgarchitect++;
    } else if (level === 'ERROR' && waiterIsOurs) {
      if (/lock timeout/.test(message!)) facts.lockTimeoutsOfPgarchitect++;
      else facts.otherErrorsOfPgarchitect++;
    }
  }
  return facts;
}

export function addLogFacts(a: LogLockFacts, b: LogLockFacts): LogLockFacts {
  return {
    longWaitsCausedByPgarchitect: a.longWaitsCausedByPgarchitect + b.longWaitsCausedByPgarchitect,
    longWaitsOfPgarchitect: a.longWaitsOfPgarchitect + b.longWaitsOfPgarchitect,
    lockTimeoutsOfPgarchitect: a.lockTimeoutsOfPgarchitect + b.lockTimeoutsOfPgarchitect,
    otherErrorsOfPgarchitect: a.otherErrorsOfPgarchitect + b.otherErrorsOfPgarchitect,
    pgarchitectConnections: a.pgarchitectConnections + b.pgarchitectConnections,
  };
}
