/**
 * Table lock modes, what each one blocks, and which lock a statement takes (PostgreSQL 18's
 * `AlterTableGetLockLevel` and the documentation's "Explicit Locking" table). The same for PostgreSQL
 * 14 to 18 for everything used here.
 *
 * A lock that is only waited for blocks too: while a statement waits for its lock (behind a long
 * transaction, say), every later statement whose lock conflicts with it queues behind it. So a
 * statement that would hold ACCESS EXCLUSIVE for a millisecond can stop all reads of a table for as
 * long as the transaction it waits for runs, unless lock_timeout makes it give up.
 */
import type { AlterTableStmt, Constraint, CreateStmt, DropStmt, Node, RangeVar } from 'libpg-query';

export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** Lock modes by strength; the index is the number the parser gives `LOCK ... IN <mode> MODE` (1 to 8). */
export const LOCK_MODES: readonly LockMode[] = [
  'ACCESS SHARE',
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

/** What other sessions cannot do on the table while the lock is held (or waited for). */
const BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'reads and writes',
  EXCLUSIVE: 'writes and SELECT … FOR UPDATE/SHARE (plain reads go on)',
  'SHARE ROW EXCLUSIVE': 'writes (reads go on)',
  SHARE: 'writes (reads go on)',
  'SHARE UPDATE EXCLUSIVE': 'other schema changes, VACUUM and ANALYZE (reads and writes go on)',
  'ROW EXCLUSIVE': 'CREATE INDEX and most schema changes (reads and writes go on)',
  'ROW SHARE': 'only EXCLUSIVE and ACCESS EXCLUSIVE locks (reads and writes go on)',
  'ACCESS SHARE': 'only ACCESS EXCLUSIVE locks (reads and writes go on)',
};

export function lockStrength(lock: LockMode): number {
  return LOCK_MODES.lastIndexOf(lock);
}

/** What the lock blocks, in words: `reads and writes`, `writes (reads go on)`, ... */
export function blocks(lock: LockMode): string {
  return BLOCKS[lock];
}

/** True when the lock blocks INSERT, UPDATE and DELETE (SHARE and stronger). */
export function blocksWrites(lock: LockMode): boolean {
  return lockStrength(lock) >= lockStrength('SHARE');
}

/** The evidence every migration finding carries about its lock. */
export function lockEvidence(lock: LockMode): { lock: LockMode; blocks: string } {
  return { lock, blocks: BLOCKS[lock] };
}

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (everything else takes it). */
const ALTER_TABLE_LOCKS: Readonly<Record<string, LockMode>> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_SetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE',
  AT_AttachPartition: 'SHARE UPDATE EXCLUSIVE',
  AT_DetachPartitionFinalize: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
};

interface AlterTableCmdShape {
  subtype?: string;
  def?: Node;
}

/** The lock one ALTER TABLE subcommand takes on the altered table. */
export function alterTableCmdLock(cmd: AlterTableCmdShape): LockMode {
  const constraint = (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
  if (cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN') return 'SHARE ROW EXCLUSIVE';
  if (cmd.subtype === 'AT_DetachPartition' && (cmd.def as { PartitionCmd?: { concurrent?: boolean } } | undefined)?.PartitionCmd?.concurrent) {
    return 'SHARE UPDATE EXCLUSIVE';
  }
  return ALTER_TABLE_LOCKS[cmd.subtype ?? ''] ?? 'ACCESS EXCLUSIVE';
}

/** A lock a statement takes on a table (`table` null: every table of the database). */
export interface TableLock {
  lock: LockMode;
  table: RangeVar | null;
}

const DROPPED_RELATIONS = new Set(['OBJECT_TABLE', 'OBJECT_MATVIEW', 'OBJECT_VIEW', 'OBJECT_FOREIGN_TABLE']);

/**
 * The locks a statement takes on tables that already exist, as far as the statement says (an index
 * named by DROP INDEX is reported on the index's name). Statements that take no lock that blocks
 * writes are left out where that is all they take.
 */
export function statementLocks(type: string, node: unknown): TableLock[] {
  switch (type) {
    case 'AlterTableStmt': {
      const stmt = node as AlterTableStmt;
      if (stmt.objtype !== 'OBJECT_TABLE' || !stmt.relation) return [];
      const locks: TableLock[] = [];
      let strongest: LockMode = 'ACCESS SHARE';
      for (const item of stmt.cmds ?? []) {
        const cmd = (item as { AlterTableCmd?: AlterTableCmdShape }).AlterTableCmd ?? {};
        const lock = alterTableCmdLock(cmd);
        if (lockStrength(lock) > lockStrength(strongest)) strongest = lock;
        const constraint = (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
        if (constraint?.contype === 'CONSTR_FOREIGN' && constraint.pktable) locks.push({ lock: 'SHARE ROW EXCLUSIVE', table: constraint.pktable });
      }
      return [{ lock: strongest, table: stmt.relation }, ...locks];
    }
    case 'IndexStmt': {
      const stmt = node as { concurrent?: boolean; relation?: RangeVar };
      return stmt.relation ? [{ lock: stmt.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', table: stmt.relation }] : [];
    }
    case 'DropStmt': {
      const stmt = node as DropStmt;
      const isIndex = stmt.removeType === 'OBJECT_INDEX';
      if (!(DROPPED_RELATIONS.has(stmt.removeType ?? '') || isIndex) || (isIndex && stmt.concurrent)) return [];
      return (stmt.objects ?? []).map((object) => ({ lock: 'ACCESS EXCLUSIVE' as const, table: rangeVarOfNameList(object) }));
    }
    case 'RenameStmt': {
      const stmt = node as { renameType?: string; relation?: RangeVar };
      const table = ['OBJECT_TABLE', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_MATVIEW'].includes(stmt.renameType ?? '');
      return table && stmt.relation ? [{ lock: 'ACCESS EXCLUSIVE', table: stmt.relation }] : [];
    }
    case 'TruncateStmt':
      return ((node as { relations?: Node[] }).relations ?? []).map((r) => ({ lock: 'ACCESS EXCLUSIVE' as const, table: (r as { RangeVar?: RangeVar }).RangeVar ?? null }));
    case 'VacuumStmt': {
      const stmt = node as { options?: Node[]; rels?: Node[] };
      if (!hasOption(stmt.options, 'full')) return [];
      const rels = (stmt.rels ?? []).map((r) => (r as { VacuumRelation?: { relation?: RangeVar } }).VacuumRelation?.relation ?? null);
      return rels.length ? rels.map((table) => ({ lock: 'ACCESS EXCLUSIVE' as const, table })) : [{ lock: 'ACCESS EXCLUSIVE', table: null }];
    }
    case 'ClusterStmt':
      return [{ lock: 'ACCESS EXCLUSIVE', table: (node as { relation?: RangeVar }).relation ?? null }];
    case 'LockStmt': {
      const stmt = node as { relations?: Node[]; mode?: number };
      const lock = LOCK_MODES[stmt.mode ?? 8] ?? 'ACCESS EXCLUSIVE';
      return (stmt.relations ?? []).map((r) => ({ lock, table: (r as { RangeVar?: RangeVar }).RangeVar ?? null }));
    }
    case 'RefreshMatViewStmt': {
      const stmt = node as { concurrent?: boolean; relation?: RangeVar };
      return stmt.relation ? [{ lock: stmt.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', table: stmt.relation }] : [];
    }
    case 'ReindexStmt': {
      const stmt = node as { relation?: RangeVar; params?: Node[]; kind?: string };
      if (hasOption(stmt.params, 'concurrently') || !stmt.relation) return [];
      // REINDEX INDEX holds ACCESS EXCLUSIVE on the index, which planning any query on the table needs.
      return [{ lock: stmt.kind === 'REINDEX_OBJECT_INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE', table: stmt.relation }];
    }
    case 'CreateTrigStmt': {
      const relation = (node as { relation?: RangeVar }).relation;
      return relation ? [{ lock: 'SHARE ROW EXCLUSIVE', table: relation }] : [];
    }
    case 'CreateStmt': {
      // A foreign key to an existing table takes SHARE ROW EXCLUSIVE on that table (briefly).
      const stmt = node as CreateStmt;
      const referenced: TableLock[] = [];
      const visit = (constraint: Constraint | undefined): void => {
        if (constraint?.contype === 'CONSTR_FOREIGN' && constraint.pktable) referenced.push({ lock: 'SHARE ROW EXCLUSIVE', table: constraint.pktable });
      };
      for (const element of stmt.tableElts ?? []) {
        visit((element as { Constraint?: Constraint }).Constraint);
        for (const c of (element as { ColumnDef?: { constraints?: Node[] } }).ColumnDef?.constraints ?? []) visit((c as { Constraint?: Constraint }).Constraint);
      }
      return referenced;
    }
    default:
      return [];
  }
}

/** A DROP statement's object name (`List` of `String`s) as a RangeVar. */
export function rangeVarOfNameList(object: Node): RangeVar {
  const parts = ((object as { List?: { items?: Node[] } }).List?.items ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '');
  const relname = parts[parts.length - 1] ?? '';
  return parts.length >= 2 ? { schemaname: parts[parts.length - 2], relname } : { relname };
}

/** True when a list of `DefElem` options has `name` set (and not to false): `VACUUM (FULL)`, `REINDEX (CONCURRENTLY)`. */
export function hasOption(options: readonly Node[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => {
    const element = (o as { DefElem?: { defname?: string; arg?: Node } }).DefElem;
    if (element?.defname !== name) return false;
    const arg = element.arg as { Boolean?: { boolval?: boolean }; String?: { sval?: string }; Integer?: { ival?: number }; A_Const?: { boolval?: { boolval?: boolean }; sval?: { sval?: string }; ival?: { ival?: number } } } | undefined;
    if (!arg) return true;
    const value = arg.Boolean?.boolval ?? arg.A_Const?.boolval?.boolval ?? arg.String?.sval ?? arg.A_Const?.sval?.sval ?? arg.Integer?.ival ?? arg.A_Const?.ival?.ival;
    return !(value === false || value === 0 || value === 'false' || value === 'off' || value === 'no' || value === '0' || value === undefined);
  });
}
