/**
 * A backup taken by a role that is not a superuser, with a password: pg_dump gets it in PGPASSWORD,
 * never on its command line (which `ps` shows to every user of the machine), and no output carries it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createBackup } from '../../src/backup/create-backup.js';
import { verifyBackup } from '../../src/backup/verify-backup.js';
import { requireServer } from '../support/pg-server.js';
import { scratchDir } from './helpers.js';

const PASSWORD = 'b4ckup-Secret-91zQ';

describe('backup credentials', () => {
  test('a pg_read_all_data role: the password reaches pg_dump in its environment only, and the backup verifies', async (t) => {
    const server = await requireServer(t);
    if (!server) return;
    const name = `bk_role_${process.pid}`;
    await server.createDatabase(name);
    await server.admin(name, `CREATE TABLE accounts (id int PRIMARY KEY, owner text); INSERT INTO accounts SELECT g, 'o' || g FROM generate_series(1, 50) g; CREATE SEQUENCE ticket START 77; SELECT nextval('ticket');`);
    await server.admin('postgres', `DROP ROLE IF EXISTS backup_reader; CREATE ROLE backup_reader LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_read_all_data;`);
    const url = `postgres://backup_reader:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/${name}`;
    const out = join(scratchDir(), 'backup');
    let commandLine = '';
    let environment = '';
    const progress: string[] = [];
    const created = await createBackup({
      connection: { url },
      env: {},
      out,
      onProgress: (line) => progress.push(line),
      onDumpStart: (pid) => {
        commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
      },
    });
    assert.match(commandLine, /pg_dump --no-password --format=directory --file=.+ --snapshot=\S+ --lock-wait-timeout=30000 --jobs=1/);
    assert.ok(!commandLine.includes(PASSWORD), commandLine);
    assert.ok(environment.split('\0').includes(`PGPASSWORD=${PASSWORD}`));
    assert.ok(environment.split('\0').includes('PGUSER=backup_reader'));
    assert.equal(created.manifest.tables[0]!.rows, 50);
    assert.ok(!JSON.stringify(created).includes(PASSWORD));
    assert.ok(!progress.join('\n').includes(PASSWORD));
    const verified = await verifyBackup({ dir: out, target: { url: server.url(`${name}_verify`) }, env: {} });
    assert.equal(verified.ok, true, JSON.stringify(verified.findings));
  });
});
