/**
 * Parses a whole SQL file with one call to the real parser, and keeps going past statements it
 * rejects: the rejected statement is reported (byte offset of the offending token, the parser's
 * message), blanked out with spaces of the same byte length, and the file parsed again, so the
 * other statements keep their positions and are still linted.
 */
import { scanSync, parseSync } from '../sql/parser.js';
import { stripLeadingTrivia } from '../sql/split-statements.js';
import type { Node } from 'libpg-query';
import type { NodeType } from '../rules/query-rule.js';
import { FileText } from './file-text.js';

export interface ParsedStatement {
  /** The statement's node: `{ SelectStmt: {...} }`. */
  tree: Node;
  type: NodeType;
  /** Byte offsets of the statement's text, without leading comments and the trailing semicolon. */
  start: number;
  end: number;
  /** Byte offset where the text before the statement (comments, blank lines) begins. */
  leadingStart: number;
}

export interface StatementSyntaxError {
  /** Byte offset of the token the parser stopped at. */
  offset: number;
  message: string;
}

export interface ParsedFile {
  statements: ParsedStatement[];
  errors: StatementSyntaxError[];
}

const SEMICOLON = 'ASCII_59';

/** Requires `ensureParser()`. */
export function parseFile(file: FileText): ParsedFile {
  const errors: StatementSyntaxError[] = [];
  const blankedEnds: number[] = [];
  let parsed: FileText = file;
  let stmts: { stmt?: Node; stmt_location?: number; stmt_len?: number }[] | undefined;
  while (stmts === undefined) {
    try {
      stmts = parseSync(parsed.text).stmts ?? [];
    } catch (error) {
      const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
      if (!details) throw error;
      const offset = byteOffsetOfCodePoint(parsed.text, details.cursorPosition ?? 0);
      errors.push({ offset, message: details.message ?? (error as Error).message });
      const blanked = blankStatementAt(parsed.text, offset);
      if (blanked === null) {
        stmts = [];
        break;
      }
      blankedEnds.push(blanked.end);
      parsed = new FileText(file.file, blanked.text);
    }
  }

  const statements: ParsedStatement[] = [];
  let previousEnd = 0;
  for (const raw of stmts) {
    if (!raw.stmt) continue;
    const chunkStart = raw.stmt_location ?? 0;
    const chunkEnd = raw.stmt_len ? chunkStart + raw.stmt_len : parsed.byteLength;
    // The chunk begins where the previous statement ended: comments and blank lines come first.
    const chunk = parsed.slice(chunkStart, chunkEnd);
    const body = stripLeadingTrivia(chunk);
    const start = chunkStart + Buffer.byteLength(chunk.slice(0, chunk.length - body.length), 'utf8');
    const text = body.trimEnd();
    // What lies between the previous statement (or a rejected one) and this one: its comments.
    let leadingStart = previousEnd;
    for (const end of blankedEnds) if (end <= start && end > leadingStart) leadingStart = end;
    statements.push({
      tree: raw.stmt,
      type: Object.keys(raw.stmt)[0] as NodeType,
      start,
      end: start + Buffer.byteLength(text, 'utf8'),
      leadingStart,
    });
    previousEnd = chunkEnd;
  }
  return { statements, errors };
}

/**
 * `text` with the statement holding byte `offset` replaced by spaces (line breaks kept): from the
 * end of the previous statement to its own semicolon, or to the end of the text when the scanner
 * cannot find one (an unterminated string). Null when nothing is left to blank.
 */
function blankStatementAt(text: string, offset: number): { text: string; end: number } | null {
  const bytes = Buffer.from(text, 'utf8');
  let start = 0;
  try {
    for (const token of scanSync(bytes.toString('utf8', 0, offset)).tokens) if (token.tokenName === SEMICOLON) start = token.end;
  } catch {
    start = 0;
  }
  let end = bytes.length;
  try {
    const next = scanSync(bytes.toString('utf8', offset)).tokens.find((t) => t.tokenName === SEMICOLON);
    if (next) end = offset + next.start;
  } catch {
    end = bytes.length;
  }
  const blanked = blankRange(Buffer.from(bytes), start, end);
  if (blanked !== null) return { text: blanked, end };
  // Nothing before the semicolon to blank (the error is the semicolon itself): blank to the end.
  const rest = end === bytes.length ? null : blankRange(bytes, start, bytes.length);
  return rest === null ? null : { text: rest, end: bytes.length };
}

function blankRange(bytes: Buffer, start: number, end: number): string | null {
  let changed = false;
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 0x0a && bytes[i] !== 0x20) {
      bytes[i] = 0x20;
      changed = true;
    }
  }
  return changed ? bytes.toString('utf8') : null;
}

/** The parser reports error positions in characters; nodes' locations are bytes. */
function byteOffsetOfCodePoint(text: string, codePoints: number): number {
  let bytes = 0;
  let count = 0;
  for (const char of text) {
    if (count++ >= codePoints) break;
    bytes += Buffer.byteLength(char, 'utf8');
  }
  return bytes;
}
