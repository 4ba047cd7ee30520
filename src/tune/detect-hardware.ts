/**
 * The hardware of this machine, for `tune` on the server's own host: memory (within a container's
 * cgroup limit), CPUs (within its CPU quota) and the kind of storage, from Linux's
 * `/sys/block/<disk>/queue/rotational`, for the disk holding the data directory when it is known.
 * Each value says how it was found; storage that cannot be told is null, with the reason.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism, platform, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { formatBytes } from './size.js';
import type { OsKind, Storage } from './tune-input.js';

export interface DetectedHardware {
  memoryKb: number;
  memoryNote: string;
  cpus: number;
  cpusNote: string | null;
  /** Null when it cannot be told; `storageNote` says why. */
  storage: Storage | null;
  storageNote: string;
  os: OsKind;
}

export interface DetectOptions {
  /** The server's data directory, to find the disk that holds it. */
  dataDirectory?: string | null;
  /** Root of /sys and /proc (tests give a made-up tree). */
  root?: string;
  /** Defaults: os.totalmem() and os.availableParallelism(). */
  totalMemoryBytes?: number;
  cpus?: number;
}

/** Detected memory is rounded down to this, so that the formulas give round sizes. */
const MEMORY_STEP_KB = 256 * 1024;

export function detectHardware(options: DetectOptions = {}): DetectedHardware {
  const root = options.root ?? '/';
  const total = options.totalMemoryBytes ?? totalmem();
  const limit = cgroupMemoryLimit(root);
  const bytes = limit !== null && limit < total ? limit : total;
  const memoryKb = Math.max(MEMORY_STEP_KB, Math.floor(bytes / 1024 / MEMORY_STEP_KB) * MEMORY_STEP_KB);
  const what = limit !== null && limit < total ? "the container's memory limit" : 'this machine';
  const memoryNote = memoryKb * 1024 === bytes ? what : `${what}, ${formatBytes(bytes)}, rounded down to a multiple of 256MB`;

  const parallelism = options.cpus ?? availableParallelism();
  const quota = cgroupCpuQuota(root);
  const cpus = quota !== null && quota < parallelism ? quota : parallelism;
  const cpusNote = quota !== null && quota < parallelism ? `the container's CPU quota (${parallelism} CPUs in the machine)` : null;

  const storage = detectStorage(root, options.dataDirectory ?? null);
  return { memoryKb, memoryNote, cpus, cpusNote, storage: storage.kind, storageNote: storage.note, os: osKind() };
}

function osKind(): OsKind {
  const p = platform();
  return p === 'win32' ? 'windows' : p === 'darwin' ? 'mac' : 'linux';
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** cgroup v2 `memory.max`, else v1 `memory.limit_in_bytes`; null when unlimited or absent. */
function cgroupMemoryLimit(root: string): number | null {
  for (const file of ['sys/fs/cgroup/memory.max', 'sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    const text = readText(join(root, file));
    if (text === null || text === 'max') continue;
    const value = Number(text);
    // v1 writes "no limit" as a number close to 2^63.
    if (Number.isFinite(value) && value > 0 && value < 2 ** 60) return value;
  }
  return null;
}

/** cgroup v2 `cpu.max` ("quota period"), else v1 cfs quota and period; whole CPUs, rounded up. */
function cgroupCpuQuota(root: string): number | null {
  const v2 = readText(join(root, 'sys/fs/cgroup/cpu.max'));
  if (v2) {
    const [quota, period] = v2.split(/\s+/);
    if (quota && quota !== 'max' && Number(period) > 0) return Math.max(1, Math.ceil(Number(quota) / Number(period)));
  }
  const quota = Number(readText(join(root, 'sys/fs/cgroup/cpu/cpu.cfs_quota_us')));
  const period = Number(readText(join(root, 'sys/fs/cgroup/cpu/cpu.cfs_period_us')));
  if (quota > 0 && period > 0) return Math.max(1, Math.ceil(quota / period));
  return null;
}

interface StorageGuess {
  kind: Storage | null;
  note: string;
}

/** Block devices that are not disks. */
const NOT_DISKS = /^(loop|ram|zram|sr|fd|nbd|dm-|md)/;

/**
 * The disk of the data directory when it is known and readable (its device number, through
 * /sys/dev/block), else every disk of the machine when they all agree.
 */
export function detectStorage(root: string, dataDirectory: string | null): StorageGuess {
  const sysBlock = join(root, 'sys/block');
  if (dataDirectory) {
    const device = deviceOf(root, dataDirectory);
    if (device) {
      const disks = diskDevices(device);
      const kinds = disks.map((d) => classify(d));
      const known = agree(kinds);
      if (known) return { kind: known.kind, note: `${known.note} (the disk of the data directory: ${disks.map((d) => basename(d)).join(', ')})` };
    }
  }
  let names: string[];
  try {
    names = readdirSync(sysBlock).filter((n) => !NOT_DISKS.test(n));
  } catch {
    return { kind: null, note: 'the storage kind cannot be read on this system (no /sys/block)' };
  }
  if (names.length === 0) return { kind: null, note: 'no disk found in /sys/block' };
  const kinds = names.map((n) => classify(realPath(join(sysBlock, n))));
  const known = agree(kinds);
  if (known) return { kind: known.kind, note: `${known.note} (${names.join(', ')})` };
  const first = kinds.find((k) => k.kind === null);
  return { kind: null, note: first && kinds.length === 1 ? first.note : `the disks differ (${names.map((n, i) => `${n}: ${kinds[i]!.kind ?? 'unknown'}`).join(', ')})` };
}

/** All disks must give the same known kind. */
function agree(kinds: StorageGuess[]): StorageGuess | null {
  const first = kinds[0];
  if (!first || first.kind === null) return null;
  return kinds.every((k) => k.kind === first.kind) ? first : null;
}

/** The kind of one disk, from its sysfs folder. */
function classify(deviceDir: string): StorageGuess {
  const name = basename(deviceDir);
  const rotational = readText(join(deviceDir, 'queue/rotational'));
  if (rotational === null) return { kind: null, note: `${name} does not say whether it is rotational` };
  // Virtual disks say "rotational" or not by default, whatever backs them.
  if (/^(vd|xvd)/.test(name) || /\/virtio\d*\//.test(deviceDir)) return { kind: null, note: `${name} is a virtual disk, whose rotational flag does not tell what backs it` };
  if (rotational === '1') return { kind: 'hdd', note: `${name} is rotational` };
  return { kind: name.startsWith('nvme') ? 'nvme' : 'ssd', note: `${name} is not rotational` };
}

/** The sysfs folder of the block device holding `path`, or null. */
function deviceOf(root: string, path: string): string | null {
  try {
    const dev = statSync(path, { bigint: true }).dev;
    const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
    const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
    return realPath(join(root, `sys/dev/block/${major}:${minor}`));
  } catch {
    return null;
  }
}

/** The whole disks behind a device: its parent for a partition, its members for device-mapper (LVM, crypt). */
function diskDevices(device: string): string[] {
  const slaves = join(device, 'slaves');
  try {
    const members = readdirSync(slaves);
    if (members.length) return members.flatMap((m) => diskDevices(realPath(join(slaves, m))));
  } catch {
    // not a device-mapper device
  }
  if (readText(join(device, 'partition')) !== null) return [dirname(device)];
  return [device];
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
