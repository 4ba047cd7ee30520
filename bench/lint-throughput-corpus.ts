/**
 * The corpus of bench/lint-throughput.ts: a deterministic (seeded) SQL file of N statements, in the mix
 * an application's query files and migrations have. Most statements are clean; about one in seven has
 * an anti-pattern a query linter should report (SELECT *, DELETE or UPDATE without WHERE, NOT IN
 * (subquery), `= NULL`, LIKE '%x', ORDER BY random(), a large OFFSET, count(*) for existence, an
 * implicit cross join, UNION without ALL). Pure: the same options give the same text.
 */

/** What the corpus holds: each statement's kind and how many of each. */
export interface Corpus {
  sql: string;
  statements: number;
  /** Statements per kind, sorted by kind. */
  kinds: Map<string, number>;
  /** Statements that carry an anti-pattern (the kinds that start with `lint:`). */
  flagged: number;
}

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Table {
  name: string;
  alias: string;
  columns: string[];
  /** Columns that hold text, for LIKE and string comparisons. */
  text: string[];
  /** Foreign keys: column → referenced table. */
  refs: Record<string, string>;
}

const TABLES: readonly Table[] = [
  { name: 'users', alias: 'u', columns: ['id', 'email', 'name', 'status', 'country', 'created_at', 'last_login_at'], text: ['email', 'name', 'status', 'country'], refs: {} },
  { name: 'accounts', alias: 'a', columns: ['id', 'user_id', 'plan', 'balance', 'currency', 'created_at'], text: ['plan', 'currency'], refs: { user_id: 'users' } },
  { name: 'orders', alias: 'o', columns: ['id', 'user_id', 'status', 'total', 'currency', 'created_at', 'shipped_at'], text: ['status', 'currency'], refs: { user_id: 'users' } },
  { name: 'order_items', alias: 'oi', columns: ['id', 'order_id', 'product_id', 'quantity', 'unit_price'], text: [], refs: { order_id: 'orders', product_id: 'products' } },
  { name: 'products', alias: 'p', columns: ['id', 'category_id', 'sku', 'title', 'price', 'stock', 'created_at'], text: ['sku', 'title'], refs: { category_id: 'categories' } },
  { name: 'categories', alias: 'c', columns: ['id', 'parent_id', 'slug', 'name'], text: ['slug', 'name'], refs: { parent_id: 'categories' } },
  { name: 'payments', alias: 'pay', columns: ['id', 'order_id', 'provider', 'amount', 'status', 'created_at'], text: ['provider', 'status'], refs: { order_id: 'orders' } },
  { name: 'shipments', alias: 's', columns: ['id', 'order_id', 'carrier', 'tracking_code', 'status', 'created_at'], text: ['carrier', 'tracking_code', 'status'], refs: { order_id: 'orders' } },
  { name: 'reviews', alias: 'r', columns: ['id', 'product_id', 'user_id', 'rating', 'body', 'created_at'], text: ['body'], refs: { product_id: 'products', user_id: 'users' } },
  { name: 'events', alias: 'e', columns: ['id', 'user_id', 'kind', 'payload', 'occurred_at'], text: ['kind'], refs: { user_id: 'users' } },
  { name: 'invoices', alias: 'i', columns: ['id', 'account_id', 'number', 'amount', 'due_on', 'paid_at'], text: ['number'], refs: { account_id: 'accounts' } },
  { name: 'audit_log', alias: 'al', columns: ['id', 'user_id', 'action', 'target', 'created_at'], text: ['action', 'target'], refs: { user_id: 'users' } },
];

const byName = new Map(TABLES.map((t) => [t.name, t]));
const withRefs = TABLES.filter((t) => Object.keys(t.refs).length > 0);
const withText = TABLES.filter((t) => t.text.length > 0);
const STATUSES = ['pending', 'active', 'paid', 'shipped', 'cancelled', 'refunded'];
const INTERVALS = ["'1 day'", "'7 days'", "'30 days'", "'90 days'", "'1 year'"];
const TYPES = ['text', 'integer', 'bigint', 'boolean', 'timestamptz', 'numeric(12,2)', 'jsonb', 'varchar(255)'];

class Gen {
  private serial = 0;
  constructor(private readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  /** A unique suffix for created objects, so the DDL never collides with itself. */
  next(): number {
    return ++this.serial;
  }
  some(columns: readonly string[], alias?: string): string {
    const count = 1 + this.int(Math.min(4, columns.length));
    const chosen = [...new Set(Array.from({ length: count }, () => this.pick(columns)))];
    return chosen.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
  }
  literal(column: string): string {
    if (column === 'id' || column.endsWith('_id')) return String(1 + this.int(1_000_000));
    if (column === 'status') return `'${this.pick(STATUSES)}'`;
    if (column.endsWith('_at') || column.endsWith('_on')) return `now() - interval ${this.pick(INTERVALS)}`;
    if (['total', 'amount', 'price', 'balance', 'unit_price'].includes(column)) return (this.int(100_000) / 100).toFixed(2);
    if (['quantity', 'stock', 'rating'].includes(column)) return String(this.int(10));
    return `'${column}-${this.int(10_000)}'`;
  }
  /** A predicate on one column: equality, a parameter, a range or IN. */
  predicate(table: Table, alias = table.alias): string {
    const column = this.pick(table.columns);
    const ref = `${alias}.${column}`;
    switch (this.int(5)) {
      case 0:
        return `${ref} = $${1 + this.int(3)}`;
      case 1:
        return column.endsWith('_at') ? `${ref} >= ${this.literal(column)}` : `${ref} = ${this.literal(column)}`;
      case 2:
        return `${ref} IN (${this.literal(column)}, ${this.literal(column)}, ${this.literal(column)})`;
      case 3:
        return `${ref} IS NOT NULL`;
      default:
        return `${alias}.id BETWEEN ${this.int(1000)} AND ${1000 + this.int(100_000)}`;
    }
  }
  where(table: Table, alias = table.alias): string {
    const count = 1 + this.int(3);
    return Array.from({ length: count }, () => this.predicate(table, alias)).join('\n  AND ');
  }
}

type Generator = (g: Gen) => string;

function joinChain(g: Gen): { from: string; tables: Table[] } {
  const root = g.pick(withRefs);
  const tables = [root];
  const lines = [`FROM ${root.name} ${root.alias}`];
  let current = root;
  for (let depth = 1 + g.int(3); depth > 0; depth--) {
    const fk = Object.keys(current.refs).find((c) => !tables.some((t) => t.name === current.refs[c]));
    if (!fk) break;
    const target = byName.get(current.refs[fk]!)!;
    lines.push(`${g.chance(0.3) ? 'LEFT JOIN' : 'JOIN'} ${target.name} ${target.alias} ON ${target.alias}.id = ${current.alias}.${fk}`);
    tables.push(target);
    current = target;
  }
  return { from: lines.join('\n'), tables };
}

const CLEAN: Record<string, [weight: number, Generator]> = {
  'select: simple': [14, (g) => {
    const t = g.pick(TABLES);
    return `SELECT ${g.some(t.columns, t.alias)}\nFROM ${t.name} ${t.alias}\nWHERE ${g.where(t)}\nORDER BY ${t.alias}.${g.pick(t.columns)}${g.chance(0.5) ? ' DESC' : ''}\nLIMIT ${10 * (1 + g.int(10))}`;
  }],
  'select: joins + group by': [14, (g) => {
    const { from, tables } = joinChain(g);
    const root = tables[0]!;
    const last = tables[tables.length - 1]!;
    const group = `${last.alias}.${g.pick(last.columns)}`;
    const having = g.chance(0.4) ? `\nHAVING count(*) > ${1 + g.int(20)}` : '';
    return `SELECT ${group}, count(*) AS n, max(${root.alias}.id) AS latest\n${from}\nWHERE ${g.where(root)}\nGROUP BY ${group}${having}\nORDER BY n DESC\nLIMIT ${10 + g.int(90)}`;
  }],
  'select: subqueries': [8, (g) => {
    const child = g.pick(withRefs);
    const [fk, parentName] = g.pick(Object.entries(child.refs));
    const parent = byName.get(parentName!)!;
    const p = parent.alias === child.alias ? `${parent.alias}2` : parent.alias;
    switch (g.int(3)) {
      case 0:
        return `SELECT ${g.some(parent.columns, p)}\nFROM ${parent.name} ${p}\nWHERE EXISTS (\n  SELECT 1 FROM ${child.name} ${child.alias}\n  WHERE ${child.alias}.${fk} = ${p}.id AND ${g.predicate(child)}\n)`;
      case 1:
        return `SELECT ${g.some(parent.columns, p)}\nFROM ${parent.name} ${p}\nWHERE ${p}.id IN (SELECT ${child.alias}.${fk} FROM ${child.name} ${child.alias} WHERE ${g.predicate(child)})`;
      default:
        return `SELECT ${p}.id,\n  (SELECT count(*) FROM ${child.name} ${child.alias} WHERE ${child.alias}.${fk} = ${p}.id) AS ${child.name}_count\nFROM (SELECT * FROM ${parent.name} WHERE id > ${g.int(10_000)} ORDER BY id LIMIT 100) ${p}`;
    }
  }],
  'select: CTE': [7, (g) => {
    if (g.chance(0.25)) {
      return `WITH RECURSIVE tree AS (\n  SELECT id, parent_id, name, 1 AS depth FROM categories WHERE parent_id IS NULL\n  UNION ALL\n  SELECT c.id, c.parent_id, c.name, tree.depth + 1\n  FROM categories c JOIN tree ON c.parent_id = tree.id\n  WHERE tree.depth < ${3 + g.int(5)}\n)\nSELECT id, name, depth FROM tree ORDER BY depth, name`;
    }
    const t = g.pick(withRefs);
    const [fk, parentName] = g.pick(Object.entries(t.refs));
    const parent = byName.get(parentName!)!;
    const when = t.columns.find((c) => c.endsWith('_at')) ?? 'id';
    return `WITH recent AS (\n  SELECT ${fk}, count(*) AS n\n  FROM ${t.name}\n  WHERE ${when === 'id' ? 'id > 1000' : `${when} >= now() - interval ${g.pick(INTERVALS)}`}\n  GROUP BY ${fk}\n), ranked AS (\n  SELECT ${fk}, n, rank() OVER (ORDER BY n DESC) AS position FROM recent\n)\nSELECT x.${g.pick(parent.columns)}, r.n, r.position\nFROM ranked r\nJOIN ${parent.name} x ON x.id = r.${fk}\nWHERE r.position <= ${5 + g.int(50)}`;
  }],
  'select: window functions': [4, (g) => {
    const t = g.pick(withRefs);
    const [fk] = g.pick(Object.entries(t.refs));
    return `SELECT ${t.alias}.id, ${t.alias}.${fk},\n  row_number() OVER (PARTITION BY ${t.alias}.${fk} ORDER BY ${t.alias}.id DESC) AS rn,\n  lag(${t.alias}.id) OVER w AS previous_id\nFROM ${t.name} ${t.alias}\nWHERE ${g.where(t)}\nWINDOW w AS (PARTITION BY ${t.alias}.${fk} ORDER BY ${t.alias}.id)`;
  }],
  'insert: values': [9, (g) => {
    const t = g.pick(TABLES);
    const columns = t.columns.filter((c) => c !== 'id');
    const rows = Array.from({ length: 1 + g.int(4) }, () => `(${columns.map((c) => (c.endsWith('_at') ? 'now()' : g.literal(c))).join(', ')})`);
    const conflict = g.chance(0.3) ? `\nON CONFLICT (id) DO ${g.chance(0.5) ? 'NOTHING' : `UPDATE SET ${columns[0]} = EXCLUDED.${columns[0]}`}` : '';
    return `INSERT INTO ${t.name} (${columns.join(', ')})\nVALUES ${rows.join(',\n       ')}${conflict}${g.chance(0.4) ? '\nRETURNING id' : ''}`;
  }],
  'insert: select': [3, (g) => {
    const t = g.pick(TABLES);
    return `INSERT INTO audit_log (user_id, action, target, created_at)\nSELECT ${t.columns.includes('user_id') ? `${t.alias}.user_id` : `${t.alias}.id`}, 'archive', '${t.name}', now()\nFROM ${t.name} ${t.alias}\nWHERE ${g.where(t)}`;
  }],
  'update: with where': [10, (g) => {
    const t = g.pick(TABLES);
    const column = g.pick(t.columns.filter((c) => c !== 'id'));
    if (g.chance(0.25) && Object.keys(t.refs).length > 0) {
      const [fk, parentName] = g.pick(Object.entries(t.refs));
      const parent = byName.get(parentName!)!;
      const p = parent.alias === t.alias ? `${parent.alias}2` : parent.alias;
      return `UPDATE ${t.name} ${t.alias}\nSET ${column} = ${g.literal(column)}\nFROM ${parent.name} ${p}\nWHERE ${p}.id = ${t.alias}.${fk}\n  AND ${g.predicate(parent, p)}`;
    }
    return `UPDATE ${t.name}\nSET ${column} = ${g.literal(column)}\nWHERE id = ${1 + g.int(1_000_000)}${g.chance(0.3) ? '\nRETURNING id' : ''}`;
  }],
  'delete: with where': [6, (g) => {
    const t = g.pick(TABLES);
    const when = t.columns.find((c) => c.endsWith('_at'));
    return when && g.chance(0.6)
      ? `DELETE FROM ${t.name}\nWHERE ${when} < now() - interval ${g.pick(INTERVALS)}`
      : `DELETE FROM ${t.name} WHERE id = ${1 + g.int(1_000_000)}`;
  }],
  'ddl: create table': [2, (g) => {
    const n = g.next();
    const columns = Array.from({ length: 2 + g.int(5) }, (_, i) => `  col_${i} ${g.pick(TYPES)}${g.chance(0.3) ? ' NOT NULL' : ''}`);
    return `CREATE TABLE IF NOT EXISTS staging_${n} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n${columns.join(',\n')},\n  created_at timestamptz NOT NULL DEFAULT now()\n)`;
  }],
  'ddl: alter table': [3, (g) => {
    const t = g.pick(TABLES);
    const n = g.next();
    switch (g.int(3)) {
      case 0:
        return `ALTER TABLE ${t.name} ADD COLUMN extra_${n} ${g.pick(TYPES)}`;
      case 1:
        return `ALTER TABLE ${t.name} ALTER COLUMN ${g.pick(t.columns.filter((c) => c !== 'id'))} SET NOT NULL`;
      default: {
        const [fk, parent] = Object.entries(t.refs)[0] ?? ['id', 'users'];
        return `ALTER TABLE ${t.name} ADD CONSTRAINT ${t.name}_${fk}_fk_${n} FOREIGN KEY (${fk}) REFERENCES ${parent} (id)`;
      }
    }
  }],
  'ddl: create index': [3, (g) => {
    const t = g.pick(TABLES);
    const n = g.next();
    return `CREATE INDEX ${g.chance(0.5) ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${t.name}_idx_${n} ON ${t.name} (${g.some(t.columns.filter((c) => c !== 'id'))})`;
  }],
  'ddl: other': [2, (g) => {
    const t = g.pick(TABLES);
    const n = g.next();
    switch (g.int(3)) {
      case 0:
        return `DROP INDEX IF EXISTS ${t.name}_idx_${n}`;
      case 1:
        return `COMMENT ON TABLE ${t.name} IS 'owned by team ${n % 7}'`;
      default:
        return `CREATE OR REPLACE VIEW ${t.name}_view_${n} AS\nSELECT ${g.some(t.columns)} FROM ${t.name} WHERE ${g.predicate(t, t.name)}`;
    }
  }],
};

const FLAGGED: Record<string, [weight: number, Generator]> = {
  'lint: select-star': [3, (g) => {
    const t = g.pick(TABLES);
    return `SELECT *\nFROM ${t.name} ${t.alias}\nWHERE ${g.where(t)}`;
  }],
  'lint: delete-without-where': [1, (g) => `DELETE FROM ${g.pick(TABLES).name}`],
  'lint: update-without-where': [1, (g) => {
    const t = g.pick(TABLES);
    const column = g.pick(t.columns.filter((c) => c !== 'id'));
    return `UPDATE ${t.name} SET ${column} = ${g.literal(column)}`;
  }],
  'lint: not-in-subquery': [2, (g) => {
    const child = g.pick(withRefs);
    const [fk, parentName] = g.pick(Object.entries(child.refs));
    const parent = byName.get(parentName!)!;
    return `SELECT ${g.some(parent.columns)}\nFROM ${parent.name}\nWHERE id NOT IN (SELECT ${fk} FROM ${child.name})`;
  }],
  'lint: equals-null': [2, (g) => {
    const t = g.pick(TABLES);
    return `SELECT ${g.some(t.columns, t.alias)}\nFROM ${t.name} ${t.alias}\nWHERE ${t.alias}.${g.pick(t.columns.filter((c) => c !== 'id'))} = NULL`;
  }],
  'lint: leading-wildcard-like': [2, (g) => {
    const t = g.pick(withText);
    return `SELECT ${g.some(t.columns, t.alias)}\nFROM ${t.name} ${t.alias}\nWHERE ${t.alias}.${g.pick(t.text)} ${g.chance(0.3) ? 'ILIKE' : 'LIKE'} '%${g.int(1000)}'`;
  }],
  'lint: order-by-random': [1, (g) => {
    const t = g.pick(TABLES);
    return `SELECT ${g.some(t.columns)} FROM ${t.name} ORDER BY random() LIMIT ${1 + g.int(20)}`;
  }],
  'lint: offset-pagination': [1, (g) => {
    const t = g.pick(TABLES);
    return `SELECT ${g.some(t.columns)} FROM ${t.name} ORDER BY id LIMIT 50 OFFSET ${1000 * (10 + g.int(500))}`;
  }],
  'lint: count-for-existence': [1, (g) => {
    const t = g.pick(TABLES);
    return `SELECT count(*) > 0 AS present FROM ${t.name} ${t.alias} WHERE ${g.predicate(t)}`;
  }],
  'lint: implicit-cross-join': [1, (g) => {
    const child = g.pick(withRefs);
    const [fk, parentName] = g.pick(Object.entries(child.refs));
    const parent = byName.get(parentName!)!;
    const p = parent.alias === child.alias ? `${parent.alias}2` : parent.alias;
    return `SELECT ${child.alias}.id, ${p}.id\nFROM ${child.name} ${child.alias}, ${parent.name} ${p}\nWHERE ${p}.id = ${child.alias}.${fk}`;
  }],
  'lint: union-without-all': [1, (g) => {
    const t = g.pick(withRefs);
    const [fk] = g.pick(Object.entries(t.refs));
    return `SELECT ${fk} FROM ${t.name} WHERE ${g.predicate(t, t.name)}\nUNION\nSELECT ${fk} FROM ${t.name} WHERE ${g.predicate(t, t.name)}`;
  }],
};

const COMMENTS = ['-- report: daily totals', '-- used by the admin dashboard', '-- migration step', '-- nightly clean-up', '-- TODO: paginate'];

/** Generates `statements` statements, each ending in `;`, separated by blank lines, sometimes after a comment. */
export function generateCorpus(statements: number, seed = 20_240_601): Corpus {
  const g = new Gen(seededRandom(seed));
  const table = Object.entries({ ...CLEAN, ...FLAGGED });
  const totalWeight = table.reduce((sum, [, [weight]]) => sum + weight, 0);
  const kinds = new Map<string, number>();
  const parts: string[] = [];
  for (let i = 0; i < statements; i++) {
    let roll = g.int(totalWeight);
    const [kind, [, generate]] = table.find(([, [weight]]) => (roll -= weight) < 0)!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    parts.push(`${g.chance(0.1) ? `${g.pick(COMMENTS)}\n` : ''}${generate(g)};\n`);
  }
  const sorted = new Map([...kinds].sort(([a], [b]) => a.localeCompare(b)));
  const flagged = [...sorted].filter(([kind]) => kind.startsWith('lint:')).reduce((sum, [, n]) => sum + n, 0);
  return { sql: parts.join('\n'), statements, kinds: sorted, flagged };
}
