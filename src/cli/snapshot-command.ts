/** `pgarchitect snapshot`: writes the catalog snapshot as JSON, for offline review later. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { resolveSource, snapshotFromSource } from '../source.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { parseMs } from './options.js';

export interface SnapshotCommandOptions {
  output?: string;
  statementTimeout?: string;
  lockTimeout?: string;
}

export async function snapshotCommand(inputs: string[], options: SnapshotCommandOptions, io: CliIo): Promise<number> {
  const spec = resolveSource(inputs.map((i) => (isConnectionUrl(i) ? i : resolve(io.cwd, i))), io.env);
  if (spec.kind === 'snapshot') throw new UserError('snapshot: the input is a snapshot already');
  const loaded = await snapshotFromSource(spec, {
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  const json = JSON.stringify(loaded.snapshot, null, 2) + '\n';
  if (options.output) writeFileSync(resolve(io.cwd, options.output), json);
  else io.stdout(json);
  for (const e of loaded.errors) io.stderr(`${e.file}:${e.line}:${e.column}: ERROR ${e.sqlstate}: ${e.message}\n`);
  return loaded.errors.length ? EXIT_USAGE : EXIT_OK;
}
