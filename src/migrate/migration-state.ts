/**
 * Where each migration stands: the folder's files set against the history table. Pure: the same
 * files and rows always give the same answer, which `status`, `validate`, `up`, `down` and `repair`
 * all read.
 */
import { basename } from 'node:path';
import { compareMigrationVersions } from '../load/discover.js';
import type { HistoryRow } from './history.js';
import type { MigrationFolder, RepeatableMigration, VersionedMigration } from './migration-files.js';

/**
 * - `applied`: recorded as applied, and the file is unchanged since.
 * - `pending`: not applied yet (a repeatable migration: never applied).
 * - `outdated`: a repeatable migration whose file changed since it last ran: `up` runs it again.
 * - `failed`: its last attempt failed and was rolled back (or, outside a transaction, stopped part way): `up` runs it again.
 * - `drifted`: applied, but the file changed since: `up` stops until the file is restored or `repair` accepts it.
 * - `missing`: applied (or failed), but the file is gone from the folder.
 * - `out-of-order`: pending, with a version below one already applied: `up` refuses it without `--out-of-order`.
 * - `baseline`: the baseline row itself; `below-baseline`: a file the baseline stands for (never run here).
 */
export type MigrationState = 'applied' | 'pending' | 'outdated' | 'failed' | 'drifted' | 'missing' | 'out-of-order' | 'baseline' | 'below-baseline';

/** One line of `migrate status`. */
export interface MigrationStatus {
  type: 'versioned' | 'repeatable' | 'baseline';
  /** Normalised version; null for repeatable migrations. */
  version: string | null;
  description: string;
  /** The file as shown to the user; null when it is missing (or for a baseline). */
  file: string | null;
  /** The file name: the file's, or the one recorded in the history when the file is gone. */
  script: string;
  state: MigrationState;
  /** The file's checksum now. */
  checksum: string | null;
  /** The checksum recorded when it was applied (or last attempted). */
  appliedChecksum: string | null;
  installedAt: string | null;
  installedBy: string | null;
  executionMs: number | null;
  /** False when it ran statement by statement outside a transaction block; null when never run. */
  transactional: boolean | null;
  /** Whether a down (undo) file exists. */
  hasDown: boolean;
  /** The error of the failed attempt, with how far it got. */
  error: string | null;
}

/** The files and history, matched. */
export interface MigrationStateSummary {
  statuses: MigrationStatus[];
  /** The highest applied version, or the baseline's; null when nothing is applied. */
  currentVersion: string | null;
  baseline: HistoryRow | null;
  /** Versioned migrations `up` would run, in version order: pending (in order) and failed ones. */
  pending: VersionedMigration[];
  /** Pending migrations whose version is below the highest applied one. */
  outOfOrder: VersionedMigration[];
  /** Repeatable migrations never applied or changed since they last ran. */
  repeatablePending: RepeatableMigration[];
  /** Applied versioned migrations above the baseline, highest version first (what `down` undoes). */
  appliedNewestFirst: { version: string; versionParts: bigint[]; rows: HistoryRow[]; migration: VersionedMigration | null }[];
}

/** Matches the folder's migrations with the history rows: each one's state, and what `up` and `down` would run. */
export function migrationState(folder: MigrationFolder, history: readonly HistoryRow[]): MigrationStateSummary {
  const baseline = [...history].reverse().find((r) => r.type === 'baseline' && r.success) ?? null;
  const baselineParts = baseline?.version ? versionParts(baseline.version) : null;
  const applied = new Map<string, HistoryRow>();
  const failed = new Map<string, HistoryRow>();
  const rowsByVersion = new Map<string, HistoryRow[]>();
  for (const row of history) {
    if (row.type !== 'versioned' || row.version === null) continue;
    rowsByVersion.set(row.version, [...(rowsByVersion.get(row.version) ?? []), row]);
    if (row.success) applied.set(row.version, row);
    else failed.set(row.version, row);
  }
  for (const version of applied.keys()) failed.delete(version);

  let highest: bigint[] | null = baselineParts;
  for (const version of applied.keys()) {
    const parts = versionParts(version);
    if (!highest || compareMigrationVersions(parts, highest) > 0) highest = parts;
  }

  const entries: { parts: bigint[]; status: MigrationStatus }[] = [];
  const pending: VersionedMigration[] = [];
  const outOfOrder: VersionedMigration[] = [];
  const files = new Map(folder.versioned.map((m) => [m.version, m]));
  for (const m of folder.versioned) {
    const row = applied.get(m.version) ?? failed.get(m.version) ?? null;
    let state: MigrationState;
    if (applied.has(m.version)) state = row!.checksum === m.up.checksum ? 'applied' : 'drifted';
    else if (baselineParts && compareMigrationVersions(m.versionParts, baselineParts) <= 0) state = 'below-baseline';
    else if (failed.has(m.version)) state = 'failed';
    else if (highest && compareMigrationVersions(m.versionParts, highest) < 0) state = 'out-of-order';
    else state = 'pending';
    if (state === 'pending' || state === 'failed') pending.push(m);
    if (state === 'out-of-order') outOfOrder.push(m);
    entries.push({ parts: m.versionParts, status: statusOf('versioned', m.version, m.description, m.up.display, state, m.up.checksum, row, m.down !== null) });
  }
  for (const [version, row] of [...applied, ...failed]) {
    if (files.has(version)) continue;
    entries.push({ parts: versionParts(version), status: statusOf('versioned', version, row.description, null, 'missing', null, row, false) });
  }
  if (baseline) {
    entries.push({ parts: baselineParts ?? [], status: statusOf('baseline', baseline.version, baseline.description, null, 'baseline', null, baseline, false) });
  }
  entries.sort((a, b) => compareMigrationVersions(a.parts, b.parts) || (a.status.type === 'baseline' ? 1 : b.status.type === 'baseline' ? -1 : 0));

  const repeatableStatuses: MigrationStatus[] = [];
  const repeatablePending: RepeatableMigration[] = [];
  const repeatableFiles = new Set(folder.repeatable.map((r) => r.script.file));
  for (const r of folder.repeatable) {
    const rows = history.filter((h) => h.type === 'repeatable' && h.script === r.script.file);
    const lastSuccess = [...rows].reverse().find((h) => h.success) ?? null;
    const last = rows[rows.length - 1] ?? null;
    let state: MigrationState;
    if (last && !last.success) state = 'failed';
    else if (!lastSuccess) state = 'pending';
    else state = lastSuccess.checksum === r.script.checksum ? 'applied' : 'outdated';
    if (state !== 'applied') repeatablePending.push(r);
    repeatableStatuses.push(statusOf('repeatable', null, r.description, r.script.display, state, r.script.checksum, last, false));
  }
  const goneRepeatables = new Map<string, HistoryRow>();
  for (const h of history) if (h.type === 'repeatable' && !repeatableFiles.has(h.script)) goneRepeatables.set(h.script, h);
  for (const row of goneRepeatables.values()) repeatableStatuses.push(statusOf('repeatable', null, row.description, null, 'missing', null, row, false));

  const appliedNewestFirst = [...applied.keys()]
    .map((version) => ({ version, versionParts: versionParts(version), rows: rowsByVersion.get(version) ?? [], migration: files.get(version) ?? null }))
    .filter((a) => !baselineParts || compareMigrationVersions(a.versionParts, baselineParts) > 0)
    .sort((a, b) => compareMigrationVersions(b.versionParts, a.versionParts));

  return {
    statuses: [...entries.map((e) => e.status), ...repeatableStatuses],
    currentVersion: highest ? highest.map(String).join('.') : null,
    baseline,
    pending,
    outOfOrder,
    repeatablePending,
    appliedNewestFirst,
  };
}

function statusOf(
  type: MigrationStatus['type'],
  version: string | null,
  description: string,
  file: string | null,
  state: MigrationState,
  checksum: string | null,
  row: HistoryRow | null,
  hasDown: boolean,
): MigrationStatus {
  return {
    type,
    version,
    description,
    file,
    script: file === null ? (row?.script ?? '') : basename(file),
    state,
    checksum,
    appliedChecksum: row?.checksum ?? null,
    installedAt: row?.installedAt ?? null,
    installedBy: row?.installedBy ?? null,
    executionMs: row ? row.executionMs : null,
    transactional: row && row.type !== 'baseline' ? row.transactional : null,
    hasDown,
    error: row && !row.success ? row.error : null,
  };
}

function versionParts(version: string): bigint[] {
  return version.split('.').map((part) => BigInt(part));
}
