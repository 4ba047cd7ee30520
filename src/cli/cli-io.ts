/** What a command needs from the outside world; main.ts provides the real one, tests a captured one. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress). */
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, input or connection errors. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
