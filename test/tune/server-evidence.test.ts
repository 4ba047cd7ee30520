/**
 * The server's evidence applied to the formulas, on made-up facts (the live tests read real ones):
 * each adjustment fires, and its near miss does not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planTuning, type TuningPlanInput } from '../../src/tune/plan-tuning.js';
import type { TuneRecommendation } from '../../src/tune/result.js';
import type { ServerFacts, ServerSetting } from '../../src/tune/server-facts.js';
import { planConnections } from '../../src/tune/server-evidence.js';

const GB = 1024 * 1024;

/** pg_settings rows as PostgreSQL 15 has them by default, overridden by `values`. */
function facts(values: Record<string, string> = {}, extra: Partial<ServerFacts> = {}): ServerFacts {
  const rows: [string, string, string | null, string, string[] | null][] = [
    ['max_connections', '100', null, 'postmaster', null],
    ['shared_buffers', '16384', '8kB', 'postmaster', null],
    ['huge_pages', 'try', null, 'postmaster', ['off', 'on', 'try']],
    ['effective_cache_size', '524288', '8kB', 'user', null],
    ['work_mem', '4096', 'kB', 'user', null],
    ['maintenance_work_mem', '65536', 'kB', 'user', null],
    ['autovacuum_work_mem', '-1', 'kB', 'sighup', null],
    ['wal_buffers', '512', '8kB', 'postmaster', null],
    ['min_wal_size', '80', 'MB', 'sighup', null],
    ['max_wal_size', '1024', 'MB', 'sighup', null],
    ['checkpoint_completion_target', '0.9', null, 'sighup', null],
    ['wal_compression', 'off', null, 'superuser', ['pglz', 'lz4', 'zstd', 'on', 'off']],
    ['wal_level', 'replica', null, 'postmaster', ['minimal', 'replica', 'logical']],
    ['max_wal_senders', '10', null, 'postmaster', null],
    ['random_page_cost', '4', null, 'user', null],
    ['effective_io_concurrency', '1', null, 'user', null],
    ['default_statistics_target', '100', null, 'user', null],
    ['jit', 'on', null, 'user', null],
    ['max_worker_processes', '8', null, 'postmaster', null],
    ['max_parallel_workers', '8', null, 'user', null],
    ['max_parallel_workers_per_gather', '2', null, 'user', null],
    ['max_parallel_maintenance_workers', '2', null, 'user', null],
    ['autovacuum_max_workers', '3', null, 'postmaster', null],
    ['archive_mode', 'off', null, 'postmaster', ['always', 'on', 'off']],
  ];
  const settings = new Map<string, ServerSetting>();
  for (const [name, setting, unit, context, enumvals] of rows) {
    settings.set(name, { name, setting: values[name] ?? setting, unit, context, vartype: 'integer', enumvals, minVal: '0', maxVal: name === 'effective_io_concurrency' ? '1000' : null, pendingRestart: false });
  }
  return {
    versionNum: 150008,
    version: '15.8',
    os: 'linux',
    otherPlatform: null,
    settings,
    databases: { tempFiles: 0, tempBytes: 0, blocksHit: 1_000_000, blocksRead: 1_000, transactions: 50_000, statsReset: null },
    checkpoints: { view: 'pg_stat_bgwriter', timed: 100, requested: 3, statsReset: '2026-01-01 00:00:00+00' },
    clientConnections: 40,
    dataBytes: 100 * GB * 1024,
    unmeasuredDatabases: 0,
    replication: { senders: 0, slots: 0 },
    postmasterStart: null,
    notExamined: [],
    ...extra,
  };
}

function plan(f: ServerFacts, overrides: Partial<TuningPlanInput['inputs']> = {}, givenConnections: number | null = null) {
  return planTuning({
    inputs: {
      memory: { kb: 16 * GB, display: '16GB', source: 'given', note: null },
      cpus: { value: 8, source: 'given', note: null },
      storage: { value: 'ssd', source: 'given', note: null },
      workload: { value: 'web', source: 'given' },
      os: { value: 'linux', source: 'server' },
      postgres: { major: 15, source: 'server' },
      ...overrides,
    },
    givenConnections,
    facts: f,
    description: 'postgres://app@db/shop',
    notes: [],
  });
}

function rec(result: ReturnType<typeof plan>, name: string): TuneRecommendation {
  const found = result.recommendations.find((r) => r.name === name);
  assert.ok(found, `no recommendation for ${name}`);
  return found;
}

describe('server evidence', () => {
  test('current values, units and restart flags come from pg_settings', () => {
    const result = plan(facts());
    const sb = rec(result, 'shared_buffers');
    assert.deepEqual([sb.current, sb.recommended, sb.unit, sb.needsRestart, sb.change], ['128MB', '4GB', '8kB', true, true]);
    const wm = rec(result, 'work_mem');
    assert.deepEqual([wm.current, wm.needsRestart, wm.context], ['4MB', false, 'user']);
    assert.equal(rec(result, 'checkpoint_completion_target').change, false);
  });

  test('temporary files: work_mem is raised with the figures; kept, not lowered, when it is already above the safe value', () => {
    const spilling = { tempFiles: 1200, tempBytes: 1200 * 8 * 1024 * 1024, blocksHit: 1_000_000, blocksRead: 1_000, transactions: 100_000, statsReset: '2026-01-01 00:00:00+00' };
    const raised = rec(plan(facts({}, { databases: spilling })), 'work_mem');
    assert.equal(raised.change, true);
    assert.equal(raised.recommended, '38836kB'); // (16777216 − 4194304) / ((100 connections + 8) × 3) = 38836.2
    assert.match(raised.reason, /^sorts and hashes spill to disk \(temporary files, 8 MB each on average\)/);
    assert.match(raised.evidence[0]!, /^1,200 temporary files since 2026-01-01 00:00, 9\.38 GB in all: 8 MB per file, 12 per 1,000 transactions$/);

    const kept = rec(plan(facts({ work_mem: '65536' }, { databases: spilling })), 'work_mem');
    assert.equal(kept.change, false);
    assert.equal(kept.recommended, '64MB');
    assert.match(kept.reason, /^keep: queries spill to disk although work_mem is at or above the \d+kB that is safe for 100 connections/);
    assert.equal(kept.evidence.length, 1);
    const risky = rec(plan(facts({ work_mem: String(512 * 1024) }, { databases: spilling })), 'work_mem');
    assert.deepEqual([risky.current, risky.recommended, risky.change], ['512MB', '38836kB', true]);
    assert.match(risky.reason, /^lower: 512MB for each sort or hash of 100 connections could exhaust memory \(the safe value is 38836kB\)/);

    const huge = rec(plan(facts({}, { databases: { ...spilling, tempBytes: 1200 * 100 * 1024 * 1024 } })), 'work_mem');
    assert.equal(huge.evidence[1], 'the average temporary file is larger than 38836kB: the largest sorts will still spill; give those queries more with SET LOCAL work_mem');

    const none = rec(plan(facts()), 'work_mem');
    assert.deepEqual(none.evidence, ['no temporary files since the statistics began']);
  });

  test('more requested than timed checkpoints raise max_wal_size, doubling it when it is already at the formula value', () => {
    const busy = { view: 'pg_stat_checkpointer' as const, timed: 4, requested: 40, statsReset: null };
    const raised = rec(plan(facts({}, { checkpoints: busy })), 'max_wal_size');
    assert.equal(raised.recommended, '4GB');
    assert.match(raised.reason, /^most checkpoints were requested, not timed: WAL filled max_wal_size \(1GB\)/);
    assert.deepEqual(raised.evidence, ['4 timed and 40 requested checkpoints since the statistics began (pg_stat_checkpointer)']);
    const doubled = rec(plan(facts({ max_wal_size: '6144' }, { checkpoints: busy })), 'max_wal_size');
    assert.deepEqual([doubled.current, doubled.recommended, doubled.change], ['6GB', '12GB', true]);
    assert.match(doubled.reason, /double it so that checkpoints come on time$/);
    // Near miss: few requested checkpoints, and a larger value than the formula's is kept.
    const calm = rec(plan(facts({ max_wal_size: '6144' }, { checkpoints: { ...busy, timed: 1, requested: 5 } })), 'max_wal_size');
    assert.deepEqual([calm.recommended, calm.change], ['6GB', false]);
    assert.match(calm.reason, /^keep: larger than the formula gives/);
  });

  test('a low cache hit ratio strengthens raising shared_buffers; too few reads say nothing; a value within 1.6× is kept', () => {
    const missing = { tempFiles: 0, tempBytes: 0, blocksHit: 900_000, blocksRead: 100_000, transactions: 1, statsReset: null };
    const low = rec(plan(facts({}, { databases: missing })), 'shared_buffers');
    assert.match(low.reason, /^the cache misses often; a quarter of the memory/);
    assert.match(low.evidence[0]!, /^cache hit ratio 90\.0% since the statistics began: 100,000 of 1,000,000 block reads missed shared_buffers \(below 99\.0%\)$/);
    const quiet = rec(plan(facts({}, { databases: { ...missing, blocksHit: 50, blocksRead: 50 } })), 'shared_buffers');
    assert.deepEqual(quiet.evidence, ['too few block reads (100) to judge the cache hit ratio']);
    const larger = rec(plan(facts({ shared_buffers: String((6 * GB) / 8) })), 'shared_buffers');
    assert.deepEqual([larger.current, larger.recommended, larger.change], ['6GB', '6GB', false]);
    const tooLarge = rec(plan(facts({ shared_buffers: String((12 * GB) / 8) })), 'shared_buffers');
    assert.deepEqual([tooLarge.recommended, tooLarge.change], ['4GB', true]);
  });

  test('many more connections allowed than open: a pooler and a lower max_connections, and work_mem budgeted for it', () => {
    const f = facts({ max_connections: '1000' }, { clientConnections: 30 });
    assert.deepEqual(planConnections(null, 'web', f), { connections: 200, source: 'lowered', lowered: { from: 1000, clients: 30 } });
    const result = plan(f);
    const mc = rec(result, 'max_connections');
    assert.deepEqual([mc.current, mc.recommended, mc.change, mc.needsRestart], ['1000', '200', true, true]);
    assert.match(mc.reason, /^only 30 of 1,000 connections are open: put a connection pooler \(PgBouncer\) in front/);
    assert.match(mc.evidence[0]!, /a snapshot/);
    assert.equal(result.inputs.connections.source, 'lowered');
    assert.match(rec(result, 'work_mem').reason, /\(200 connections \+ 8 workers\)/);
    // Near misses: a busy server, a small limit, and a count given by the user.
    assert.equal(planConnections(null, 'web', facts({ max_connections: '1000' }, { clientConnections: 300 })).source, 'server');
    assert.equal(planConnections(null, 'web', facts({ max_connections: '80' }, { clientConnections: 1 })).source, 'server');
    assert.equal(planConnections(500, 'web', f).source, 'given');
    assert.equal(rec(plan(facts()), 'max_connections').change, false);
  });

  test('minimal WAL is not proposed while WAL is archived or streamed', () => {
    const desktop = { workload: { value: 'desktop' as const, source: 'given' as const } };
    assert.equal(rec(plan(facts(), desktop), 'wal_level').recommended, 'minimal');
    const archiving = plan(facts({ archive_mode: 'on' }, { replication: { senders: 1, slots: 2 } }), desktop);
    assert.ok(!archiving.recommendations.some((r) => r.name === 'wal_level' || r.name === 'max_wal_senders'));
    assert.deepEqual(archiving.notes.filter((n) => n.startsWith('wal_level')), ['wal_level = minimal and max_wal_senders = 0 are left out: archive_mode is on, 1 replica is streaming, 2 replication slots exist, and minimal WAL would end that.']);
  });

  test('the build decides: lz4 and io_uring only when pg_settings lists them; build caveats dropped once settled', () => {
    const f = facts();
    f.settings.get('wal_compression')!.enumvals = ['pglz', 'on', 'off'];
    const result = plan(f);
    assert.equal(rec(result, 'wal_compression').recommended, 'pglz');
    assert.ok(!result.notes.some((n) => /lz4/.test(n)));
    const f18 = facts({}, { versionNum: 180000, version: '18.0' });
    f18.settings.set('io_method', { name: 'io_method', setting: 'worker', unit: null, context: 'postmaster', vartype: 'enum', enumvals: ['sync', 'worker'], minVal: null, maxVal: null, pendingRestart: false });
    const io = rec(plan(f18, { postgres: { major: 18, source: 'server' } }), 'io_method');
    assert.deepEqual([io.recommended, io.change], ['worker', false]);
  });

  test('settings the server lacks are left out and said so; values beyond its range are brought within it', () => {
    const f = facts();
    f.settings.delete('jit');
    f.settings.get('effective_io_concurrency')!.maxVal = '0';
    const result = plan(f);
    assert.ok(!result.recommendations.some((r) => r.name === 'jit'));
    assert.ok(result.notes.includes('jit does not exist on this server (PostgreSQL 15.8): left out.'));
    const eic = rec(result, 'effective_io_concurrency');
    assert.equal(eic.recommended, '0');
    assert.ok(result.notes.some((n) => /^effective_io_concurrency: the formula gives 200, more than this server allows/.test(n)));
  });

  test('huge_pages: try is kept where the formula says off; what could not be read is listed', () => {
    const small = plan(facts(), { memory: { kb: 4 * GB, display: '4GB', source: 'given', note: null } });
    const hp = rec(small, 'huge_pages');
    assert.deepEqual([hp.current, hp.recommended, hp.change], ['try', 'try', false]);
    const blind = plan(facts({}, { databases: null, checkpoints: null, notExamined: ['checkpoints (pg_stat_bgwriter): permission denied'] }));
    assert.deepEqual(blind.notExamined, ['checkpoints (pg_stat_bgwriter): permission denied']);
    assert.deepEqual(rec(blind, 'work_mem').evidence, []);
  });

  test('values within 10% of the recommendation are not changed', () => {
    const result = plan(facts({ effective_cache_size: String((11.5 * GB) / 8) }));
    assert.equal(rec(result, 'effective_cache_size').change, false);
    assert.equal(rec(result, 'random_page_cost').change, true);
  });
});
