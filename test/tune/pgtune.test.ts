/**
 * The setting formulas against pgtune's numbers. Each expected value is worked out by hand from the
 * formulas of le0pard/pgtune (src/features/configuration/configurationSlice.js), in kB, rounded down;
 * the comments show the arithmetic.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formulaSettings } from '../../src/tune/pgtune.js';
import { withoutServer } from '../../src/tune/server-evidence.js';
import type { TuneInput } from '../../src/tune/tune-input.js';

const GB = 1024 * 1024;

/** name → value in postgresql.conf form, in the order given. */
function settings(input: Partial<TuneInput> & Pick<TuneInput, 'memoryKb'>): Record<string, string> {
  const result = formulaSettings({ cpus: null, storage: 'ssd', connections: null, workload: 'web', major: 18, os: 'linux', ...input });
  return Object.fromEntries(result.settings.map((s) => [s.name, s.display]));
}

describe('pgtune formulas', () => {
  test('16GB, 8 CPUs, SSD, web, 200 connections, PostgreSQL 18', () => {
    assert.deepEqual(settings({ memoryKb: 16 * GB, cpus: 8, connections: 200 }), {
      max_connections: '200',
      shared_buffers: '4GB', // 16GB / 4
      huge_pages: 'try', // shared_buffers >= 2GB
      effective_cache_size: '12GB', // 16GB × 3/4
      work_mem: '20164kB', // (16777216 − 4194304) / ((200 + 8 workers) × 3) = 20164.9
      maintenance_work_mem: '1GB', // 16GB / 16
      wal_buffers: '16MB', // 3% of 4GB, capped at 16MB
      min_wal_size: '1GB',
      max_wal_size: '4GB',
      checkpoint_completion_target: '0.9',
      wal_compression: 'lz4',
      random_page_cost: '1.1',
      effective_io_concurrency: '200',
      default_statistics_target: '100',
      jit: 'off',
      max_worker_processes: '8',
      max_parallel_workers: '8',
      max_parallel_workers_per_gather: '4', // ceil(8 / 2)
      max_parallel_maintenance_workers: '4',
      io_method: 'io_uring',
      // io_workers: floor(8 / 4) = 2 is not above the default 3: left out
    });
  });

  test('4GB, 2 CPUs, HDD, OLTP, PostgreSQL 15: 4MB work_mem floor, no parallel settings under 4 CPUs', () => {
    assert.deepEqual(settings({ memoryKb: 4 * GB, cpus: 2, storage: 'hdd', workload: 'oltp', major: 15 }), {
      max_connections: '300', // pgtune's count for OLTP
      shared_buffers: '1GB',
      huge_pages: 'off',
      effective_cache_size: '3GB',
      work_mem: '4MB', // (4194304 − 1048576) / ((300 + 8) × 3) = 3404.4 → the 4MB floor
      maintenance_work_mem: '256MB',
      wal_buffers: '16MB', // 3% of 1GB = 31457kB → 16MB
      min_wal_size: '2GB',
      max_wal_size: '8GB',
      checkpoint_completion_target: '0.9',
      wal_compression: 'lz4',
      random_page_cost: '4',
      effective_io_concurrency: '2',
      default_statistics_target: '100',
      jit: 'off',
    });
  });

  test('64GB, 32 CPUs, SSD, data warehouse, PostgreSQL 17', () => {
    assert.deepEqual(settings({ memoryKb: 64 * GB, cpus: 32, workload: 'dw', major: 17 }), {
      max_connections: '40',
      shared_buffers: '16GB',
      huge_pages: 'try',
      effective_cache_size: '48GB',
      work_mem: '116508kB', // (67108864 − 16777216) / ((40 + 32) × 3) = 233016.9, / 2 for dw
      maintenance_work_mem: '8GB', // 64GB / 8, capped at 8GB
      autovacuum_work_mem: '2GB', // maintenance_work_mem >= 2GB
      wal_buffers: '16MB',
      min_wal_size: '4GB',
      max_wal_size: '16GB',
      checkpoint_completion_target: '0.9',
      wal_compression: 'lz4',
      random_page_cost: '4', // dw larger than memory keeps 4 even on SSD
      effective_io_concurrency: '200',
      default_statistics_target: '500',
      max_worker_processes: '32',
      max_parallel_workers: '32',
      max_parallel_workers_per_gather: '16', // ceil(32 / 2), no cap of 4 for dw
      max_parallel_maintenance_workers: '4',
      autovacuum_max_workers: '5', // 32 CPUs or more
    });
  });

  test('8GB, 4 CPUs, desktop, PostgreSQL 16: small shares and minimal WAL', () => {
    assert.deepEqual(settings({ memoryKb: 8 * GB, cpus: 4, workload: 'desktop', major: 16 }), {
      max_connections: '20',
      shared_buffers: '512MB', // 8GB / 16
      huge_pages: 'off',
      effective_cache_size: '2GB', // 8GB / 4
      work_mem: '18204kB', // (8388608 − 524288) / ((20 + 4) × 3) = 109226.7, / 6 for desktop
      maintenance_work_mem: '512MB',
      wal_buffers: '16MB', // 3% of 512MB = 15728kB, rounded up to 16MB from 14MB
      min_wal_size: '100MB',
      max_wal_size: '2GB',
      checkpoint_completion_target: '0.9',
      wal_compression: 'lz4',
      wal_level: 'minimal',
      max_wal_senders: '0',
      random_page_cost: '1.1',
      effective_io_concurrency: '200',
      default_statistics_target: '100',
      max_worker_processes: '4',
      max_parallel_workers: '4',
      max_parallel_workers_per_gather: '2',
      max_parallel_maintenance_workers: '2',
    });
  });

  test('32GB, 16 CPUs, NVMe, mixed, PostgreSQL 18', () => {
    const s = settings({ memoryKb: 32 * GB, cpus: 16, storage: 'nvme', workload: 'mixed' });
    assert.equal(s.max_connections, '100');
    assert.equal(s.work_mem, '36157kB'); // (33554432 − 8388608) / ((100 + 16) × 3) = 72315.6, / 2 for mixed
    assert.equal(s.maintenance_work_mem, '2GB');
    assert.equal(s.autovacuum_work_mem, '2GB');
    assert.equal(s.effective_io_concurrency, '1000');
    assert.equal(s.max_parallel_workers_per_gather, '4');
    assert.equal(s.autovacuum_max_workers, '4');
    assert.equal(s.io_workers, '4'); // floor(16 / 4)
    assert.equal(s.jit, 'off');
  });

  test('Windows before PostgreSQL 18 caps work_mem and maintenance_work_mem under 2GB; from 18 it does not', () => {
    const w17 = settings({ memoryKb: 256 * GB, cpus: 4, connections: 20, os: 'windows', major: 17 });
    assert.equal(w17.maintenance_work_mem, '2047MB'); // 2GB − 1MB
    assert.equal(w17.work_mem, '2047MB'); // (256GB − 64GB) / ((20 + 4) × 3) = 2796202kB, capped
    assert.equal(w17.autovacuum_work_mem, undefined);
    assert.equal(w17.effective_io_concurrency, undefined); // Linux only
    const w18 = settings({ memoryKb: 256 * GB, cpus: 4, connections: 20, os: 'windows', major: 18 });
    assert.equal(w18.maintenance_work_mem, '8GB');
    assert.equal(w18.work_mem, '2796202kB');
    assert.equal(w18.autovacuum_work_mem, '2GB');
    assert.equal(w18.io_method, 'worker');
    assert.equal(settings({ memoryKb: 16 * GB, os: 'mac' }).huge_pages, 'off');
  });

  test('data that fits in memory: work_mem + 30%, random_page_cost 1.1 even for a warehouse on HDD', () => {
    assert.equal(settings({ memoryKb: 16 * GB, cpus: 8, connections: 200, dataFitsInRam: true }).work_mem, '26213kB'); // floor(20164 × 1.3)
    assert.equal(settings({ memoryKb: 64 * GB, cpus: 32, workload: 'dw', storage: 'hdd', dataFitsInRam: true }).random_page_cost, '1.1');
  });

  test('the major decides which settings exist and their values', () => {
    const on = (major: number) => settings({ memoryKb: 16 * GB, cpus: 8, major });
    assert.equal(on(10).max_parallel_maintenance_workers, undefined); // since 11
    assert.equal(on(11).max_parallel_maintenance_workers, '4');
    assert.equal(on(11).jit, undefined); // pgtune turns JIT off from 12, where it is on by default
    assert.equal(on(12).jit, 'off');
    assert.equal(on(14).wal_compression, 'on'); // lz4 from 15
    assert.equal(on(15).wal_compression, 'lz4');
    assert.equal(on(17).io_method, undefined); // asynchronous I/O from 18
    assert.equal(on(18).io_method, 'io_uring');
    assert.equal(on(19).io_method, 'io_uring'); // later majors as 18
  });

  test('without a server, the restart flag comes from the context the major documents', () => {
    const restart = (major: number) =>
      Object.fromEntries(withoutServer(formulaSettings({ memoryKb: 64 * GB, cpus: 32, storage: 'ssd', connections: null, workload: 'web', major, os: 'linux' }).settings, major).map((r) => [r.name, r.needsRestart]));
    assert.equal(restart(17).shared_buffers, true);
    assert.equal(restart(17).work_mem, false);
    assert.equal(restart(17).autovacuum_max_workers, true);
    assert.equal(restart(18).autovacuum_max_workers, false); // a reload from 18 (autovacuum_worker_slots)
    assert.equal(restart(18).io_method, true);
  });

  test('unknown CPUs leave out the parallel settings and budget work_mem for 8 workers; caveats for tiny and huge memory', () => {
    const result = formulaSettings({ memoryKb: 200 * 1024, cpus: null, storage: 'ssd', connections: null, workload: 'web', major: 18, os: 'linux' });
    assert.ok(!result.settings.some((s) => s.name.startsWith('max_parallel')));
    assert.ok(result.notes.some((n) => /less than 256MB/.test(n)));
    assert.ok(result.notes.some((n) => /CPU count is not known/.test(n)));
    assert.ok(formulaSettings({ memoryKb: 128 * GB, cpus: 8, storage: 'ssd', connections: null, workload: 'web', major: 18, os: 'linux' }).notes.some((n) => /more than 100GB/.test(n)));
    assert.deepEqual(
      formulaSettings({ memoryKb: 16 * GB, cpus: 8, storage: 'ssd', connections: null, workload: 'web', major: 18, os: 'linux' }).buildNotes.map((b) => b.setting),
      ['wal_compression', 'io_method'],
    );
  });

  test('each reason shows its arithmetic', () => {
    const result = formulaSettings({ memoryKb: 16 * GB, cpus: 8, storage: 'ssd', connections: 200, workload: 'web', major: 18, os: 'linux' });
    const reason = (name: string) => result.settings.find((s) => s.name === name)!.reason;
    assert.match(reason('shared_buffers'), /16GB \/ 4/);
    assert.match(reason('work_mem'), /\(200 connections \+ 8 workers\) × 3/);
  });
});
