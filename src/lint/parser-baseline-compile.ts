/**
 * Has V8 compile the parser's WebAssembly (libpg-query: PostgreSQL's grammar and raw parser, about
 * 1.3 MB) with its baseline compiler only, for this process's one parser module.
 *
 * By default V8 compiles WebAssembly with the quick baseline compiler (Liftoff) and then recompiles
 * the functions that run hot with the optimising one (TurboFan), on background threads. The parser's
 * hot functions are few and very large, and a lint run is over before the recompiled code pays back
 * what it cost: linting 10,000 statements took 0.96 s of wall time and 1.6 s of CPU with it, 0.76 s
 * and 1.0 s without (bench/lint-throughput.ts, 2 cores). Baseline code is about 15% slower once
 * warm, which only a much longer run would notice.
 *
 * V8 reads these flags when it compiles a module, and lazily compiled functions on their first call,
 * so the module is compiled eagerly while they are set, and Node's defaults are put back as soon as
 * it is loaded: WebAssembly compiled afterwards (PGlite's PostgreSQL) is compiled as usual. The
 * flags are set while the module graph that loads libpg-query is evaluated: its compilation starts
 * later, after its file has been read. Left alone when the user gave WebAssembly flags to node.
 */
import { setFlagsFromString } from 'node:v8';
import { ensureParser } from '../sql/parser.js';

const BASELINE_ONLY = '--liftoff-only --no-wasm-lazy-compilation';
/** Node's defaults for the flags above, and for those `--liftoff-only` turns off with it. */
const NODE_DEFAULTS = '--no-liftoff-only --wasm-lazy-compilation --wasm-tier-up --wasm-dynamic-tiering';

function userSetWasmFlags(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /liftoff|wasm/.test(arg));
}

if (!userSetWasmFlags()) {
  setFlagsFromString(BASELINE_ONLY);
  const restore = (): void => setFlagsFromString(NODE_DEFAULTS);
  ensureParser().then(restore, restore);
}
