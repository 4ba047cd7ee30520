/**
 * The files of a dump and what each holds. A directory-format dump keeps each table's rows in
 * `<dumpId>.dat[.gz|.lz4|.zst]`, large objects in `blob_<oid>.dat*` listed in `blobs.toc`, and its table
 * of contents in `toc.dat`; `pg_restore -l` tells which dump id holds which table (by the table's oid).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ManifestFile } from './manifest.js';
import { sha256File } from './manifest.js';

/** Dump id of the TABLE DATA entry of each table oid, from `pg_restore -l` output. */
export function tableDataIds(tocListing: string): Map<number, number> {
  const ids = new Map<number, number>();
  for (const line of tocListing.split('\n')) {
    const match = /^(\d+); 0 (\d+) TABLE DATA /.exec(line);
    if (match) ids.set(Number(match[2]), Number(match[1]));
  }
  return ids;
}

/** The data file of a dump id in a directory-format dump folder, whatever its compression; null when there is none. */
export function dataFileOf(dumpDir: string, dumpId: number): string | null {
  const name = readdirSync(dumpDir).find((f) => f === `${dumpId}.dat` || f.startsWith(`${dumpId}.dat.`));
  return name ?? null;
}

/** Every file under `dir` (but `skip`), relative with `/`, sorted. */
export function listFiles(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.isFile() ? [relative(dir, path).split(sep).join('/')] : [];
    });
  return walk(dir)
    .filter((f) => !skip.has(f))
    .sort();
}

/** Sizes and sha256 of the files. */
export async function describeFiles(dir: string, files: readonly string[]): Promise<ManifestFile[]> {
  const described: ManifestFile[] = [];
  for (const path of files) {
    const full = join(dir, ...path.split('/'));
    described.push({ path, bytes: statSync(full).size, sha256: await sha256File(full) });
  }
  return described;
}

/** What a dump file holds, for messages: `the rows of public.orders`, `the table of contents`. */
export function fileRole(path: string, tableOfFile: ReadonlyMap<string, string>): string {
  const table = tableOfFile.get(path);
  if (table) return `the rows of table ${table}`;
  const name = path.split('/').pop() ?? path;
  if (name === 'toc.dat') return 'the table of contents (every object of the dump)';
  if (name === 'blobs.toc' || name.startsWith('blob_')) return 'large objects';
  if (name.endsWith('.dump')) return 'the whole dump (custom format)';
  return 'part of the dump';
}
