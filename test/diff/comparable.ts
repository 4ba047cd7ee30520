/**
 * The part of a snapshot a migration must reproduce: everything that describes the schema, without
 * what legitimately differs between a database built by the migration and one built from scratch
 * (sizes, statistics, row estimates, sequence positions, times, the source, the settings) and without
 * column positions (a column added by ALTER TABLE comes last, and a dropped one leaves a gap), every
 * list sorted by identity. Definitions are compared as parse trees (see src/diff/same-sql.ts): Postgres
 * prints some expressions in a form that, read again, it stores differently but equivalently.
 */
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { canonicalSql, type SqlWrap } from '../../src/diff/same-sql.js';

const canon = (text: string | null, wrap: SqlWrap): string | null => (text === null ? null : (canonicalSql(text, wrap) ?? text));

export function comparable(s: CatalogSnapshot) {
  const sorted = <T>(items: T[], id: (item: T) => string): T[] => [...items].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  return {
    schemas: sorted(s.schemas, (x) => x.name),
    extensions: sorted(
      s.extensions.filter((e) => e.installedVersion !== null),
      (e) => e.name,
    ),
    types: sorted(
      s.types.map((t) => ({
        ...t,
        default: canon(t.default, 'expression'),
        constraints: t.constraints.map((c) => ({ ...c, definition: canon(c.definition, 'constraint') })),
      })),
      (t) => `${t.schema}.${t.name}`,
    ),
    tables: sorted(
      s.tables.map(({ totalBytes, tableBytes, rowEstimate, stats, ...t }) => t),
      (t) => `${t.schema}.${t.name}`,
    ),
    columns: sorted(
      s.columns.map(({ stats, position, ...c }) => ({ ...c, default: canon(c.default, 'expression'), generationExpression: canon(c.generationExpression, 'expression') })),
      (c) => `${c.schema}.${c.table}.${c.name}`,
    ),
    constraints: sorted(
      s.constraints.map((c) => ({ ...c, definition: canon(c.definition, 'constraint') })),
      (c) => `${c.schema}.${c.table}.${c.name}`,
    ),
    indexes: sorted(
      s.indexes.map(({ bytes, stats, ...i }) => ({ ...i, definition: canon(i.definition, 'statement'), predicate: canon(i.predicate, 'expression') })),
      (i) => `${i.schema}.${i.name}`,
    ),
    sequences: sorted(
      s.sequences.map(({ lastValue, ...q }) => q),
      (q) => `${q.schema}.${q.name}`,
    ),
    views: sorted(
      s.views.map(({ bytes, ...v }) => ({ ...v, definition: canon(v.definition, 'query') })),
      (v) => `${v.schema}.${v.name}`,
    ),
    functions: sorted(s.functions, (f) => `${f.schema}.${f.name}(${f.argumentTypes})`),
    triggers: sorted(
      s.triggers.map((t) => ({ ...t, definition: canon(t.definition, 'statement') })),
      (t) => `${t.schema}.${t.table}.${t.name}`,
    ),
    policies: sorted(
      s.policies.map((p) => ({ ...p, using: canon(p.using, 'expression'), withCheck: canon(p.withCheck, 'expression') })),
      (p) => `${p.schema}.${p.table}.${p.name}`,
    ),
    // An owner's grants to itself are implicit (they appear once any grant is made); the database's are not the schema's.
    privileges: sorted(
      s.privileges.filter((p) => p.objectType !== 'database' && p.grantee !== p.grantor),
      (p) => JSON.stringify(p),
    ),
  };
}
