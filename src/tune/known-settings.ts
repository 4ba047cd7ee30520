/**
 * What `tune` knows about the settings it recommends without asking a server: the first major that
 * has each one, its pg_settings context (which says whether a change needs a restart) and unit. With a
 * server, pg_settings itself is the authority and this table is only the fallback.
 */

/** pg_settings.context values that matter here; `postmaster` means a restart. */
export type SettingContext = 'postmaster' | 'sighup' | 'superuser' | 'user';

/** How a setting's values compare: sizes in kB, numbers, or words (enums and booleans). */
export type SettingKind = 'size' | 'number' | 'text';

export interface KnownSetting {
  name: string;
  kind: SettingKind;
  /** First PostgreSQL major with the setting (only those from 10 on are listed). */
  since: number;
  /** pg_settings.unit: the unit Postgres keeps the value in. */
  unit: string | null;
  context(major: number): SettingContext;
}

const always = (context: SettingContext) => (): SettingContext => context;

/** In recommendation order: connections and memory, WAL and checkpoints, planner, parallelism, I/O. */
export const KNOWN_SETTINGS: readonly KnownSetting[] = [
  { name: 'max_connections', kind: 'number', since: 10, unit: null, context: always('postmaster') },
  { name: 'shared_buffers', kind: 'size', since: 10, unit: '8kB', context: always('postmaster') },
  { name: 'huge_pages', kind: 'text', since: 10, unit: null, context: always('postmaster') },
  { name: 'effective_cache_size', kind: 'size', since: 10, unit: '8kB', context: always('user') },
  { name: 'work_mem', kind: 'size', since: 10, unit: 'kB', context: always('user') },
  { name: 'maintenance_work_mem', kind: 'size', since: 10, unit: 'kB', context: always('user') },
  { name: 'autovacuum_work_mem', kind: 'size', since: 10, unit: 'kB', context: always('sighup') },
  { name: 'wal_buffers', kind: 'size', since: 10, unit: '8kB', context: always('postmaster') },
  { name: 'min_wal_size', kind: 'size', since: 10, unit: 'MB', context: always('sighup') },
  { name: 'max_wal_size', kind: 'size', since: 10, unit: 'MB', context: always('sighup') },
  { name: 'checkpoint_completion_target', kind: 'number', since: 10, unit: null, context: always('sighup') },
  { name: 'wal_compression', kind: 'text', since: 10, unit: null, context: always('superuser') },
  { name: 'wal_level', kind: 'text', since: 10, unit: null, context: always('postmaster') },
  { name: 'max_wal_senders', kind: 'number', since: 10, unit: null, context: always('postmaster') },
  { name: 'random_page_cost', kind: 'number', since: 10, unit: null, context: always('user') },
  { name: 'effective_io_concurrency', kind: 'number', since: 10, unit: null, context: always('user') },
  { name: 'default_statistics_target', kind: 'number', since: 10, unit: null, context: always('user') },
  { name: 'jit', kind: 'text', since: 11, unit: null, context: always('user') },
  { name: 'max_worker_processes', kind: 'number', since: 10, unit: null, context: always('postmaster') },
  { name: 'max_parallel_workers', kind: 'number', since: 10, unit: null, context: always('user') },
  { name: 'max_parallel_workers_per_gather', kind: 'number', since: 10, unit: null, context: always('user') },
  { name: 'max_parallel_maintenance_workers', kind: 'number', since: 11, unit: null, context: always('user') },
  // PostgreSQL 18 reserves autovacuum_worker_slots at start, so the number of workers became a reload.
  { name: 'autovacuum_max_workers', kind: 'number', since: 10, unit: null, context: (major) => (major >= 18 ? 'sighup' : 'postmaster') },
  { name: 'io_method', kind: 'text', since: 18, unit: null, context: always('postmaster') },
  { name: 'io_workers', kind: 'number', since: 18, unit: null, context: always('sighup') },
];

export function knownSetting(name: string): KnownSetting {
  const setting = KNOWN_SETTINGS.find((s) => s.name === name);
  if (!setting) throw new Error(`tune: no entry for setting ${name}`);
  return setting;
}

/** Whether the setting exists on this major. */
export function existsOn(name: string, major: number): boolean {
  return major >= knownSetting(name).since;
}
