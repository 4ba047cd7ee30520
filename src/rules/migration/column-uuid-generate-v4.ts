import { UUID_GENERATE_V4 } from '../types/lib/type-checks.js';
import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's prefer-gen-random-uuid, on the columns a migration declares: since PostgreSQL 13
 * gen_random_uuid() is built in and makes the same version 4 UUIDs as uuid-ossp's
 * uuid_generate_v4(), without an extension to install wherever the schema goes.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-uuid-generate-v4',
    category: 'types',
    defaultSeverity: 'info',
    description: "A migration declares a column defaulting to uuid-ossp's uuid_generate_v4() (the review's prefer-gen-random-uuid).",
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    if (!column.default || !column.default.match(UUID_GENERATE_V4)) return null;
    return {
      message: `Column ${column.label} defaults to uuid_generate_v4() from the uuid-ossp extension; the built-in gen_random_uuid() does the same.`,
      evidence: { default: column.default, extension: 'uuid-ossp' },
      default: column.default.replace(UUID_GENERATE_V4, 'gen_random_uuid()'),
      note: 'When nothing else uses uuid-ossp, the migration need not create the extension.',
    };
  },
});
