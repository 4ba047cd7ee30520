import { defineHealthRule } from '../health-rule.js';
import { serverObject } from './lib/words.js';

/**
 * pg_stat_statements records every statement's calls, time and I/O: without it there is no answer to
 * "which queries cost the most", and pgarchitect lint and indexes advise cannot read the workload.
 */
export default defineHealthRule({
  meta: {
    id: 'pg-stat-statements-missing',
    category: 'observability',
    defaultSeverity: 'warning',
    description: 'The pg_stat_statements extension is not installed in the database, or not loaded (shared_preload_libraries).',
    fixable: true,
    defaultOptions: {},
  },
  needs: ['statements'],
  examined(facts) {
    const s = facts.statements!;
    const loaded = s.preloaded === null ? 'shared_preload_libraries hidden from this role' : `in shared_preload_libraries: ${s.preloaded ? 'yes' : 'no'}`;
    return `extension in database ${facts.server.database}: ${s.installed ? `${s.version} in schema ${s.schema}${s.readable === false ? ', not readable' : ''}` : 'not installed'}; ${loaded}`;
  },
  check({ facts, report }) {
    const s = facts.statements!;
    if (s.installed && s.readable !== false) return;
    const libraries = facts.settings.shared_preload_libraries?.setting;
    const notLoaded = s.preloaded === false || (s.error !== null && /shared_preload_libraries/.test(s.error));
    const preload = libraries === undefined ? null : [...libraries.split(',').map((l) => l.trim()).filter(Boolean), 'pg_stat_statements'].join(', ');
    const statements = [
      ...(notLoaded && preload ? [`ALTER SYSTEM SET shared_preload_libraries = '${preload}';`, '-- restart the server, then:'] : notLoaded ? ["-- add pg_stat_statements to shared_preload_libraries in postgresql.conf, restart the server, then:"] : []),
      ...(s.installed ? [] : ['CREATE EXTENSION pg_stat_statements;']),
    ];
    report({
      object: serverObject(facts),
      message: !s.installed
        ? `pg_stat_statements is not installed in database ${facts.server.database}${notLoaded ? ', nor loaded by the server' : ''}: there is no record of which statements cost the most.`
        : `pg_stat_statements is installed but cannot be read: ${s.error}.`,
      evidence: { installed: s.installed, version: s.version, preloaded: s.preloaded, readable: s.readable, error: s.error, sharedPreloadLibraries: libraries ?? null },
      fix: {
        sql: statements.join('\n'),
        safeOnline: !notLoaded,
        note: notLoaded
          ? 'loading the library needs a restart of the server; CREATE EXTENSION then needs a role allowed to create it (the database owner or a superuser).'
          : 'CREATE EXTENSION needs the database owner or a superuser; the library is loaded already, so no restart.',
      },
    });
  },
});
