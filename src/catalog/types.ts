/**
 * The catalog snapshot: a typed, JSON-serialisable model of one database, read in a fixed handful of
 * set-based catalog queries (see `read-snapshot.ts`). Rules only ever see this model, never a connection,
 * so they are pure and run the same on a live server, on SQL files loaded into PGlite, or on a saved file.
 *
 * Conventions: names are unquoted identifiers as stored in the catalogs; `null` means "not known or not
 * visible" (never "zero"); sizes are bytes; counts are numbers (bigints above 2^53 are not expected for
 * the figures kept here); times are ISO 8601 strings.
 */

/** Bumped whenever the snapshot shape changes incompatibly. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** Where the snapshot was read from. Statistics-based rules only make sense on a `live` server. */
export type SnapshotSourceKind = 'live' | 'files';

export interface CatalogSnapshot {
  format: 'pgarchitect-snapshot';
  formatVersion: number;
  source: SnapshotSource;
  server: ServerInfo;
  /** Which parts of the catalog could be read, and which were hidden (and why). */
  visibility: Visibility;
  schemas: Schema[];
  tables: Table[];
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
  sequences: Sequence[];
  views: View[];
  functions: FunctionInfo[];
  triggers: Trigger[];
  policies: Policy[];
  extensions: Extension[];
  /** Enums, domains and composite types defined in user schemas (not by extensions). */
  types: UserType[];
  roles: Role[];
  /** Privileges granted on schemas, tables, sequences and functions, one row per grantee and privilege. */
  privileges: Privilege[];
  settings: Setting[];
}

export interface SnapshotSource {
  kind: SnapshotSourceKind;
  /** A redacted description: a URL without password, or the file and folder names. */
  description: string;
  database: string;
  /** Current user of the reading session. */
  user: string;
  /** When the snapshot was taken (ISO 8601). Not part of any fingerprint. */
  takenAt: string;
  /** For `files` sources: where each object was defined, keyed by `objectKeys()` keys. */
  definedAt?: Record<string, SourceLocation>;
  /** For `files` sources: rule ids (or `*`) named by `-- pgarchitect-ignore` before the defining statement. */
  ignores?: Record<string, string[]>;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ServerInfo {
  /** `server_version_num`, for example 150018 or 180006. */
  versionNum: number;
  version: string;
  /** When statistics were last reset for this database (`pg_stat_database.stats_reset`), if ever. */
  statsReset: string | null;
  /** Server start time, which bounds how old cumulative statistics can be. */
  startedAt: string | null;
  /** Current transaction id age of the database (`age(datfrozenxid)`). */
  databaseXidAge: number | null;
  databaseSize: number | null;
}

/** Each flag is true when that part could be read; `notes` says why a false one is false. */
export interface Visibility {
  /** pg_stat_user_tables / pg_stat_user_indexes readable (usage counts, vacuum times). */
  tableStatistics: boolean;
  /** pg_stats (per-column statistics) readable for at least the tables we own or may read. */
  columnStatistics: boolean;
  /** Sequence last values readable (pg_sequences.last_value needs USAGE or SELECT). */
  sequenceValues: boolean;
  /** Objects owned by other roles are visible in the catalogs (they always are in PostgreSQL). */
  notes: string[];
  /**
   * Relations left out of the snapshot because reading their definitions would have waited behind
   * another session's ACCESS EXCLUSIVE lock (held or requested): with their columns, constraints,
   * indexes, triggers and policies. Absent in snapshots saved before this field existed.
   */
  notExamined?: NotExaminedRelation[];
}

/** A relation the snapshot left out, and why. */
export interface NotExaminedRelation {
  schema: string;
  name: string;
  /** `table`, `view`, `sequence`, ... */
  kind: string;
  /** `pid 4242 (psql) holds an ACCESS EXCLUSIVE lock on it, in a transaction open for 12 s` */
  reason: string;
  /** The session whose lock caused it. */
  lockHolderPid: number;
}

export interface Schema {
  name: string;
  owner: string;
  comment: string | null;
}

export type TableKind = 'table' | 'partitioned table' | 'foreign table';

export interface Table {
  schema: string;
  name: string;
  kind: TableKind;
  owner: string;
  /** `p` permanent, `u` unlogged, `t` temporary. */
  persistence: 'permanent' | 'unlogged' | 'temporary';
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  reloptions: string[];
  /** For a partitioned table: `RANGE (created_at)` as printed by pg_get_partkeydef. */
  partitionKey: string | null;
  /** Partition key column names (empty when the key is an expression). */
  partitionKeyColumns: string[];
  partitionStrategy: 'range' | 'list' | 'hash' | null;
  /** For a partition: its parent and bound (`FOR VALUES FROM (...) TO (...)`, `DEFAULT`). */
  parent: { schema: string; name: string } | null;
  partitionBound: string | null;
  /** Range bounds parsed into text literals where the bound is a simple FROM/TO range. */
  partitionRange: { from: string[]; to: string[] } | null;
  isDefaultPartition: boolean;
  /**
   * Total size including indexes and TOAST, in bytes. Sizes come from pg_class.relpages, as of the
   * last VACUUM, ANALYZE or CREATE INDEX: reading exact sizes would lock every table.
   */
  totalBytes: number | null;
  /** Heap size in bytes (from relpages, see totalBytes). */
  tableBytes: number | null;
  /** `reltuples`; null when never analysed (or vacuumed) so unknown. */
  rowEstimate: number | null;
  comment: string | null;
  /** pg_stat_user_tables figures; null when statistics are not visible. */
  stats: TableStats | null;
}

export interface TableStats {
  seqScan: number;
  seqTupRead: number;
  idxScan: number | null;
  liveTuples: number;
  deadTuples: number;
  modsSinceAnalyze: number;
  insertsSinceVacuum: number | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  vacuumCount: number;
  autovacuumCount: number;
  analyzeCount: number;
  autoanalyzeCount: number;
}

export interface Column {
  schema: string;
  table: string;
  name: string;
  /** 1-based attribute number; used to order columns and map index keys. */
  position: number;
  /** Type as `format_type` prints it, with modifiers: `character varying(255)`, `numeric(10,2)`. */
  type: string;
  /** Base type name without modifiers, for example `varchar`, `numeric`, `int4`, `timestamp`. */
  typeName: string;
  typeSchema: string;
  /** `b` base, `d` domain, `e` enum, `c` composite, `r` range, `m` multirange, `p` pseudo. */
  typeKind: string;
  /** For domains: the underlying base type name. */
  domainBaseType: string | null;
  isArray: boolean;
  notNull: boolean;
  default: string | null;
  identity: 'always' | 'by default' | null;
  generated: 'stored' | 'virtual' | null;
  /** For a generated column: its expression as pg_get_expr prints it. */
  generationExpression: string | null;
  /** Name of the sequence owned by this column (serial / identity), if any, schema-qualified. */
  ownedSequence: string | null;
  collation: string | null;
  comment: string | null;
  /** pg_stats figures; null when no statistics (never analysed, or not visible). */
  stats: ColumnStats | null;
}

export interface ColumnStats {
  nullFraction: number;
  /** pg_stats.n_distinct: positive = count, negative = fraction of rows. */
  distinct: number;
  averageWidth: number;
  correlation: number | null;
  /** Most common values as text, at most 10 kept. */
  mostCommonValues: string[] | null;
  mostCommonFrequencies: number[] | null;
}

export type ConstraintKind = 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclusion' | 'not null' | 'trigger';

export interface Constraint {
  schema: string;
  table: string;
  name: string;
  kind: ConstraintKind;
  /** Constrained columns in key order. */
  columns: string[];
  definition: string;
  validated: boolean;
  deferrable: boolean;
  /** Name of the index backing a primary key, unique or exclusion constraint. */
  index: string | null;
  /** Inherited from a parent partitioned table (conparentid set): declared once on the parent. */
  inherited: boolean;
  /**
   * Declared on this table itself (conislocal). False for a CHECK a partition or child table only
   * inherits from its parent, which has no conparentid but is declared once, on the parent.
   */
  local: boolean;
  /** Foreign keys only. */
  references: ForeignKeyTarget | null;
  comment: string | null;
}

export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyTarget {
  schema: string;
  table: string;
  columns: string[];
  onUpdate: ForeignKeyAction;
  onDelete: ForeignKeyAction;
  matchType: 'simple' | 'full' | 'partial';
}

export interface Index {
  schema: string;
  table: string;
  name: string;
  /** `CREATE INDEX ...` as printed by pg_get_indexdef. */
  definition: string;
  method: string;
  unique: boolean;
  primary: boolean;
  /** Key columns in order; an expression key appears as its text in `keyExpressions` and as null here. */
  keyColumns: (string | null)[];
  /** One entry per key: the column name or the expression text. */
  keys: string[];
  /** Per-key options as pg_index.indoption flags: DESC, NULLS FIRST. */
  keyOptions: { desc: boolean; nullsFirst: boolean }[];
  /** Operator class per key, when not the default for the type. */
  keyOpclasses: (string | null)[];
  /** Per-key collation name when it differs from the column's. */
  keyCollations: (string | null)[];
  includeColumns: string[];
  /** WHERE clause of a partial index. */
  predicate: string | null;
  valid: boolean;
  ready: boolean;
  /** Name of the constraint this index backs (primary key, unique, exclusion), if any. */
  constraint: string | null;
  /** True when this is the parent of partitioned indexes (on a partitioned table). */
  partitioned: boolean;
  /** Parent partitioned index, when this index is a partition's copy of it. */
  parentIndex: string | null;
  /** Size in bytes from relpages (see Table.totalBytes). */
  bytes: number | null;
  /** pg_stat_user_indexes; null when statistics are not visible. */
  stats: IndexStats | null;
  comment: string | null;
}

export interface IndexStats {
  scans: number;
  tuplesRead: number;
  tuplesFetched: number;
  lastScan: string | null;
}

export interface Sequence {
  schema: string;
  name: string;
  /** `smallint`, `integer` or `bigint`. */
  dataType: string;
  startValue: number;
  minValue: number;
  maxValue: number;
  increment: number;
  cycle: boolean;
  /** Values preallocated per session (`CACHE`). */
  cache: number;
  /**
   * null when never used, not visible, or not read: only smallint and integer sequences, and sequences
   * feeding a smallint or integer column, are read (reading one locks it; a bigint cannot run out).
   */
  lastValue: number | null;
  /** The column owning it (serial / identity), as `schema.table.column`. */
  ownedBy: { schema: string; table: string; column: string } | null;
  comment: string | null;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  owner: string;
  definition: string;
  /** Materialized views only: populated (`WITH DATA` or refreshed). */
  populated: boolean | null;
  bytes: number | null;
  /** `reloptions`: `security_barrier=true`, `check_option=local`, `security_invoker=true`, storage options. */
  options: string[];
  comment: string | null;
  /**
   * What the view's query uses (pg_depend of its rewrite rule), in user schemas: tables and views (and
   * which of their columns), functions and types. What must be dropped and recreated with it.
   */
  dependsOn: ViewDependency[];
}

export interface ViewDependency {
  kind: 'relation' | 'function' | 'type';
  schema: string;
  name: string;
  /** A column of the relation the query reads; null for the relation as a whole, functions and types. */
  column: string | null;
  /** Functions: argument types (`oidvectortypes`), for example `integer, text`. */
  arguments: string | null;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  /** Identity arguments as pg_get_function_identity_arguments prints them. */
  arguments: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  language: string;
  volatility: 'immutable' | 'stable' | 'volatile';
  securityDefiner: boolean;
  leakproof: boolean;
  /** `proconfig`: settings fixed for the call, for example `search_path=pg_catalog, public`. */
  config: string[];
  owner: string;
  returns: string;
  /** Input argument types only (`oidvectortypes(proargtypes)`): what identifies the function with its name. */
  argumentTypes: string;
  /** `CREATE OR REPLACE FUNCTION ...` as pg_get_functiondef prints it; null for aggregates, which it cannot print. */
  definition: string | null;
  comment: string | null;
}

export interface Trigger {
  schema: string;
  table: string;
  name: string;
  definition: string;
  functionSchema: string;
  functionName: string;
  enabled: boolean;
  /** Belongs to a constraint (foreign key machinery or CREATE CONSTRAINT TRIGGER). */
  internal: boolean;
  /** A partition's clone of a trigger declared on its partitioned parent (tgparentid set). */
  inherited: boolean;
  comment: string | null;
}

export interface Policy {
  schema: string;
  table: string;
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface Extension {
  name: string;
  /** Installed version, or null when only available. */
  installedVersion: string | null;
  defaultVersion: string | null;
  schema: string | null;
}

export interface UserType {
  schema: string;
  name: string;
  kind: 'enum' | 'domain' | 'composite';
  /** Enums: the labels in sort order. */
  labels: string[];
  /** Domains: the underlying type with modifiers, as format_type prints it. */
  baseType: string | null;
  /** Domains: NOT NULL. */
  notNull: boolean;
  /** Domains: the default expression. */
  default: string | null;
  /** Domains: the collation when it differs from the base type's. */
  collation: string | null;
  /** Domains: CHECK constraints, by name. */
  constraints: DomainConstraint[];
  /** Composite types: attributes in order, with their types as format_type prints them. */
  attributes: { name: string; type: string }[];
  comment: string | null;
}

export interface DomainConstraint {
  name: string;
  /** `CHECK (VALUE > 0)` as pg_get_constraintdef prints it (with ` NOT VALID` when not validated). */
  definition: string;
  validated: boolean;
}

export interface Role {
  name: string;
  superuser: boolean;
  canLogin: boolean;
  createRole: boolean;
  createDb: boolean;
  replication: boolean;
  bypassRls: boolean;
  connectionLimit: number;
  /** Roles this role is a member of. */
  memberOf: string[];
}

export type PrivilegeObjectType = 'schema' | 'table' | 'sequence' | 'function' | 'database';

export interface Privilege {
  objectType: PrivilegeObjectType;
  schema: string | null;
  /** Object name; for functions `name(args)`. */
  name: string;
  /** `PUBLIC` for grants to everyone. */
  grantee: string;
  grantor: string;
  /** SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, USAGE, CREATE, EXECUTE, ... */
  privilege: string;
  grantable: boolean;
}

export interface Setting {
  name: string;
  value: string;
  unit: string | null;
  source: string;
}
