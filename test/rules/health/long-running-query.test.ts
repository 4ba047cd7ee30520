import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/long-running-query.js';
import { healthFacts, runCheck, session } from '../../health/facts-fixture.js';

describe('long-running-query', () => {
  test('fires for an active query past minSeconds, an error past errorSeconds, with pg_cancel_backend', async () => {
    const facts = healthFacts({
      activity: [
        session({ pid: 1, self: true, state: 'active', querySeconds: 99999 }),
        session({ pid: 30, state: 'active', querySeconds: 600, query: 'SELECT count(*) FROM events' }),
        session({ pid: 31, state: 'active', querySeconds: 7200, waitEventType: 'IO', waitEvent: 'DataFileRead' }),
      ],
    });
    const { findings } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['pid 31', 'error'], ['pid 30', 'warning']]);
    assert.equal(findings[1]!.message, 'Session pid 30 (web on shop as app) has been running its query for 10 min.');
    assert.match(findings[0]!.message, /\(now waiting: IO DataFileRead\)/);
    assert.equal(findings[1]!.evidence.query, 'SELECT count(*) FROM events');
    assert.equal(findings[1]!.fix!.sql, 'SELECT pg_cancel_backend(30);');
  });

  test('near misses: this session itself, an idle session whose last query ran long ago, background processes', async () => {
    const facts = healthFacts({
      activity: [
        session({ pid: 1, self: true, state: 'active', querySeconds: 9999 }),
        session({ pid: 2, state: 'idle', querySeconds: 9999 }),
        session({ pid: 3, backendType: 'walsender', state: 'active', querySeconds: 9999 }),
        session({ pid: 4, state: 'active', querySeconds: 299 }),
      ],
    });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
  });
});
