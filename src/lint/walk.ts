/**
 * One walk over a statement's parse tree, calling the visitors registered for each node type,
 * parents before children, with the path of ancestors kept on a shared stack.
 *
 * The tree is libpg-query's JSON: a node is an object with one key, its type (`{ "A_Expr": {...} }`).
 * A few fields hold a node without that wrapper; `BARE_NODE_FIELDS` names the ones rules care about so
 * they are visited as nodes of their type too (the arms of a UNION, the target table of a DELETE).
 */
import type { Ancestor, NodeType } from '../rules/query-rule.js';

/** Called with the node's fields. */
export type NodeHandler = (node: unknown) => void;

const BARE_NODE_FIELDS: Record<string, Record<string, NodeType>> = {
  SelectStmt: { larg: 'SelectStmt', rarg: 'SelectStmt' },
  InsertStmt: { relation: 'RangeVar' },
  UpdateStmt: { relation: 'RangeVar' },
  DeleteStmt: { relation: 'RangeVar' },
  MergeStmt: { relation: 'RangeVar' },
};

export class TreeWalker {
  /** The path from the statement to the node being visited (shared with the rules' contexts). */
  readonly ancestors: Ancestor[] = [];

  constructor(private readonly handlers: ReadonlyMap<string, readonly NodeHandler[]>) {}

  walk(tree: unknown): void {
    this.ancestors.length = 0;
    this.visitValue(tree);
  }

  private visitValue(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) this.visitValue(item);
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
    if (handlers) for (const handler of handlers) handler(node);
    if (typeof node !== 'object' || node === null) return;
    this.ancestors.push({ type, node });
    this.visitFields(node as Record<string, unknown>, BARE_NODE_FIELDS[type]);
    this.ancestors.pop();
  }

  private visitFields(record: Record<string, unknown>, bare: Record<string, NodeType> | undefined): void {
    for (const key in record) {
      const child = record[key];
      if (typeof child !== 'object' || child === null) continue;
      const bareType = bare?.[key];
      if (bareType) this.visitNode(bareType, child);
      else this.visitValue(child);
    }
  }
}

function isNodeTypeName(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 65 && first <= 90;
}
