/** Where each input of the formulas comes from: given, detected, the server, or assumed with a note. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DetectedHardware } from '../../src/tune/detect-hardware.js';
import { needsDetection, resolveInputs } from '../../src/tune/resolve-inputs.js';
import type { ServerFacts } from '../../src/tune/server-facts.js';
import { UserError } from '../../src/errors.js';

const GB = 1024 * 1024;

const server = { versionNum: 160004, version: '16.4', os: 'linux', settings: new Map() } as unknown as ServerFacts;
const machine: DetectedHardware = { memoryKb: 8 * GB, memoryNote: 'this machine', cpus: 4, cpusNote: null, storage: null, storageNote: 'vda is a virtual disk, whose rotational flag does not tell what backs it', os: 'linux' };

describe('tune inputs', () => {
  test('a remote server: what was given, the rest assumed or left out, and a note naming what is missing', () => {
    assert.equal(needsDetection({ memoryKb: 16 * GB }, true), false);
    const { inputs, notes } = resolveInputs({ given: { memoryKb: 16 * GB }, facts: server, remoteHost: 'db.internal', detected: null });
    assert.deepEqual(inputs.memory, { kb: 16 * GB, display: '16GB', source: 'given', note: null });
    assert.deepEqual(inputs.cpus, { value: null, source: 'not given', note: 'the server is on another machine and --cpus was not given' });
    assert.deepEqual(inputs.storage.value, 'ssd');
    assert.equal(inputs.storage.source, 'assumed');
    assert.deepEqual(inputs.postgres, { major: 16, source: 'server' });
    assert.deepEqual(inputs.os, { value: 'linux', source: 'server' });
    assert.ok(notes.includes('The server is on db.internal, not this machine: its hardware is what you give, and --cpus and --storage were not given.'));
    assert.ok(notes.includes('The server is on another machine and --storage was not given; SSD assumed (give --storage hdd, san or nvme if it is not).'));
  });

  test('a remote server without --memory is an error; so is a --pg-version the server contradicts', () => {
    assert.throws(() => resolveInputs({ given: {}, facts: server, remoteHost: 'db.internal', detected: null }), (e: unknown) => e instanceof UserError && /^the server is on db\.internal, not this machine, and --memory was not given/.test(e.message));
    assert.throws(() => resolveInputs({ given: { memoryKb: GB, pgVersion: 15 }, facts: server, remoteHost: 'db.internal', detected: null }), /--pg-version 15 does not match the server, which runs PostgreSQL 16\.4/);
  });

  test('a local server or none: what was not given is detected; storage that cannot be told is assumed SSD, saying why', () => {
    assert.equal(needsDetection({ memoryKb: GB, cpus: 2, storage: 'hdd' }, false), false);
    assert.equal(needsDetection({ memoryKb: GB, cpus: 2 }, false), true);
    const { inputs, notes } = resolveInputs({ given: { cpus: 2 }, facts: null, detected: machine });
    assert.deepEqual(inputs.memory, { kb: 8 * GB, display: '8GB', source: 'detected', note: 'this machine' });
    assert.deepEqual(inputs.cpus, { value: 2, source: 'given', note: null });
    assert.deepEqual([inputs.storage.value, inputs.storage.source], ['ssd', 'assumed']);
    assert.deepEqual(inputs.os, { value: 'linux', source: 'detected' });
    assert.deepEqual(inputs.postgres, { major: 18, source: 'default' });
    assert.deepEqual(notes, [
      'The storage kind could not be detected: vda is a virtual disk, whose rotational flag does not tell what backs it; SSD assumed (give --storage hdd, san or nvme if it is not).',
      'No server and no --pg-version: the settings are for PostgreSQL 18.',
      "No --workload: a web application assumed (pgtune's default); oltp, dw, mixed and desktop change the memory shares and WAL sizes.",
    ]);
    const nvme = resolveInputs({ given: { workload: 'oltp', pgVersion: 14 }, facts: null, detected: { ...machine, storage: 'nvme', storageNote: 'nvme0n1 is not rotational (nvme0n1)' } });
    assert.deepEqual(nvme.inputs.storage, { value: 'nvme', source: 'detected', note: 'nvme0n1 is not rotational (nvme0n1)' });
    assert.deepEqual(nvme.inputs.postgres, { major: 14, source: 'given' });
    assert.deepEqual(nvme.notes, []);
  });
});
