/**
 * A fast tokenizer following PostgreSQL's lexer rules (scan.l) for token boundaries: identifiers,
 * quoted identifiers, string constants of every kind (standard, E'', B'', X'', U&'', dollar
 * quoted, continued across lines), numbers, parameters, operators and punctuation; comments are
 * skipped. Lint uses it to find the text of parse-tree nodes, statement after statement, where the
 * parser's own scanner (`scanSync`) would cost a WASM call and a JSON round trip each time. A test
 * checks that both agree on the token boundaries.
 */

export interface SqlToken {
  /** Offsets in the text (UTF-16 code units, as JS strings count). */
  start: number;
  end: number;
  /** For unquoted words (keywords and plain identifiers alike): the word in lower case. */
  word: string | null;
}

const OPERATOR_CHARS = new Set('~!@#^&|`?+-*/%<>='.split(''));
/** An operator may end in + or - only when it contains one of these. */
const OPERATOR_SPECIALS = new Set('~!@#^&|`?%'.split(''));

/** The tokens of `text`. Never throws: an unterminated string or comment runs to the end. */
export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // White space.
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    const ch = text[i]!;
    const next = text[i + 1];
    // Comments.
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      i = blockCommentEnd(text, i);
      continue;
    }
    const start = i;
    // String constants with a prefix: E'', B'', X'', U&'', and U&"" identifiers (N'' is the word N, then a string).
    if ((ch === 'e' || ch === 'E') && next === "'") {
      i = quotedEnd(text, i + 1, true);
    } else if ((ch === 'b' || ch === 'B' || ch === 'x' || ch === 'X') && next === "'") {
      i = quotedEnd(text, i + 1, false);
    } else if ((ch === 'u' || ch === 'U') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      i = text[i + 2] === "'" ? quotedEnd(text, i + 2, false) : quotedIdentifierEnd(text, i + 2);
    } else if (ch === "'") {
      i = quotedEnd(text, i, false);
    } else if (ch === '"') {
      i = quotedIdentifierEnd(text, i);
    } else if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentCont(text.charCodeAt(i))) i++;
      tokens.push({ start, end: i, word: text.slice(start, i).toLowerCase() });
      continue;
    } else if (ch === '$') {
      i = dollarEnd(text, i);
    } else if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      i = numberEnd(text, i);
    } else if (ch === ':') {
      i += next === ':' || next === '=' ? 2 : 1;
    } else if (ch === '.') {
      i += next === '.' ? 2 : 1;
    } else if (OPERATOR_CHARS.has(ch)) {
      i = operatorEnd(text, i);
    } else {
      i++;
    }
    tokens.push({ start, end: i, word: null });
  }
  return tokens;
}

function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/**
 * The end of a quoted string starting at the quote `from`: `''` is a quote inside, and so is `\'`
 * in an E'' string. A string followed by white space holding a line break and another quote goes on
 * (SQL's string continuation).
 */
function quotedEnd(text: string, from: number, backslashEscapes: boolean): number {
  let i = from + 1;
  for (;;) {
    while (i < text.length) {
      const ch = text[i]!;
      if (backslashEscapes && ch === '\\') i += 2;
      else if (ch === "'") {
        if (text[i + 1] === "'") i += 2;
        else break;
      } else i++;
    }
    if (i >= text.length) return text.length;
    i++;
    // Continuation: whitespace with a newline, then a quote.
    let j = i;
    let newline = false;
    while (j < text.length && /[ \t\n\r\f\v]/.test(text[j]!)) {
      if (text[j] === '\n' || text[j] === '\r') newline = true;
      j++;
    }
    if (!newline || text[j] !== "'") return i;
    i = j + 1;
  }
}

function quotedIdentifierEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** `$1` (a parameter), `$tag$ ... $tag$` or `$$ ... $$` (a dollar-quoted string), or a lone `$`. */
function dollarEnd(text: string, from: number): number {
  let i = from + 1;
  if (isDigit(text.charCodeAt(i))) {
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    return i;
  }
  if (isIdentStart(text.charCodeAt(i))) {
    i++;
    while (i < text.length && isIdentCont(text.charCodeAt(i)) && text[i] !== '$') i++;
  }
  if (text[i] !== '$') return from + 1;
  const tag = text.slice(from, i + 1);
  const close = text.indexOf(tag, i + 1);
  return close < 0 ? text.length : close + tag.length;
}

function numberEnd(text: string, from: number): number {
  let i = from;
  if (text[i] === '0' && /[xXoObB]/.test(text[i + 1] ?? '')) {
    i += 2;
    while (i < text.length && /[0-9a-fA-F_]/.test(text[i]!)) i++;
    return i;
  }
  while (i < text.length && (isDigit(text.charCodeAt(i)) || text[i] === '_')) i++;
  // A decimal point, but not the `..` of a range.
  if (text[i] === '.' && text[i + 1] !== '.') {
    i++;
    while (i < text.length && (isDigit(text.charCodeAt(i)) || text[i] === '_')) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text.charCodeAt(i + 2))))) {
    i += 2;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/**
 * An operator: the longest run of operator characters that does not start a comment; a run of
 * several characters may not end in + or - unless it holds one of ~ ! @ # % ^ & | ` ?.
 */
function operatorEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && OPERATOR_CHARS.has(text[i]!)) {
    if (i > from && ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*'))) break;
    i++;
  }
  let length = i - from;
  if (length > 1) {
    const op = text.slice(from, i);
    if (![...op].some((c) => OPERATOR_SPECIALS.has(c))) {
      while (length > 1 && (op[length - 1] === '+' || op[length - 1] === '-')) length--;
    }
  }
  return from + length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 36;
}
