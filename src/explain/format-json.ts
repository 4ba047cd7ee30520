/** `explain --format json`: the result as is (Postgres's plan untouched, pgarchitect's analysis beside it). */
import type { ExplainResult } from './result.js';

export function formatExplainJson(result: ExplainResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
