/** Lint rules in tests: lint SQL text with one rule, optionally against a schema, and check rewrites. */
import assert from 'node:assert/strict';
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../../src/config/config.js';
import type { Finding } from '../../src/finding.js';
import { lint } from '../../src/lint/lint.js';
import type { AnyQueryRule } from '../../src/rules/query-rule.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';

export interface LintWithOptions {
  schema?: CatalogSnapshot;
  options?: Record<string, unknown>;
}

/** The findings of `rule` on `sql` (file `q.sql`); fails on parse errors and on a skipped rule. */
export async function lintWith(rule: AnyQueryRule, sql: string, with_: LintWithOptions = {}): Promise<Finding[]> {
  const config: Config = with_.options ? { ...EMPTY_CONFIG, rules: { [rule.meta.id]: { options: with_.options } } } : EMPTY_CONFIG;
  const result = await lint({ text: sql, file: 'q.sql' }, { rules: [rule], schema: with_.schema, config });
  assert.deepEqual(result.errors, [], 'the test SQL parses');
  if (result.skipped.length) throw new Error(`rule skipped: ${result.skipped[0]!.reason}`);
  return result.findings;
}

/** Asserts that a fix's SQL parses, and returns it. */
export async function assertParses(sql: string): Promise<string> {
  await ensureParser();
  assert.doesNotThrow(() => parseSync(sql), `parses: ${sql}`);
  return sql;
}
