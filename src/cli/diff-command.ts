/** `pgarchitect diff --from ... --to ...`: the CLI layer over `diffSources()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isConnectionUrl } from '../db/connection-config.js';
import { diffSources } from '../diff/diff.js';
import { hasDifferences, type DiffResult } from '../diff/diff-result.js';
import { DIFF_FORMATS, formatDiff } from '../diff/format.js';
import { UserError } from '../errors.js';
import { resolveSource, type SourceSpec } from '../source.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

/** The options commander parses for `diff`. */
export interface DiffCommandOptions {
  from: string[];
  to: string[];
  format: string;
  output?: string;
  allowDrops?: boolean;
  concurrently?: boolean;
  statementTimeout?: string;
  lockTimeout?: string;
}

/** Exit 0 when the schemas are the same, 1 when they differ (like `diff`), 2 on bad input. */
export async function diffCommand(options: DiffCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, DIFF_FORMATS, '--format');
  const from = sourceOf(options.from, '--from', io);
  const to = sourceOf(options.to, '--to', io);
  if (io.isTty && !options.output) io.stderr('pgarchitect: reading both schemas…\n');
  const result = await diffSources(from, to, {
    allowDrops: options.allowDrops ?? false,
    concurrently: options.concurrently ?? true,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  relativise(result, io.cwd);
  const text = formatDiff(result, format);
  if (options.output) {
    writeFileSync(resolve(io.cwd, options.output), text);
    const held = result.steps.filter((s) => !s.applied).length;
    io.stderr(
      hasDifferences(result)
        ? `pgarchitect: wrote ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} to ${options.output}${held ? ` (${held} as comments: destructive or to do by hand)` : ''}\n`
        : `pgarchitect: no differences (${options.output} says so)\n`,
    );
  } else {
    io.stdout(text);
  }
  return hasDifferences(result) ? EXIT_FINDINGS : EXIT_OK;
}

function sourceOf(inputs: string[] | undefined, flag: string, io: CliIo): SourceSpec {
  if (!inputs || inputs.length === 0) throw new UserError(`${flag}: give .sql files, a migrations folder, a snapshot .json or a postgres:// URL`);
  return resolveSource(
    inputs.map((i) => (isConnectionUrl(i) ? i : resolve(io.cwd, i))),
    io.env,
  );
}

/** Inputs were made absolute for loading; show them relative to where the user stands. */
function relativise(result: DiffResult, cwd: string): void {
  const rel = (p: string): string => (p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p);
  for (const side of [result.from, result.to]) side.description = side.description.split(', ').map(rel).join(', ');
}
