/**
 * Finds the SQL files of the inputs and puts them in the order a migration tool would apply them:
 * Flyway (`V1__init.sql`, `V1.1__x.sql`, then repeatable `R__x.sql`), golang-migrate
 * (`0001_init.up.sql`; `.down.sql` is ignored), otherwise natural sort ("2_x" before "10_x").
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';

export type MigrationLayout = 'flyway' | 'golang-migrate' | 'plain';

export interface DiscoveredFiles {
  files: string[];
  layout: MigrationLayout;
  /** Files left out on purpose (down migrations, Flyway undo scripts), for the record. */
  ignored: string[];
}

// Group 1 is the version, group 2 the description (used by `parseMigrationFileName`).
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.+)\.sql$/i;
const FLYWAY_REPEATABLE = /^R__(.+)\.sql$/i;
const FLYWAY_UNDO = /^U(\d+(?:[._]\d+)*)__(.+)\.sql$/i;
const GOLANG_UP = /^(\d+)_(.+)\.up\.sql$/i;
const GOLANG_DOWN = /^(\d+)_(.+)\.down\.sql$/i;

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function discoverSqlFiles(inputs: readonly string[]): DiscoveredFiles {
  const explicit: string[] = [];
  const fromFolders: string[] = [];
  for (const input of inputs) {
    let stats;
    try {
      stats = statSync(input);
    } catch {
      throw new UserError(`${input}: no such file or folder`, 'give a .sql file, a folder of migrations, a snapshot .json or a postgres:// URL');
    }
    if (stats.isDirectory()) fromFolders.push(...listSqlFiles(input));
    else explicit.push(input);
  }
  if (explicit.length + fromFolders.length === 0) {
    throw new UserError(`${inputs.join(', ')}: no .sql files found`);
  }
  // Files named one by one keep the order given; folders are ordered by their migration layout.
  const ordered = orderMigrations(fromFolders);
  return { files: [...explicit, ...ordered.files], layout: ordered.layout, ignored: ordered.ignored };
}

/** The .sql files under `folder`, subfolders included, hidden entries left out (in no particular order). */
export function listSqlFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listSqlFiles(path));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.sql')) out.push(path);
  }
  return out;
}

export function orderMigrations(paths: readonly string[]): DiscoveredFiles {
  const names = paths.map((p) => basename(p));
  const isFlyway = names.length > 0 && names.every((n) => FLYWAY_VERSIONED.test(n) || FLYWAY_REPEATABLE.test(n) || FLYWAY_UNDO.test(n));
  const isGolang = names.length > 0 && names.every((n) => GOLANG_UP.test(n) || GOLANG_DOWN.test(n));
  if (isFlyway && names.some((n) => FLYWAY_VERSIONED.test(n))) {
    const versioned = paths.filter((p) => FLYWAY_VERSIONED.test(basename(p)));
    versioned.sort((a, b) => compareVersions(flywayVersion(a), flywayVersion(b)) || natural.compare(a, b));
    const repeatable = paths.filter((p) => FLYWAY_REPEATABLE.test(basename(p))).sort((a, b) => natural.compare(basename(a), basename(b)));
    const ignored = paths.filter((p) => FLYWAY_UNDO.test(basename(p)));
    return { files: [...versioned, ...repeatable], layout: 'flyway', ignored };
  }
  if (isGolang) {
    const up = paths.filter((p) => GOLANG_UP.test(basename(p)));
    up.sort((a, b) => compareBig(GOLANG_UP.exec(basename(a))![1]!, GOLANG_UP.exec(basename(b))![1]!) || natural.compare(a, b));
    return { files: up, layout: 'golang-migrate', ignored: paths.filter((p) => GOLANG_DOWN.test(basename(p))) };
  }
  const downs = paths.filter((p) => GOLANG_DOWN.test(basename(p)));
  const rest = paths.filter((p) => !GOLANG_DOWN.test(basename(p)));
  return { files: [...rest].sort((a, b) => natural.compare(a, b)), layout: 'plain', ignored: downs };
}

function flywayVersion(path: string): number[] {
  return FLYWAY_VERSIONED.exec(basename(path))![1]!.split(/[._]/).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function compareBig(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What a migration file's name says: layout, role, version and description. */
export interface MigrationFileName {
  layout: 'flyway' | 'golang-migrate';
  /** Flyway `V` (versioned), `R` (repeatable), `U` (undo); golang-migrate `.up.sql`, `.down.sql`. */
  kind: 'versioned' | 'repeatable' | 'undo' | 'up' | 'down';
  /** The version as written (`1.1`, `1_1`, `0003`); empty for a repeatable migration. */
  version: string;
  /** The version's numbers, for ordering and comparing: `1.1` is [1n, 1n], `0003` is [3n]. */
  versionParts: bigint[];
  /** The name's description with underscores as spaces, as Flyway shows it: `add orders index`. */
  description: string;
}

/**
 * Reads a migration file name (no folder): the same patterns `orderMigrations` orders by. Null when
 * the name follows neither Flyway's nor golang-migrate's convention.
 */
export function parseMigrationFileName(name: string): MigrationFileName | null {
  const patterns: [RegExp, MigrationFileName['layout'], MigrationFileName['kind']][] = [
    [FLYWAY_VERSIONED, 'flyway', 'versioned'],
    [FLYWAY_UNDO, 'flyway', 'undo'],
    [GOLANG_UP, 'golang-migrate', 'up'],
    [GOLANG_DOWN, 'golang-migrate', 'down'],
  ];
  for (const [pattern, layout, kind] of patterns) {
    const match = pattern.exec(name);
    if (match) {
      const version = match[1]!;
      return { layout, kind, version, versionParts: version.split(/[._]/).map((part) => BigInt(part)), description: describe(match[2]!) };
    }
  }
  const repeatable = FLYWAY_REPEATABLE.exec(name);
  if (repeatable) return { layout: 'flyway', kind: 'repeatable', version: '', versionParts: [], description: describe(repeatable[1]!) };
  return null;
}

/** Orders versions part by part, a missing part counting as 0 (`1` = `1.0` < `1.1` < `2`). */
export function compareMigrationVersions(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function describe(raw: string): string {
  return raw.replace(/_+/g, ' ').trim();
}
