/** `--format json`: the result as is (the documented contract, see docs/json-output.md). */
import type { ReviewResult } from '../result.js';

export function formatJson(result: ReviewResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
