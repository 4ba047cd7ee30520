/**
 * Conditions that need server settings of their own, on a server started for this file: an old
 * transaction ID age (autovacuum_freeze_max_age at its minimum, 100,000, and 130,000 transactions
 * burnt while a session holds the horizon), and WAL archiving that fails until a file exists (the
 * archive_command tests for it: a setting given on the command line cannot be changed afterwards).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { health } from '../../src/health/health.js';
import type { HealthResult } from '../../src/health/result.js';
import { requireStarted, startServer, type TestServer } from '../support/pg-server.js';
import { openSession, waitFor } from './live-sessions.js';

const BURN = 130_000;

describe('health: wraparound and archiving on a dedicated server', () => {
  let server: TestServer | null = null;
  let starting: Promise<TestServer> | undefined;
  const switchFile = join(mkdtempSync(join(tmpdir(), 'pgarchitect-archive-')), 'archiving-works');
  before(() => {
    chmodSync(dirname(switchFile), 0o755);
    starting = startServer({ settings: { autovacuum_freeze_max_age: '100000', archive_mode: 'on', archive_command: `'test -e ${switchFile}'` } });
    starting.catch(() => undefined);
  });
  after(() => {
    server?.stop();
    rmSync(dirname(switchFile), { recursive: true, force: true });
  });
  const serverFor = async (t: Parameters<typeof requireStarted>[0]): Promise<TestServer | null> => {
    server = await requireStarted(t, () => starting!);
    return server;
  };
  const only = (result: HealthResult, rule: string) => result.findings.filter((f) => f.rule === rule);

  test('an old transaction ID age: the database past 1.25 times autovacuum_freeze_max_age, with the session that holds it back; gone once frozen', async (t) => {
    const s = await serverFor(t);
    if (!s) return;
    const url = await s.createDatabase('wrap');
    const before = await health({ connection: { url }, env: {}, only: ['xid-wraparound'] });
    assert.deepEqual(only(before, 'xid-wraparound'), []);

    const holder = await openSession(url);
    try {
      await holder.client.query('BEGIN');
      await holder.client.query('SELECT pg_current_xact_id()');
      await s.admin('wrap', `DO $$ BEGIN FOR i IN 1..${BURN} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$;`);
      const result = await health({ connection: { url }, env: {}, only: ['xid-wraparound'] });
      const [finding] = only(result, 'xid-wraparound').filter((f) => f.object.name === 'wrap');
      assert.ok(finding, JSON.stringify(result.findings));
      assert.equal(finding.severity, 'warning');
      assert.ok((finding.evidence.age as number) >= BURN);
      assert.deepEqual([finding.evidence.freezeMaxAge, finding.evidence.warnAt], [100_000, 125_000]);
      assert.match(finding.message, /^Database wrap is [\d,]+ transactions old \(0\.\d% of the way to wraparound, [\d,]+ left\): past 1\.25 times autovacuum_freeze_max_age \(100,000\)/);
      const holders = finding.evidence.horizonHolders as { holder: string }[];
      assert.match(holders[0]!.holder, new RegExp(`^session pid ${holder.pid} .*idle in transaction$`));
      assert.ok((finding.evidence.oldestTables as unknown[]).length > 0);
      assert.match(finding.fix!.note!, new RegExp(`First end what holds the oldest snapshot \\(session pid ${holder.pid}`));
    } finally {
      await holder.client.query('ROLLBACK');
      await holder.client.end();
    }
    // The horizon released, a database-wide freeze brings the age down (autovacuum may beat us to it).
    await s.admin('wrap', 'VACUUM (FREEZE)');
    const frozen = await health({ connection: { url }, env: {}, only: ['xid-wraparound'] });
    assert.deepEqual(only(frozen, 'xid-wraparound').filter((f) => f.object.name === 'wrap'), []);
  });

  test('WAL archiving that fails: an error, the failing file named; gone once archive_command works', async (t) => {
    const s = await serverFor(t);
    if (!s) return;
    const url = await s.createDatabase('archive');
    await s.admin('archive', 'CREATE TABLE t AS SELECT generate_series(1, 1000) AS id; SELECT pg_switch_wal();');
    await waitFor('a failed archiving attempt', async () => Number((await s.query<{ n: string }>('archive', 'SELECT failed_count AS n FROM pg_stat_archiver'))[0]!.n) > 0, 20_000);
    const result = await health({ connection: { url }, env: {}, only: ['wal-archiving-failing', 'wal-archiving-off'] });
    const [finding, ...more] = result.findings;
    assert.equal(more.length, 0, 'archive_mode is on: wal-archiving-off says nothing');
    assert.equal(finding!.rule, 'wal-archiving-failing');
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /^WAL archiving fails: the last attempt, on [0-9A-F]{24} at .*, failed, and the last success was never; WAL piles up in pg_wal until archive_command works again\.$/);
    assert.equal(finding!.evidence.archiveMode, 'on');
    assert.match(result.checks.find((c) => c.rule === 'wal-archiving-failing')!.examined, /^archive_mode = on: 0 WAL files archived and \d+ failures since/);

    // Archiving works again; a new WAL file wakes the archiver, which archives both.
    writeFileSync(switchFile, '');
    await s.admin('archive', 'INSERT INTO t SELECT generate_series(1, 1000); SELECT pg_switch_wal();');
    await waitFor('an archived WAL file', async () => Number((await s.query<{ n: string }>('archive', 'SELECT archived_count AS n FROM pg_stat_archiver'))[0]!.n) > 0, 30_000);
    const fixed = await health({ connection: { url }, env: {}, only: ['wal-archiving-failing'] });
    assert.deepEqual(fixed.findings, []);
    assert.match(fixed.checks[0]!.examined, /^archive_mode = on: [1-9]\d* WAL files archived and \d+ failures since .*, the last \d+ s ago$/);
  });
});
