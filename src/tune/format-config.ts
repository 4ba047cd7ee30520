/**
 * `tune --format sql` (ALTER SYSTEM statements) and `--format conf` (a postgresql.conf snippet): the
 * settings to change, each after a comment with its reason, and a header saying how to apply them and
 * which need a restart. Pure functions of the result; pgarchitect itself never applies them.
 */
import type { TuneRecommendation, TuneResult } from './result.js';
import { WORKLOAD_NAMES } from './tune-input.js';

/** ALTER SYSTEM statements for the settings to change (every recommendation without a server). */
export function formatTuneSql(result: TuneResult): string {
  const changes = toChange(result);
  const lines = header(result).map((l) => `-- ${l}`);
  if (changes.length === 0) return [...lines, '-- Nothing to change.'].join('\n') + '\n';
  lines.push(
    '-- ALTER SYSTEM writes postgresql.auto.conf, which overrides postgresql.conf. Run this as a superuser (or a role',
    '-- granted ALTER SYSTEM on these parameters), outside a transaction block: psql -f runs each statement on its own.',
    ...applyLines(changes).map((l) => `-- ${l}`),
  );
  for (const r of changes) lines.push('', `-- ${comment(r)}`, `ALTER SYSTEM SET ${r.name} = ${quoteLiteral(r.recommended)};`);
  return lines.join('\n') + '\n';
}

/** `name = 'value'` lines for postgresql.conf (or a file it includes) for the settings to change. */
export function formatTuneConf(result: TuneResult): string {
  const changes = toChange(result);
  const lines = header(result).map((l) => `# ${l}`);
  if (changes.length === 0) return [...lines, '# Nothing to change.'].join('\n') + '\n';
  lines.push('# Put these in postgresql.conf, or in a file it includes (include_dir); a later line wins over an earlier one.', ...applyLines(changes).map((l) => `# ${l}`));
  for (const r of changes) lines.push('', `# ${comment(r)}`, `${r.name} = ${quoteLiteral(r.recommended)}`);
  return lines.join('\n') + '\n';
}

/** A string literal (values are plain words and sizes; src/sql/quote.ts would load the parser for nothing). */
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function toChange(result: TuneResult): TuneRecommendation[] {
  return result.recommendations.filter((r) => r.change);
}

function header(result: TuneResult): string[] {
  const { inputs, server } = result;
  const cpus = inputs.cpus.value === null ? 'CPUs unknown' : `${inputs.cpus.value} CPUs`;
  return [
    `pgarchitect tune ${server ? `for ${server.description} (PostgreSQL ${server.version})` : `for PostgreSQL ${inputs.postgres.major}, without a server`}`,
    `${inputs.memory.display} memory, ${cpus}, ${inputs.storage.value} storage; ${WORKLOAD_NAMES[inputs.workload.value]} workload, ${inputs.connections.value} connections.`,
  ];
}

function applyLines(changes: TuneRecommendation[]): string[] {
  const restart = changes.filter((r) => r.needsRestart).map((r) => r.name);
  const reload = changes.length - restart.length;
  return [
    ...(reload ? ['Then reload the configuration: SELECT pg_reload_conf();'] : []),
    ...(restart.length ? [`Restart the server for ${restart.join(', ')}: ${restart.length === 1 ? 'it takes' : 'they take'} effect only then.`] : []),
  ];
}

function comment(r: TuneRecommendation): string {
  const from = r.current === null ? '' : ` (now ${r.current})`;
  return `${r.name}${from}: ${r.reason}${r.needsRestart ? ' [restart]' : ''}`;
}
