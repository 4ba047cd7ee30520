/**
 * The corpus of bench/migration-lint.ts: a deterministic (seeded) folder of N migration files in the
 * mix a real project's history has. Most statements are the everyday safe kind (a new table with its
 * indexes, a column without a default, an index built CONCURRENTLY, a key added NOT VALID then
 * validated, a batched backfill); about a third are the kind a migration linter is for (an index built
 * without CONCURRENTLY, a volatile default, SET NOT NULL, a type change, a rename, a drop, ...). Some
 * files start with SET lock_timeout, some run in BEGIN ... COMMIT. Pure: the same options give the
 * same files.
 */
import { seededRandom } from './lint-throughput-corpus.js';

/** One migration file. */
export interface MigrationFile {
  /** Flyway-style: `V0001__add_orders_note.sql`. */
  name: string;
  sql: string;
  statements: number;
}

export interface MigrationCorpus {
  files: MigrationFile[];
  statements: number;
  /** Statements per kind, sorted by kind; kinds that start with `unsafe:` are what a migration linter should report. */
  kinds: Map<string, number>;
  /** Statements of the `unsafe:` kinds. */
  flagged: number;
}

/** The tables every migration may touch (they exist before the corpus starts). */
const EXISTING = ['users', 'accounts', 'orders', 'order_items', 'products', 'categories', 'payments', 'shipments', 'reviews', 'events', 'invoices', 'audit_log'];
const COLUMN_TYPES = ['text', 'bigint', 'integer', 'boolean', 'timestamptz', 'numeric(12,2)', 'jsonb', 'uuid', 'date', 'varchar(100)'];
const WORDS = ['note', 'source', 'channel', 'region', 'score', 'flag', 'label', 'ref', 'code', 'level', 'origin', 'reason', 'tier', 'weight', 'hint'];

interface Generator {
  kind: string;
  weight: number;
  make(context: FileContext): string[];
}

/** What one file is writing, so that statements refer to each other (a table created, then indexed). */
interface FileContext {
  random: () => number;
  pick<T>(items: readonly T[]): T;
  /** A fresh name: `note_17`. */
  fresh(prefix: string): string;
  /** Tables created earlier in the corpus (they exist for later files). */
  created: string[];
}

const GENERATORS: readonly Generator[] = [
  // Everyday and safe.
  {
    kind: 'safe:create table + indexes',
    weight: 10,
    make(c) {
      const table = c.fresh('t');
      c.created.push(table);
      const parent = c.pick(EXISTING);
      return [
        `CREATE TABLE ${table} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  ${parent.replace(/s$/, '')}_id bigint NOT NULL REFERENCES ${parent} (id),\n  ${c.pick(WORDS)} ${c.pick(COLUMN_TYPES)},\n  created_at timestamptz NOT NULL DEFAULT now()\n)`,
        `CREATE INDEX ${table}_${parent.replace(/s$/, '')}_id_idx ON ${table} (${parent.replace(/s$/, '')}_id)`,
        `CREATE INDEX ${table}_created_at_idx ON ${table} (created_at)`,
      ];
    },
  },
  { kind: 'safe:add column', weight: 10, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD COLUMN ${c.fresh(c.pick(WORDS))} ${c.pick(COLUMN_TYPES)}`] },
  { kind: 'safe:add column with a constant default', weight: 6, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD COLUMN ${c.fresh('is')} boolean NOT NULL DEFAULT false`] },
  { kind: 'safe:create index concurrently', weight: 6, make: (c) => [`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${c.fresh('idx')} ON ${c.pick(EXISTING)} (created_at)`] },
  {
    kind: 'safe:foreign key not valid + validate',
    weight: 4,
    make(c) {
      const name = c.fresh('fk');
      const table = c.pick(EXISTING);
      return [`ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID`, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`];
    },
  },
  { kind: 'safe:batched backfill', weight: 8, make: (c) => [`UPDATE ${c.pick(EXISTING)} SET ${c.pick(WORDS)} = 'x' WHERE id BETWEEN ${Math.floor(c.random() * 1e6)} AND ${Math.floor(c.random() * 1e6) + 10000}`] },
  { kind: 'safe:insert reference data', weight: 6, make: (c) => [`INSERT INTO categories (slug, name) VALUES ('${c.fresh('cat')}', 'Category') ON CONFLICT DO NOTHING`] },
  { kind: 'safe:comment', weight: 4, make: (c) => [`COMMENT ON TABLE ${c.pick(EXISTING)} IS 'owned by the ${c.pick(WORDS)} team'`] },
  { kind: 'safe:create view', weight: 3, make: (c) => [`CREATE OR REPLACE VIEW ${c.fresh('v')} AS SELECT id, created_at FROM ${c.pick(EXISTING)} WHERE created_at > now() - interval '30 days'`] },
  // What a migration linter is for.
  { kind: 'unsafe:create index', weight: 6, make: (c) => [`CREATE INDEX ${c.fresh('idx')} ON ${c.pick(EXISTING)} (${c.pick(WORDS)})`] },
  { kind: 'unsafe:add foreign key', weight: 3, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD CONSTRAINT ${c.fresh('fk')} FOREIGN KEY (user_id) REFERENCES users (id)`] },
  { kind: 'unsafe:add check', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD CONSTRAINT ${c.fresh('ck')} CHECK (${c.pick(WORDS)} IS NOT NULL)`] },
  { kind: 'unsafe:set not null', weight: 3, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ALTER COLUMN ${c.pick(WORDS)} SET NOT NULL`] },
  { kind: 'unsafe:volatile default', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD COLUMN ${c.fresh('token')} uuid DEFAULT gen_random_uuid()`] },
  { kind: 'unsafe:alter column type', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ALTER COLUMN ${c.pick(WORDS)} TYPE bigint USING ${c.pick(WORDS)}::bigint`] },
  { kind: 'unsafe:add unique', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD CONSTRAINT ${c.fresh('uq')} UNIQUE (${c.pick(WORDS)})`] },
  { kind: 'unsafe:rename column', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} RENAME COLUMN ${c.pick(WORDS)} TO ${c.fresh(c.pick(WORDS))}`] },
  { kind: 'unsafe:drop column', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} DROP COLUMN IF EXISTS ${c.pick(WORDS)}`] },
  { kind: 'unsafe:drop index', weight: 2, make: (c) => [`DROP INDEX IF EXISTS ${c.fresh('idx')}`] },
  { kind: 'unsafe:timestamp column', weight: 2, make: (c) => [`ALTER TABLE ${c.pick(EXISTING)} ADD COLUMN ${c.fresh('seen_at')} timestamp`] },
  { kind: 'unsafe:update without where', weight: 1, make: (c) => [`UPDATE ${c.pick(EXISTING)} SET ${c.pick(WORDS)} = NULL`] },
  {
    kind: 'unsafe:drop an old table',
    weight: 1,
    make(c) {
      const table = c.created.length > 3 ? c.created.splice(Math.floor(c.random() * (c.created.length - 1)), 1)[0]! : c.fresh('legacy');
      return [`DROP TABLE IF EXISTS ${table}`];
    },
  },
];

const TOTAL_WEIGHT = GENERATORS.reduce((sum, g) => sum + g.weight, 0);

/** `files` migration files of 1 to `maxGroups` groups of statements each. */
export function generateMigrationCorpus(files: number, seed: number, maxGroups = 6): MigrationCorpus {
  const random = seededRandom(seed);
  const counters = new Map<string, number>();
  const context: FileContext = {
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    fresh(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${n}`;
    },
    created: [],
  };
  const kinds = new Map<string, number>();
  const out: MigrationFile[] = [];
  let total = 0;
  let flagged = 0;
  for (let f = 1; f <= files; f++) {
    const statements: string[] = [];
    const header: string[] = [];
    if (random() < 0.3) header.push("SET lock_timeout = '5s'");
    const inTransaction = random() < 0.25;
    const groups = 1 + Math.floor(random() * maxGroups);
    let description = '';
    for (let g = 0; g < groups; g++) {
      let pickAt = random() * TOTAL_WEIGHT;
      let generator = GENERATORS[0]!;
      for (const candidate of GENERATORS) {
        pickAt -= candidate.weight;
        if (pickAt < 0) {
          generator = candidate;
          break;
        }
      }
      // CONCURRENTLY cannot run in a transaction block: such a file gets plain statements only.
      if (inTransaction && generator.kind === 'safe:create index concurrently') generator = GENERATORS[1]!;
      const made = generator.make(context);
      description ||= generator.kind.split(':')[1]!.replace(/[^a-z]+/g, '_');
      statements.push(...made);
      kinds.set(generator.kind, (kinds.get(generator.kind) ?? 0) + made.length);
      if (generator.kind.startsWith('unsafe:')) flagged += made.length;
    }
    const all = [...header, ...(inTransaction ? ['BEGIN', ...statements, 'COMMIT'] : statements)];
    const control = all.length - statements.length;
    if (control) kinds.set('control:SET / BEGIN / COMMIT', (kinds.get('control:SET / BEGIN / COMMIT') ?? 0) + control);
    total += all.length;
    out.push({ name: `V${String(f).padStart(5, '0')}__${description}.sql`, sql: `-- migration ${f}\n${all.join(';\n')};\n`, statements: all.length });
  }
  return { files: out, statements: total, kinds: new Map([...kinds].sort((a, b) => (a[0] < b[0] ? -1 : 1))), flagged };
}
