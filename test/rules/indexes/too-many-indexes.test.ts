import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import tooManyIndexes from '../../../src/rules/indexes/too-many-indexes.js';
import { findingsFor } from '../../support/embedded.js';

/** A table `name` with a primary key and `extra` single-column indexes. */
function tableWithIndexes(name: string, extra: number): string {
  const columns = Array.from({ length: extra }, (_, i) => `c${i} int`).join(', ');
  const indexes = Array.from({ length: extra }, (_, i) => `CREATE INDEX ${name}_c${i} ON ${name} (c${i});`).join('\n');
  return `CREATE TABLE ${name} (id int PRIMARY KEY, ${columns});\n${indexes}`;
}

describe('too-many-indexes', () => {
  test('fires on a table with more indexes than the maximum, once for a partitioned table', async () => {
    const findings = await findingsFor(
      tooManyIndexes,
      `${tableWithIndexes('orders', 10)}
       CREATE TABLE events (id int, at date, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE INDEX events_at ON events (at);
       CREATE INDEX events_kind ON events (kind);`,
      { maxIndexes: 2 },
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.evidence.indexCount]),
      [
        [{ type: 'partitioned table', schema: 'public', name: 'events' }, 3],
        [{ type: 'table', schema: 'public', name: 'orders' }, 11],
      ],
    );
    assert.match(findings[1]!.message, /public\.orders has 11 indexes \(more than 2\)/);
    assert.equal(findings[1]!.severity, 'info');
  });

  test('with the default maximum of 10: fires at 11 indexes, not at 10', async () => {
    assert.equal((await findingsFor(tooManyIndexes, tableWithIndexes('orders', 10))).length, 1);
    assert.deepEqual(await findingsFor(tooManyIndexes, tableWithIndexes('orders', 9)), []);
  });
});
