/**
 * The reports of `health`, from facts built by hand (pure: no server): the text report draws the
 * blocking tree and lists every check with what it examined, and those that did not run with why;
 * markdown and SARIF carry the same findings (SARIF validated against the official schema).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import * as AjvDraft04 from 'ajv-draft-04';
import { formatHealth } from '../../src/health/format.js';
import { healthOfFacts } from '../../src/health/health.js';
import type { HealthResult } from '../../src/health/result.js';
import { healthFacts, NOT_A_STANDBY, session, slot, STANDBY_SIDE_CHECKS } from './facts-fixture.js';

const Ajv = AjvDraft04.default.default ?? AjvDraft04.default;

async function result(): Promise<HealthResult> {
  const facts = healthFacts({
    activity: [
      session({ pid: 1, self: true, state: 'active' }),
      session({ pid: 10, state: 'idle in transaction', stateSeconds: 300, transactionSeconds: 300, query: 'UPDATE accounts SET balance = 0' }),
      session({ pid: 11, state: 'active', waitEventType: 'Lock', waitEvent: 'relation', blockedBy: [10], lockWaitSeconds: 42, query: 'ALTER TABLE accounts ADD COLUMN note text' }),
    ],
    slots: [slot({ name: 'old', active: false })],
    archiver: null,
    unavailable: { archiver: 'WAL archiver (pg_stat_archiver): permission denied for view pg_stat_archiver', recovery: NOT_A_STANDBY },
    notes: ['--exact: pgstattuple is not installed in this database (CREATE EXTENSION pgstattuple): bloat is estimated from statistics instead.'],
  });
  return healthOfFacts('the catalog snapshot could not be read: permission denied for table secret', facts, {}, [], 'postgres://app@db/shop');
}

describe('health reports', () => {
  test('text: findings with evidence and fixes, the blocking tree, every check and what it examined, what did not run', async () => {
    const text = formatHealth(await result(), 'text', { color: false });
    assert.match(text, /^pgarchitect health: postgres:\/\/app@db\/shop\nPostgreSQL 15\.8, database shop, primary, as postgres \(sees every session\); bloat estimated from statistics; read at 2026-06-01 12:00:00\n/);
    assert.match(text, /note: --exact: pgstattuple is not installed/);
    assert.match(text, /Warnings \(3\)\n {2}replication slot old\n {4}▲ Replication slot old \(physical\) has no consumer connected and keeps 16 MB of WAL\. \[inactive-replication-slot\]\n/);
    assert.match(text, /\n {2}session pid 10\n {4}▲ Session pid 10 \(web on shop as app\) blocks 1 session, the longest waiting for 42 s; it is idle in transaction for 5 min\. \[blocked-sessions\]\n/);
    assert.match(text, /blocking tree:\n {8}pid 10 idle in transaction: UPDATE accounts SET balance = 0\n {10}└ pid 11 active, waiting 42 s: ALTER TABLE accounts ADD COLUMN note text\n/);
    const { checks, skipped } = await result();
    assert.ok(text.includes(`Checks run (${checks.length})\n`));
    assert.match(text, /Checks run \(\d+\)\n {2}vacuum +autovacuum-disabled +✓ +0 tables and 0 system catalogs/);
    assert.match(text, /replication +inactive-replication-slot +1 +1 replication slot \(1 inactive\)/);
    assert.match(text, new RegExp(`Not run \\(${skipped.length}\\)\\n {2}constraint-not-validated: the catalog snapshot could not be read: permission denied for table secret\\n`));
    assert.ok(text.includes(`\n  standby-replay-paused: ${NOT_A_STANDBY}\n`));
    assert.match(text, /\n {2}wal-archiving-failing: WAL archiver \(pg_stat_archiver\): permission denied for view pg_stat_archiver\n/);
    assert.ok(text.endsWith(`\n0 errors, 3 warnings, 2 info (${checks.length} checks run, ${skipped.length} not run)\n`));
  });

  test('markdown: findings, fixes, the checks table and what did not run', async () => {
    const md = formatHealth(await result(), 'markdown', { color: false });
    assert.match(md, /^# pgarchitect health: postgres:\/\/app@db\/shop\n/);
    assert.match(md, /\| 🟠 warning \| `blocked-sessions` \| `pid 10` \| Session pid 10/);
    assert.match(md, /## Checks run\n\n\| Category \| Check \| Findings \| Examined \|/);
    assert.match(md, /## Not run\n\n- `constraint-not-validated`: the catalog snapshot could not be read/);
  });

  test('sarif: valid SARIF 2.1.0, each check described', async () => {
    const log = JSON.parse(formatHealth(await result(), 'sarif', { color: false })) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
    const schema = JSON.parse(readFileSync(join(dir, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors));
    assert.deepEqual(log.runs[0]!.tool.driver.rules.map((r) => r.id), ['blocked-sessions', 'idle-in-transaction', 'inactive-replication-slot', 'track-io-timing-off', 'wal-archiving-off']);
  });

  test('json: the result as is, deterministic', async () => {
    const a = formatHealth(await result(), 'json', { color: false });
    assert.equal(a, formatHealth(await result(), 'json', { color: false }));
    const parsed = JSON.parse(a) as HealthResult;
    assert.equal(parsed.schemaVersion, 1);
    assert.deepEqual(parsed.summary, { error: 0, warning: 3, info: 2, total: 5, rulesRun: parsed.checks.length, rulesSkipped: parsed.skipped.length, suppressed: 0 });
    assert.ok(STANDBY_SIDE_CHECKS.every((rule) => parsed.skipped.some((s) => s.rule === rule && s.reason === NOT_A_STANDBY)));
  });
});
