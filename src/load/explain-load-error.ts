/**
 * Our own explanation and suggested fix for errors Postgres commonly raises on schema files. Postgres
 * reports what is wrong; this says why the rule exists and what to write instead.
 */
import type { PostgresErrorInfo } from '../db/db.js';

interface KnownCase {
  sqlstate: string;
  message: RegExp;
  explanation: string;
  suggestion: string;
}

const KNOWN_CASES: KnownCase[] = [
  {
    sqlstate: '0A000',
    message: /(unique|primary key) constraint on partitioned table must include all partitioning columns/i,
    explanation:
      'Each partition enforces uniqueness only within itself, so PostgreSQL can guarantee a PRIMARY KEY or UNIQUE constraint on a partitioned table only when it includes every partition key column.',
    suggestion:
      'Add the partition key columns to the key, for example PRIMARY KEY (id, created_at); foreign keys that reference the table must then reference the same column pair.',
  },
  {
    sqlstate: '42830',
    message: /there is no unique constraint matching given keys for referenced table/i,
    explanation:
      'A foreign key must reference exactly the columns of a PRIMARY KEY or UNIQUE constraint of the referenced table. On a partitioned table those keys include the partition key, so a single-column reference such as orders(id) has no matching constraint.',
    suggestion:
      'Reference the whole key (add the partition key column to the referencing table, e.g. FOREIGN KEY (order_id, order_created_at) REFERENCES orders (id, created_at)), or add a UNIQUE constraint on the referenced columns when the table is not partitioned.',
  },
  {
    sqlstate: '42P07',
    message: /already exists/i,
    explanation: 'The object is created twice: a migration may be repeated, or files are applied in an unexpected order.',
    suggestion: 'Check the file order (Flyway V<n>__, golang-migrate <n>_x.up.sql, otherwise natural sort) or use CREATE ... IF NOT EXISTS.',
  },
  {
    sqlstate: '42P01',
    message: /does not exist/i,
    explanation: 'The statement uses a table that is not created yet (or lives in another schema).',
    suggestion: 'Create it in an earlier file or statement, or schema-qualify the name; check the order the files are applied in.',
  },
  {
    sqlstate: '42704',
    message: /type .* does not exist/i,
    explanation: 'The type is unknown: it may come from an extension that is not created (citext, hstore, ltree, PostGIS geometry ...) or from a CREATE TYPE later in the files.',
    suggestion: 'Add CREATE EXTENSION before its first use, or move the CREATE TYPE earlier.',
  },
  {
    sqlstate: '42883',
    message: /function .* does not exist/i,
    explanation: 'The function is unknown: it may come from an extension that is not created (uuid_generate_v4 needs uuid-ossp, gen_salt needs pgcrypto) or be defined later in the files.',
    suggestion: 'Add CREATE EXTENSION before its first use (or use the built-in gen_random_uuid()), or define the function earlier.',
  },
  {
    sqlstate: '42601',
    message: /syntax error at or near "\\"/i,
    explanation: 'psql meta-commands (\\connect, \\i, \\set ...) are not SQL: only psql understands them.',
    suggestion: 'Remove the meta-commands from the file, or split the file at them.',
  },
  {
    sqlstate: '25001',
    message: /cannot run inside a transaction block/i,
    explanation: 'This command (CREATE INDEX CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE on old versions) must run outside an explicit transaction.',
    suggestion: 'Move it out of the BEGIN ... COMMIT block, into its own migration if your tool wraps files in transactions.',
  },
];

export function explainLoadError(error: PostgresErrorInfo): { explanation: string; suggestion: string } | null {
  const match = KNOWN_CASES.find((c) => c.sqlstate === error.sqlstate && c.message.test(error.message));
  return match ? { explanation: match.explanation, suggestion: match.suggestion } : null;
}
