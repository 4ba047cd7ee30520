import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { columnLabel, columnObject } from './lib/columns.js';
import { UUID_GENERATE_V4 } from './lib/type-checks.js';

/**
 * Since PostgreSQL 13, gen_random_uuid() is built in and makes the same random (version 4) UUIDs as
 * uuid-ossp's uuid_generate_v4(). Using the built-in removes a dependency on an extension that must be
 * installed (and allowed, on managed services) wherever the schema goes.
 */
export default defineRule({
  meta: {
    id: 'prefer-gen-random-uuid',
    category: 'types',
    defaultSeverity: 'info',
    description: "A column default calls uuid-ossp's uuid_generate_v4() instead of the built-in gen_random_uuid().",
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const column of index.designColumns()) {
      if (!column.default || !column.default.match(UUID_GENERATE_V4)) continue;
      const newDefault = column.default.replace(UUID_GENERATE_V4, 'gen_random_uuid()');
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} defaults to uuid_generate_v4() from the uuid-ossp extension; the built-in gen_random_uuid() does the same.`,
        evidence: { default: column.default, extension: 'uuid-ossp' },
        fix: {
          sql: `ALTER TABLE ${qualifiedName(column.schema, column.table)} ALTER COLUMN ${quoteIdent(column.name)} SET DEFAULT ${newDefault};`,
          safeOnline: true,
          note: 'changes only the default (a brief lock, no rewrite). When nothing else uses uuid-ossp, DROP EXTENSION "uuid-ossp"; removes the dependency.',
        },
      });
    }
  },
});
