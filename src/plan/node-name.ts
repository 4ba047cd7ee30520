/**
 * A node's name as EXPLAIN's text format prints it (`Parallel Seq Scan on orders o`,
 * `Hash Left Join`, `Partial HashAggregate`), in both directions: built from the JSON keys for labels
 * and messages, and read back into the JSON keys by the text-format parser.
 */
import type { PlanNode } from './types.js';

const JOIN_NODES: Record<string, string> = { 'Nested Loop': 'Nested Loop', Hash: 'Hash Join', Merge: 'Merge Join' };
const JOIN_TYPES = ['Right Semi', 'Right Anti', 'Left', 'Full', 'Right', 'Semi', 'Anti'];
const AGGREGATE_STRATEGIES: Record<string, string> = { Aggregate: 'Plain', GroupAggregate: 'Sorted', HashAggregate: 'Hashed', MixedAggregate: 'Mixed' };
const SETOP_COMMANDS = ['Intersect All', 'Intersect', 'Except All', 'Except'];
const MODIFY_OPERATIONS = ['Insert', 'Update', 'Delete', 'Merge'];
/** Scans printed as `<type> on <relation> [alias]`. */
const RELATION_SCANS = ['Seq Scan', 'Bitmap Heap Scan', 'Tid Scan', 'Tid Range Scan', 'Sample Scan', 'Foreign Scan'];

/**
 * The node's name in the text format's words, without schema: `Index Scan using orders_pkey on orders o`.
 * The alias is shown only where it differs from the relation's name, as Postgres does.
 */
export function nodeLabel(node: PlanNode): string {
  const type = node['Node Type'];
  let name: string;
  switch (type) {
    case 'Aggregate': {
      const strategy = node.Strategy ?? 'Plain';
      const base = Object.keys(AGGREGATE_STRATEGIES).find((k) => AGGREGATE_STRATEGIES[k] === strategy) ?? 'Aggregate';
      const mode = node['Partial Mode'];
      name = mode === 'Partial' || mode === 'Finalize' ? `${mode} ${base}` : base;
      break;
    }
    case 'SetOp':
      name = `${node.Strategy === 'Hashed' ? 'HashSetOp' : 'SetOp'}${node.Command ? ` ${node.Command}` : ''}`;
      break;
    case 'ModifyTable':
      name = node.Operation ?? 'ModifyTable';
      break;
    case 'Nested Loop':
    case 'Hash Join':
    case 'Merge Join': {
      const joinType = node['Join Type'] ?? 'Inner';
      const stem = type === 'Nested Loop' ? 'Nested Loop' : type.replace(/ Join$/, '');
      name = joinType === 'Inner' ? (type === 'Nested Loop' ? stem : `${stem} Join`) : `${stem} ${joinType} Join`;
      break;
    }
    default:
      name = type;
  }
  if (node['Scan Direction'] === 'Backward') name += ' Backward';
  if ((type === 'Index Scan' || type === 'Index Only Scan') && node['Index Name']) name += ` using ${node['Index Name']}`;
  if (type === 'Bitmap Index Scan' && node['Index Name']) name += ` on ${node['Index Name']}`;
  const target = node['Relation Name'] ?? node['Function Name'] ?? node['CTE Name'] ?? node['Table Function Name'];
  if (typeof target === 'string') {
    name += ` on ${target}`;
    if (node.Alias && node.Alias !== target) name += ` ${node.Alias}`;
  } else if ((type === 'Subquery Scan' || type === 'Values Scan') && node.Alias) {
    name += ` on ${node.Alias}`;
  }
  const prefix = `${node['Parallel Aware'] ? 'Parallel ' : ''}${node['Async Capable'] ? 'Async ' : ''}`;
  return prefix + name;
}

/**
 * Reads a text-format node name into JSON keys: `Parallel Index Scan Backward using i on public.t x`
 * gives Node Type, Parallel Aware, Scan Direction, Index Name, Schema, Relation Name and Alias.
 * Unknown names are kept whole as the Node Type.
 */
export function parseNodeName(text: string): PlanNode {
  const node: PlanNode = { 'Node Type': text };
  let rest = text.trim();
  if (rest.startsWith('Parallel ')) {
    node['Parallel Aware'] = true;
    rest = rest.slice('Parallel '.length);
  }
  if (rest.startsWith('Async ')) {
    node['Async Capable'] = true;
    rest = rest.slice('Async '.length);
  }

  const aggregate = /^(?:(Partial|Finalize) )?(HashAggregate|GroupAggregate|MixedAggregate|Aggregate)$/.exec(rest);
  if (aggregate) {
    node['Node Type'] = 'Aggregate';
    node.Strategy = AGGREGATE_STRATEGIES[aggregate[2]!];
    node['Partial Mode'] = aggregate[1] ?? 'Simple';
    return node;
  }
  const setop = /^(HashSetOp|SetOp) (.+)$/.exec(rest);
  if (setop && SETOP_COMMANDS.includes(setop[2]!)) {
    node['Node Type'] = 'SetOp';
    node.Strategy = setop[1] === 'HashSetOp' ? 'Hashed' : 'Sorted';
    node.Command = setop[2];
    return node;
  }
  const join = /^(?:(Nested Loop)(?: (.+) Join)?|(Hash|Merge)(?: (.+))? Join)$/.exec(rest);
  const joinType = join?.[2] ?? join?.[4];
  if (join && (joinType === undefined || JOIN_TYPES.includes(joinType))) {
    node['Node Type'] = JOIN_NODES[join[1] ?? join[3]!]!;
    node['Join Type'] = joinType ?? 'Inner';
    return node;
  }
  const modify = /^(\w+) on (.+)$/.exec(rest);
  if (modify && MODIFY_OPERATIONS.includes(modify[1]!)) {
    node['Node Type'] = 'ModifyTable';
    node.Operation = modify[1];
    Object.assign(node, relationTarget(modify[2]!, 'Relation Name'));
    return node;
  }
  const indexScan = /^(Index Scan|Index Only Scan)( Backward)? using (.+?) on (.+)$/.exec(rest);
  if (indexScan) {
    node['Node Type'] = indexScan[1]!;
    node['Scan Direction'] = indexScan[2] ? 'Backward' : 'Forward';
    node['Index Name'] = unquote(indexScan[3]!);
    Object.assign(node, relationTarget(indexScan[4]!, 'Relation Name'));
    return node;
  }
  const bitmapIndex = /^Bitmap Index Scan on (.+)$/.exec(rest);
  if (bitmapIndex) {
    node['Node Type'] = 'Bitmap Index Scan';
    node['Index Name'] = unquote(bitmapIndex[1]!);
    return node;
  }
  const custom = /^Custom Scan \((.+?)\)(?: on (.+))?$/.exec(rest);
  if (custom) {
    node['Node Type'] = 'Custom Scan';
    node['Custom Plan Provider'] = custom[1];
    if (custom[2]) Object.assign(node, relationTarget(custom[2], 'Relation Name'));
    return node;
  }
  const scan = /^(.+? Scan) on (.+)$/.exec(rest);
  if (scan) {
    const type = scan[1]!;
    node['Node Type'] = type;
    if (RELATION_SCANS.includes(type)) Object.assign(node, relationTarget(scan[2]!, 'Relation Name'));
    else if (type === 'Function Scan') Object.assign(node, relationTarget(scan[2]!, 'Function Name'));
    else if (type === 'CTE Scan' || type === 'WorkTable Scan') Object.assign(node, relationTarget(scan[2]!, 'CTE Name'));
    else if (type === 'Table Function Scan') Object.assign(node, relationTarget(scan[2]!, 'Table Function Name'));
    else if (type === 'Named Tuplestore Scan') Object.assign(node, relationTarget(scan[2]!, 'Tuplestore Name'));
    else node.Alias = unquote(splitWords(scan[2]!).at(-1) ?? scan[2]!);
    return node;
  }
  node['Node Type'] = rest;
  return node;
}

/** `public.orders o` → Schema, the named key, Alias (the name itself when no alias is printed). */
function relationTarget(text: string, key: string): Record<string, string> {
  const words = splitWords(text);
  const parts = splitDotted(words[0] ?? text);
  const name = unquote(parts.at(-1)!);
  const out: Record<string, string> = { [key]: name };
  if (parts.length > 1) out.Schema = unquote(parts[0]!);
  out.Alias = words[1] ? unquote(words[1]) : name;
  return out;
}

/** Splits on spaces outside double quotes. */
function splitWords(text: string): string[] {
  return [...text.matchAll(/(?:"(?:[^"]|"")*"|[^\s"])+/g)].map((m) => m[0]);
}

function splitDotted(text: string): string[] {
  return [...text.matchAll(/(?:"(?:[^"]|"")*"|[^."])+/g)].map((m) => m[0]);
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1).replace(/""/g, '"') : text;
}
