/** The security rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import publicSchemaCreatePrivilege from './public-schema-create-privilege.js';
import publicTablePrivileges from './public-table-privileges.js';
import rlsEnabledWithoutPolicy from './rls-enabled-without-policy.js';
import securityDefinerWithoutSearchPath from './security-definer-without-search-path.js';
import sensitiveColumnPlaintext from './sensitive-column-plaintext.js';

export const securityRules: AnyRule[] = [
  publicSchemaCreatePrivilege,
  publicTablePrivileges,
  rlsEnabledWithoutPolicy,
  securityDefinerWithoutSearchPath,
  sensitiveColumnPlaintext,
];
