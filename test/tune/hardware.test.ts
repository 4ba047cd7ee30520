/**
 * What `tune` reads of the machine: sizes as given and as pg_settings reports them, whether a server
 * is local, and the hardware of a made-up /sys tree (memory and CPU limits of a container, the kind
 * of disk, the disk of the data directory).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { detectHardware, detectStorage } from '../../src/tune/detect-hardware.js';
import { platformOf } from '../../src/tune/server-facts.js';
import { isLocalHost, serverHost } from '../../src/tune/server-host.js';
import { formatKb, parseSizeKb, settingKb } from '../../src/tune/size.js';

const GB = 1024 * 1024;

/** A fake filesystem root with the given files. */
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgarchitect-tune-sys-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('sizes', () => {
  test('--memory takes a size with a unit, binary as Postgres reads it', () => {
    assert.equal(parseSizeKb('16GB'), 16 * GB);
    assert.equal(parseSizeKb('16 gb'), 16 * GB);
    assert.equal(parseSizeKb('16G'), 16 * GB);
    assert.equal(parseSizeKb('1.5GiB'), 1.5 * GB);
    assert.equal(parseSizeKb('512MB'), 512 * 1024);
    assert.equal(parseSizeKb('2TB'), 2048 * GB);
    assert.equal(parseSizeKb('16'), null);
    assert.equal(parseSizeKb('16XB'), null);
    assert.equal(parseSizeKb('0GB'), null);
  });

  test('pg_settings values in their units, printed in the largest exact unit', () => {
    assert.equal(settingKb('16384', '8kB'), 128 * 1024);
    assert.equal(settingKb('1024', 'MB'), GB);
    assert.equal(settingKb('4096', 'kB'), 4096);
    assert.equal(settingKb('-1', 'kB'), null);
    assert.equal(settingKb('100', null), null);
    assert.equal(settingKb('100', 'ms'), null);
    assert.deepEqual([formatKb(4 * GB), formatKb(512 * 1024), formatKb(20164), formatKb(0)], ['4GB', '512MB', '20164kB', '0kB']);
  });
});

describe('the server host', () => {
  test('sockets, localhost and loopback addresses are this machine; other hosts are not', () => {
    assert.equal(serverHost('postgres://u@db.internal:5432/x', {}), 'db.internal');
    assert.equal(serverHost(undefined, { DATABASE_URL: 'postgres://u@10.0.0.5/x' }), '10.0.0.5');
    assert.equal(serverHost(undefined, { PGHOST: '/var/run/postgresql' }), '/var/run/postgresql');
    assert.equal(serverHost(undefined, {}), undefined);
    for (const host of [undefined, '/var/run/postgresql', 'localhost', '127.0.0.1', '::1', '[::1]']) assert.equal(isLocalHost(host), true, String(host));
    for (const host of ['db.internal', '10.0.0.5', 'example.com']) assert.equal(isLocalHost(host), false, host);
  });

  test("the server's operating system from version()", () => {
    assert.deepEqual(platformOf('PostgreSQL 15.8 (Debian 15.8-1) on x86_64-pc-linux-gnu, compiled by gcc'), { os: 'linux', other: null });
    assert.deepEqual(platformOf('PostgreSQL 16.2 on aarch64-apple-darwin23.2.0, compiled by Apple clang'), { os: 'mac', other: null });
    assert.deepEqual(platformOf('PostgreSQL 17.0, compiled by Visual C++ build 1940, 64-bit'), { os: 'windows', other: null });
    assert.deepEqual(platformOf('PostgreSQL 16.1 on amd64-portbld-freebsd14.0, compiled by FreeBSD clang'), { os: 'linux', other: 'amd64-portbld-freebsd14.0' });
  });
});

describe('hardware detection', () => {
  test("a container's memory and CPU limits win over the machine's; memory is rounded down to 256MB", () => {
    const root = fakeRoot({ 'sys/fs/cgroup/memory.max': `${6 * 1024 ** 3 + 12345}\n`, 'sys/fs/cgroup/cpu.max': '150000 100000\n', 'sys/block/sda/queue/rotational': '0\n' });
    const hw = detectHardware({ root, totalMemoryBytes: 64 * 1024 ** 3, cpus: 16 });
    assert.equal(hw.memoryKb, 6 * GB);
    assert.match(hw.memoryNote, /^the container's memory limit, 6 GB, rounded down/);
    assert.equal(hw.cpus, 2); // 1.5 CPUs of quota, rounded up
    assert.match(hw.cpusNote!, /CPU quota \(16 CPUs in the machine\)/);
    const plain = detectHardware({ root: fakeRoot({ 'sys/fs/cgroup/memory.max': 'max\n' }), totalMemoryBytes: 8 * 1024 ** 3, cpus: 4 });
    assert.deepEqual([plain.memoryKb, plain.memoryNote, plain.cpus, plain.cpusNote], [8 * GB, 'this machine', 4, null]);
  });

  test('the rotational flag of the disks: SSD, HDD, NVMe; disks that disagree or virtual disks are not guessed', () => {
    assert.deepEqual(detectStorage(fakeRoot({ 'sys/block/sda/queue/rotational': '0', 'sys/block/loop0/queue/rotational': '1' }), null), { kind: 'ssd', note: 'sda is not rotational (sda)' });
    assert.equal(detectStorage(fakeRoot({ 'sys/block/sda/queue/rotational': '1' }), null).kind, 'hdd');
    assert.equal(detectStorage(fakeRoot({ 'sys/block/nvme0n1/queue/rotational': '0' }), null).kind, 'nvme');
    const mixed = detectStorage(fakeRoot({ 'sys/block/sda/queue/rotational': '0', 'sys/block/sdb/queue/rotational': '1' }), null);
    assert.deepEqual(mixed, { kind: null, note: 'the disks differ (sda: ssd, sdb: hdd)' });
    const virtual = detectStorage(fakeRoot({ 'sys/block/vda/queue/rotational': '1' }), null);
    assert.deepEqual(virtual, { kind: null, note: 'vda is a virtual disk, whose rotational flag does not tell what backs it' });
    assert.equal(detectStorage(fakeRoot({}), null).kind, null);
  });

  test("the disk of the data directory, through its device number (a partition's parent disk)", () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'pgarchitect-tune-data-'));
    const dev = statSync(dataDirectory, { bigint: true }).dev;
    const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
    const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
    // Two disks that disagree; the data directory is on a partition of the SSD one.
    const root = fakeRoot({ 'sys/devices/pci/block/sdb/queue/rotational': '0', 'sys/devices/pci/block/sdb/sdb1/partition': '1', 'sys/block/sda/queue/rotational': '1', 'sys/block/sdb/queue/rotational': '0' });
    mkdirSync(join(root, 'sys/dev/block'), { recursive: true });
    symlinkSync(join(root, 'sys/devices/pci/block/sdb/sdb1'), join(root, `sys/dev/block/${major}:${minor}`));
    assert.deepEqual(detectStorage(root, dataDirectory), { kind: 'ssd', note: 'sdb is not rotational (the disk of the data directory: sdb)' });
  });
});
