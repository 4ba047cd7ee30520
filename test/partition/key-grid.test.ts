/** The range grid: parsing bounds, stepping, aligning and naming; pure. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alignValue, inferInterval, intervalMismatch, parseInterval, parseKeyValue, partitionName, stepValue } from '../../src/partition/key-grid.js';
import { parseRetention, retentionCutoff } from '../../src/partition/retention.js';

describe('key grid', () => {
  test('intervals: words, widths, and which keys they fit', () => {
    assert.deepEqual(parseInterval('month'), { unit: 'month' });
    assert.deepEqual(parseInterval('1 week'), { unit: 'week' });
    assert.deepEqual(parseInterval('Daily'), { unit: 'day' });
    assert.deepEqual(parseInterval('1_000_000'), { width: 1_000_000n });
    assert.equal(parseInterval('fortnight'), null);
    assert.equal(intervalMismatch({ unit: 'month' }, 'timestamptz'), null);
    assert.match(intervalMismatch({ unit: 'month' }, 'integer')!, /not integers/);
    assert.match(intervalMismatch({ unit: 'hour' }, 'date')!, /hour does not fit a date key/);
    assert.match(intervalMismatch({ width: 10n }, 'date')!, /fits integer keys/);
  });

  test('bounds as Postgres prints them, in UTC or with an offset', () => {
    assert.equal(parseKeyValue('2024-01-01 00:00:00+00', 'timestamptz')!.at, Date.UTC(2024, 0, 1));
    assert.equal(parseKeyValue('2024-01-01 00:00:00+01', 'timestamptz')!.at, Date.UTC(2023, 11, 31, 23));
    assert.equal(parseKeyValue('2024-02-29', 'date')!.at, Date.UTC(2024, 1, 29));
    assert.equal(parseKeyValue('MAXVALUE', 'date')!.at, Infinity);
    assert.equal(parseKeyValue('-42', 'integer')!.at, -42n);
    assert.equal(parseKeyValue('2024-01-01 BC', 'date'), null);
  });

  test('stepping by calendar units and aligning to them', () => {
    const jan31 = parseKeyValue('2024-01-15 10:30:00+00', 'timestamptz')!;
    assert.equal(alignValue(jan31, { unit: 'month' }, 'timestamptz').literal, '2024-01-01 00:00:00+00');
    assert.equal(alignValue(jan31, { unit: 'quarter' }, 'timestamptz').literal, '2024-01-01 00:00:00+00');
    assert.equal(alignValue(jan31, { unit: 'week' }, 'timestamptz').literal, '2024-01-15 00:00:00+00');
    assert.equal(alignValue(jan31, { unit: 'hour' }, 'timestamptz').literal, '2024-01-15 10:00:00+00');
    const month = alignValue(jan31, { unit: 'month' }, 'timestamptz');
    assert.equal(stepValue(month, { unit: 'month' }, 13, 'timestamptz').literal, '2025-02-01 00:00:00+00');
    assert.equal(stepValue(month, { unit: 'quarter' }, -1, 'timestamptz').literal, '2023-10-01 00:00:00+00');
    assert.equal(alignValue(parseKeyValue('-5', 'integer')!, { width: 10n }, 'integer').literal, '-10');
    assert.deepEqual(inferInterval(parseKeyValue('2024-01-01', 'date')!, parseKeyValue('2024-04-01', 'date')!, 'date'), { unit: 'quarter' });
    assert.deepEqual(inferInterval(parseKeyValue('0', 'integer')!, parseKeyValue('500', 'integer')!, 'integer'), { width: 500n });
  });

  test('partition names by interval, kept within 63 bytes', () => {
    const from = parseKeyValue('2024-05-13', 'date')!;
    assert.equal(partitionName('events', from, { unit: 'month' }), 'events_p2024_05');
    assert.equal(partitionName('events', from, { unit: 'day' }), 'events_p2024_05_13');
    assert.equal(partitionName('events', from, { unit: 'year' }), 'events_p2024');
    assert.equal(partitionName('t', parseKeyValue('-100', 'integer')!, { width: 100n }), 't_pm100');
    assert.equal(Buffer.byteLength(partitionName('x'.repeat(70), from, { unit: 'day' })), 63);
  });

  test('retention periods and their cutoff', () => {
    assert.deepEqual(parseRetention('12 months'), { count: 12, unit: 'month', text: '12 months' });
    assert.equal(parseRetention('soon'), null);
    assert.equal(retentionCutoff(Date.UTC(2024, 5, 15), parseRetention('3 months')!, 'date').literal, '2024-03-15');
  });
});
