/**
 * `migrate new <name>`: the next migration file(s) in the folder's own layout: `V<n+1>__name.sql`
 * for Flyway, `<n+1>_name.up.sql` and `.down.sql` zero-padded like their neighbours for
 * golang-migrate. An empty folder gets Flyway's `V1__name.sql` unless golang-migrate is asked for.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { scanMigrationFolder } from './migration-files.js';

export interface NewMigrationOptions {
  dir: string;
  /** Description of the migration: `add_orders_index` (spaces and dashes become underscores). */
  name: string;
  /** Layout for an empty folder (default flyway); must match a folder that has migrations. */
  layout?: 'flyway' | 'golang-migrate';
  cwd?: string;
}

export interface NewMigrationResult {
  layout: 'flyway' | 'golang-migrate';
  version: string;
  /** The files created, as shown to the user (up first). */
  files: string[];
}

/** Creates the next migration file(s) of the folder (the folder too when missing); never overwrites a file. */
export function newMigration(options: NewMigrationOptions): NewMigrationResult {
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, options.dir);
  const name = migrationName(options.name);
  const scanned = scanMigrationFolder(dir, cwd);
  if (scanned.problems.length > 0) {
    const first = scanned.problems[0]!;
    throw new UserError(`${first.file}: ${first.message}`, 'the next version cannot be told until the folder follows one layout');
  }
  const layout = scanned.layout === 'empty' ? (options.layout ?? 'flyway') : scanned.layout;
  if (options.layout && options.layout !== layout) {
    throw new UserError(`--layout ${options.layout}: ${display(dir, cwd)} holds ${layout} migrations`, `leave --layout out to follow the folder's layout`);
  }
  const versions = scanned.files.filter((f) => f.kind === 'versioned' || f.kind === 'up');
  const highest = versions.reduce((max, f) => (f.versionParts[0]! > max ? f.versionParts[0]! : max), 0n);
  const next = highest + 1n;
  let files: string[];
  let version: string;
  if (layout === 'flyway') {
    version = String(next);
    files = [`V${version}__${name}.sql`];
  } else {
    // golang-migrate's own `create -seq` pads to 6 digits.
    const width = versions.reduce((w, f) => Math.max(w, f.version.length), versions.length === 0 ? 6 : 0);
    version = String(next).padStart(width, '0');
    files = [`${version}_${name}.up.sql`, `${version}_${name}.down.sql`];
  }
  mkdirSync(dir, { recursive: true });
  const paths = files.map((file) => join(dir, file));
  paths.forEach((path, i) => {
    const content = i === 0 ? `-- ${name.replace(/_/g, ' ')}\n\n` : `-- reverts ${files[0]}\n\n`;
    try {
      writeFileSync(path, content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${display(path, cwd)}: already exists`);
      throw error;
    }
  });
  return { layout, version, files: paths.map((path) => display(path, cwd)) };
}

function migrationName(raw: string): string {
  const name = raw.trim().replace(/[\s-]+/g, '_').replace(/_+/g, '_');
  if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(name)) {
    throw new UserError(`"${raw}" is not a migration name`, 'use letters, digits and underscores: add_orders_index');
  }
  return name;
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
