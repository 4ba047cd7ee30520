/**
 * What a migration rule is: a lint rule (`QueryRule`) that also knows what the statements before it
 * in the same file did. A migration is read in order: `BEGIN` opens a transaction block that the
 * statements after it run in; `SET lock_timeout` protects the statements after it; a table created
 * earlier in the file is new and empty, so locking or rewriting it harms nobody.
 *
 * The lint engine gives rules one statement at a time and keeps no memory for them. The memory is
 * kept here, per rule and per run: the engine hands a rule the same context object for every
 * statement of a run, so a WeakMap keyed by that context holds the rule's `FileState`.
 * `startFile` (called by the engine before each file) starts it afresh; a run that has not called it
 * (one file, as in the tests) starts with a fresh state too.
 *
 * Each rule keeps its own state, fed by the tracking visitors below that run after the rule's own
 * visitor for the same node: a statement is judged by what came before it, never by itself. A rule
 * declares what it reads (`tracks`): every tracked node type costs a call per node and rule, and top
 * level SELECTs (for set_config) are most of a query workload's nodes.
 */
import type { A_Const, AlterTableStmt, Constraint, CreateStmt, CreateTableAsStmt, FuncCall, IndexStmt, Node, RangeVar, RenameStmt, ResTarget, SelectStmt, TransactionStmt, VariableSetStmt } from 'libpg-query';
import type { NodeOf, NodeType, QueryRule, QueryRuleContext, QueryVisitors } from '../../query-rule.js';
import type { RuleMeta } from '../../rule.js';

/** What the statements before the current one, in the same file, did. */
export interface FileState {
  /** Tables created earlier in the file: name → the schemas they were created in ('' when not written). */
  readonly createdTables: Map<string, Set<string>>;
  /** Indexes created earlier in the file, by name. */
  readonly createdIndexes: Set<string>;
  /** Inside `BEGIN` … `COMMIT` (or `ROLLBACK`). */
  inTransaction: boolean;
  /** Settings made with SET (or set_config) for the session, lower-case names, values as written. */
  readonly settings: Map<string, string>;
  /** Settings made with SET LOCAL: they end with the transaction. */
  readonly localSettings: Map<string, string>;
  /** `table\0column` of columns shown NOT NULL by a validated constraint added earlier in the file. */
  readonly notNullShown: Set<string>;
  /** NOT VALID `CHECK (column IS NOT NULL)` (or PG18 `NOT NULL column NOT VALID`) constraints: name → `table\0column`. */
  readonly pendingNotNull: Map<string, string>;
  /** For rules that report once per file. */
  reported: boolean;
}

function freshState(): FileState {
  return {
    createdTables: new Map(),
    createdIndexes: new Set(),
    inTransaction: false,
    settings: new Map(),
    localSettings: new Map(),
    notNullShown: new Set(),
    pendingNotNull: new Map(),
    reported: false,
  };
}

const states = new WeakMap<object, FileState>();

/** The rule's state for the file being linted. */
export function fileStateOf(context: object): FileState {
  let state = states.get(context);
  if (!state) {
    state = freshState();
    states.set(context, state);
  }
  return state;
}

/** A setting's value as the statement being linted sees it (SET LOCAL first), or undefined. */
export function settingOf(file: FileState, name: string): string | undefined {
  return file.localSettings.get(name) ?? file.settings.get(name);
}

/** True when the table was created earlier in this file (matching by name when either side has no schema). */
export function createdInFile(file: FileState, relation: RangeVar | undefined): boolean {
  const schemas = relation?.relname ? file.createdTables.get(relation.relname) : undefined;
  if (!schemas) return false;
  return !relation!.schemaname || schemas.has('') || schemas.has(relation!.schemaname);
}

export type MigrationVisitors<Options extends object> = {
  [T in NodeType]?: (node: NodeOf<T>, context: QueryRuleContext<Options>, file: FileState) => void;
};

export interface MigrationRuleDefinition<Options extends object> {
  meta: RuleMeta<Options>;
  visitors: MigrationVisitors<Options>;
  /** What the rule reads of the statements before (default: the tables created). */
  tracks?: readonly Tracked[];
}

/**
 * What a rule may read of the statements before: `tables` created (CREATE TABLE [AS], and renamed),
 * `indexes` created, the `transaction` block (BEGIN ... COMMIT), `settings` (SET, SET LOCAL, RESET and
 * set_config; implies `transaction`, which ends SET LOCAL), and columns shown `not-null` by a
 * validated constraint.
 */
export type Tracked = 'tables' | 'indexes' | 'transaction' | 'settings' | 'not-null';

type AnyVisitor = (node: unknown, context: QueryRuleContext<object>, file: FileState) => void;
type Tracker = (node: unknown, context: QueryRuleContext<object>) => void;

/** A lint rule whose visitors also get the file's state (see the module comment). */
export function defineMigrationRule<Options extends object>(definition: MigrationRuleDefinition<Options>): QueryRule<Options> {
  const own = definition.visitors as Record<string, AnyVisitor | undefined>;
  const tracking = trackersFor(definition.tracks ?? ['tables']);
  const visitors: Record<string, (node: unknown, context: QueryRuleContext<object>) => void> = {};
  for (const type of new Set([...Object.keys(own), ...Object.keys(tracking)])) {
    const visit = own[type];
    const track = tracking[type];
    // A node type that only a tracker looks at gets the tracker itself: it fetches the state when it acts.
    visitors[type] = visit
      ? (node, context) => {
          visit(node, context, fileStateOf(context));
          track?.(node, context);
        }
      : track!;
  }
  return {
    meta: definition.meta,
    visitors: visitors as QueryVisitors<Options>,
    startFile(context) {
      states.set(context, freshState());
    },
  };
}

/** Time zone names that mean UTC. */
const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'uct', 'etc/uct', 'universal', 'etc/universal', 'zulu', 'etc/zulu', 'z', 'gmt0', 'etc/gmt0']);

/** True when the session's time zone is UTC, as set earlier in the file. */
export function sessionIsUtc(file: FileState): boolean {
  const zone = settingOf(file, 'timezone');
  return zone !== undefined && UTC_NAMES.has(zone.toLowerCase());
}

type Trackers = { [T in NodeType]?: (node: NodeOf<T>, context: QueryRuleContext<object>) => void };

/** The tracking visitors of each kind: they run after the rule's own visitor for the same node. */
const TRACKERS: Record<Tracked, Trackers> = {
  tables: {
    CreateStmt(stmt: CreateStmt, context) {
      if (stmt.relation) recordTable(fileStateOf(context), stmt.relation);
    },
    CreateTableAsStmt(stmt: CreateTableAsStmt, context) {
      if (stmt.into?.rel) recordTable(fileStateOf(context), stmt.into.rel);
    },
    RenameStmt(stmt: RenameStmt, context) {
      const file = fileStateOf(context);
      if (stmt.renameType === 'OBJECT_TABLE' && stmt.newname && createdInFile(file, stmt.relation)) {
        recordTable(file, { schemaname: stmt.relation?.schemaname, relname: stmt.newname });
      }
    },
  },
  indexes: {
    IndexStmt(stmt: IndexStmt, context) {
      if (stmt.idxname) fileStateOf(context).createdIndexes.add(stmt.idxname);
    },
  },
  transaction: {
    TransactionStmt(stmt: TransactionStmt, context) {
      const file = fileStateOf(context);
      switch (stmt.kind) {
        case 'TRANS_STMT_BEGIN':
        case 'TRANS_STMT_START':
          file.inTransaction = true;
          break;
        case 'TRANS_STMT_COMMIT':
        case 'TRANS_STMT_ROLLBACK':
        case 'TRANS_STMT_PREPARE':
          file.localSettings.clear();
          file.inTransaction = stmt.chain === true;
          break;
        default:
          break;
      }
    },
  },
  settings: {
    VariableSetStmt(stmt: VariableSetStmt, context) {
      const file = fileStateOf(context);
      const name = stmt.name?.toLowerCase();
      switch (stmt.kind) {
        case 'VAR_SET_VALUE': {
          const value = settingValue(stmt.args?.[0]);
          if (name && value !== null) set(file, name, value, stmt.is_local === true);
          break;
        }
        case 'VAR_SET_DEFAULT':
        case 'VAR_RESET':
          if (name) {
            file.settings.delete(name);
            file.localSettings.delete(name);
          }
          break;
        case 'VAR_RESET_ALL':
          file.settings.clear();
          file.localSettings.clear();
          break;
        default:
          break;
      }
    },
    SelectStmt: trackSetConfig,
  },
  'not-null': {
    AlterTableStmt(stmt: AlterTableStmt, context) {
      const table = stmt.relation?.relname;
      if (!table) return;
      const file = fileStateOf(context);
      for (const item of stmt.cmds ?? []) {
        const cmd = (item as { AlterTableCmd?: { subtype?: string; name?: string; def?: Node } }).AlterTableCmd;
        if (cmd?.subtype === 'AT_ValidateConstraint' && cmd.name) {
          const shown = file.pendingNotNull.get(cmd.name);
          if (shown) file.notNullShown.add(shown);
          continue;
        }
        const constraint = cmd?.subtype === 'AT_AddConstraint' ? (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint : undefined;
        const column = constraint ? notNullColumnOf(constraint) : null;
        if (!constraint || !column) continue;
        const key = `${table}\u0000${column}`;
        if (constraint.skip_validation) {
          if (constraint.conname) file.pendingNotNull.set(constraint.conname, key);
        } else file.notNullShown.add(key);
      }
    },
  },
};

/** The tracking visitors of the kinds a rule reads, by node type. */
function trackersFor(tracks: readonly Tracked[]): Record<string, Tracker | undefined> {
  const kinds = new Set(tracks);
  if (kinds.has('settings')) kinds.add('transaction');
  const merged: Record<string, Tracker[]> = {};
  for (const kind of kinds) for (const [type, track] of Object.entries(TRACKERS[kind])) (merged[type] ??= []).push(track as Tracker);
  return Object.fromEntries(
    Object.entries(merged).map(([type, list]) => [type, list.length === 1 ? list[0]! : (node: unknown, context: QueryRuleContext<object>) => list.forEach((track) => track(node, context))]),
  );
}

/** SELECT set_config('lock_timeout', '5s', false): the function form of SET. */
function trackSetConfig(select: SelectStmt, context: QueryRuleContext<object>): void {
  if (context.ancestors.length > 0) return;
  for (const target of select.targetList ?? []) {
    const call = (target as { ResTarget?: ResTarget }).ResTarget?.val as { FuncCall?: FuncCall } | undefined;
    const args = call?.FuncCall?.args;
    const name = call?.FuncCall?.funcname?.map((n) => (n as { String?: { sval?: string } }).String?.sval).pop();
    if (name !== 'set_config' || args?.length !== 3) continue;
    const setting = settingValue(args[0]);
    const value = settingValue(args[1]);
    const local = (args[2] as { A_Const?: A_Const }).A_Const?.boolval?.boolval === true;
    if (setting !== null && value !== null) set(fileStateOf(context), setting.toLowerCase(), value, local);
  }
}

function set(file: FileState, name: string, value: string, local: boolean): void {
  if (local) {
    // SET LOCAL outside a transaction block does nothing (Postgres warns).
    if (file.inTransaction) file.localSettings.set(name, value);
  } else {
    file.settings.set(name, value);
    file.localSettings.delete(name);
  }
}

function recordTable(file: FileState, relation: RangeVar): void {
  if (!relation.relname) return;
  const schemas = file.createdTables.get(relation.relname) ?? new Set<string>();
  schemas.add(relation.schemaname ?? '');
  file.createdTables.set(relation.relname, schemas);
}

/** A SET value as text: `'5s'` → `5s`, `0` → `0`, `UTC` → `UTC`; null for anything else. */
function settingValue(node: Node | undefined): string | null {
  const constant = (node as { A_Const?: A_Const } | undefined)?.A_Const;
  if (!constant) return null;
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.ival) return String(constant.ival.ival ?? 0);
  if (constant.fval) return constant.fval.fval ?? '0';
  if (constant.boolval) return constant.boolval.boolval ? 'on' : 'off';
  return null;
}

/**
 * The column a constraint shows NOT NULL: `CHECK (column IS NOT NULL)`, or PostgreSQL 18's
 * `NOT NULL column` table constraint; null for any other constraint.
 */
export function notNullColumnOf(constraint: Constraint): string | null {
  if (constraint.contype === 'CONSTR_NOTNULL') {
    const key = constraint.keys?.[0] as { String?: { sval?: string } } | undefined;
    return constraint.keys?.length === 1 ? (key?.String?.sval ?? null) : null;
  }
  if (constraint.contype !== 'CONSTR_CHECK') return null;
  const test = (constraint.raw_expr as { NullTest?: { arg?: Node; nulltesttype?: string } } | undefined)?.NullTest;
  if (test?.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = (test.arg as { ColumnRef?: { fields?: Node[] } } | undefined)?.ColumnRef?.fields;
  if (fields?.length !== 1) return null;
  return (fields[0] as { String?: { sval?: string } }).String?.sval ?? null;
}
