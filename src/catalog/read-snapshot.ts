/**
 * Reads a CatalogSnapshot through the Db port in a fixed number of set-based queries (19 today),
 * inside one REPEATABLE READ READ ONLY transaction so every query sees the same catalog state.
 */
import type { Db } from '../db/db.js';
import * as q from './queries.js';
import { parsePartitionRange } from './partition-bound.js';
import { ensureParser } from '../sql/parser.js';
import { quoteIdent } from '../sql/quote.js';
import { UserError } from '../errors.js';
import {
  SNAPSHOT_FORMAT_VERSION,
  type CatalogSnapshot,
  type Column,
  type ColumnStats,
  type Constraint,
  type ConstraintKind,
  type Extension,
  type ForeignKeyAction,
  type FunctionInfo,
  type NotExaminedRelation,
  type Index,
  type Policy,
  type Privilege,
  type PrivilegeObjectType,
  type Role,
  type Schema,
  type Sequence,
  type Setting,
  type SnapshotSourceKind,
  type Table,
  type Trigger,
  type UserType,
  type View,
  type ViewDependency,
} from './types.js';

type Row = Record<string, unknown>;

export interface ReadSnapshotOptions {
  source: SnapshotSourceKind;
  /** Redacted description of where the snapshot came from. */
  description: string;
  /**
   * Read per-column statistics (pg_statistic / pg_stats): default true. `health` and `maintenance plan`
   * turn it off: none of the rules they run uses them, and on 10,000 columns their arrays are most of
   * the decoding work. The snapshot then says `columnStatistics: false`.
   */
  columnStatistics?: boolean;
}

export interface ReadSnapshotResult {
  snapshot: CatalogSnapshot;
  /** Number of catalog queries sent (the benchmark checks this stays fixed). */
  queryCount: number;
}

export async function readSnapshot(db: Db, options: ReadSnapshotOptions): Promise<ReadSnapshotResult> {
  // A session may take an ACCESS EXCLUSIVE lock between the lock check and a query that opens the
  // relation: the query then waits lock_timeout and fails, and the read starts again, now leaving the
  // relation out.
  for (let attempt = 1; ; attempt++) {
    try {
      return await readSnapshotOnce(db, options);
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      if (attempt === LOCK_ATTEMPTS) {
        throw new UserError(
          `the catalog read waited for a lock ${LOCK_ATTEMPTS} times: other sessions keep taking ACCESS EXCLUSIVE locks (DDL running)`,
          'retry when the DDL is done, or raise lock_timeout (PGOPTIONS="-c lock_timeout=10s")',
        );
      }
    }
  }
}

const LOCK_NOT_AVAILABLE = '55P03';
const LOCK_ATTEMPTS = 3;

async function readSnapshotOnce(db: Db, options: ReadSnapshotOptions): Promise<ReadSnapshotResult> {
  let queryCount = 0;
  const run = async (sql: string): Promise<Row[]> => {
    queryCount++;
    return db.query<Row>(sql);
  };
  await ensureParser();
  await db.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // JIT compiling these catalog joins costs more than it saves (about 0.2 s at 10,000 tables).
    await db.exec("SELECT pg_catalog.set_config('jit', 'off', true)");
    const [server] = await run(q.serverQuery);
    if (!server) throw new Error('server query returned no row');
    const versionNum = num(server.version_num);
    const notExamined = (await run(q.lockedRelationsQuery)).map(toNotExamined);
    const skip = q.oidArray(notExamined.map((n) => n.oid));
    const schemas = (await run(q.schemasQuery)).map(toSchema);
    const tableRows = await run(q.tablesQuery(versionNum, skip));
    const tables = tableRows.map(toTable);
    const columns = (await run(q.columnsQuery(versionNum, skip))).map(toColumn);
    const readColumnStats = options.columnStatistics !== false;
    const columnStats = readColumnStats ? await run(q.columnStatsQuery(server.can_read_all_statistics === true)) : [];
    const names = new ColumnNames(columns);
    const constraints = (await run(q.constraintsQuery(versionNum, skip))).map((r) => toConstraint(r, names));
    const opclasses = new Map((await run(q.opclassesQuery)).map((r) => [str(r.oid), str(r.name)]));
    const indexes = (await run(q.indexesQuery(versionNum, skip))).map((r) => toIndex(r, names, opclasses));
    addTotalSizes(tables, tableRows, indexes);
    const sequenceRows = await run(q.sequencesQuery(skip));
    const functions = (await run(q.functionsQuery)).map(toFunction);
    const triggers = (await run(q.triggersQuery(skip))).map(toTrigger);
    const policies = (await run(q.policiesQuery(skip))).map(toPolicy);
    const extensions = (await run(q.extensionsQuery)).map(toExtension);
    const types = (await run(q.typesQuery)).map(toUserType);
    const roles = (await run(q.rolesQuery)).map(toRole);
    const privileges = (await run(q.privilegesQuery)).map(toPrivilege);
    const settings = (await run(q.settingsQuery)).map(toSetting);
    // Last: pg_get_viewdef keeps its locks on the views and what they read until the transaction ends.
    const views = (await run(q.viewsQuery(skip))).map(toView);
    attachColumnStats(columns, columnStats);

    const notes: string[] = notExamined.map((n) => `${n.schema}.${n.name} was not examined: ${n.reason}`);
    const sequenceValues = sequenceRows.every((r) => r.visible === true || r.narrow !== true);
    if (!sequenceValues) notes.push('some sequences are not readable by this user (needs USAGE or SELECT): their last values are unknown');
    const columnStatistics = readColumnStats && (server.can_read_all_statistics === true || columnStats.length > 0);
    if (readColumnStats && server.can_read_all_statistics !== true) {
      notes.push('pg_stats shows only the columns this user may SELECT: column statistics of other tables are hidden');
    }
    const tableStatistics = tables.length === 0 || tables.some((t) => t.stats !== null);
    if (!tableStatistics) notes.push('pg_stat_all_tables returned no rows: table and index usage statistics are not visible');

    const snapshot: CatalogSnapshot = {
      format: 'pgarchitect-snapshot',
      formatVersion: SNAPSHOT_FORMAT_VERSION,
      source: {
        kind: options.source,
        description: options.description,
        database: str(server.database),
        user: str(server.user),
        takenAt: str(server.now),
      },
      server: {
        versionNum,
        version: str(server.version),
        statsReset: optStr(server.stats_reset),
        startedAt: optStr(server.started_at),
        databaseXidAge: optNum(server.xid_age),
        databaseSize: optNum(server.database_size),
      },
      visibility: { tableStatistics, columnStatistics, sequenceValues, notes, notExamined: notExamined.map(({ oid: _oid, ...rest }) => rest) },
      schemas,
      tables,
      columns,
      constraints,
      indexes,
      sequences: sequenceRows.map(toSequence),
      views,
      functions,
      triggers,
      policies,
      extensions,
      types,
      roles,
      privileges,
      settings,
    };
    return { snapshot, queryCount };
  } finally {
    await db.exec('COMMIT').catch(() => undefined);
  }
}

const RELATION_KIND: Record<string, string> = { r: 'table', p: 'partitioned table', f: 'foreign table', v: 'view', m: 'materialized view', S: 'sequence', i: 'index', I: 'partitioned index' };

function toNotExamined(r: Row): NotExaminedRelation & { oid: string } {
  const pid = num(r.pid);
  const seconds = optNum(r.seconds);
  const who = `pid ${pid}${optStr(r.application_name) ? ` (${str(r.application_name)})` : ''}`;
  const lock = r.granted === true
    ? `${who} holds an ACCESS EXCLUSIVE lock on it${seconds == null ? '' : `, in a transaction open for ${Math.round(seconds)} s`}`
    : `${who} is waiting for an ACCESS EXCLUSIVE lock on it, and reading it would queue behind that request`;
  const cause = `${str(r.cause_schema)}.${str(r.cause_name)}`;
  const onCause = lock.replace(' on it', ` on ${cause}`);
  const reason =
    r.link === 'view' ? `it reads ${cause}, and ${onCause}`
    : r.link === 'partition' ? `it is a partition of ${cause}, left out because ${onCause}`
    : lock;
  return {
    oid: str(r.oid),
    schema: str(r.schema),
    name: str(r.name),
    kind: RELATION_KIND[str(r.relkind)] ?? 'relation',
    reason,
    lockHolderPid: pid,
  };
}

function toSchema(r: Row): Schema {
  return { name: str(r.name), owner: str(r.owner), comment: optStr(r.comment) };
}

const PERSISTENCE = { p: 'permanent', u: 'unlogged', t: 'temporary' } as const;
const TABLE_KIND = { r: 'table', p: 'partitioned table', f: 'foreign table' } as const;

function toTable(r: Row): Table {
  const bound = optStr(r.partition_bound);
  const key = optStr(r.partition_key);
  const strategy = key ? (key.split(' ')[0]!.toLowerCase() as Table['partitionStrategy']) : null;
  return {
    schema: str(r.schema),
    name: str(r.name),
    kind: TABLE_KIND[str(r.relkind) as keyof typeof TABLE_KIND],
    owner: str(r.owner),
    persistence: PERSISTENCE[str(r.persistence) as keyof typeof PERSISTENCE],
    rowSecurity: r.row_security === true,
    forceRowSecurity: r.force_row_security === true,
    reloptions: strArray(r.reloptions),
    partitionKey: key,
    partitionKeyColumns: strArray(r.partition_key_columns),
    partitionStrategy: strategy,
    parent: r.parent_name ? { schema: str(r.parent_schema), name: str(r.parent_name) } : null,
    partitionBound: bound,
    partitionRange: bound ? parsePartitionRange(bound) : null,
    isDefaultPartition: bound === 'DEFAULT',
    totalBytes: null,
    tableBytes: optNum(r.table_bytes),
    rowEstimate: r.row_estimate == null || Number(r.row_estimate) < 0 ? null : Number(r.row_estimate),
    comment: optStr(r.comment),
    stats:
      r.has_stats === true
        ? {
            seqScan: num(r.seq_scan),
            seqTupRead: num(r.seq_tup_read),
            idxScan: optNum(r.idx_scan),
            liveTuples: num(r.live_tuples),
            deadTuples: num(r.dead_tuples),
            modsSinceAnalyze: num(r.mods_since_analyze),
            insertsSinceVacuum: optNum(r.inserts_since_vacuum),
            lastVacuum: optStr(r.last_vacuum),
            lastAutovacuum: optStr(r.last_autovacuum),
            lastAnalyze: optStr(r.last_analyze),
            lastAutoanalyze: optStr(r.last_autoanalyze),
            vacuumCount: num(r.vacuum_count),
            autovacuumCount: num(r.autovacuum_count),
            analyzeCount: num(r.analyze_count),
            autoanalyzeCount: num(r.autoanalyze_count),
          }
        : null,
  };
}

function toColumn(r: Row): Column {
  const identity = str(r.identity);
  const generated = str(r.generated);
  return {
    schema: str(r.schema),
    table: str(r.table),
    name: str(r.name),
    position: num(r.position),
    type: str(r.type),
    typeName: str(r.type_name),
    typeSchema: str(r.type_schema),
    typeKind: str(r.type_kind),
    domainBaseType: optStr(r.domain_base_type),
    isArray: r.is_array === true,
    notNull: r.not_null === true,
    default: generated ? null : optStr(r.default),
    identity: identity === 'a' ? 'always' : identity === 'd' ? 'by default' : null,
    generated: generated === 's' ? 'stored' : generated === 'v' ? 'virtual' : null,
    generationExpression: generated ? optStr(r.generation_expression) : null,
    ownedSequence: optStr(r.owned_sequence),
    collation: optStr(r.collation),
    comment: optStr(r.comment),
    stats: null,
  };
}

function attachColumnStats(columns: Column[], rows: Row[]): void {
  const byKey = new Map<string, ColumnStats>();
  for (const r of rows) {
    byKey.set(`${str(r.schema)}\u0000${str(r.table)}\u0000${str(r.name)}`, {
      nullFraction: num(r.null_fraction),
      distinct: num(r.distinct),
      averageWidth: num(r.average_width),
      correlation: optNum(r.correlation),
      mostCommonValues: r.most_common_values == null ? null : strArray(r.most_common_values),
      mostCommonFrequencies: r.most_common_frequencies == null ? null : (r.most_common_frequencies as unknown[]).map(num),
    });
  }
  for (const c of columns) c.stats = byKey.get(`${c.schema}\u0000${c.table}\u0000${c.name}`) ?? null;
}

const CONSTRAINT_KIND: Record<string, ConstraintKind> = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
  x: 'exclusion',
  n: 'not null',
  t: 'trigger',
};
const FK_ACTION: Record<string, ForeignKeyAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};
const FK_MATCH = { s: 'simple', f: 'full', p: 'partial' } as const;

/** Column names by table and attribute number, so catalog queries can return numbers (cheaper). */
class ColumnNames {
  readonly #byTable = new Map<string, Map<number, string>>();
  constructor(columns: Column[]) {
    for (const c of columns) {
      const key = `${c.schema}\u0000${c.table}`;
      let map = this.#byTable.get(key);
      if (!map) this.#byTable.set(key, (map = new Map()));
      map.set(c.position, c.name);
    }
  }
  name(schema: string, table: string, position: number): string | undefined {
    return this.#byTable.get(`${schema}\u0000${table}`)?.get(position);
  }
}

/** Every table's total size: its heap and TOAST pages plus its indexes (as pg_total_relation_size counts). */
function addTotalSizes(tables: Table[], rows: Row[], indexes: Index[]): void {
  const indexBytes = new Map<string, number>();
  for (const i of indexes) {
    const key = `${i.schema}\u0000${i.table}`;
    indexBytes.set(key, (indexBytes.get(key) ?? 0) + (i.bytes ?? 0));
  }
  tables.forEach((table, n) => {
    if (table.tableBytes === null) return;
    table.totalBytes = table.tableBytes + num(rows[n]!.toast_bytes) + (indexBytes.get(`${table.schema}\u0000${table.name}`) ?? 0);
  });
}

function toConstraint(r: Row, names: ColumnNames): Constraint {
  const kind = CONSTRAINT_KIND[str(r.type)] ?? 'check';
  const schema = str(r.schema);
  const table = str(r.table);
  const refNames = r.ref_column_names == null ? null : strArray(r.ref_column_names);
  return {
    schema,
    table,
    name: str(r.name),
    kind,
    columns: strArray(r.column_numbers).map((n) => names.name(schema, table, Number(n)) ?? `#${n}`),
    definition: str(r.definition),
    validated: r.validated === true,
    deferrable: r.deferrable === true,
    index: optStr(r.index_name),
    inherited: r.inherited === true,
    local: r.local !== false,
    references:
      kind === 'foreign key'
        ? {
            schema: str(r.ref_schema),
            table: str(r.ref_table),
            columns:
              refNames ?? strArray(r.ref_column_numbers).map((n) => names.name(str(r.ref_schema), str(r.ref_table), Number(n)) ?? `#${n}`),
            onUpdate: FK_ACTION[str(r.on_update)] ?? 'no action',
            onDelete: FK_ACTION[str(r.on_delete)] ?? 'no action',
            matchType: FK_MATCH[str(r.match_type) as keyof typeof FK_MATCH] ?? 'simple',
          }
        : null,
    comment: optStr(r.comment),
  };
}

function toIndex(r: Row, names: ColumnNames, nonDefaultOpclasses: Map<string, string>): Index {
  const keyCount = num(r.key_count);
  const schema = str(r.schema);
  const table = str(r.table);
  // Attribute number 0 is an expression key.
  const columnNames = strArray(r.column_numbers).map((n) => (n === '0' ? '' : (names.name(schema, table, Number(n)) ?? `#${n}`)));
  // Key texts as pg_get_indexdef prints them: asked of Postgres only when there are expressions;
  // plain column keys are the quoted column names, exactly what it would print.
  const keyTexts = r.key_texts == null ? columnNames.map(quoteIdent) : strArray(r.key_texts);
  const options = strArray(r.options).map(Number);
  const opclasses = strArray(r.opclasses).map((oid) => nonDefaultOpclasses.get(oid) ?? '');
  return {
    schema,
    table,
    name: str(r.name),
    definition: str(r.definition),
    method: str(r.method),
    unique: r.unique === true,
    primary: r.primary === true,
    keyColumns: columnNames.slice(0, keyCount).map((c) => (c === '' ? null : c)),
    keys: keyTexts.slice(0, keyCount),
    // indoption bit 0 is DESC, bit 1 is NULLS FIRST (see pg_index.h INDOPTION_*).
    keyOptions: options.slice(0, keyCount).map((o) => ({ desc: (o & 1) !== 0, nullsFirst: (o & 2) !== 0 })),
    keyOpclasses: opclasses.slice(0, keyCount).map((o) => (o === '' ? null : o)),
    keyCollations: new Array<string | null>(keyCount).fill(null),
    includeColumns: columnNames.slice(keyCount),
    predicate: optStr(r.predicate),
    valid: r.valid === true,
    ready: r.ready === true,
    constraint: optStr(r.constraint_name),
    partitioned: r.partitioned === true,
    parentIndex: optStr(r.parent_index),
    bytes: optNum(r.bytes),
    stats:
      r.has_stats === true
        ? { scans: num(r.scans), tuplesRead: num(r.tuples_read), tuplesFetched: num(r.tuples_fetched), lastScan: optStr(r.last_scan) }
        : null,
    comment: optStr(r.comment),
  };
}

function toSequence(r: Row): Sequence {
  return {
    schema: str(r.schema),
    name: str(r.name),
    dataType: str(r.data_type),
    startValue: num(r.start_value),
    minValue: num(r.min_value),
    maxValue: num(r.max_value),
    increment: num(r.increment),
    cycle: r.cycle === true,
    cache: num(r.cache),
    lastValue: optNum(r.last_value),
    ownedBy: r.owner_table ? { schema: str(r.owner_schema), table: str(r.owner_table), column: str(r.owner_column) } : null,
    comment: optStr(r.comment),
  };
}

function toView(r: Row): View {
  return {
    schema: str(r.schema),
    name: str(r.name),
    materialized: r.materialized === true,
    owner: str(r.owner),
    definition: str(r.definition),
    populated: r.populated == null ? null : r.populated === true,
    bytes: optNum(r.bytes),
    options: strArray(r.options),
    comment: optStr(r.comment),
    dependsOn: (JSON.parse(str(r.depends_on) || '[]') as Record<string, unknown>[]).map(
      (d): ViewDependency => ({
        kind: str(d.kind) as ViewDependency['kind'],
        schema: str(d.schema),
        name: str(d.name),
        column: optStr(d.column),
        arguments: optStr(d.arguments),
      }),
    ),
  };
}

const FUNCTION_KIND = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' } as const;
const VOLATILITY = { i: 'immutable', s: 'stable', v: 'volatile' } as const;

function toFunction(r: Row): FunctionInfo {
  return {
    schema: str(r.schema),
    name: str(r.name),
    arguments: str(r.arguments),
    kind: FUNCTION_KIND[str(r.kind) as keyof typeof FUNCTION_KIND] ?? 'function',
    language: str(r.language),
    volatility: VOLATILITY[str(r.volatility) as keyof typeof VOLATILITY] ?? 'volatile',
    securityDefiner: r.security_definer === true,
    leakproof: r.leakproof === true,
    config: strArray(r.config),
    owner: str(r.owner),
    returns: str(r.returns),
    argumentTypes: str(r.argument_types),
    definition: optStr(r.definition),
    comment: optStr(r.comment),
  };
}

function toTrigger(r: Row): Trigger {
  return {
    schema: str(r.schema),
    table: str(r.table),
    name: str(r.name),
    definition: str(r.definition),
    functionSchema: str(r.function_schema),
    functionName: str(r.function_name),
    enabled: r.enabled === true,
    internal: r.internal === true,
    inherited: r.inherited === true,
    comment: optStr(r.comment),
  };
}

function toPolicy(r: Row): Policy {
  return {
    schema: str(r.schema),
    table: str(r.table),
    name: str(r.name),
    command: str(r.command),
    permissive: r.permissive === true,
    roles: strArray(r.roles),
    using: optStr(r.using),
    withCheck: optStr(r.with_check),
  };
}

function toExtension(r: Row): Extension {
  return { name: str(r.name), installedVersion: optStr(r.installed_version), defaultVersion: optStr(r.default_version), schema: optStr(r.schema) };
}

const TYPE_KIND = { e: 'enum', d: 'domain', c: 'composite' } as const;

function toUserType(r: Row): UserType {
  const kind = TYPE_KIND[str(r.kind) as keyof typeof TYPE_KIND] ?? 'composite';
  const names = strArray(r.constraint_names);
  const definitions = strArray(r.constraint_definitions);
  const validated = strArray(r.constraint_validated);
  const attributeTypes = strArray(r.attribute_types);
  return {
    schema: str(r.schema),
    name: str(r.name),
    kind,
    labels: strArray(r.labels),
    baseType: optStr(r.base_type),
    notNull: r.not_null === true,
    default: optStr(r.default),
    collation: optStr(r.collation),
    constraints: names.map((name, i) => ({ name, definition: definitions[i] ?? '', validated: validated[i] === 'true' })),
    attributes: strArray(r.attribute_names).map((name, i) => ({ name, type: attributeTypes[i] ?? '' })),
    comment: optStr(r.comment),
  };
}

function toRole(r: Row): Role {
  return {
    name: str(r.name),
    superuser: r.superuser === true,
    canLogin: r.can_login === true,
    createRole: r.create_role === true,
    createDb: r.create_db === true,
    replication: r.replication === true,
    bypassRls: r.bypass_rls === true,
    connectionLimit: num(r.connection_limit),
    memberOf: strArray(r.member_of),
  };
}

function toPrivilege(r: Row): Privilege {
  return {
    objectType: str(r.object_type) as PrivilegeObjectType,
    schema: optStr(r.schema),
    name: str(r.name),
    grantee: str(r.grantee),
    grantor: str(r.grantor),
    privilege: str(r.privilege),
    grantable: r.grantable === true,
  };
}

function toSetting(r: Row): Setting {
  return { name: str(r.name), value: str(r.value), unit: optStr(r.unit), source: str(r.source) };
}

function str(value: unknown): string {
  return value == null ? '' : String(value);
}

function optStr(value: unknown): string | null {
  return value == null ? null : String(value);
}

function num(value: unknown): number {
  return value == null ? 0 : Number(value);
}

function optNum(value: unknown): number | null {
  return value == null ? null : Number(value);
}

function strArray(value: unknown): string[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value.map((v) => (v == null ? '' : String(v)));
  return [];
}
