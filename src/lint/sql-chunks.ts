/**
 * Cuts a large SQL file into chunks of whole statements, so that lint parses it a piece at a time
 * (and, with threads, several pieces at once) instead of in one call.
 *
 * A chunk ends just before a semicolon that ends a statement, and the next chunk begins with that
 * semicolon: to the parser the leading `;` is an empty statement, so each statement's text, its
 * leading comments and its offsets within the chunk are what they are in the whole file, counted
 * from the chunk's start. The cut points come from a cheap linear scan that knows PostgreSQL's
 * lexical rules for what can hide a semicolon: strings ('...' with '' escapes, E'...' with backslash
 * escapes), quoted identifiers, `--` and nested block comments, dollar quotes, and the bodies of
 * `BEGIN ATOMIC ... END` functions.
 *
 * The scan only has to be right about where a statement may end, and it is checked: a cut inside a
 * string, a block comment, a dollar quote or an atomic body leaves the chunk before it unterminated,
 * which the parser rejects, and lint then parses that file whole. A `--` comment is the one place
 * where a wrong cut would parse; `--` begins a comment wherever it stands outside a string, so the
 * scan does not miss one.
 */

/** A piece of a text, whole statements only. Offsets and columns count UTF-16 code units. */
export interface SqlChunk {
  /** Offset in the text of the chunk's first character (a `;`, except for the first chunk). */
  start: number;
  end: number;
  /** 1-based line and column of the chunk's first character in the text. */
  line: number;
  column: number;
}

const QUOTE = 0x27;
const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/**
 * The chunks of `text`, each at least `targetLength` code units long (the last one may be shorter);
 * one chunk when the text has no cut point past the first `targetLength`.
 */
export function chunkSql(text: string, targetLength: number): SqlChunk[] {
  const chunks: SqlChunk[] = [];
  let chunkStart = 0;
  let line = 1;
  let lineStart = 0;
  const cutAt = (end: number): void => {
    chunks.push({ start: chunkStart, end, line, column: chunkStart - lineStart + 1 });
    for (let i = text.indexOf('\n', chunkStart); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    chunkStart = end;
  };
  for (const end of statementEnds(text)) if (end - chunkStart >= targetLength) cutAt(end);
  cutAt(text.length);
  return chunks;
}

/** What can hide a semicolon, or end a statement: found by the regular expression engine, fast. */
const TOKENS = /[;'"$]|--|\/\*/g;
/** The same, with the words that open and close an atomic body, for text that has the word ATOMIC. */
const TOKENS_AND_WORDS = /[;'"$]|--|\/\*|(?<![\w$\u0080-\uffff])(?:begin|atomic|case|end)(?![\w$\u0080-\uffff])/gi;
const ATOMIC = /(?<![\w$\u0080-\uffff])atomic(?![\w$\u0080-\uffff])/i;
const SPACES = /^\s*$/;

/** Offsets of the semicolons in `text` that end a statement, in order. */
export function statementEnds(text: string): number[] {
  const ends: number[] = [];
  const tokens = new RegExp(ATOMIC.test(text) ? TOKENS_AND_WORDS : TOKENS);
  /** Inside an atomic body: BEGIN ATOMIC and CASE open, END closes; 0 outside. */
  let depth = 0;
  /** Where the last BEGIN ended, when it may open an atomic body. */
  let beginEnd = -1;
  for (let match = tokens.exec(text); match !== null; match = tokens.exec(text)) {
    const token = match[0];
    const at = match.index;
    let next = at + token.length;
    switch (token) {
      case ';':
        if (depth === 0) ends.push(at);
        break;
      case "'":
        next = skipQuoted(text, at, "'", isEscapeStringPrefix(text, at));
        break;
      case '"':
        next = skipQuoted(text, at, '"', false);
        break;
      case '$':
        if (!isWordPart(text.charCodeAt(at - 1))) next = skipDollarQuoted(text, at);
        break;
      case '--': {
        const lineEnd = text.indexOf('\n', next);
        next = lineEnd === -1 ? text.length : lineEnd + 1;
        break;
      }
      case '/*':
        next = skipBlockComment(text, at);
        break;
      default:
        switch (token.toLowerCase()) {
          case 'begin':
            if (depth === 0) beginEnd = next;
            break;
          case 'atomic':
            if (depth === 0 && beginEnd >= 0 && SPACES.test(text.slice(beginEnd, at))) depth = 1;
            break;
          case 'case':
            if (depth > 0) depth++;
            break;
          case 'end':
            if (depth > 0) depth--;
            break;
        }
    }
    tokens.lastIndex = next;
  }
  return ends;
}

/** True for the quote of `E'...'` (backslash escapes): an `E` that begins a word. */
function isEscapeStringPrefix(text: string, quote: number): boolean {
  const e = text.charCodeAt(quote - 1);
  return (e === 0x45 || e === 0x65) && !isWordPart(text.charCodeAt(quote - 2));
}

/** Letters, digits, `_`, `$` and non-ASCII characters continue a word (identifier, keyword, number). */
function isWordPart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DOLLAR || c >= 0x80;
}

/** Past the closing quote of the string or quoted identifier opening at `open` (doubled quotes are one). */
function skipQuoted(text: string, open: number, quote: string, backslashEscapes: boolean): number {
  if (backslashEscapes) return skipEscapeString(text, open);
  let i = open + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close === -1) return text.length;
    if (text[close + 1] !== quote) return close + 1;
    i = close + 2;
  }
}

/** Past the closing quote of the `E'...'` string opening at `open`. */
function skipEscapeString(text: string, open: number): number {
  const length = text.length;
  let i = open + 1;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (text.charCodeAt(i + 1) !== QUOTE) return i + 1;
      i += 2;
    } else if (c === BACKSLASH) i += 2;
    else i++;
  }
  return length;
}

const COMMENT_MARKS = /\/\*|\*\//g;

/** Past the end of the block comment opening at `open`; block comments nest. */
function skipBlockComment(text: string, open: number): number {
  const marks = new RegExp(COMMENT_MARKS);
  marks.lastIndex = open + 2;
  let depth = 1;
  for (let mark = marks.exec(text); mark !== null; mark = marks.exec(text)) {
    if (mark[0] === '/*') depth++;
    else if (--depth === 0) return marks.lastIndex;
  }
  return text.length;
}

/**
 * Past the closing delimiter of the dollar quote opening at `open` (`$$` or `$tag$`), or just past
 * the `$` when none opens there (`$1`, a lone `$`).
 */
function skipDollarQuoted(text: string, open: number): number {
  let i = open + 1;
  const first = text.charCodeAt(i);
  if (first !== DOLLAR) {
    if (!isTagStart(first)) return open + 1;
    do i++;
    while (i < text.length && isTagPart(text.charCodeAt(i)));
    if (text.charCodeAt(i) !== DOLLAR) return open + 1;
  }
  const delimiter = text.slice(open, i + 1);
  const close = text.indexOf(delimiter, i + 1);
  return close === -1 ? text.length : close + delimiter.length;
}

/** Letters, `_` and non-ASCII characters begin a dollar-quote tag; digits may follow. */
function isTagStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isTagPart(c: number): boolean {
  return isTagStart(c) || (c >= 0x30 && c <= 0x39);
}
