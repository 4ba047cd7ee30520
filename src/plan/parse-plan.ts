/**
 * Reads a plan in either format Postgres writes that people keep: JSON (`EXPLAIN (FORMAT JSON)`) or
 * text (plain `EXPLAIN`), raw or pasted from psql. Anything else is a one-line user error.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { parsePlanJson, stripPsqlDecoration } from './parse-json.js';
import { parsePlanText } from './parse-text.js';
import type { ExplainOutput } from './types.js';

export type PlanFormat = 'json' | 'text';

/** Which format `text` is in, judged by its first character after psql's decoration. */
export function detectPlanFormat(text: string, origin = 'plan'): PlanFormat {
  const body = stripPsqlDecoration(text).trimStart();
  if (body === '') throw new UserError(`${origin}: empty plan`, 'give the output of EXPLAIN (FORMAT JSON) or of EXPLAIN in the text format');
  if (body.startsWith('[') || body.startsWith('{')) return 'json';
  if (body.startsWith('<')) throw new UserError(`${origin}: XML plans are not supported`, 'run EXPLAIN with FORMAT JSON, or in the text format');
  if (/^- Plan:|^Plan:/m.test(body.split('\n')[0] ?? '')) throw new UserError(`${origin}: YAML plans are not supported`, 'run EXPLAIN with FORMAT JSON, or in the text format');
  return 'text';
}

export function parsePlan(text: string, origin = 'plan'): { explain: ExplainOutput; format: PlanFormat } {
  const format = detectPlanFormat(text, origin);
  return { explain: format === 'json' ? parsePlanJson(text, origin) : parsePlanText(text, origin), format };
}

/** Reads and parses a plan file; a missing file or a file that is not a plan is a UserError. */
export function readPlanFile(path: string, displayName = path): { explain: ExplainOutput; format: PlanFormat } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${displayName}: no such file`);
    if (code === 'EISDIR') throw new UserError(`${displayName}: is a folder, not a plan file`);
    throw new UserError(`${displayName}: cannot read: ${(error as Error).message}`);
  }
  return parsePlan(text, displayName);
}
