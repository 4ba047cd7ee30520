import { quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * CREATE on a schema granted to PUBLIC lets every role, present and future, add tables, functions and
 * operators there. Anyone can then plant an object that shadows a name other roles resolve through
 * their search_path (CVE-2018-1058), and run code with the rights of whoever calls it.
 */
export default defineRule({
  meta: {
    id: 'public-schema-create-privilege',
    category: 'security',
    defaultSeverity: 'error',
    description: 'A schema grants CREATE to PUBLIC, so every role can create objects in it.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, report }) {
    const owners = new Map(snapshot.schemas.map((s) => [s.name, s.owner]));
    const before15 = snapshot.server.versionNum < 150000;
    for (const privilege of snapshot.privileges) {
      if (privilege.objectType !== 'schema' || privilege.grantee !== 'PUBLIC' || privilege.privilege !== 'CREATE') continue;
      const schema = privilege.name;
      const olderDefault = schema === 'public' && before15;
      report({
        object: { type: 'schema', name: schema },
        message: olderDefault
          ? `Schema ${schema} lets every role create objects in it (the default before PostgreSQL 15, still in force here).`
          : `Schema ${schema} grants CREATE to PUBLIC, so every role can create objects in it.`,
        evidence: {
          owner: owners.get(schema) ?? null,
          grantor: privilege.grantor,
          serverVersion: snapshot.server.versionNum,
          defaultBeforePostgres15: olderDefault,
        },
        fix: {
          sql: `REVOKE CREATE ON SCHEMA ${quoteIdent(schema)} FROM PUBLIC;`,
          safeOnline: true,
          note: 'roles that create objects there (migrations, extensions) need their own grant: GRANT CREATE ON SCHEMA ... TO that_role;',
        },
      });
    }
  },
});
