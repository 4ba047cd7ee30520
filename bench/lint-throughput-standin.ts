/**
 * STAND-IN for `pgarchitect lint <file> --format json`, used by bench/lint-throughput.ts until the built
 * CLI has a `lint` command. It does the work every parse-and-lint run must do, and nothing clever:
 * read the file, parse it whole with libpg-query, walk every node of every statement's tree, apply four
 * trivial checks (SELECT *, DELETE/UPDATE without WHERE, `= NULL`), map each finding's byte offset to
 * line:column, and print the findings as JSON on stdout. Real rules cost more than these checks.
 *
 * Self-contained (node built-ins and libpg-query only), so the benchmark can transpile it to plain
 * JavaScript and run it with `node` alone: the real CLI runs compiled JavaScript, and loading tsx would
 * add about 0.15 s of start-up that the real command does not have.
 *
 * Usage: node lint-throughput-standin.mjs <file.sql> [--parse-only]. Phase times (ms) go to stderr as one
 * JSON line. With --parse-only it stops after the parse and prints only the statement count: the
 * whole-process ceiling of any parse-and-lint built on libpg-query.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadModule, parseSync } from 'libpg-query';

const startupMs = performance.now();

interface Finding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Byte offsets of line starts, so a byte offset maps to line:column by binary search. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

function lineColumn(starts: readonly number[], byteOffset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= byteOffset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: byteOffset - starts[low]! + 1 };
}

interface Hit {
  rule: string;
  location: number;
  message: string;
}

/** Visits every node; returns the number of nodes visited. */
function walk(node: unknown, statementLocation: number, hits: Hit[]): number {
  if (Array.isArray(node)) {
    let visited = 0;
    for (const item of node) visited += walk(item, statementLocation, hits);
    return visited;
  }
  if (!isTree(node)) return 0;
  let visited = 1;
  for (const [key, child] of Object.entries(node)) {
    if (!isTree(child)) {
      if (Array.isArray(child)) visited += walk(child, statementLocation, hits);
      continue;
    }
    const at = typeof child.location === 'number' ? child.location : statementLocation;
    if (key === 'ColumnRef' && Array.isArray(child.fields) && child.fields.some((f) => isTree(f) && 'A_Star' in f)) {
      hits.push({ rule: 'select-star', location: at, message: 'SELECT * returns every column: name the columns' });
    } else if ((key === 'DeleteStmt' || key === 'UpdateStmt') && child.whereClause === undefined) {
      const verb = key === 'DeleteStmt' ? 'DELETE' : 'UPDATE';
      hits.push({ rule: `${verb.toLowerCase()}-without-where`, location: statementLocation, message: `${verb} without WHERE touches every row` });
    } else if (key === 'A_Expr' && child.kind === 'AEXPR_OP' && isTree(child.rexpr) && isTree(child.rexpr.A_Const) && child.rexpr.A_Const.isnull === true) {
      hits.push({ rule: 'equals-null', location: at, message: '= NULL is never true: use IS NULL' });
    }
    visited += walk(child, statementLocation, hits);
  }
  return visited;
}

const file = process.argv[2];
const parseOnly = process.argv[3] === '--parse-only';
if (!file) {
  process.stderr.write('usage: lint-throughput-standin <file.sql> [--parse-only]\n');
  process.exit(2);
}
await loadModule();
const loadedMs = performance.now();
const text = readFileSync(file, 'utf8');
const bytes = Buffer.from(text, 'utf8');
const readMs = performance.now();
const parsed = parseSync(text);
const parsedMs = performance.now();
if (parseOnly) {
  process.stdout.write(`${JSON.stringify({ statements: parsed.stmts?.length ?? 0, findings: [] })}\n`);
  process.exit(0);
}
const hits: Hit[] = [];
let nodes = 0;
for (const raw of parsed.stmts ?? []) nodes += walk(raw.stmt, raw.stmt_location ?? 0, hits);
const starts = lineStarts(bytes);
const findings: Finding[] = hits.map((h) => ({ rule: h.rule, file, ...lineColumn(starts, h.location), message: h.message }));
const walkedMs = performance.now();
process.stdout.write(`${JSON.stringify({ statements: parsed.stmts?.length ?? 0, findings })}\n`);
const writtenMs = performance.now();
process.stderr.write(
  `${JSON.stringify({
    startupMs,
    loadMs: loadedMs - startupMs,
    readMs: readMs - loadedMs,
    parseMs: parsedMs - readMs,
    walkMs: walkedMs - parsedMs,
    outputMs: writtenMs - walkedMs,
    nodes,
  })}\n`,
);
