/**
 * The text of one statement for lint rules: slices by the parser's byte offsets, the scanner's
 * tokens (on demand: only rules that build a rewrite need them) and the text span of a node.
 */
import type { Span, StatementSource, Token } from '../rules/query-rule.js';
import { tokenizeSql } from '../sql/tokenize.js';
import type { FileText } from './file-text.js';

/** Node types whose text ends in a token that carries no location (`END`, `NULL`, a collation name). */
const UNLOCATED_ENDINGS = new Set(['CaseExpr', 'NullTest', 'BooleanTest', 'CollateClause', 'A_Indirection', 'XmlExpr', 'XmlSerialize', 'JsonFuncExpr']);
/** Words that continue a type name after its located first word: `timestamp with time zone`. */
const TYPE_NAME_WORDS = new Set(['with', 'without', 'time', 'zone', 'precision', 'varying']);

export class StatementText implements StatementSource {
  private cachedText: string | undefined;
  private cachedTokens: Token[] | undefined;

  constructor(
    private readonly file: FileText,
    readonly start: number,
    readonly end: number,
  ) {}

  get text(): string {
    this.cachedText ??= this.file.slice(this.start, this.end);
    return this.cachedText;
  }

  slice(start: number, end: number): string {
    return this.file.slice(Math.max(start, this.start), Math.min(end, this.end));
  }

  tokens(): readonly Token[] {
    if (!this.cachedTokens) {
      const text = this.text;
      const ascii = Buffer.byteLength(text, 'utf8') === text.length;
      // Token offsets are characters of the text; nodes' locations are bytes of the file.
      const byteAt = ascii ? null : byteOffsets(text);
      this.cachedTokens = tokenizeSql(text).map((t) => ({
        start: this.start + (byteAt ? byteAt[t.start]! : t.start),
        end: this.start + (byteAt ? byteAt[t.end]! : t.end),
        text: text.slice(t.start, t.end),
        keyword: t.word,
      }));
    }
    return this.cachedTokens;
  }

  span(node: unknown): Span | null {
    const bounds = locationBounds(node);
    if (!bounds || bounds.unlocatedEnding) return null;
    const tokens = this.tokens();
    let first = tokenAt(tokens, bounds.min);
    let last = tokenAt(tokens, bounds.max);
    if (first < 0 || last < 0) return null;
    // A negative constant is located at its sign.
    if ((tokens[last]!.text === '-' || tokens[last]!.text === '+') && bounds.maxIsConst) last++;
    // A qualified name is located at its first part: `u.id`, `public.t.*`.
    while (last + 2 < tokens.length && tokens[last + 1]!.text === '.') last += 2;
    if (bounds.maxIsTypeName) {
      while (last + 1 < tokens.length && TYPE_NAME_WORDS.has(tokens[last + 1]!.keyword ?? '')) last++;
    }
    // A function call's argument list, a type's modifiers, array brackets: `count(*)`, `varchar(20)[]`.
    while (last + 1 < tokens.length && (tokens[last + 1]!.text === '(' || tokens[last + 1]!.text === '[')) {
      const close = matchingClose(tokens, last + 1);
      if (close < 0) return null;
      last = close;
    }
    // Balance the parentheses and brackets the range opens or closes.
    let depth = 0;
    for (let i = first; i <= last; i++) {
      const text = tokens[i]!.text;
      if (text === '(' || text === '[') depth++;
      else if (text === ')' || text === ']') {
        if (depth === 0) {
          const open = matchingOpen(tokens, i);
          if (open < 0) return null;
          first = Math.min(first, open);
        } else depth--;
      }
    }
    while (depth > 0) {
      const close = nextUnmatchedClose(tokens, last + 1);
      if (close < 0) return null;
      last = close;
      depth--;
    }
    last = this.afterAlias(node, last);
    return { start: tokens[first]!.start, end: tokens[last]!.end };
  }

  /** A FROM item's alias follows its last located token: `orders AS o`, `(SELECT ...) x (a, b)`. */
  private afterAlias(node: unknown, last: number): number {
    const item = node && typeof node === 'object' ? (Object.values(node)[0] as { alias?: { aliasname?: string } } | undefined) : undefined;
    const alias = item?.alias?.aliasname;
    if (!alias) return last;
    const tokens = this.tokens();
    let i = last + 1;
    if (tokens[i]?.keyword === 'as') i++;
    const token = tokens[i];
    if (!token || unquote(token.text) !== alias) return last;
    if (tokens[i + 1]?.text === '(') {
      const close = matchingClose(tokens, i + 1);
      if (close > 0) return close;
    }
    return i;
  }

  rewrite(edits: readonly { start: number; end: number; text: string }[]): string {
    const sorted = [...edits].sort((a, b) => a.start - b.start);
    let out = '';
    let at = this.start;
    for (const edit of sorted) {
      out += this.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    return `${out}${this.slice(at, this.end)};`;
  }
}

interface Bounds {
  min: number;
  max: number;
  maxIsConst: boolean;
  maxIsTypeName: boolean;
  unlocatedEnding: boolean;
}

/** The smallest and largest `location` in a node's subtree. */
function locationBounds(node: unknown): Bounds | null {
  const bounds: Bounds = { min: Infinity, max: -1, maxIsConst: false, maxIsTypeName: false, unlocatedEnding: false };
  visit(node, undefined, bounds);
  return bounds.max < 0 ? null : bounds;
}

function visit(value: unknown, type: string | undefined, bounds: Bounds): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) visit(item, undefined, bounds);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    if (key === 'location') {
      if (typeof child === 'number' && child >= 0) {
        if (child < bounds.min) bounds.min = child;
        if (child >= bounds.max) {
          bounds.max = child;
          bounds.maxIsConst = type === 'A_Const';
          bounds.maxIsTypeName = type === 'TypeName';
        }
      }
    } else if (typeof child === 'object' && child !== null) {
      const isNodeType = key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90;
      if (isNodeType && UNLOCATED_ENDINGS.has(key)) bounds.unlocatedEnding = true;
      visit(child, isNodeType ? key : key === 'typeName' ? 'TypeName' : undefined, bounds);
    }
  }
}

/** Index of the token that starts at or contains byte `offset`, or -1. */
function tokenAt(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.start <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found >= 0 && offset < tokens[found]!.end ? found : -1;
}

function matchingClose(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]!.text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function matchingOpen(tokens: readonly Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const text = tokens[i]!.text;
    if (text === ')' || text === ']') depth++;
    else if (text === '(' || text === '[') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function nextUnmatchedClose(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const text = tokens[i]!.text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** An identifier token's name: `"Order"` gives `Order`, `Orders` gives `orders`. */
function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/** The UTF-8 byte offset of every character offset of `text` (and of its end). */
function byteOffsets(text: string): Uint32Array {
  const offsets = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    offsets[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one 4-byte character; its second half starts nowhere.
      offsets[i + 1] = bytes;
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  offsets[text.length] = bytes;
  return offsets;
}
