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
  // libpg-query reports byte offsets; convert via a byte buffer so non-ASCII text maps correctly.
  const bytes = Buffer.from(script, 'utf8');
  const charOffset = (byteOffset: number): number => bytes.subarray(0, byteOffset).toString('utf8').length;
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
    const chunk = bytes.subarray(startByte, startByte + lengthBytes).toString('utf8');
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
function stripLeadingTrivia(text: string): string {
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

/** 1-based line and column of a character offset. */
export function lineColumnOf(script: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < script.length; i++) {
    if (script[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
