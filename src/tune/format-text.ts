/** The terminal report of `tune`: the inputs, a table of current value, recommendation and reason, then notes. A pure function of the result. */
import pc from 'picocolors';
import type { TuneInputs, TuneResult } from './result.js';
import { sinceText } from './server-evidence.js';
import { formatBytes } from './size.js';
import { WORKLOAD_NAMES } from './tune-input.js';

export function formatTuneText(result: TuneResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const { inputs, server } = result;
  out.push(c.bold(`pgarchitect tune: ${server ? `${server.description} (PostgreSQL ${server.version})` : `no server, PostgreSQL ${inputs.postgres.major}`}`));
  out.push(c.dim(`hardware: ${hardwareLine(inputs)}`));
  out.push(c.dim(`workload: ${WORKLOAD_NAMES[inputs.workload.value]}${inputs.workload.source === 'default' ? ' (assumed)' : ''} · ${inputs.connections.value} connections budgeted (${CONNECTION_SOURCES[inputs.connections.source]})`));
  if (server) out.push(c.dim(`server: ${serverLine(result)}`));
  out.push('');

  const rows = result.recommendations;
  const width = (values: string[], min: number): number => Math.max(min, ...values.map((v) => v.length));
  const nameWidth = width(rows.map((r) => r.name), 'setting'.length);
  const currentWidth = width(rows.map((r) => r.current ?? ''), 'current'.length);
  const recommendedWidth = width(rows.map((r) => r.recommended), 'recommended'.length);
  const restartWidth = 'restart'.length;
  out.push(c.dim(`   ${'setting'.padEnd(nameWidth)}  ${'current'.padEnd(currentWidth)}  ${'recommended'.padEnd(recommendedWidth)}  ${'restart'.padEnd(restartWidth)}  why`));
  for (const r of rows) {
    const mark = !server ? ' ' : r.change ? c.yellow('→') : c.green('✓');
    const recommended = r.recommended.padEnd(recommendedWidth);
    out.push(
      ` ${mark} ${r.name.padEnd(nameWidth)}  ${(r.current ?? '').padEnd(currentWidth)}  ${r.change ? c.bold(recommended) : recommended}  ${(r.needsRestart ? 'restart' : '').padEnd(restartWidth)}  ${r.reason}`,
    );
    for (const e of r.evidence) out.push(c.dim(`   ${' '.repeat(nameWidth)}  ↳ ${e}`));
  }
  out.push('');

  const changes = rows.filter((r) => r.change);
  const restarts = changes.filter((r) => r.needsRestart).map((r) => r.name);
  if (server) {
    out.push(
      changes.length === 0
        ? c.bold('Nothing to change: every setting is at (or within 10% of) its recommendation.')
        : c.bold(`${changes.length} setting${changes.length === 1 ? '' : 's'} to change${restarts.length ? `, ${restarts.length} of them after a restart (${restarts.join(', ')})` : ', all with a reload'}.`),
    );
  } else {
    out.push(c.bold(`${rows.length} settings${restarts.length ? `; ${restarts.join(', ')} need${restarts.length === 1 ? 's' : ''} a restart` : ''}.`));
  }
  out.push('Nothing was applied. --format sql prints ALTER SYSTEM statements, --format conf a postgresql.conf snippet; then SELECT pg_reload_conf(), and restart for the settings marked restart.');

  if (result.notes.length) {
    out.push('', c.bold('Notes'));
    for (const note of result.notes) out.push(`  - ${note}`);
  }
  if (result.notExamined.length) {
    out.push('', c.bold('Not examined'));
    for (const item of result.notExamined) out.push(`  - ${item}`);
  }
  return out.join('\n') + '\n';
}

const CONNECTION_SOURCES: Record<TuneInputs['connections']['source'], string> = {
  given: 'given',
  server: "the server's max_connections",
  'workload default': "pgtune's count for the workload",
  lowered: 'a lower max_connections behind a pooler',
};

function hardwareLine(inputs: TuneInputs): string {
  const source = (s: string, note: string | null): string => (note ? `${s}: ${note}` : s);
  const cpus = inputs.cpus.value === null ? 'CPUs unknown' : `${inputs.cpus.value} CPU${inputs.cpus.value === 1 ? '' : 's'} (${source(inputs.cpus.source, inputs.cpus.note)})`;
  return [
    `${formatBytes(inputs.memory.kb * 1024)} memory (${source(inputs.memory.source, inputs.memory.note)})`,
    cpus,
    `${inputs.storage.value} storage (${inputs.storage.source === 'assumed' ? 'assumed' : source(inputs.storage.source, inputs.storage.note)})`,
    `${inputs.os.value} (${inputs.os.source})`,
  ].join(' · ');
}

function serverLine(result: TuneResult): string {
  const s = result.server!;
  const parts: string[] = [];
  if (s.tempFiles !== null) parts.push(`${s.tempFiles.toLocaleString('en-US')} temporary files (${formatBytes(s.tempBytes ?? 0)})`);
  if (s.cacheHitRatio !== null) parts.push(`cache hit ratio ${(s.cacheHitRatio * 100).toFixed(1)}%`);
  if (s.tempFiles !== null || s.cacheHitRatio !== null) parts[0] = `${sinceText(s.statsReset)}: ${parts[0]}`;
  if (s.checkpoints) parts.push(`${s.checkpoints.timed} timed and ${s.checkpoints.requested} requested checkpoints`);
  if (s.clientConnections !== null) parts.push(`${s.clientConnections} of ${s.maxConnections ?? '?'} connections open now`);
  if (s.dataBytes !== null) parts.push(`${formatBytes(s.dataBytes)} of data`);
  return parts.join(' · ') || 'no statistics could be read';
}
