/**
 * The inputs of the formulas, each with where it came from: given as a flag, detected on this
 * machine (when the server runs here, or there is no server), read from the server (its version and
 * operating system), or assumed, with a note saying so. Pure: detection and reading happen before.
 */
import { UserError } from '../errors.js';
import type { DetectedHardware } from './detect-hardware.js';
import type { TuneInputs } from './result.js';
import type { ServerFacts } from './server-facts.js';
import { formatKb } from './size.js';
import { NEWEST_MAJOR, OLDEST_MAJOR, type Storage, type Workload } from './tune-input.js';

/** What the user gave. */
export interface GivenHardware {
  memoryKb?: number;
  cpus?: number;
  storage?: Storage;
  workload?: Workload;
  pgVersion?: number;
}

export interface ResolveContext {
  given: GivenHardware;
  /** The server's facts, when a server was examined. */
  facts: ServerFacts | null;
  /** The server's host when it is on another machine; undefined when it is this one or there is none. */
  remoteHost?: string;
  /** This machine's hardware, when it was detected (a local server or none, and something not given). */
  detected: DetectedHardware | null;
}

export type ResolvedInputs = Omit<TuneInputs, 'connections' | 'dataFitsInRam'>;

/** Whether this machine's hardware is needed: it stands for the server's, and something was not given. */
export function needsDetection(given: GivenHardware, remote: boolean): boolean {
  return !remote && (given.memoryKb === undefined || given.cpus === undefined || given.storage === undefined);
}

/** The one input that cannot be assumed: the memory of a server on another machine. */
export function missingMemory(remoteHost: string | undefined): UserError {
  return new UserError(
    `the server is on ${remoteHost ?? 'another machine'}, not this machine, and --memory was not given: its memory cannot be read over SQL`,
    'give the memory of the server: --memory 16GB (and --cpus and --storage)',
  );
}

export function resolveInputs({ given, facts, remoteHost, detected }: ResolveContext): { inputs: ResolvedInputs; notes: string[] } {
  const notes: string[] = [];
  if (given.memoryKb === undefined && !detected) throw missingMemory(remoteHost);
  const memory: TuneInputs['memory'] =
    given.memoryKb !== undefined
      ? { kb: given.memoryKb, display: formatKb(given.memoryKb), source: 'given', note: null }
      : { kb: detected!.memoryKb, display: formatKb(detected!.memoryKb), source: 'detected', note: detected!.memoryNote };

  const cpus: TuneInputs['cpus'] =
    given.cpus !== undefined
      ? { value: given.cpus, source: 'given', note: null }
      : detected
        ? { value: detected.cpus, source: 'detected', note: detected.cpusNote }
        : { value: null, source: 'not given', note: 'the server is on another machine and --cpus was not given' };

  let storage: TuneInputs['storage'];
  if (given.storage !== undefined) storage = { value: given.storage, source: 'given', note: null };
  else if (detected?.storage) storage = { value: detected.storage, source: 'detected', note: detected.storageNote };
  else {
    const why = detected ? `the storage kind could not be detected: ${detected.storageNote}` : 'the server is on another machine and --storage was not given';
    storage = { value: 'ssd', source: 'assumed', note: why };
    notes.push(`${why[0]!.toUpperCase()}${why.slice(1)}; SSD assumed (give --storage hdd, san or nvme if it is not).`);
  }

  const os: TuneInputs['os'] = facts ? { value: facts.os, source: 'server' } : detected ? { value: detected.os, source: 'detected' } : { value: 'linux', source: 'assumed' };

  let postgres: TuneInputs['postgres'];
  if (facts) {
    const major = Math.floor(facts.versionNum / 10000);
    if (given.pgVersion !== undefined && given.pgVersion !== major) throw new UserError(`--pg-version ${given.pgVersion} does not match the server, which runs PostgreSQL ${facts.version}`, 'leave --pg-version out when a server is given');
    if (major < OLDEST_MAJOR) throw new UserError(`the server runs PostgreSQL ${facts.version}: tune knows the settings of PostgreSQL ${OLDEST_MAJOR} and later`);
    postgres = { major, source: 'server' };
  } else {
    postgres = given.pgVersion !== undefined ? { major: given.pgVersion, source: 'given' } : { major: NEWEST_MAJOR, source: 'default' };
    if (given.pgVersion === undefined) notes.push(`No server and no --pg-version: the settings are for PostgreSQL ${NEWEST_MAJOR}.`);
  }
  if (postgres.major > NEWEST_MAJOR) notes.push(`The formulas know PostgreSQL up to ${NEWEST_MAJOR}: ${postgres.major} is treated as ${NEWEST_MAJOR}.`);

  const workload: TuneInputs['workload'] = given.workload ? { value: given.workload, source: 'given' } : { value: 'web', source: 'default' };
  if (!given.workload) notes.push("No --workload: a web application assumed (pgtune's default); oltp, dw, mixed and desktop change the memory shares and WAL sizes.");
  if (remoteHost !== undefined) {
    const missing = [given.cpus === undefined && '--cpus', given.storage === undefined && '--storage'].filter(Boolean);
    if (missing.length) notes.push(`The server is on ${remoteHost}, not this machine: its hardware is what you give, and ${missing.join(' and ')} ${missing.length === 1 ? 'was' : 'were'} not given.`);
  }
  return { inputs: { memory, cpus, storage, workload, os, postgres }, notes };
}
