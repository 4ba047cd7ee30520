/**
 * One walk over a statement's parse tree, calling the visitors registered for each node type,
 * parents before children, with the path of ancestors kept on a shared stack.
 *
 * The tree is libpg-query's JSON: a node is an object with one key, its type (`{ "A_Expr": {...} }`).
 * A few fields hold a node without that wrapper; `BARE_NODE_FIELDS` names the ones rules care about so
 * they are visited as nodes of their type too (the arms of a UNION, the target table of a DELETE).
 *
 * Most of a tree is names and constants (`String`, `ColumnRef`, `A_Const`, `RangeVar`): the walk does
 * not go inside those whose insides no visitor is registered for, which halves the nodes it visits.
 */
import type { Ancestor, NodeType } from '../rules/query-rule.js';

/** Called with the node's fields. */
export type NodeHandler = (node: unknown) => void;

const BARE_NODE_FIELDS: ReadonlyMap<string, Readonly<Record<string, NodeType>>> = new Map<string, Readonly<Record<string, NodeType>>>([
  ['SelectStmt', { larg: 'SelectStmt', rarg: 'SelectStmt' }],
  ['InsertStmt', { relation: 'RangeVar' }],
  ['UpdateStmt', { relation: 'RangeVar' }],
  ['DeleteStmt', { relation: 'RangeVar' }],
  ['MergeStmt', { relation: 'RangeVar' }],
]);

/**
 * Node types whose fields hold no nodes but these (PostgreSQL's parsenodes.h): a constant's value,
 * a column reference's name parts, a table's alias. Not `TypeName`: its modifiers are expressions.
 */
const NODES_INSIDE: ReadonlyMap<string, readonly string[]> = new Map([
  ['A_Const', []],
  ['A_Star', []],
  ['BitString', []],
  ['Boolean', []],
  ['Float', []],
  ['Integer', []],
  ['ParamRef', []],
  ['String', []],
  ['ColumnRef', ['String', 'A_Star']],
  ['Alias', ['String']],
  ['RangeVar', ['Alias', 'String']],
]);

export class TreeWalker {
  /** The path from the statement to the node being visited (shared with the rules' contexts). */
  readonly ancestors: Ancestor[] = [];
  /** Node types not to go inside: nothing in them has a visitor (set on the first walk). */
  private closed: ReadonlySet<string> | undefined;

  /** `handlers` may be filled in after construction, until the first walk. */
  constructor(private readonly handlers: ReadonlyMap<string, readonly NodeHandler[]>) {}

  walk(tree: unknown): void {
    this.closed ??= this.typesWithoutVisitedInsides();
    this.ancestors.length = 0;
    if (typeof tree === 'object' && tree !== null) this.visitValue(tree);
  }

  private typesWithoutVisitedInsides(): Set<string> {
    const visitedInside = (type: string): boolean =>
      (NODES_INSIDE.get(type) ?? []).some((inner) => this.handlers.has(inner) || visitedInside(inner));
    return new Set([...NODES_INSIDE.keys()].filter((type) => !visitedInside(type)));
  }

  private visitValue(value: object): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) this.visitValue(item);
      }
      return;
    }
    const record = value as Record<string, unknown>;
    let type: string | undefined;
    let keys = 0;
    for (const key in record) {
      if (keys++ === 0) type = key;
      else break;
    }
    if (keys === 1 && isNodeTypeName(type!)) this.visitNode(type as NodeType, record[type!]);
    else this.visitFields(record, undefined);
  }

  private visitNode(type: NodeType, node: unknown): void {
    const handlers = this.handlers.get(type);
    if (handlers !== undefined) for (let i = 0; i < handlers.length; i++) handlers[i]!(node);
    if (typeof node !== 'object' || node === null || this.closed!.has(type)) return;
    this.ancestors.push({ type, node });
    this.visitFields(node as Record<string, unknown>, BARE_NODE_FIELDS.get(type));
    this.ancestors.pop();
  }

  private visitFields(record: Record<string, unknown>, bare: Readonly<Record<string, NodeType>> | undefined): void {
    for (const key in record) {
      const child = record[key];
      if (typeof child !== 'object' || child === null) continue;
      const bareType = bare === undefined ? undefined : bare[key];
      if (bareType !== undefined) this.visitNode(bareType, child);
      else this.visitValue(child);
    }
  }
}

function isNodeTypeName(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 65 && first <= 90;
}
