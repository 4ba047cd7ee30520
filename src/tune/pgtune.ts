/**
 * The settings for a machine and a workload, by the formulas of pgtune (le0pard/pgtune, the calculator
 * behind pgtune.leopard.in.ua, `src/features/configuration/configurationSlice.js`), written anew here.
 * A pure function: no server, no clock, no machine. The server's own evidence is applied afterwards
 * (`server-evidence.ts`).
 *
 * Everything is computed in kB and rounded down, as pgtune does, so the numbers match its output.
 */
import { existsOn, KNOWN_SETTINGS, knownSetting, type SettingKind } from './known-settings.js';
import { formatKb, KB_PER_GB, KB_PER_MB } from './size.js';
import { NEWEST_MAJOR, WORKLOAD_NAMES, type TuneInput, type Workload } from './tune-input.js';

/** One setting as the formulas give it. */
export interface FormulaSetting {
  name: string;
  kind: SettingKind;
  /** kB for sizes, a number, or a word. */
  value: number | string;
  /** The value in postgresql.conf form: `4GB`, `0.9`, `try`. */
  display: string;
  /** Why, in a line: the formula with its numbers. */
  reason: string;
}

export interface FormulaResult {
  settings: FormulaSetting[];
  /** The connection count the memory formulas budget for. */
  connections: number;
  /** Caveats of the formulas for this input (very small or very large memory, unknown CPUs). */
  notes: string[];
  /** Values that need a build option, by setting: a server's pg_settings.enumvals settles them. */
  buildNotes: { setting: string; note: string }[];
}

/** The connection count pgtune assumes for each workload when none is given. */
export const DEFAULT_CONNECTIONS: Record<Workload, number> = { web: 200, oltp: 300, dw: 40, desktop: 20, mixed: 100 };

/** max_worker_processes' default, which work_mem budgets for when the CPU count is not known. */
const DEFAULT_WORKER_PROCESSES = 8;

const MIN_WORK_MEM_KB = 4 * KB_PER_MB;
const WAL_BUFFERS_MAX_KB = 16 * KB_PER_MB;
const HUGE_PAGES_FROM_KB = 2 * KB_PER_GB;
const MAINTENANCE_CAP_KB = 8 * KB_PER_GB;
/** Windows cannot allocate 2GB or more for one of these before PostgreSQL 18. */
const WINDOWS_CAP_KB = 2 * KB_PER_GB - KB_PER_MB;
const AUTOVACUUM_WORK_MEM_CAP_KB = 2 * KB_PER_GB;

const WAL_SIZES_MB: Record<Workload, { min: number; max: number }> = {
  web: { min: 1024, max: 4096 },
  oltp: { min: 2048, max: 8192 },
  dw: { min: 4096, max: 16384 },
  desktop: { min: 100, max: 2048 },
  mixed: { min: 1024, max: 4096 },
};

/** effective_io_concurrency: how many reads each kind of storage serves at once. */
const IO_CONCURRENCY = { hdd: 2, ssd: 200, san: 300, nvme: 1000 } as const;

/**
 * The recommended settings for `input`, in a fixed order, leaving out those the major does not have
 * and those the formulas do not set for this workload, CPU count or system.
 */
export function formulaSettings(input: TuneInput): FormulaResult {
  const major = Math.min(input.major, NEWEST_MAJOR);
  const { memoryKb: ram, workload, os } = input;
  const desktop = workload === 'desktop';
  const windowsCapped = os === 'windows' && major <= 17;
  const out: FormulaSetting[] = [];
  const notes: string[] = [];
  const add = (name: string, value: number | string, reason: string): void => {
    if (!existsOn(name, major)) return;
    const kind = knownSetting(name).kind;
    out.push({ name, kind, value, display: kind === 'size' ? formatKb(value as number) : String(value), reason });
  };

  const connections = input.connections ?? DEFAULT_CONNECTIONS[workload];
  add('max_connections', connections, input.connections === null ? `pgtune's usual count for a ${WORKLOAD_NAMES[workload]} workload` : 'the connection count the memory below is budgeted for');

  const sharedBuffers = Math.floor(ram / (desktop ? 16 : 4));
  add('shared_buffers', sharedBuffers, desktop ? `1/16 of the memory (${formatKb(ram)} / 16): a desktop shares the machine with other programs` : `a quarter of the memory (${formatKb(ram)} / 4); the OS cache holds the rest`);

  if (os === 'mac') add('huge_pages', 'off', 'macOS offers PostgreSQL no huge pages');
  else if (sharedBuffers >= HUGE_PAGES_FROM_KB) add('huge_pages', 'try', 'shared_buffers of 2GB or more: huge pages shrink the page tables of every process (try falls back to normal pages when the OS has none reserved)');
  else add('huge_pages', 'off', 'shared_buffers under 2GB gains little from huge pages');

  add('effective_cache_size', Math.floor(desktop ? ram / 4 : (ram * 3) / 4), desktop ? `a quarter of the memory (${formatKb(ram)} / 4): what the planner may count on being cached` : `three quarters of the memory (${formatKb(ram)} × 3/4): what shared_buffers and the OS cache together may hold, for the planner`);

  const parallel = parallelSettings(input.cpus, workload);
  const workers = parallel ? parallel.workerProcesses : DEFAULT_WORKER_PROCESSES;
  const perOperation = (ram - sharedBuffers) / ((connections + workers) * 3);
  const divisor = workload === 'dw' || workload === 'mixed' ? 2 : desktop ? 6 : 1;
  let workMem = Math.floor(perOperation / divisor);
  let workMemReason = `(memory − shared_buffers) / ((${connections} connections + ${workers} workers) × 3 operations each)${divisor > 1 ? ` / ${divisor} for a ${WORKLOAD_NAMES[workload]} workload` : ''}`;
  if (input.dataFitsInRam) {
    workMem = Math.floor(workMem * 1.3);
    workMemReason += ', + 30% as the data fits in memory and the OS cache needs little';
  }
  if (workMem < MIN_WORK_MEM_KB) {
    workMem = MIN_WORK_MEM_KB;
    workMemReason += `; raised to the 4MB floor below which simple sorts spill`;
  }
  if (windowsCapped && workMem > WINDOWS_CAP_KB) {
    workMem = WINDOWS_CAP_KB;
    workMemReason += '; capped under 2GB, the most Windows allows before PostgreSQL 18';
  }
  add('work_mem', workMem, workMemReason);

  let maintenance = Math.floor(ram / (workload === 'dw' ? 8 : 16));
  let maintenanceReason = workload === 'dw' ? `1/8 of the memory for a data warehouse's index builds and VACUUM` : `1/16 of the memory for VACUUM and index builds`;
  if (windowsCapped && maintenance >= 2 * KB_PER_GB) {
    maintenance = WINDOWS_CAP_KB;
    maintenanceReason += ', capped under 2GB, the most Windows allows before PostgreSQL 18';
  } else if (maintenance >= MAINTENANCE_CAP_KB) {
    maintenance = MAINTENANCE_CAP_KB;
    maintenanceReason += ', at most 8GB';
  }
  add('maintenance_work_mem', maintenance, maintenanceReason);
  if (maintenance >= AUTOVACUUM_WORK_MEM_CAP_KB) {
    add('autovacuum_work_mem', AUTOVACUUM_WORK_MEM_CAP_KB, 'each autovacuum worker would otherwise take maintenance_work_mem, and several run at once: 2GB each is enough');
  }

  add('wal_buffers', walBuffers(sharedBuffers), '3% of shared_buffers, at most 16MB: what PostgreSQL picks itself when wal_buffers = -1, made explicit');
  const wal = WAL_SIZES_MB[workload];
  add('min_wal_size', wal.min * KB_PER_MB, `WAL kept for reuse, pgtune's size for a ${WORKLOAD_NAMES[workload]} workload`);
  add('max_wal_size', wal.max * KB_PER_MB, `WAL written between checkpoints before one is forced, pgtune's size for a ${WORKLOAD_NAMES[workload]} workload: fewer, calmer checkpoints`);
  add('checkpoint_completion_target', 0.9, 'spread checkpoint writes over 90% of the interval (the default since PostgreSQL 14)');
  if (major >= 15) add('wal_compression', 'lz4', 'compress full-page images in WAL with lz4: much less WAL for little CPU');
  else add('wal_compression', 'on', 'compress full-page images in WAL (pglz): less WAL for some CPU');
  if (desktop) {
    add('wal_level', 'minimal', 'a desktop database has no replicas or WAL archive: minimal WAL makes bulk loads cheaper');
    add('max_wal_senders', 0, 'wal_level = minimal requires it');
  }

  add('random_page_cost', ...randomPageCost(input));
  if (os === 'linux') add('effective_io_concurrency', IO_CONCURRENCY[input.storage], `${input.storage === 'hdd' ? 'a spinning disk serves few reads at once' : `${input.storage.toUpperCase()} storage serves many reads at once`}: bitmap heap scans prefetch this many pages`);
  add('default_statistics_target', workload === 'dw' ? 500 : 100, workload === 'dw' ? 'larger statistics samples for analytical queries over skewed data' : 'the default sample size suits this workload');
  if (major >= 12 && (workload === 'web' || workload === 'oltp' || workload === 'mixed')) add('jit', 'off', 'JIT compilation costs more than it saves on short queries, and it is on by default');

  if (parallel) {
    add('max_worker_processes', parallel.workerProcesses, 'one background worker per CPU');
    add('max_parallel_workers', parallel.workerProcesses, 'every CPU may work for parallel queries');
    add('max_parallel_workers_per_gather', parallel.perGather, workload === 'dw' ? 'half the CPUs per query for a data warehouse' : 'half the CPUs per query, at most 4: more workers bring little to short queries');
    add('max_parallel_maintenance_workers', parallel.maintenance, 'half the CPUs, at most 4, for parallel index builds and VACUUM');
  }
  if (input.cpus !== null && input.cpus >= 16) add('autovacuum_max_workers', input.cpus >= 32 ? 5 : 4, `${input.cpus} CPUs can vacuum more tables at once than the default 3 workers`);

  if (major >= 18) {
    add('io_method', os === 'linux' ? 'io_uring' : 'worker', os === 'linux' ? 'asynchronous I/O through io_uring, the fastest method on Linux' : 'asynchronous I/O through worker processes, the method this system supports');
    if (input.cpus !== null) {
      const ioWorkers = Math.min(32, Math.max(3, Math.floor(input.cpus / 4)));
      if (ioWorkers > 3) add('io_workers', ioWorkers, `a quarter of the ${input.cpus} CPUs for I/O workers`);
    }
  }

  if (ram < 256 * KB_PER_MB) notes.push('These formulas are not made for machines with less than 256MB of memory.');
  if (ram > 100 * KB_PER_GB) notes.push('These formulas are not made for machines with more than 100GB of memory: treat the sizes as a starting point.');
  const buildNotes: FormulaResult['buildNotes'] = [];
  if (out.some((s) => s.name === 'wal_compression' && s.value === 'lz4')) buildNotes.push({ setting: 'wal_compression', note: 'wal_compression = lz4 needs a PostgreSQL built with lz4 (the Debian, Ubuntu and PGDG packages are).' });
  if (out.some((s) => s.name === 'io_method' && s.value === 'io_uring')) buildNotes.push({ setting: 'io_method', note: 'io_method = io_uring needs a PostgreSQL built with liburing.' });
  if (input.cpus === null) notes.push('The CPU count is not known: the parallel query settings are left out.');
  const order = (s: FormulaSetting): number => KNOWN_SETTINGS.findIndex((k) => k.name === s.name);
  return { settings: out.sort((a, b) => order(a) - order(b)), connections, notes, buildNotes };
}

interface ParallelSettings {
  workerProcesses: number;
  perGather: number;
  maintenance: number;
}

/** With 4 CPUs or more: a worker per CPU, half of them per query (at most 4 except for dw) and per maintenance job (at most 4). */
function parallelSettings(cpus: number | null, workload: Workload): ParallelSettings | null {
  if (cpus === null || cpus < 4) return null;
  const half = Math.ceil(cpus / 2);
  return { workerProcesses: cpus, perGather: workload === 'dw' ? half : Math.min(half, 4), maintenance: Math.min(half, 4) };
}

/** 3% of shared_buffers, at most 16MB, rounded up to 16MB from 14MB, at least 32kB. */
function walBuffers(sharedBuffersKb: number): number {
  let kb = Math.min(Math.floor((3 * sharedBuffersKb) / 100), WAL_BUFFERS_MAX_KB);
  if (kb > 14 * KB_PER_MB && kb < WAL_BUFFERS_MAX_KB) kb = WAL_BUFFERS_MAX_KB;
  return Math.max(kb, 32);
}

function randomPageCost(input: TuneInput): [number, string] {
  if (input.dataFitsInRam) return [1.1, 'the data fits in memory: random reads come from cache and cost about as much as sequential ones'];
  if (input.storage === 'hdd') return [4, 'random reads on spinning disks cost about four sequential ones'];
  if (input.workload === 'dw') return [4, 'kept at 4 for a data warehouse larger than memory: a low value would make the planner pick index scans for large reads'];
  return [1.1, `random reads on ${input.storage.toUpperCase()} storage cost about as much as sequential ones`];
}
