import type { Privilege } from '../../catalog/types.js';
import type { ObjectType } from '../../finding.js';
import { tableKey } from '../../catalog/snapshot-index.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * PUBLIC is every role, including ones created later for other purposes (a reporting login, a
 * monitoring agent, a tenant's role). A grant to PUBLIC on a table, view or sequence hands its data,
 * and for write privileges its integrity, to all of them; access should go to named roles.
 */
export default defineRule({
  meta: {
    id: 'public-table-privileges',
    category: 'security',
    defaultSeverity: 'error',
    description: 'A table, view or sequence grants privileges to PUBLIC (every role).',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    const granted = new Map<string, Privilege[]>();
    for (const p of snapshot.privileges) {
      if (p.grantee !== 'PUBLIC' || (p.objectType !== 'table' && p.objectType !== 'sequence') || p.schema === null) continue;
      const key = `${p.objectType}:${tableKey(p.schema, p.name)}`;
      const list = granted.get(key);
      if (list) list.push(p);
      else granted.set(key, [p]);
    }
    const views = new Map(snapshot.views.map((v) => [tableKey(v.schema, v.name), v]));

    for (const privileges of granted.values()) {
      const { schema, name, objectType } = privileges[0]!;
      const key = tableKey(schema!, name);
      const view = views.get(key);
      const type: ObjectType =
        objectType === 'sequence'
          ? 'sequence'
          : view
            ? view.materialized ? 'materialized view' : 'view'
            : index.tables.get(key)?.kind === 'partitioned table' ? 'partitioned table' : 'table';
      const names = [...new Set(privileges.map((p) => p.privilege))].sort(comparePrivileges);
      const writes = names.filter((p) => (objectType === 'sequence' ? SEQUENCE_WRITES : TABLE_WRITES).has(p));
      const target = `${objectType === 'sequence' ? 'SEQUENCE' : 'TABLE'} ${qualifiedName(schema!, name)}`;
      report({
        object: { type, schema: schema!, name },
        message: writes.length
          ? `${capitalise(type)} ${schema}.${name} grants ${names.join(', ')} to PUBLIC, so every role can change it.`
          : `${capitalise(type)} ${schema}.${name} grants ${names.join(', ')} to PUBLIC, so every role can read it.`,
        evidence: {
          privileges: names,
          writePrivileges: writes,
          grantors: [...new Set(privileges.map((p) => p.grantor))].sort(),
        },
        fix: {
          sql: `REVOKE ${names.join(', ')} ON ${target} FROM PUBLIC;`,
          safeOnline: true,
          note: `grant what each role needs by name first (for example GRANT ${names[0]} ON ${target} TO app_reader;), or roles that relied on PUBLIC lose access`,
        },
      });
    }
  },
});

/** Privileges that let a role change rows or the object's behaviour (TRIGGER runs code on others' writes). */
const TABLE_WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'MAINTAIN']);
/** nextval needs USAGE or UPDATE, setval needs UPDATE: both move the sequence. */
const SEQUENCE_WRITES = new Set(['UPDATE', 'USAGE']);

const ORDER = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN', 'USAGE'];

function comparePrivileges(a: string, b: string): number {
  const rank = (p: string): number => (ORDER.includes(p) ? ORDER.indexOf(p) : ORDER.length);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
