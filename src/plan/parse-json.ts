/**
 * Reads `EXPLAIN (FORMAT JSON)` output: the array Postgres returns, one element of it, or the same
 * pasted from psql (with its `QUERY PLAN` header, dashes, `+` line continuations and row count).
 * The plan is kept exactly as Postgres wrote it.
 */
import { UserError } from '../errors.js';
import type { ExplainOutput } from './types.js';

const NOT_A_PLAN_HINT = 'give the output of EXPLAIN (FORMAT JSON) or of EXPLAIN in the text format, as psql prints it';

export function parsePlanJson(text: string, origin = 'plan'): ExplainOutput {
  const cleaned = stripPsqlDecoration(text);
  // Query identifiers are 64-bit: kept as text when a JavaScript number would round them.
  const exact = cleaned.replace(/("Query Identifier"\s*:\s*)(-?\d+)/g, (match, key: string, digits: string) =>
    Number.isSafeInteger(Number(digits)) ? match : `${key}"${digits}"`,
  );
  let raw: unknown;
  try {
    raw = JSON.parse(exact);
  } catch (error) {
    throw new UserError(`${origin}: not a JSON plan: ${(error as Error).message}`, NOT_A_PLAN_HINT);
  }
  return explainOutputOf(raw, origin);
}

/** Checks the shape of parsed JSON and returns the one EXPLAIN result in it. */
export function explainOutputOf(raw: unknown, origin = 'plan'): ExplainOutput {
  let value = raw;
  // Some tools export the result set: [{"QUERY PLAN": [...]}].
  if (Array.isArray(value) && value.length === 1 && isObject(value[0]) && 'QUERY PLAN' in value[0]) value = value[0]['QUERY PLAN'];
  if (isObject(value) && 'QUERY PLAN' in value) value = value['QUERY PLAN'];
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new UserError(`${origin}: expected one EXPLAIN result, found an array of ${value.length}`, NOT_A_PLAN_HINT);
    value = value[0];
  }
  if (isObject(value) && !('Plan' in value) && typeof value['Node Type'] === 'string') value = { Plan: value };
  if (!isObject(value) || !isObject(value.Plan)) {
    throw new UserError(`${origin}: not an EXPLAIN plan: no "Plan" object with a "Node Type"`, NOT_A_PLAN_HINT);
  }
  checkNode(value.Plan, origin, 'Plan');
  return value as ExplainOutput;
}

function checkNode(node: Record<string, unknown>, origin: string, path: string): void {
  if (typeof node['Node Type'] !== 'string') throw new UserError(`${origin}: not an EXPLAIN plan: ${path} has no "Node Type"`, NOT_A_PLAN_HINT);
  const plans = node.Plans;
  if (plans === undefined) return;
  if (!Array.isArray(plans)) throw new UserError(`${origin}: not an EXPLAIN plan: "Plans" of ${path} is not an array`, NOT_A_PLAN_HINT);
  plans.forEach((child, i) => {
    if (!isObject(child)) throw new UserError(`${origin}: not an EXPLAIN plan: ${path}.Plans[${i}] is not an object`, NOT_A_PLAN_HINT);
    checkNode(child, origin, `${path}.Plans[${i}]`);
  });
}

/**
 * Removes what psql adds around a value: the `QUERY PLAN` header and its dashes, the `(1 row)` footer
 * and the ` +` that marks a line continued inside one value.
 */
export function stripPsqlDecoration(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !/^\s*QUERY PLAN\s*$/.test(line) && !/^\s*-{3,}\+?-*\s*$/.test(line) && !/^\s*\(\d+ rows?\)\s*$/.test(line));
  // psql marks a line continued within one value with a final `+`: on every line but the last.
  const content = lines.filter((line) => line.trim() !== '');
  const continued = content.filter((line) => /\+\s*$/.test(line)).length >= content.length / 2;
  return lines.map((line) => (continued ? line.replace(/\s*\+\s*$/, '') : line).replace(/\s+$/, '')).join('\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
