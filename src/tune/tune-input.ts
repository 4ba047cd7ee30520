/** The inputs of the setting formulas: the machine, the workload and the PostgreSQL major. */

/** pgtune's kinds of application: they change memory shares, WAL sizes and statistics targets. */
export const WORKLOADS = ['web', 'oltp', 'dw', 'mixed', 'desktop'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Kinds of data storage; they set random_page_cost and effective_io_concurrency. */
export const STORAGE_KINDS = ['ssd', 'hdd', 'san', 'nvme'] as const;
export type Storage = (typeof STORAGE_KINDS)[number];

/** The server's operating system: Windows and macOS have limits Linux does not. */
export const OS_KINDS = ['linux', 'windows', 'mac'] as const;
export type OsKind = (typeof OS_KINDS)[number];

/** Majors the formulas know; a later one is treated as the last of them. */
export const OLDEST_MAJOR = 10;
export const NEWEST_MAJOR = 18;

export const WORKLOAD_NAMES: Record<Workload, string> = {
  web: 'web application',
  oltp: 'OLTP',
  dw: 'data warehouse',
  mixed: 'mixed',
  desktop: 'desktop',
};

export interface TuneInput {
  /** Memory PostgreSQL may use, in kB. */
  memoryKb: number;
  /** CPUs PostgreSQL may use; null when unknown (the parallel settings are then left out). */
  cpus: number | null;
  storage: Storage;
  /** The connection count to budget memory for; null for the workload's usual count. */
  connections: number | null;
  workload: Workload;
  /** PostgreSQL major version (10 or later). */
  major: number;
  os: OsKind;
  /** True when all the data fits in memory (measured on a server): reads are then served from cache. */
  dataFitsInRam?: boolean;
}
