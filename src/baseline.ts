/**
 * `--baseline file.json`: a previous `--format json` result (or `{"fingerprints": [...]}`); findings
 * whose fingerprints it holds are left out, so only new problems are reported.
 */
import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

export function readBaseline(path: string): Set<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${path}: baseline file not found`, 'create it with `pgarchitect review ... --format json > baseline.json`');
    throw new UserError(`${path}: baseline is not valid JSON: ${(error as Error).message}`);
  }
  const value = raw as { findings?: { fingerprint?: unknown }[]; fingerprints?: unknown[] };
  if (Array.isArray(value.fingerprints)) return new Set(value.fingerprints.filter((f): f is string => typeof f === 'string'));
  if (Array.isArray(value.findings)) return new Set(value.findings.map((f) => f.fingerprint).filter((f): f is string => typeof f === 'string'));
  throw new UserError(`${path}: not a baseline`, 'expected a `pgarchitect review --format json` output or {"fingerprints": [...]}');
}
