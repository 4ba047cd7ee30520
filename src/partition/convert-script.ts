/**
 * The migration `partition convert` writes: a table turned into a range-partitioned one while the
 * application keeps reading and writing it. Pure: from the catalog snapshot and a few facts read
 * beforehand to SQL text. The steps, each safe to run while the table is in use:
 *
 * 1. the new partitioned table (`LIKE` the old one), its primary key and unique keys extended with the
 *    partition key, its indexes, foreign keys out, grants; partitions for the existing data and
 *    `premake` ahead (and a default partition when asked);
 * 2. a trigger on the old table that mirrors every insert, update and delete into the new one;
 * 3. the copy of the existing rows in batches of primary key order, each batch its own transaction,
 *    rows locked `FOR SHARE` while copied so that a concurrent update or delete waits and is then
 *    mirrored (no lost or resurrected row); rows already mirrored are skipped (`ON CONFLICT DO NOTHING`);
 * 4. for each foreign key pointing at the table: the referencing table gets a copy of the key column,
 *    filled by a trigger and a batched backfill, since a foreign key to a partitioned table must
 *    reference a unique key that includes the partition key;
 * 5. the swap, in one short transaction retried on lock timeout: both tables renamed, names of
 *    constraints, indexes and identity sequences carried over, sequences re-owned, foreign keys
 *    re-pointed `NOT VALID`, triggers and dependent views recreated on the new table;
 * 6. after the swap: the foreign keys validated (no blocking lock), the sync trigger dropped, ANALYZE;
 *    the old table kept, renamed, until you drop it.
 */
import type { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { Column, Constraint, Index, Table } from '../catalog/types.js';
import { columnList, qualifiedName, quoteIdent, quoteLiteral } from '../sql/quote.js';
import { describeInterval, partitionName, type KeyKind, type KeyValue, type PartitionInterval } from './key-grid.js';

export interface ConvertPlanInput {
  index: SnapshotIndex;
  table: Table;
  key: Column;
  kind: KeyKind;
  interval: PartitionInterval;
  /** The partitions' ranges, in order. */
  cells: { from: KeyValue; to: KeyValue }[];
  defaultPartition: boolean;
  batchSize: number;
  versionNum: number;
  /** Redacted URL, and when: for the header only. */
  description: string;
  generatedAt: string;
  rowEstimate: number | null;
  keyRange: { min: string | null; max: string | null };
  /** lock_timeout of the session and of the swap's lock attempts. */
  lockTimeoutMs: number;
}

export interface ConvertScript {
  script: string;
  /** One line per decision or caveat, for the report. */
  summary: string[];
  partitions: { name: string; from: string; to: string }[];
  /** Names the script gives: the new table while built, the old one after the swap. */
  names: { building: string; old: string };
}

const MAX = 63;

function fit(name: string, suffix: string): string {
  let head = name;
  while (Buffer.byteLength(head + suffix) > MAX) head = head.slice(0, -1);
  return head + suffix;
}

/** A name free in the schema (tables, indexes, sequences and views share one namespace). */
function freeName(index: SnapshotIndex, taken: Set<string>, schema: string, wanted: string): string {
  const used = (n: string) => taken.has(`${schema}.${n}`) || index.snapshot.tables.some((t) => t.schema === schema && t.name === n) || index.snapshot.indexes.some((i) => i.schema === schema && i.name === n) || index.snapshot.sequences.some((s) => s.schema === schema && s.name === n) || index.snapshot.views.some((v) => v.schema === schema && v.name === n);
  let name = wanted;
  for (let n = 1; used(name); n++) name = fit(wanted, `_${n}`);
  taken.add(`${schema}.${name}`);
  return name;
}

export function convertScript(input: ConvertPlanInput): ConvertScript {
  const { index, table, key } = input;
  const schema = table.schema;
  const taken = new Set<string>();
  const building = freeName(index, taken, schema, fit(table.name, '_partitioned'));
  const oldName = freeName(index, taken, schema, fit(table.name, '_unpartitioned'));
  const T = qualifiedName(schema, table.name);
  const N = qualifiedName(schema, building);
  const O = qualifiedName(schema, oldName);
  const keyName = quoteIdent(key.name);
  const columns = index.columnsOf(table).filter((c) => !c.generated);
  const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
  const identity = columns.filter((c) => c.identity !== null);
  const overriding = identity.length ? ' OVERRIDING SYSTEM VALUE' : '';
  const constraints = index.constraintsOf(table);
  const pk = constraints.find((c) => c.kind === 'primary key')!;
  const pkColumns = pk.columns;
  const summary: string[] = [];
  const swap: string[] = [];
  const after: string[] = [];
  const out: string[] = [];
  const lockTimeout = `${Math.max(1, Math.round(input.lockTimeoutMs))}ms`;

  out.push(
    `-- pgarchitect partition convert: ${schema}.${table.name} into PARTITION BY RANGE (${key.name}), ${describeInterval(input.interval)} partitions`,
    `-- Generated ${input.generatedAt} from ${input.description}: about ${input.rowEstimate === null ? '?' : input.rowEstimate.toLocaleString('en-US')} rows, ${key.name} from ${input.keyRange.min ?? '(no rows)'} to ${input.keyRange.max ?? '(no rows)'}.`,
    '-- Review it, then run it in autocommit mode (the copy commits batch by batch): psql -v ON_ERROR_STOP=1 -f convert.sql',
    '-- Every step can run while the application reads and writes the table; only the swap (step 5) takes',
    '-- ACCESS EXCLUSIVE locks, in one short transaction that is retried when a lock is not granted in time.',
    `SET lock_timeout = '${lockTimeout}';`,
    'SET statement_timeout = 0;',
    "SET TimeZone = 'UTC';",
    '',
    `-- 1. The partitioned table, built as ${schema}.${building}.`,
    `CREATE TABLE ${N} (LIKE ${T} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS${input.versionNum >= 140000 ? ' INCLUDING COMPRESSION' : ''}) PARTITION BY RANGE (${keyName});`,
  );

  // Keys: a unique key of a partitioned table must include the partition key.
  const renames: { kind: 'constraint' | 'index'; newName: string; original: string }[] = [];
  const indexesDone = new Set<string>();
  for (const c of constraints.filter((k) => k.kind === 'primary key' || k.kind === 'unique')) {
    const keyed = c.columns.includes(key.name) ? c.columns : [...c.columns, key.name];
    if (!c.columns.includes(key.name)) summary.push(`${c.kind} ${c.name} (${c.columns.join(', ')}) becomes (${keyed.join(', ')}): unique per ${key.name} only, as partitioning requires`);
    const temp = freeName(index, taken, schema, fit(c.name, '_p'));
    out.push(`ALTER TABLE ${N} ADD CONSTRAINT ${quoteIdent(temp)} ${c.kind === 'primary key' ? 'PRIMARY KEY' : 'UNIQUE'} ${columnList(keyed)}${c.deferrable ? ' DEFERRABLE' : ''};`);
    renames.push({ kind: 'constraint', newName: temp, original: c.name });
    if (c.index) indexesDone.add(c.index);
  }
  for (const c of constraints.filter((k) => k.kind === 'exclusion')) {
    out.push(`-- exclusion constraint ${c.name} is not carried over: ${c.definition}`);
    summary.push(`exclusion constraint ${c.name} is not carried over (add it by hand, PostgreSQL 17+ with the key in it)`);
    if (c.index) indexesDone.add(c.index);
  }
  for (const ix of index.indexesOf(table)) {
    if (indexesDone.has(ix.name)) continue;
    const temp = freeName(index, taken, schema, fit(ix.name, '_p'));
    const statement = indexOnNewTable(ix, temp, N, key.name, summary);
    if (!statement) continue;
    out.push(statement);
    renames.push({ kind: 'index', newName: temp, original: ix.name });
  }
  // Foreign keys out: checked for every copied row; declared on the empty table, so instant.
  const selfReferences: Constraint[] = [];
  for (const fk of constraints.filter((c) => c.kind === 'foreign key')) {
    if (fk.references?.schema === schema && fk.references.table === table.name) {
      selfReferences.push(fk);
      continue;
    }
    out.push(`ALTER TABLE ${N} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition.replace(/\s+NOT VALID$/, '')};`);
  }
  for (const fk of selfReferences) {
    out.push(`-- self-referencing foreign key ${fk.name} is not carried over: ${fk.definition}`);
    summary.push(`self-referencing foreign key ${fk.name} is not carried over (add it after the swap, with ${key.name} in both column lists)`);
  }
  for (const p of index.snapshot.privileges.filter((p) => p.objectType === 'table' && p.schema === schema && p.name === table.name && p.grantee !== table.owner)) {
    out.push(`GRANT ${p.privilege} ON ${N} TO ${p.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(p.grantee)}${p.grantable ? ' WITH GRANT OPTION' : ''};`);
  }
  if (table.rowSecurity) {
    out.push(`ALTER TABLE ${N} ENABLE ROW LEVEL SECURITY;`);
    const policies = index.snapshot.policies.filter((p) => p.schema === schema && p.table === table.name);
    if (policies.length) summary.push(`row level security is enabled; its ${policies.length} policies are not carried over: recreate them on the new table after the swap`);
  }
  const partitions = input.cells.map((cell) => {
    const name = freeName(index, taken, schema, partitionName(table.name, cell.from, input.interval));
    return { name, from: cell.from.literal, to: cell.to.literal };
  });
  for (const p of partitions) out.push(`CREATE TABLE ${qualifiedName(schema, p.name)} PARTITION OF ${N} FOR VALUES FROM (${quoteLiteral(p.from)}) TO (${quoteLiteral(p.to)});`);
  if (input.defaultPartition) {
    const name = freeName(index, taken, schema, fit(table.name, '_default'));
    out.push(`CREATE TABLE ${qualifiedName(schema, name)} PARTITION OF ${N} DEFAULT;`);
    summary.push(`default partition ${name} catches rows outside the partitions (partition maintain moves them out later)`);
  } else {
    summary.push(`no default partition: a row outside ${partitions[0]?.from ?? '?'} .. ${partitions.at(-1)?.to ?? '?'} fails to insert (also into the old table while the sync trigger runs); partition maintain keeps partitions ahead`);
  }

  // 2. The sync trigger.
  const fn = qualifiedName(schema, fit(table.name, '_partition_sync'));
  const trigger = quoteIdent(fit(table.name, '_partition_sync'));
  const match = (row: string) => [...new Set([...pkColumns, key.name])].map((c) => `${quoteIdent(c)} = ${row}.${quoteIdent(c)}`).join(' AND ');
  out.push(
    '',
    '-- 2. Until the swap, every change to the old table is mirrored into the new one.',
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sync$`,
    'BEGIN',
    "  IF TG_OP IN ('UPDATE', 'DELETE') THEN",
    `    DELETE FROM ${N} WHERE ${match('OLD')};`,
    '  END IF;',
    "  IF TG_OP IN ('INSERT', 'UPDATE') THEN",
    `    INSERT INTO ${N} (${cols})${overriding} VALUES (${columns.map((c) => `NEW.${quoteIdent(c.name)}`).join(', ')}) ON CONFLICT DO NOTHING;`,
    '  END IF;',
    '  RETURN NULL;',
    'END',
    '$sync$;',
    `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE ON ${T} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  );

  // 3. The batched copy.
  const order = pkColumns.map(quoteIdent).join(', ');
  const vars = pkColumns.map((_, i) => `last_${i}`);
  const params = pkColumns.map((_, i) => `$${i + 1}`).join(', ');
  const desc = pkColumns.map((c) => `${quoteIdent(c)} DESC`).join(', ');
  const batch = (where: string) =>
    `WITH batch AS (SELECT ${cols} FROM ONLY ${T}${where} ORDER BY ${order} LIMIT ${input.batchSize} FOR SHARE), ` +
    `copied AS (INSERT INTO ${N} (${cols})${overriding} SELECT ${cols} FROM batch ON CONFLICT DO NOTHING) ` +
    `SELECT ${order} FROM batch ORDER BY ${desc} LIMIT 1`;
  out.push(
    '',
    `-- 3. The existing rows, ${input.batchSize.toLocaleString('en-US')} at a time in primary key order, one transaction per batch. The rows`,
    '--    of a batch are locked FOR SHARE while copied: a concurrent UPDATE or DELETE of one waits for the batch',
    '--    to commit, then the trigger mirrors it. Rows the trigger already copied are skipped. Safe to rerun.',
    'DO $copy$',
    'DECLARE',
    ...pkColumns.map((c, i) => `  ${vars[i]} ${T}.${quoteIdent(c)}%TYPE;`),
    '  batches bigint := 0;',
    'BEGIN',
    `  EXECUTE ${dollar(batch(''))} INTO ${vars.join(', ')};`,
    `  WHILE ${vars[0]} IS NOT NULL LOOP`,
    '    COMMIT;',
    '    batches := batches + 1;',
    `    IF batches % 100 = 0 THEN RAISE NOTICE 'copied % batches', batches; END IF;`,
    `    EXECUTE ${dollar(batch(` WHERE (${order}) > (${params})`))} INTO ${vars.join(', ')} USING ${vars.join(', ')};`,
    '  END LOOP;',
    '  COMMIT;',
    'END',
    '$copy$;',
    `-- Check before the swap (the counts differ only by rows in flight): SELECT (SELECT count(*) FROM ONLY ${T}) AS old, (SELECT count(*) FROM ${N}) AS new;`,
  );

  // 4. Foreign keys pointing at the table.
  const incoming = (index.foreignKeysTo.get(`${schema}.${table.name}`) ?? []).filter((fk) => !(fk.schema === schema && fk.table === table.name) && !fk.inherited);
  if (incoming.length) {
    out.push('', `-- 4. Foreign keys to ${schema}.${table.name}: a foreign key to a partitioned table must reference a unique key`, `--    with ${key.name} in it, so each referencing table gets a copy of ${key.name}, kept by a trigger.`);
  }
  for (const fk of incoming) {
    const child = qualifiedName(fk.schema, fk.table);
    const childTable = index.table(fk.schema, fk.table);
    const childColumns = childTable ? index.columnsOf(childTable).map((c) => c.name) : [];
    const base = fk.columns.length === 1 && fk.columns[0]!.endsWith('_id') ? fk.columns[0]!.slice(0, -3) : fk.columns.join('_');
    let copyColumn = fit(`${base}_${key.name}`, '');
    for (let n = 1; childColumns.includes(copyColumn); n++) copyColumn = fit(`${base}_${key.name}`, `_${n}`);
    const refCols = fk.references!.columns;
    const lookup = refCols.map((rc, i) => `${quoteIdent(rc)} = NEW.${quoteIdent(fk.columns[i]!)}`).join(' AND ');
    const fillFn = qualifiedName(fk.schema, fit(`${fk.table}_${copyColumn}`, '_fill'));
    const fillTrigger = quoteIdent(fit(`${fk.table}_${copyColumn}`, '_fill'));
    const childPk = childTable ? index.constraintsOf(childTable).find((c) => c.kind === 'primary key') : undefined;
    out.push(
      `ALTER TABLE ${child} ADD COLUMN ${quoteIdent(copyColumn)} ${key.type};`,
      `CREATE FUNCTION ${fillFn}() RETURNS trigger LANGUAGE plpgsql AS $fill$`,
      'BEGIN',
      `  NEW.${quoteIdent(copyColumn)} := (SELECT ${keyName} FROM ${T} WHERE ${lookup});`,
      '  RETURN NEW;',
      'END',
      '$fill$;',
      `CREATE TRIGGER ${fillTrigger} BEFORE INSERT OR UPDATE OF ${fk.columns.map(quoteIdent).join(', ')} ON ${child} FOR EACH ROW EXECUTE FUNCTION ${fillFn}();`,
      backfill(child, childPk?.columns ?? null, copyColumn, fk, T, keyName, input.batchSize),
    );
    const onDelete = fk.references!.onDelete === 'no action' ? '' : ` ON DELETE ${fk.references!.onDelete.toUpperCase()}`;
    swap.push(
      `    ALTER TABLE ${child} DROP CONSTRAINT ${quoteIdent(fk.name)};`,
      `    ALTER TABLE ${child} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY ${columnList([...fk.columns, copyColumn])} REFERENCES ${T} ${columnList([...refCols, key.name])} MATCH FULL ON UPDATE CASCADE${onDelete} NOT VALID;`,
    );
    after.push(`ALTER TABLE ${child} VALIDATE CONSTRAINT ${quoteIdent(fk.name)};`);
    summary.push(
      `foreign key ${fk.schema}.${fk.table}.${fk.name} becomes (${[...fk.columns, copyColumn].join(', ')}) → (${[...refCols, key.name].join(', ')}): ${fk.table} gets a column ${copyColumn}, filled by trigger ${fit(`${fk.table}_${copyColumn}`, '_fill')}`,
    );
  }

  // 5. The swap.
  swap.unshift(
    `    DROP TRIGGER ${trigger} ON ${T};`,
    `    ALTER TABLE ${T} RENAME TO ${quoteIdent(oldName)};`,
    `    ALTER TABLE ${N} RENAME TO ${quoteIdent(table.name)};`,
  );
  for (const r of renames) {
    const oldKeep = freeName(index, taken, schema, fit(r.original, '_old'));
    if (r.kind === 'constraint') {
      swap.push(`    ALTER TABLE ${O} RENAME CONSTRAINT ${quoteIdent(r.original)} TO ${quoteIdent(oldKeep)};`, `    ALTER TABLE ${T} RENAME CONSTRAINT ${quoteIdent(r.newName)} TO ${quoteIdent(r.original)};`);
    } else {
      swap.push(`    ALTER INDEX ${qualifiedName(schema, r.original)} RENAME TO ${quoteIdent(oldKeep)};`, `    ALTER INDEX ${qualifiedName(schema, r.newName)} RENAME TO ${quoteIdent(r.original)};`);
    }
  }
  for (const column of columns) {
    const sequence = index.snapshot.sequences.find((s) => s.ownedBy?.schema === schema && s.ownedBy.table === table.name && s.ownedBy.column === column.name);
    if (!sequence) continue;
    const seq = qualifiedName(sequence.schema, sequence.name);
    if (column.identity) {
      const oldSeq = freeName(index, taken, sequence.schema, fit(sequence.name, '_old'));
      swap.push(
        `    PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${quoteLiteral(T)}, ${quoteLiteral(column.name)}), s.last_value, s.is_called) FROM ${seq} s;`,
        `    ALTER SEQUENCE ${seq} RENAME TO ${quoteIdent(oldSeq)};`,
        `    EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', pg_catalog.pg_get_serial_sequence(${quoteLiteral(T)}, ${quoteLiteral(column.name)}), ${quoteLiteral(sequence.name)});`,
      );
      summary.push(`identity column ${column.name}: the new table's sequence continues from ${sequence.name}'s value and takes its name`);
    } else {
      swap.push(`    ALTER SEQUENCE ${seq} OWNED BY ${T}.${quoteIdent(column.name)};`);
      summary.push(`sequence ${sequence.name} (${column.name}) is owned by the new table, so dropping the old one keeps it`);
    }
  }
  for (const t of index.snapshot.triggers.filter((t) => t.schema === schema && t.table === table.name && !t.internal && !t.inherited)) {
    swap.push(`    ${t.definition};`);
    summary.push(`trigger ${t.name} is recreated on the new table at the swap`);
  }
  for (const v of index.snapshot.views.filter((v) => v.dependsOn.some((d) => d.kind === 'relation' && d.schema === schema && d.name === table.name))) {
    if (v.materialized) {
      summary.push(`materialized view ${v.schema}.${v.name} still reads the old table: recreate it after the swap`);
      continue;
    }
    swap.push(`    CREATE OR REPLACE VIEW ${qualifiedName(v.schema, v.name)} AS ${v.definition.trim().replace(/;$/, '')};`);
    summary.push(`view ${v.schema}.${v.name} is recreated at the swap to read the new table`);
  }
  out.push(
    '',
    '-- 5. The swap, in one short transaction: retried up to 10 times when a lock is not granted within lock_timeout.',
    'DO $swap$',
    'DECLARE',
    '  attempt int := 0;',
    'BEGIN',
    '  LOOP',
    '    attempt := attempt + 1;',
    '    BEGIN',
    `    LOCK TABLE ${T}, ${N} IN ACCESS EXCLUSIVE MODE;`,
    ...swap,
    '    EXIT;',
    '    EXCEPTION WHEN lock_not_available THEN',
    '      IF attempt >= 10 THEN RAISE; END IF;',
    "      RAISE NOTICE 'swap: lock not granted (attempt %), retrying', attempt;",
    '      PERFORM pg_catalog.pg_sleep(attempt);',
    '    END;',
    '  END LOOP;',
    'END',
    '$swap$;',
    '',
    '-- 6. After the swap.',
    ...after,
    `DROP FUNCTION ${fn}();`,
    `ANALYZE ${T};`,
    `-- The old table stays, as ${schema}.${oldName}, until you are satisfied:`,
    `-- DROP TABLE ${O};`,
    '',
  );
  return { script: out.join('\n'), summary, partitions, names: { building, old: oldName } };
}

/** A dollar-quoted literal for EXECUTE. */
function dollar(sql: string): string {
  return `$q$${sql}$q$`;
}

/** The CREATE INDEX of an index on the new table; unique indexes get the key appended (from their columns). */
function indexOnNewTable(ix: Index, name: string, table: string, key: string, summary: string[]): string | null {
  if (ix.unique && !ix.keyColumns.includes(key)) {
    if (ix.keyColumns.some((c) => c === null)) {
      summary.push(`unique index ${ix.name} on expressions is not carried over: a unique index of a partitioned table must include ${key}`);
      return `-- unique index ${ix.name} is not carried over: ${ix.definition}`;
    }
    summary.push(`unique index ${ix.name} (${ix.keyColumns.join(', ')}) becomes (${[...ix.keyColumns, key].join(', ')})`);
    return `CREATE UNIQUE INDEX ${quoteIdent(name)} ON ${table} USING ${ix.method} ${columnList([...(ix.keyColumns as string[]), key])}${ix.includeColumns.length ? ` INCLUDE ${columnList(ix.includeColumns)}` : ''}${ix.predicate ? ` WHERE ${ix.predicate}` : ''};`;
  }
  const m = /^CREATE (UNIQUE )?INDEX (?:"(?:[^"]|"")+"|\S+) ON (?:ONLY )?(?:"(?:[^"]|"")+"|[^\s"]+)(?:\.(?:"(?:[^"]|"")+"|[^\s"]+))? USING /.exec(ix.definition);
  if (!m) {
    summary.push(`index ${ix.name} is not carried over (its definition could not be read): ${ix.definition}`);
    return `-- index ${ix.name} is not carried over: ${ix.definition}`;
  }
  return `CREATE ${m[1] ?? ''}INDEX ${quoteIdent(name)} ON ${table} USING ${ix.definition.slice(m[0].length)};`;
}

/** Fills the referencing table's copy of the key in batches of its primary key (or in one statement without one). */
function backfill(child: string, pk: string[] | null, copyColumn: string, fk: Constraint, parent: string, key: string, batchSize: number): string {
  const join = fk.references!.columns.map((rc, i) => `p.${quoteIdent(rc)} = c.${quoteIdent(fk.columns[i]!)}`).join(' AND ');
  const set = `UPDATE ${child} c SET ${quoteIdent(copyColumn)} = p.${key} FROM ${parent} p WHERE ${join} AND c.${quoteIdent(copyColumn)} IS NULL`;
  if (!pk || pk.length === 0) return `${set};`;
  const order = pk.map(quoteIdent).join(', ');
  const vars = pk.map((_, i) => `last_${i}`);
  const params = pk.map((_, i) => `$${i + 1}`).join(', ');
  const desc = pk.map((c) => `${quoteIdent(c)} DESC`).join(', ');
  const step = (where: string) =>
    `WITH batch AS (SELECT ${order} FROM ${child}${where} ORDER BY ${order} LIMIT ${batchSize}), ` +
    `filled AS (UPDATE ${child} c SET ${quoteIdent(copyColumn)} = p.${key} FROM ${parent} p, batch b WHERE ${pk.map((k) => `c.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(' AND ')} AND ${join} AND c.${quoteIdent(copyColumn)} IS NULL) ` +
    `SELECT ${order} FROM batch ORDER BY ${desc} LIMIT 1`;
  return [
    'DO $backfill$',
    'DECLARE',
    ...pk.map((c, i) => `  ${vars[i]} ${child}.${quoteIdent(c)}%TYPE;`),
    'BEGIN',
    `  EXECUTE ${dollar(step(''))} INTO ${vars.join(', ')};`,
    `  WHILE ${vars[0]} IS NOT NULL LOOP`,
    '    COMMIT;',
    `    EXECUTE ${dollar(step(` WHERE (${order}) > (${params})`))} INTO ${vars.join(', ')} USING ${vars.join(', ')};`,
    '  END LOOP;',
    '  COMMIT;',
    'END',
    '$backfill$;',
  ].join('\n');
}
