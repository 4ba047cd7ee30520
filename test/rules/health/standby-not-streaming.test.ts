import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/standby-not-streaming.js';
import { healthFacts, runCheck, standbyFacts } from '../../health/facts-fixture.js';

describe('standby-not-streaming', () => {
  test('fires when no WAL receiver runs, or it is not streaming', async () => {
    const none = await runCheck(rule, standbyFacts({ receiverStatus: null, sender: null, lastMessageSeconds: null }));
    assert.equal(none.findings[0]!.message, 'This standby is not streaming: no WAL receiver is running. It only catches up from the WAL archive, if restore_command is set, and falls behind with every write on the primary.');
    assert.equal(none.findings[0]!.severity, 'error');
    const stopping = await runCheck(rule, standbyFacts({ receiverStatus: 'waiting', lastMessageSeconds: 95 }));
    assert.match(stopping.findings[0]!.message, /^This standby is not streaming: the WAL receiver is waiting, last message from the primary 2 min ago\./);
  });

  test('not while streaming; not run on a primary', async () => {
    const streaming = await runCheck(rule, standbyFacts());
    assert.deepEqual(streaming.findings, []);
    assert.equal(streaming.check!.examined, 'the WAL receiver of this standby (streaming, from 10.0.0.1:5432)');
    assert.ok((await runCheck(rule, healthFacts())).skipped);
  });
});
