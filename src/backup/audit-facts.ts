/**
 * What `backup audit` judges: the server's WAL and archiving settings, pg_stat_archiver, replication
 * slots (through the health facts' readers), the database's size, and, when asked, pgBackRest's view of
 * a stanza and the backups of a dump folder. Plain JSON values, so that the checks are pure functions.
 */
import type { Db } from '../db/db.js';
import type { Archiver, HealthFactPart, HealthServer, HealthSetting, ReplicationSlot } from '../health/facts.js';
import { readHealthFacts } from '../health/read-facts.js';
import type { DumpDirContents } from './dump-dir.js';
import type { PgBackRestInfo } from './pgbackrest-info.js';

export interface BackupAuditFacts {
  server: HealthServer;
  /** pg_settings by name; a name missing is hidden from this role. */
  settings: Record<string, HealthSetting>;
  archiver: Archiver | null;
  slots: ReplicationSlot[] | null;
  /** Why archiver or slots could not be read. */
  unavailable: Partial<Record<HealthFactPart, string>>;
  /** pg_database_size of the current database. */
  databaseBytes: number;
  /** Null when no stanza was given. */
  pgbackrest: PgBackRestInfo | null;
  /** Null when no dump folder was given; a string when it could not be read. */
  dumps: DumpDirContents | string | null;
}

/** Settings read beside the health facts' own. */
const BACKUP_SETTINGS = ['wal_level', 'archive_mode', 'archive_command', 'archive_library', 'archive_timeout', 'full_page_writes', 'data_checksums', 'data_directory', 'max_wal_senders', 'wal_keep_size', 'max_slot_wal_keep_size'];

/** Reads the server's part of the facts in the session's current transaction (the caller opens it read only). */
export async function readServerBackupFacts(db: Db): Promise<Pick<BackupAuditFacts, 'server' | 'settings' | 'archiver' | 'slots' | 'unavailable' | 'databaseBytes'>> {
  const health = await readHealthFacts(db, { parts: ['archiver', 'slots'] });
  const rows = await db.query<{ name: string; setting: string; unit: string | null }>('SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])', [BACKUP_SETTINGS]);
  const settings = { ...health.settings };
  for (const row of rows) settings[row.name] = { setting: row.setting, unit: row.unit };
  const [size] = await db.query<{ bytes: number }>('SELECT pg_database_size(current_database())::float8 AS bytes');
  return { server: health.server, settings, archiver: health.archiver, slots: health.slots, unavailable: health.unavailable, databaseBytes: Number(size!.bytes) };
}
