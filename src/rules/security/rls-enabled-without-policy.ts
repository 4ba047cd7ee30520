import { tableKey } from '../../catalog/snapshot-index.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * Row level security with no policy denies every row to every role but the owner (and superusers or
 * BYPASSRLS roles). That is rarely the intent: it is usually a half-done set-up where the application
 * either sees nothing or, because it connects as the owner, silently bypasses the security meant for it.
 */
export default defineRule({
  meta: {
    id: 'rls-enabled-without-policy',
    category: 'security',
    defaultSeverity: 'warning',
    description: 'A table has row level security enabled but no policy, so no role but its owner sees any row.',
    fixable: false,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    const withPolicies = new Set(snapshot.policies.map((p) => tableKey(p.schema, p.table)));
    const grantees = new Map<string, Set<string>>();
    for (const p of snapshot.privileges) {
      if (p.objectType !== 'table' || p.schema === null) continue;
      const key = tableKey(p.schema, p.name);
      let set = grantees.get(key);
      if (!set) grantees.set(key, (set = new Set()));
      set.add(p.grantee);
    }

    // Partitions are skipped: enabling RLS on partitions without policies is the usual way to force
    // access through the parent, whose policies then apply.
    for (const table of index.designTables()) {
      if (!table.rowSecurity) continue;
      const key = tableKey(table.schema, table.name);
      if (withPolicies.has(key)) continue;
      const name = qualifiedName(table.schema, table.name);
      const otherRoles = [...(grantees.get(key) ?? [])].filter((g) => g !== table.owner).sort();
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message: table.forceRowSecurity
          ? `Table ${table.schema}.${table.name} forces row level security but has no policy, so no role, not even its owner, sees any row.`
          : `Table ${table.schema}.${table.name} has row level security enabled but no policy, so only its owner (who bypasses it) sees any row.`,
        evidence: {
          owner: table.owner,
          forceRowSecurity: table.forceRowSecurity,
          rolesWithPrivileges: otherRoles,
          policyTemplate: `CREATE POLICY ${quoteIdent(`${table.name}_own_rows`)} ON ${name} FOR ALL TO app_user USING (owner_id = current_user) WITH CHECK (owner_id = current_user);`,
        },
        // Which rows each role may see is a design decision no tool can guess; the evidence carries a
        // template to adapt.
        fix: null,
      });
    }
  },
});
