/**
 * What a lint rule is: metadata (the same as a review rule's) plus visitors for the parse-tree node
 * types it cares about. The lint engine parses each file once and walks each statement's tree once,
 * calling every rule's visitor for each node of its type: fifteen rules cost one walk, not fifteen.
 *
 * Rules are pure and synchronous: they read the tree (libpg-query's JSON, the real PostgreSQL 18
 * parser's nodes, typed by `@pgsql/types`), the statement's text and, for rules that declare
 * `requires: ['schema']`, the schema; they report findings through `context.report`.
 */
import type { Node } from 'libpg-query';
import type { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { Fix, ObjectRef, Severity } from '../finding.js';
import type { RuleMeta } from './rule.js';

type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** A parse-tree node type name: `SelectStmt`, `A_Expr`, `ColumnRef`, ... */
export type NodeType = KeysOfUnion<Node>;

/** The fields of a node of type `T` (what is inside `{ T: ... }`). */
export type NodeOf<T extends NodeType> = Extract<Node, Record<T, unknown>>[T];

/** A node on the path from the statement down to the visited node. */
export interface Ancestor {
  type: NodeType;
  node: unknown;
}

/** A token of the statement, by PostgreSQL's lexical rules (comments left out). */
export interface Token {
  /** Byte offsets in the file, the same origin as the nodes' `location`. */
  start: number;
  end: number;
  text: string;
  /**
   * Set for unquoted words, keywords and plain identifiers alike: the word in lower case (`select`,
   * `union`, `orders`). A keyword such as FROM or UNION is always such a word.
   */
  keyword: string | null;
}

/** A byte range of the file, `[start, end)`, in the nodes' `location` origin. */
export interface Span {
  start: number;
  end: number;
}

/** The statement's text, with the helpers rules use to quote it and to build rewrites. */
export interface StatementSource {
  /** The statement as written, without the trailing semicolon. */
  readonly text: string;
  /** Byte offsets of the statement in its file (nodes' `location`s are file byte offsets too). */
  readonly start: number;
  readonly end: number;
  /** The text between two byte offsets of the statement. */
  slice(start: number, end: number): string;
  /** The statement's tokens, comments left out (scanned on first use). */
  tokens(): readonly Token[];
  /**
   * The text range a node covers: from its first token to its last, widened to balance
   * parentheses (a function call's argument list, a parenthesised operand). Null when the node
   * carries no location.
   */
  span(node: unknown): Span | null;
  /** The statement with `edits` applied (non-overlapping byte ranges), ending with `;`. */
  rewrite(edits: readonly { start: number; end: number; text: string }[]): string;
}

/** One statement as rules see it. */
export interface LintStatement {
  /** The statement's node, as the parser gives it: `{ SelectStmt: {...} }`. */
  tree: Node;
  /** Its type: `SelectStmt`, `UpdateStmt`, ... */
  type: NodeType;
  source: StatementSource;
}

/** A finding as a lint rule reports it; the engine adds the rule, severity, object, fingerprint and location. */
export interface QueryFinding {
  message: string;
  /** The facts behind the finding; JSON values only. */
  evidence: Record<string, unknown>;
  /**
   * A rewrite that is safe to apply as is (`sql` is the rewritten statement or the DDL that makes
   * the statement fast), or null: then the message and evidence say what to do.
   */
  fix: Fix | null;
  /** Where the finding points: a node's `location` (file byte offset); default the statement's start. */
  location?: number;
  /**
   * Tells apart several findings of the rule in one statement (the column, the operator); it goes
   * into the fingerprint, so it must not depend on the file or on line numbers.
   */
  key?: string;
  /** Overrides the rule's default severity for this finding (a configured severity still wins). */
  severity?: Severity;
  /** What the finding is about; default `{ type: 'query', name: <statement label> }`. */
  object?: ObjectRef;
}

export interface QueryRuleContext<Options extends object> {
  statement: LintStatement;
  /**
   * The schema, when one was given. A rule that declares `requires: ['schema']` always has it (it is
   * skipped otherwise); other rules may use it to avoid a finding the schema disproves.
   */
  schema: SnapshotIndex | undefined;
  options: Options;
  /**
   * The nodes from the statement down to the visited node's parent (the statement's node first).
   * Valid during the visitor call only.
   */
  ancestors: readonly Ancestor[];
  report(finding: QueryFinding): void;
}

export type QueryVisitors<Options extends object> = {
  [T in NodeType]?: (node: NodeOf<T>, context: QueryRuleContext<Options>) => void;
};

export interface QueryRule<Options extends object = Record<string, never>> {
  meta: RuleMeta<Options>;
  /** Called for every node of these types, parents before children. */
  visitors: QueryVisitors<Options>;
  /**
   * For rules that read a file's statements in order and remember what they saw (the migration
   * rules: a BEGIN not yet committed, a SET lock_timeout, a table created earlier in the file). The
   * engine calls it before the first statement of each file, and again whenever it starts a file
   * over; such a rule must see all of a file's statements, in order, in one engine (a file is not
   * shared among threads). Rules without it keep no state between statements.
   */
  startFile?(context: QueryRuleContext<Options>): void;
}

/** Identity function that gives a lint rule module its types. */
export function defineQueryRule<Options extends object>(rule: QueryRule<Options>): QueryRule<Options> {
  return rule;
}

/** A lint rule of any options type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueryRule = QueryRule<any>;
