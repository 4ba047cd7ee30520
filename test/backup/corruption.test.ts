/**
 * A damaged backup never verifies: bytes flipped, a file truncated or deleted, the table of contents
 * broken, or rows that differ from what the manifest measured. Each failure names the file and the
 * table, and the scratch database is gone afterwards.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createBackup } from '../../src/backup/create-backup.js';
import { readManifest, writeManifest, type BackupManifest } from '../../src/backup/manifest.js';
import { sha256File } from '../../src/backup/manifest.js';
import { verifyBackup } from '../../src/backup/verify-backup.js';
import type { BackupVerifyResult } from '../../src/backup/result.js';
import { manyTypesDatabase, restoreLeftovers, scratchDir, type SourceDatabase } from './helpers.js';

describe('backup verify: damaged backups fail, naming what is wrong', () => {
  let pristine: { dir: string; manifest: BackupManifest; source: SourceDatabase } | null = null;
  const backup = async (t: TestContext): Promise<{ dir: string; manifest: BackupManifest; source: SourceDatabase } | null> => {
    if (pristine) return pristine;
    const source = await manyTypesDatabase(t);
    if (!source) return null;
    const dir = join(scratchDir(), 'pristine');
    const { manifest } = await createBackup({ connection: { url: source.url }, env: {}, out: dir });
    pristine = { dir, manifest, source };
    return pristine;
  };
  /** A copy of the pristine backup, damaged by `damage`, then verified on the test server. */
  const verifyDamaged = async (t: TestContext, damage: (dir: string, manifest: BackupManifest) => void | Promise<void>): Promise<{ result: BackupVerifyResult; manifest: BackupManifest } | null> => {
    const b = await backup(t);
    if (!b) return null;
    const dir = join(scratchDir(), 'damaged');
    cpSync(b.dir, dir, { recursive: true });
    await damage(dir, b.manifest);
    const result = await verifyBackup({ dir, target: { url: b.source.server.url(`${b.source.name}_check`) }, env: {} });
    assert.equal(result.ok, false, 'a damaged backup never verifies');
    assert.ok(result.summary.error > 0);
    assert.deepEqual(await restoreLeftovers(b.source.server), [], 'the scratch database is dropped');
    return { result, manifest: b.manifest };
  };
  const dataFileOf = (manifest: BackupManifest, table: string): string => manifest.tables.find((t) => `${t.schema}.${t.name}` === table)!.dataFile!;
  const messages = (result: BackupVerifyResult, rule: string): string[] => result.findings.filter((f) => f.rule === rule).map((f) => f.message);

  test('the pristine copy verifies (the baseline of the cases below)', async (t) => {
    const b = await backup(t);
    if (!b) return;
    const result = await verifyBackup({ dir: b.dir, target: { url: b.source.server.url(`${b.source.name}_check`) }, env: {} });
    assert.equal(result.ok, true, JSON.stringify(result.findings, null, 2));
  });

  test('bytes flipped in a table data file: the file is corrupted, and the table does not come back whole', async (t) => {
    let file = '';
    const run = await verifyDamaged(t, (dir, manifest) => {
      file = dataFileOf(manifest, 'public.kinds');
      const bytes = readFileSync(join(dir, file));
      for (let i = 40; i < 60; i++) bytes[i] = bytes[i]! ^ 0xff;
      writeFileSync(join(dir, file), bytes);
    });
    if (!run) return;
    const { result } = run;
    assert.deepEqual(messages(result, 'backup-files'), [`File ${file} (the rows of table public.kinds) is corrupted: its sha256 differs from the manifest's (same size, ${run.manifest.files.find((f) => f.path === file)!.bytes} bytes).`]);
    const fileFinding = result.findings.find((f) => f.rule === 'backup-files')!;
    assert.deepEqual(fileFinding.object, { type: 'table', schema: 'public', name: 'kinds' });
    assert.equal(fileFinding.evidence.file, file);
    assert.match(messages(result, 'backup-restore').join('\n'), new RegExp(`^pg_restore failed on part of the dump: .*${file.split('/')[1]!.replace('.', '\\.')}.* \\(the rows of table public\\.kinds, in dump/\\d+\\.dat\\.gz\\)$`, 'm'));
    assert.match(messages(result, 'backup-table-contents').join('\n'), /^Table public\.kinds has [\d,]+ rows restored, the manifest says 502 \(its rows are in dump\/\d+\.dat\.gz\)\.$|^Table public\.kinds has the right number of rows/m);
    assert.equal(result.tables.find((t) => t.name === 'kinds')!.ok, false);
  });

  test('a truncated data file: named with its size and the size the manifest recorded', async (t) => {
    let file = '';
    let half = 0;
    const run = await verifyDamaged(t, (dir, manifest) => {
      file = dataFileOf(manifest, 'public.events_2024');
      half = Math.floor(manifest.files.find((f) => f.path === file)!.bytes / 2);
      truncateSync(join(dir, file), half);
    });
    if (!run) return;
    const expected = run.manifest.files.find((f) => f.path === file)!.bytes;
    assert.deepEqual(messages(run.result, 'backup-files'), [`File ${file} (the rows of table public.events_2024) is truncated: ${half} bytes, the manifest says ${expected}.`]);
    assert.match(messages(run.result, 'backup-restore').join('\n'), /\(the rows of table public\.events_2024, in dump\/\d+\.dat\.gz\)$/m);
    assert.equal(run.result.tables.find((t) => t.name === 'events_2024')!.ok, false);
  });

  test("a table's data file deleted: missing, the table named, and pg_restore's error says which file it could not open", async (t) => {
    let file = '';
    const run = await verifyDamaged(t, (dir, manifest) => {
      file = dataFileOf(manifest, 'Odd Schema.Mixed Case');
      rmSync(join(dir, file));
    });
    if (!run) return;
    assert.deepEqual(messages(run.result, 'backup-files'), [`File ${file} (the rows of table Odd Schema.Mixed Case) is missing from the backup.`]);
    assert.match(messages(run.result, 'backup-restore').join('\n'), new RegExp(`could not open input file ".*${file.split('/')[1]!.replace(/\.gz$/, '').replace('.', '\\.')}(\\.gz)?": .* \\(the rows of table Odd Schema\\.Mixed Case, in dump/\\d+\\.dat\\.gz\\)$`, 'm'));
    // pg_restore stops at the first file it cannot read: the tables after it are not restored either.
    assert.equal(messages(run.result, 'backup-table-contents')[0], `Table Odd Schema.Mixed Case has 0 rows restored, the manifest says 2 (its rows are in ${file}).`);
  });

  test('the table of contents damaged: nothing restores, and every table is named as missing', async (t) => {
    const run = await verifyDamaged(t, (dir) => {
      const toc = join(dir, 'dump', 'toc.dat');
      const bytes = readFileSync(toc);
      bytes.fill(0x41, 0, 16);
      writeFileSync(toc, bytes);
    });
    if (!run) return;
    assert.match(messages(run.result, 'backup-files')[0]!, /^File dump\/toc\.dat \(the table of contents \(every object of the dump\)\) is corrupted/);
    assert.ok(messages(run.result, 'backup-restore').length > 0);
    assert.equal(messages(run.result, 'backup-table-contents').length, 8);
    assert.ok(messages(run.result, 'backup-table-contents').includes('Table public.kinds is missing from the restored database (its rows are in ' + dataFileOf(run.manifest, 'public.kinds') + ').'));
  });

  test('rows changed inside a consistent dump (files match the manifest): the checksum tells, same row count', async (t) => {
    const run = await verifyDamaged(t, async (dir, manifest) => {
      const file = dataFileOf(manifest, 'Odd Schema.Mixed Case');
      const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
      assert.match(text, /^1\tx$/m);
      writeFileSync(join(dir, file), gzipSync(Buffer.from(text.replace(/^1\tx$/m, '1\ty'))));
      const copy = readManifest(dir);
      const entry = copy.files.find((f) => f.path === file)!;
      entry.bytes = readFileSync(join(dir, file)).length;
      entry.sha256 = await sha256File(join(dir, file));
      writeManifest(dir, copy);
    });
    if (!run) return;
    assert.deepEqual(messages(run.result, 'backup-files'), []);
    assert.deepEqual(messages(run.result, 'backup-table-contents'), [
      `Table Odd Schema.Mixed Case has the right number of rows (2) but different contents: its checksum differs from the manifest's (its rows are in ${dataFileOf(run.manifest, 'Odd Schema.Mixed Case')}).`,
    ]);
    assert.deepEqual(run.result.tables.filter((t) => !t.ok).map((t) => [t.name, t.restoredRows, t.checksumMatches]), [['Mixed Case', 2, false]]);
  });
});
