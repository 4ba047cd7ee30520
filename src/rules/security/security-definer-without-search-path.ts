import type { FunctionInfo } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * A SECURITY DEFINER function runs with its owner's rights but resolves unqualified names through the
 * caller's search_path. Whoever can create objects in a schema on that path can plant a table, function
 * or operator the function will pick up, and so run code as the owner (often a superuser); any role can
 * create temporary tables, which shadow table names unless pg_temp is listed last. PostgreSQL's own
 * advice is to fix the function's search_path to trusted schemas with pg_temp last.
 */
export default defineRule({
  meta: {
    id: 'security-definer-without-search-path',
    category: 'security',
    defaultSeverity: 'error',
    description: 'A SECURITY DEFINER function has no fixed search_path, or one that lets other roles shadow the names it uses.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, report }) {
    const publicCreate = new Set(
      snapshot.privileges
        .filter((p) => p.objectType === 'schema' && p.grantee === 'PUBLIC' && p.privilege === 'CREATE')
        .map((p) => p.name),
    );
    const isUnsafe = (schema: string): boolean => schema === 'public' || schema === '$user' || publicCreate.has(schema);

    for (const fn of snapshot.functions) {
      if (!fn.securityDefiner || fn.kind === 'aggregate') continue;
      const setting = fn.config.find((c) => c.startsWith('search_path='));
      const path = setting === undefined ? null : parseSearchPath(setting.slice('search_path='.length));
      const problems = path === null ? [] : pathProblems(path, isUnsafe);
      if (path !== null && problems.length === 0) continue;

      const signature = `${fn.schema}.${fn.name}(${fn.arguments})`;
      report({
        object: { type: 'function', schema: fn.schema, name: fn.name },
        key: fn.arguments,
        message:
          path === null
            ? `SECURITY DEFINER ${fn.kind} ${signature} has no fixed search_path, so it resolves names through the caller's.`
            : `SECURITY DEFINER ${fn.kind} ${signature} has an unsafe search_path: ${problems.join('; ')}.`,
        evidence: {
          arguments: fn.arguments,
          owner: fn.owner,
          language: fn.language,
          searchPath: path,
          unsafeSchemas: (path ?? []).filter(isUnsafe),
        },
        fix: fixFor(fn, path ?? [], isUnsafe),
      });
    }
  },
});

/** Reasons a configured search_path is unsafe; empty when it is fine. */
function pathProblems(path: readonly string[], isUnsafe: (schema: string) => boolean): string[] {
  const problems: string[] = [];
  const unsafe = path.filter(isUnsafe);
  if (unsafe.length) {
    problems.push(`it includes ${unsafe.map((s) => (s === '$user' ? '"$user"' : s)).join(', ')}, where other roles may be able to create objects`);
  }
  const temp = path.indexOf('pg_temp');
  if (temp === -1 && path.length > 0) problems.push("pg_temp is not listed, so the caller's temporary tables are searched first");
  if (temp !== -1 && temp !== path.length - 1) problems.push('pg_temp is searched before other schemas');
  return problems;
}

/**
 * Keeps the trusted schemas of the current path (or, with none, the function's own schema when it is
 * trusted, else pg_catalog alone) and puts pg_temp last. pg_catalog is searched first whenever it is not
 * listed, so built-ins cannot be shadowed either way.
 */
function fixFor(fn: FunctionInfo, path: readonly string[], isUnsafe: (schema: string) => boolean): Fix {
  const kept = path.filter((s) => s !== '' && s !== 'pg_temp' && !isUnsafe(s));
  const dropped = path.filter((s) => s !== '' && s !== 'pg_temp' && isUnsafe(s));
  const schemas = kept.length ? kept : isUnsafe(fn.schema) ? ['pg_catalog'] : [fn.schema];
  const statement = fn.kind === 'procedure' ? 'ALTER PROCEDURE' : 'ALTER FUNCTION';
  const newPath = [...schemas.map(quoteIdent), 'pg_temp'].join(', ');
  const qualify = (dropped.length ? dropped : path.length === 0 && schemas[0] === 'pg_catalog' ? [fn.schema] : []).filter((s) => s !== '$user');
  const searched = schemas.includes('pg_catalog') ? schemas.join(', ') : `pg_catalog, ${schemas.join(', ')}`;
  return {
    sql: `${statement} ${qualifiedName(fn.schema, fn.name)}(${fn.arguments}) SET search_path = ${newPath};`,
    safeOnline: true,
    note: qualify.length
      ? `the body must now schema-qualify the objects it uses from ${qualify.join(', ')} (for example ${qualify[0]}.orders); test the function after the change`
      : `unqualified names now resolve only in ${searched}; test the function after the change`,
  };
}

/**
 * Splits a `search_path` setting as proconfig stores it (`app, "$user", public`, or `""` for empty)
 * into schema names without their double quotes.
 */
function parseSearchPath(value: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      pieces.push(current);
      current = '';
    } else current += ch;
  }
  pieces.push(current);
  return pieces
    .map((piece) => piece.trim())
    .map((piece) => (piece.startsWith('"') && piece.endsWith('"') ? piece.slice(1, -1).replace(/""/g, '"') : piece))
    .filter((name) => name !== '');
}
