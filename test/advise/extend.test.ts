/**
 * The search itself, over a cost function written out here (the advisor plugs in hypopg's what-if
 * costs; these cases need costs chosen to make a greedy mistake possible).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { candidateKey, type IndexCandidate } from '../../src/advise/candidate.js';
import { CostCache, extendSearch, type CostOracle, type SearchQuery } from '../../src/advise/extend.js';
import type { TableUse } from '../../src/advise/query-columns.js';
import { ensureParser } from '../../src/sql/parser.js';

function use(columns: string[]): Map<string, TableUse> {
  return new Map([['public.t', { schema: 'public', table: 't', equality: new Set(columns), range: new Set(), join: new Set(), order: [], referenced: new Set(columns), constants: new Map() }]]);
}

/** Query `q<column>` costs 100, or 100 − benefit[column] with an index leading on its column. */
function oracle(benefit: Record<string, number>, size: Record<string, number>): CostOracle {
  return {
    async cost(query, indexes) {
      const column = query.id.slice(1);
      return indexes.some((i) => i.columns[0] === column) ? 100 - benefit[column]! : 100;
    },
    async size(index: IndexCandidate) {
      return index.columns.reduce((sum, c) => sum + size[c]!, 0) + 8 * index.include.length;
    },
  };
}

const queries = (columns: string[]): SearchQuery[] => columns.map((c) => ({ id: `q${c}`, weight: 1, uses: use([c]) }));

describe('extendSearch', () => {
  test('the knapsack correction: one large index worth more than the small ones that fill the budget', async () => {
    await ensureParser();
    const cache = new CostCache(oracle({ a: 10, b: 10, c: 30 }, { a: 10, b: 10, c: 25 }));
    const result = await extendSearch(queries(['a', 'b', 'c']), cache, { budgetBytes: 25, minImprovement: 0 });
    assert.deepEqual(result.indexes.map(candidateKey), ['public.t(c)']);
    assert.equal(result.costBefore - result.costAfter, 30);
    assert.equal(result.stoppedBy, 'budget');
  });

  test('without a budget every useful index is taken; a step below the threshold is not', async () => {
    await ensureParser();
    const cache = new CostCache(oracle({ a: 10, b: 0.01, c: 30 }, { a: 10, b: 10, c: 25 }));
    const result = await extendSearch(queries(['a', 'b', 'c']), cache, { minImprovement: 0.001 });
    assert.deepEqual(result.indexes.map(candidateKey).sort(), ['public.t(a)', 'public.t(c)']);
    assert.equal(result.stoppedBy, 'no-improvement');
    assert.ok(result.evaluations > 0);
  });

  test('the index count limit, and a deadline already past returns at once', async () => {
    await ensureParser();
    const limited = await extendSearch(queries(['a', 'b', 'c']), new CostCache(oracle({ a: 10, b: 20, c: 30 }, { a: 1, b: 1, c: 1 })), { maxIndexes: 2, minImprovement: 0 });
    assert.deepEqual(limited.indexes.map(candidateKey).sort(), ['public.t(b)', 'public.t(c)']);
    assert.equal(limited.stoppedBy, 'max-indexes');
    const late = await extendSearch(queries(['a']), new CostCache(oracle({ a: 10 }, { a: 1 })), { deadline: Date.now() - 1 });
    assert.deepEqual(late.indexes, []);
    assert.equal(late.stoppedBy, 'time-limit');
  });
});
