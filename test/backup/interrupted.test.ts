/**
 * A stopped or killed restore leaves no half-restored database behind: the drill restores into a
 * temporary name and drops it when pg_restore dies, when the drill is stopped (AbortSignal), and when the
 * command gets SIGTERM. A stopped backup create leaves no partial backup.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBackup } from '../../src/backup/create-backup.js';
import { verifyBackup } from '../../src/backup/verify-backup.js';
import { UserError } from '../../src/errors.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { manyTypesDatabase, restoreLeftovers, scratchDir, type SourceDatabase } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Enough rows that restoring and reading them back takes a while (no timing is asserted). */
const BULK = `CREATE TABLE bulk (id int PRIMARY KEY, body text, n numeric);
INSERT INTO bulk SELECT g, repeat(md5(g::text), 4), g * 1.5 FROM generate_series(1, 300000) g;`;

describe('backup: interrupted work leaves nothing behind', () => {
  let prepared: { source: SourceDatabase; dir: string } | null = null;
  const backup = async (t: TestContext): Promise<{ source: SourceDatabase; dir: string } | null> => {
    if (prepared) return prepared;
    const source = await manyTypesDatabase(t, BULK);
    if (!source) return null;
    const dir = join(scratchDir(), 'backup');
    await createBackup({ connection: { url: source.url }, env: {}, out: dir, jobs: 2 });
    prepared = { source, dir };
    return prepared;
  };
  const targetDatabaseExists = async (source: SourceDatabase, name: string): Promise<boolean> =>
    (await source.server.query<{ n: string }>('postgres', `SELECT count(*) AS n FROM pg_database WHERE datname = '${name}'`))[0]!.n !== '0';

  test('stopped (AbortSignal) as soon as pg_restore runs: an interruption error, the scratch database dropped', async (t) => {
    const b = await backup(t);
    if (!b) return;
    const controller = new AbortController();
    let pid = 0;
    await assert.rejects(
      verifyBackup({ dir: b.dir, target: { url: b.source.server.url(`${b.source.name}_stop`) }, env: {}, signal: controller.signal, onRestoreStart: (p) => ((pid = p), controller.abort()) }),
      (error: unknown) => error instanceof UserError && /^backup verify was interrupted: pg_restore was stopped and the scratch database dropped$/.test(error.message),
    );
    assert.ok(pid > 0);
    assert.deepEqual(await restoreLeftovers(b.source.server), []);
    assert.equal(await targetDatabaseExists(b.source, `${b.source.name}_stop`), false);
  });

  test('pg_restore killed (SIGKILL) mid-restore: the drill fails, saying so, and the scratch database is dropped', async (t) => {
    const b = await backup(t);
    if (!b) return;
    const result = await verifyBackup({ dir: b.dir, target: { url: b.source.server.url(`${b.source.name}_kill`) }, env: {}, onRestoreStart: (pid) => process.kill(pid, 'SIGKILL') });
    assert.equal(result.ok, false);
    const restore = result.findings.filter((f) => f.rule === 'backup-restore').map((f) => f.message);
    assert.deepEqual(restore, ['pg_restore failed (killed by SIGKILL): the database was not restored whole.']);
    assert.equal(result.tables.find((x) => x.name === 'bulk')!.ok, false);
    assert.deepEqual(await restoreLeftovers(b.source.server), []);
  });

  test('the command gets SIGTERM while restoring: it drops the scratch database, says it was interrupted, exits 2', async (t) => {
    const b = await backup(t);
    if (!b) return;
    const target = b.source.server.url(`${b.source.name}_term`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'backup', 'verify', b.dir, '--target', target], { cwd: ROOT, env: { ...process.env, CI: process.env.CI ?? '' } });
    let stderr = '';
    let stdout = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!signalled && /pgarchitect: pg_restore \d+ .* into pgarchitect_restore_[0-9a-f]+ on /.test(stderr)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.ok(signalled, stderr);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /\npgarchitect: backup verify was interrupted: pg_restore was stopped and the scratch database dropped\n$/);
    assert.match(stderr, /pgarchitect: dropped the scratch database pgarchitect_restore_[0-9a-f]+\n/);
    assert.equal(stdout, '');
    assert.ok(!stderr.includes(TEST_PASSWORD));
    assert.deepEqual(await restoreLeftovers(b.source.server), []);
    assert.equal(await targetDatabaseExists(b.source, `${b.source.name}_term`), false);
  });

  test('backup create stopped while pg_dump runs: the partial backup folder is removed', async (t) => {
    const b = await backup(t);
    if (!b) return;
    const out = join(scratchDir(), 'stopped');
    const controller = new AbortController();
    await assert.rejects(
      createBackup({ connection: { url: b.source.url }, env: {}, out, signal: controller.signal, onProgress: (line) => line.startsWith('pg_dump ') && controller.abort() }),
      /backup create was interrupted: the partial backup was removed/,
    );
    assert.equal(existsSync(out), false);
  });
});
