#!/usr/bin/env node
/** Process entry point: wires main() to the real process. */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});
// Let stdout drain before exiting (a large JSON report piped to another program).
process.exitCode = code;
