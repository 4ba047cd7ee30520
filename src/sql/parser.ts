/**
 * The real PostgreSQL parser (libpg-query, PG18 grammar, WASM). Its module loads asynchronously once;
 * after `ensureParser()` the synchronous functions below may be used (rules are synchronous).
 */
import { fingerprintSync, loadModule, parseSync as parseLibpgQuery, scanSync, type ParseResult } from 'libpg-query';

let loading: Promise<void> | undefined;

export function ensureParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

export type { ParseResult };

/** `fingerprintSync(sql)`: the statement's normalised fingerprint (constants, formatting and comments do not count). */
export { fingerprintSync, scanSync };

/**
 * Parses SQL text into statements. An empty file is no statements (libpg-query refuses the empty
 * string, though it accepts white space or a lone comment).
 */
export function parseSync(sql: string): ParseResult {
  return sql === '' ? ({ version: 0, stmts: [] } as unknown as ParseResult) : parseLibpgQuery(sql);
}

/** Keyword category of a word as the parser classifies it (`none` for a plain identifier). */
export type KeywordKind = 'none' | 'unreserved' | 'column-name' | 'type-function-name' | 'reserved';

const KEYWORD_KINDS: KeywordKind[] = ['none', 'unreserved', 'column-name', 'type-function-name', 'reserved'];

/** Identifiers repeat (id, created_at, ...): a scan costs microseconds, a lookup nothing. */
const keywordCache = new Map<string, KeywordKind>();

/** Requires `ensureParser()` to have completed. */
export function keywordKind(word: string): KeywordKind {
  const cached = keywordCache.get(word);
  if (cached) return cached;
  const token = scanSync(word).tokens[0];
  const kind = !token || token.end - token.start !== Buffer.byteLength(word) ? 'none' : (KEYWORD_KINDS[token.keywordKind] ?? 'none');
  if (keywordCache.size < 100_000) keywordCache.set(word, kind);
  return kind;
}
