/**
 * Splits a SQL script into statements with the real parser, keeping each statement's exact text and
 * its offset in the script (for file:line:column reporting) and the comments just before it (for
 * `-- pgarchitect-ignore`).
 */
import { ensureParser, parseSync } from './parser.js';

export interface SqlStatement {
  /** The statement text as written, without the trailing semicolon. */
  text: string;
  /** Offset of the statement's first character in the script (characters, not bytes). */
  offset: number;
  /** The parse tree node of the statement (libpg-query JSON). */
  node: Record<string, unknown>;
  /** The text between the previous statement and this one (comments, blank lines). */
  leading: string;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the script (characters). */
    readonly offset: number,
  ) {
    super(message);
  }
}

export async function splitStatements(script: string): Promise<SqlStatement[]> {
  await ensureParser();
  return splitStatementsSync(script);
}

/** Requires `ensureParser()`. Throws SqlSyntaxError with the offset of the error. */
export function splitStatementsSync(script: string): SqlStatement[] {
  // libpg-query reports UTF-8 byte offsets. For ASCII text they are character offsets; otherwise
  // convert incrementally (offsets come in increasing order), never decoding the prefix again: a
  // 10,000-statement file must not cost 10,000 decodes.
  const bytes = Buffer.from(script, 'utf8');
  const ascii = bytes.length === script.length;
  let cursorByte = 0;
  let cursorChar = 0;
  const charOffset = (byteOffset: number): number => {
    if (ascii) return byteOffset;
    if (byteOffset < cursorByte) return bytes.toString('utf8', 0, byteOffset).length;
    cursorChar += bytes.toString('utf8', cursorByte, byteOffset).length;
    cursorByte = byteOffset;
    return cursorChar;
  };
  let result;
  try {
    result = parseSync(script);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    const position = details?.cursorPosition ?? 0;
    throw new SqlSyntaxError(details?.message ?? (error as Error).message, charOffset(position));
  }
  const statements: SqlStatement[] = [];
  let previousEnd = 0;
  for (const raw of result.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const lengthBytes = raw.stmt_len && raw.stmt_len > 0 ? raw.stmt_len : bytes.length - startByte;
    const chunk = bytes.toString('utf8', startByte, startByte + lengthBytes);
    // stmt_location points at the end of the previous statement: the chunk begins with comments and
    // white space that belong in `leading`.
    const body = stripLeadingTrivia(chunk);
    const start = charOffset(startByte) + (chunk.length - body.length);
    statements.push({
      text: body.trimEnd(),
      offset: start,
      node: (raw.stmt ?? {}) as Record<string, unknown>,
      leading: script.slice(previousEnd, start),
    });
    previousEnd = charOffset(startByte + lengthBytes);
  }
  return statements;
}

/** Removes white space, `-- line` comments and `/* block *\/` comments from the start of `text`. */
export function stripLeadingTrivia(text: string): string {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) (depth++, (i += 2));
        else if (text.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      }
    } else if (text[i] === ';') {
      i++;
    } else {
      return text.slice(i);
    }
  }
}

/** 1-based line and column of a character offset (for one lookup; see `lineLocator` for many). */
export function lineColumnOf(script: string, offset: number): { line: number; column: number } {
  return lineLocator(script)(offset);
}

/** A function from character offset to 1-based line and column, by binary search over line starts. */
export function lineLocator(script: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = script.indexOf('\n'); i !== -1; i = script.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}
