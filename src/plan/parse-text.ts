/**
 * Reads EXPLAIN's text format, as people paste it from psql (with ANALYZE, BUFFERS, VERBOSE, SETTINGS),
 * into the keys of the JSON format. The tree is given by indentation and `->`: a node's details are
 * indented two columns past its name, its children's arrows too; `SubPlan n`, `InitPlan n` and `CTE x`
 * lines open a group of children of that kind. What the text format does not show (the Outer/Inner
 * relationship, for instance) is inferred the way Postgres orders the children.
 */
import { UserError } from '../errors.js';
import { stripPsqlDecoration } from './parse-json.js';
import { parseNodeName } from './node-name.js';
import type { ExplainOutput, PlanNode, PlanTrigger, PlanWorker } from './types.js';

const NOT_A_PLAN_HINT = 'give the output of EXPLAIN (FORMAT JSON) or of EXPLAIN in the text format, as psql prints it';

const HEADER =
  /^(?<name>.+?)(?:\s+\(cost=(?<startup>-?[\d.]+)\.\.(?<total>-?[\d.]+) rows=(?<rows>\d+) width=(?<width>\d+)\))?(?:\s+\((?:actual (?:time=(?<astart>[\d.]+)\.\.(?<atotal>[\d.]+) )?rows=(?<arows>[\d.]+) loops=(?<loops>\d+)|(?<never>never executed))\))?$/;
const ACTUAL = /^actual (?:time=(?<astart>[\d.]+)\.\.(?<atotal>[\d.]+) )?rows=(?<arows>[\d.]+) loops=(?<loops>\d+)$/;
const GROUP = /^(?:(?<kind>SubPlan|InitPlan) \d+.*|CTE .+)$/;
/** Node names a plan without costs can start with (EXPLAIN (COSTS OFF)). */
const KNOWN_ROOT =
  /^(?:Parallel |Async )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan|Result|Append|Merge Append|Limit|Sort|Incremental Sort|Aggregate|HashAggregate|GroupAggregate|MixedAggregate|Partial |Finalize |Hash|Nested Loop|Merge|Gather|Materialize|Memoize|Unique|WindowAgg|LockRows|ProjectSet|SetOp|HashSetOp|Group|Insert on|Update on|Delete on|Merge on|Subquery Scan|Function Scan|Values Scan|CTE Scan|Tid Scan|Tid Range Scan|Foreign Scan|Custom Scan|Sample Scan|Recursive Union|BitmapAnd|BitmapOr|Table Function Scan|Named Tuplestore Scan|WorkTable Scan)/;
/** Details whose values are lists. */
const LIST_KEYS = new Set(['Output', 'Sort Key', 'Group Key', 'Presorted Key', 'Hash Key', 'Partition Key']);

interface NodeFrame {
  kind: 'node';
  node: PlanNode;
  /** Column of the node's name. */
  indent: number;
  worker: PlanWorker | null;
  regularChildren: number;
}

interface GroupFrame {
  kind: 'group';
  owner: PlanNode;
  name: string;
  relationship: 'InitPlan' | 'SubPlan';
  indent: number;
}

type Frame = NodeFrame | GroupFrame;

export function parsePlanText(text: string, origin = 'plan'): ExplainOutput {
  const lines = stripPsqlDecoration(text)
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new UserError(`${origin}: empty plan`, NOT_A_PLAN_HINT);
  const base = indentOf(lines[0]!);
  const first = lines[0]!.trim().replace(/^->\s+/, '');
  const header = HEADER.exec(first);
  if (!header || !(header.groups!.total !== undefined || header.groups!.arows !== undefined || header.groups!.never || KNOWN_ROOT.test(first))) {
    throw new UserError(`${origin}: not an EXPLAIN plan: the first line "${truncate(first)}" is not a plan node`, NOT_A_PLAN_HINT);
  }
  const root = nodeFromHeader(header.groups!);
  const output: ExplainOutput = { Plan: root };
  const stack: Frame[] = [{ kind: 'node', node: root, indent: 0, worker: null, regularChildren: 0 }];
  let section: { key: string; target: Record<string, unknown> } | null = null;

  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    const indent = Math.max(0, indentOf(raw) - base);
    const content = raw.trim();
    if (indent === 0 || section) {
      if (indent === 0) section = topLevel(content, output);
      else if (section) detail(content, section.target, section.key);
      continue;
    }
    while (stack.length > 1 && stack.at(-1)!.indent >= indent) stack.pop();
    const top = stack.at(-1)!;

    if (content.startsWith('->')) {
      const name = content.replace(/^->\s+/, '');
      const match = /^[A-Za-z]/.test(name) ? HEADER.exec(name) : null;
      if (!match) throw new UserError(`${origin}:${i + 1}: cannot read the plan node "${truncate(name)}"`, NOT_A_PLAN_HINT);
      const node = nodeFromHeader(match.groups!);
      attachChild(top, node);
      stack.push({ kind: 'node', node, indent: indent + content.indexOf(name), worker: null, regularChildren: 0 });
      continue;
    }
    const group = GROUP.exec(content);
    if (group && top.kind === 'node') {
      stack.push({
        kind: 'group',
        owner: top.node,
        name: content,
        relationship: group.groups!.kind === 'SubPlan' ? 'SubPlan' : 'InitPlan',
        indent,
      });
      continue;
    }
    if (top.kind !== 'node') throw new UserError(`${origin}:${i + 1}: expected a plan node under "${top.name}", found "${truncate(content)}"`, NOT_A_PLAN_HINT);
    const workerLine = /^Worker (\d+):\s*(.*)$/.exec(content);
    if (workerLine) {
      const worker: PlanWorker = { 'Worker Number': Number(workerLine[1]) };
      ((top.node.Workers ??= []) as PlanWorker[]).push(worker);
      top.worker = worker;
      const rest = workerLine[2]!.trim();
      const actual = ACTUAL.exec(rest);
      if (actual) setActuals(worker, actual.groups!);
      else if (rest) detail(rest, worker);
      continue;
    }
    // Details of a worker are indented past the node's own details.
    if (top.worker && indent > top.indent + 2) detail(content, top.worker);
    else {
      top.worker = null;
      detail(content, top.node);
    }
  }
  inferRelationships(root);
  return output;
}

function nodeFromHeader(groups: Record<string, string | undefined>): PlanNode {
  const node = parseNodeName(groups.name!);
  if (groups.total !== undefined) {
    node['Startup Cost'] = Number(groups.startup);
    node['Total Cost'] = Number(groups.total);
    node['Plan Rows'] = Number(groups.rows);
    node['Plan Width'] = Number(groups.width);
  }
  if (groups.never) {
    node['Actual Startup Time'] = 0;
    node['Actual Total Time'] = 0;
    node['Actual Rows'] = 0;
    node['Actual Loops'] = 0;
  } else if (groups.arows !== undefined) {
    setActuals(node, groups);
  }
  return node;
}

function setActuals(target: Record<string, unknown>, groups: Record<string, string | undefined>): void {
  if (groups.atotal !== undefined) {
    target['Actual Startup Time'] = Number(groups.astart);
    target['Actual Total Time'] = Number(groups.atotal);
  }
  target['Actual Rows'] = Number(groups.arows);
  target['Actual Loops'] = Number(groups.loops);
}

function attachChild(parent: Frame, node: PlanNode): void {
  if (parent.kind === 'group') {
    node['Parent Relationship'] = parent.relationship;
    node['Subplan Name'] = parent.name;
    (parent.owner.Plans ??= []).push(node);
    return;
  }
  (parent.node.Plans ??= []).push(node);
}

/** Outer/Inner/Member/Subquery, as Postgres names the plain children of each node type. */
function inferRelationships(node: PlanNode): void {
  const regular = (node.Plans ?? []).filter((child) => child['Parent Relationship'] === undefined);
  const type = node['Node Type'];
  regular.forEach((child, i) => {
    if (['Append', 'Merge Append', 'BitmapAnd', 'BitmapOr', 'Custom Scan'].includes(type)) child['Parent Relationship'] = 'Member';
    else if (type === 'Subquery Scan') child['Parent Relationship'] = 'Subquery';
    else child['Parent Relationship'] = i === 0 ? 'Outer' : 'Inner';
  });
  for (const child of node.Plans ?? []) inferRelationships(child);
}

/** A line at the left margin after the tree: times, Planning, JIT, Settings, Triggers. */
function topLevel(content: string, output: ExplainOutput): { key: string; target: Record<string, unknown> } | null {
  const trigger = /^Trigger (.+?): time=([\d.]+) calls=(\d+)$/.exec(content);
  if (trigger) {
    const entry: PlanTrigger = { 'Trigger Name': trigger[1]!, Time: Number(trigger[2]), Calls: Number(trigger[3]) };
    const named = /^(.+?)(?: for constraint (.+?))?(?: on (.+))?$/.exec(trigger[1]!);
    if (named) {
      entry['Trigger Name'] = named[1]!;
      if (named[2]) entry['Constraint Name'] = named[2];
      if (named[3]) entry.Relation = named[3];
    }
    (output.Triggers ??= []).push(entry);
    return null;
  }
  const pair = /^([^:]+):\s*(.*)$/.exec(content);
  if (!pair) return null;
  const [, key, value] = pair as unknown as [string, string, string];
  switch (key) {
    case 'Planning Time':
    case 'Execution Time':
      output[key] = parseFloat(value);
      return null;
    case 'Planning':
      return { key, target: (output.Planning = {}) };
    case 'JIT':
      return { key, target: (output.JIT = {}) as Record<string, unknown> };
    case 'Settings':
      output.Settings = parseSettings(value);
      return null;
    case 'Query Identifier':
      output['Query Identifier'] = Number.isSafeInteger(Number(value)) ? Number(value) : value;
      return null;
    default:
      output[key] = scalar(value);
      return null;
  }
}

/** One `Key: value` detail line into its JSON keys. `section` is set inside Planning/JIT blocks. */
function detail(content: string, target: Record<string, unknown>, section?: string): void {
  const pair = /^([^:]+?):\s+(.*)$/.exec(content) ?? /^([^:]+):()$/.exec(content);
  if (!pair) return;
  const key = pair[1]!;
  const value = pair[2]!.trim();
  if (section === 'JIT') {
    if (key === 'Functions') target.Functions = Number(value);
    else if (key === 'Options') target.Options = Object.fromEntries(value.split(', ').map((part) => {
      const [name, flag] = part.split(' ');
      return [name!, flag === 'true'];
    }));
    else if (key === 'Timing') target.Timing = parseJitTiming(value);
    else target[key] = scalar(value);
    return;
  }
  switch (key) {
    case 'Buffers':
      Object.assign(target, parseBuffers(value));
      return;
    case 'I/O Timings':
      Object.assign(target, parseIoTimings(value));
      return;
    case 'WAL':
      for (const [, name, n] of value.matchAll(/(\w+)=(\d+)/g)) target[`WAL ${name === 'fpi' ? 'FPI' : name![0]!.toUpperCase() + name!.slice(1)}`] = Number(n);
      return;
    case 'Heap Blocks':
      for (const [, kind, n] of value.matchAll(/(exact|lossy)=(\d+)/g)) target[kind === 'exact' ? 'Exact Heap Blocks' : 'Lossy Heap Blocks'] = Number(n);
      return;
    case 'Sort Method': {
      const m = /^(.+?)\s{2}(Memory|Disk): (\d+)kB$/.exec(value);
      target['Sort Method'] = m ? m[1] : value;
      if (m) {
        target['Sort Space Used'] = Number(m[3]);
        target['Sort Space Type'] = m[2];
      }
      return;
    }
    case 'Buckets':
    case 'Batches':
    case 'Planned Partitions':
    case 'Hits':
    case 'Full-sort Groups':
    case 'Pre-sorted Groups':
    case 'Storage':
      Object.assign(target, parseCombined(`${key}: ${value}`));
      return;
  }
  if (LIST_KEYS.has(key)) target[key] = splitList(value);
  else target[key] = scalar(value);
}

/** Lines holding several `Name: value` pairs separated by two spaces. */
function parseCombined(line: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pairs = line.split(/\s{2,}/).map((part) => /^([^:]+):\s*(.*)$/.exec(part)).filter((m): m is RegExpExecArray => m !== null);
  const first = pairs[0]?.[1];
  if (first === 'Full-sort Groups' || first === 'Pre-sorted Groups') {
    const group: Record<string, unknown> = {};
    for (const [, name, value] of pairs) {
      if (name === first) group['Group Count'] = Number(value);
      else if (name === 'Sort Method' || name === 'Sort Methods') group['Sort Methods Used'] = value!.split(', ');
      else if (name === 'Average Memory' || name === 'Peak Memory' || name === 'Average Disk' || name === 'Peak Disk') {
        const space = name.endsWith('Memory') ? 'Sort Space Memory' : 'Sort Space Disk';
        const bucket = (group[space] ??= {}) as Record<string, number>;
        bucket[name.startsWith('Average') ? 'Average Sort Space Used' : 'Peak Sort Space Used'] = kilobytes(value!);
      }
    }
    out[first] = group;
    return out;
  }
  const hashNode = first === 'Buckets';
  const memoize = first === 'Hits';
  for (const [, name, value] of pairs) {
    const original = /^(\d+) \(originally (\d+)\)$/.exec(value!);
    const n = original ? Number(original[1]) : kilobytesOrNumber(value!);
    switch (name) {
      case 'Buckets':
        out['Hash Buckets'] = n;
        out['Original Hash Buckets'] = original ? Number(original[2]) : n;
        break;
      case 'Batches':
        if (hashNode) {
          out['Hash Batches'] = n;
          out['Original Hash Batches'] = original ? Number(original[2]) : n;
        } else out['HashAgg Batches'] = n;
        break;
      case 'Memory Usage':
        out['Peak Memory Usage'] = n;
        break;
      case 'Hits':
      case 'Misses':
      case 'Evictions':
      case 'Overflows':
        out[memoize ? `Cache ${name}` : name] = n;
        break;
      case 'Maximum Storage':
        out['Maximum Storage'] = n;
        break;
      default:
        out[name!] = typeof n === 'number' && !Number.isNaN(n) ? n : value;
    }
  }
  return out;
}

function parseBuffers(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(/,\s*/)) {
    const kind = /^(shared|local|temp)\s+(.*)$/.exec(part);
    if (!kind) continue;
    const prefix = kind[1]![0]!.toUpperCase() + kind[1]!.slice(1);
    for (const [, name, n] of kind[2]!.matchAll(/(hit|read|dirtied|written)=(\d+)/g)) {
      out[`${prefix} ${name![0]!.toUpperCase() + name!.slice(1)} Blocks`] = Number(n);
    }
  }
  return out;
}

function parseIoTimings(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(/,\s*/)) {
    const kind = /^(?:(shared|local|temp)\s+)?(.*)$/.exec(part)!;
    const prefix = kind[1] ? `${kind[1][0]!.toUpperCase()}${kind[1].slice(1)} ` : '';
    for (const [, name, n] of kind[2]!.matchAll(/(read|write)=([\d.]+)/g)) {
      out[`${prefix}I/O ${name === 'read' ? 'Read' : 'Write'} Time`] = Number(n);
    }
  }
  return out;
}

/** `Generation 0.4 ms, Inlining 4.8 ms, ...` (PostgreSQL 17: `Generation 0.4 ms (Deform 0.1 ms)`). */
function parseJitTiming(value: string): Record<string, number | Record<string, number>> {
  const out: Record<string, number | Record<string, number>> = {};
  for (const [, name, ms, deform] of value.matchAll(/(\w+) ([\d.]+) ms(?: \(Deform ([\d.]+) ms\))?/g)) {
    out[name!] = deform !== undefined ? { Deform: Number(deform), Total: Number(ms) } : Number(ms);
  }
  return out;
}

/** `work_mem = '64kB', search_path = 'a, b'` */
function parseSettings(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, name, quoted] of value.matchAll(/([\w.]+) = '((?:[^']|'')*)'/g)) out[name!] = quoted!.replace(/''/g, "'");
  return out;
}

/** Splits `a, f(b, c), 'x, y'::text` at the commas outside parentheses, brackets and quotes. */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) items.push(last);
  return items;
}

function scalar(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function kilobytes(value: string): number {
  return Number(value.replace(/kB$/, ''));
}

function kilobytesOrNumber(value: string): number | string {
  const n = Number(value.replace(/kB$/, ''));
  return Number.isNaN(n) ? value : n;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
