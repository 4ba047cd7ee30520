/**
 * Runs a PostgreSQL program (pg_dump, pg_restore, pgbackrest) as a child process: arguments never hold
 * a password, stderr is kept (password-free) for the report, and an AbortSignal stops it.
 */
import { spawn } from 'node:child_process';
import { redactPassword } from '../db/connection-config.js';

export interface ProgramRun {
  /** Exit code; null when the program was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds from start to exit. */
  seconds: number;
}

export interface RunProgramOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called once the process exists, with its pid (for tests that kill it, and for progress). */
  onStart?(pid: number): void;
  /** Called with each complete line of stderr as it comes. */
  onStderrLine?(line: string): void;
}

/** Runs `path args`, resolves when it exits (whatever the code); rejects only when it cannot start. */
export function runProgram(path: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(path, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const kill = (): void => {
      child.kill('SIGTERM');
    };
    if (options.signal?.aborted) kill();
    options.signal?.addEventListener('abort', kill, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine?.(redactPassword(line));
    });
    child.once('spawn', () => {
      if (child.pid !== undefined) options.onStart?.(child.pid);
    });
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', kill);
      reject(error);
    });
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', kill);
      if (partial) options.onStderrLine?.(redactPassword(partial));
      resolve({ code, signal, stdout, stderr: redactPassword(stderr), seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

/** The lines of a program's stderr that report errors, without the program name prefix. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(pg_dump|pg_restore|pgbackrest|psql|initdb|pg_ctl)?:?\s*(error|fatal|FATAL|ERROR)/i.test(line) || /^(ERROR|FATAL):/.test(line))
    .map((line) => line.replace(/^(pg_dump|pg_restore|pgbackrest|initdb|pg_ctl):\s*/, ''));
}
