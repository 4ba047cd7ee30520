/**
 * Reading ALTER TABLE statements: their subcommands with the lock the whole statement holds (the
 * strongest of its subcommands': a constraint validated in a statement that also adds a column is
 * validated under ACCESS EXCLUSIVE), where a subcommand is written, and the constraint-adding
 * rewrites the rules share (NOT VALID, then VALIDATE).
 */
import type { AlterTableStmt, ColumnDef, Constraint, Node, RangeVar } from 'libpg-query';
import { quoteIdent } from '../../../sql/quote.js';
import type { StatementSource } from '../../query-rule.js';
import { alterTableCmdLock, lockStrength, type LockMode } from './locks.js';
import { clauseEnd, defaultName, keywordToken, nameToken, relationSql } from './sql-text.js';

export interface AlterTableCmd {
  subtype?: string;
  name?: string;
  def?: Node;
  behavior?: string;
  missing_ok?: boolean;
}

/** The statement's subcommands, when it alters a table. */
export function tableCmds(stmt: AlterTableStmt): AlterTableCmd[] {
  if (stmt.objtype !== 'OBJECT_TABLE' || !stmt.relation) return [];
  return (stmt.cmds ?? []).map((c) => (c as { AlterTableCmd?: AlterTableCmd }).AlterTableCmd ?? {});
}

/** The strongest lock the statement's subcommands take on the table: all are held until it ends. */
export function statementLock(stmt: AlterTableStmt): LockMode {
  let strongest: LockMode = 'ACCESS SHARE';
  for (const cmd of tableCmds(stmt)) {
    const lock = alterTableCmdLock(cmd);
    if (lockStrength(lock) > lockStrength(strongest)) strongest = lock;
  }
  return strongest;
}

export function constraintOf(cmd: AlterTableCmd): Constraint | undefined {
  return (cmd.def as { Constraint?: Constraint } | undefined)?.Constraint;
}

export function columnDefOf(cmd: AlterTableCmd): ColumnDef | undefined {
  return (cmd.def as { ColumnDef?: ColumnDef } | undefined)?.ColumnDef;
}

/** A column definition's constraints. */
export function columnConstraints(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).map((c) => (c as { Constraint?: Constraint }).Constraint).filter((c): c is Constraint => c !== undefined);
}

/** Where a subcommand is written: its constraint or column, else the column it names, else the table. */
export function cmdLocation(source: StatementSource, relation: RangeVar, cmd: AlterTableCmd): number | undefined {
  const located = constraintOf(cmd)?.location ?? columnDefOf(cmd)?.location;
  if (located !== undefined && located >= 0) return located;
  if (cmd.name) {
    const token = nameToken(source, cmd.name, (relation.location ?? source.start) + (relation.relname?.length ?? 0));
    if (token) return token.start;
  }
  return relation.location;
}

/** The names of a list of `String` nodes. */
export function stringList(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '');
}

/** The name PostgreSQL would give the constraint, or the one it has. */
export function constraintName(table: string, constraint: Constraint, column?: string): string {
  if (constraint.conname) return constraint.conname;
  switch (constraint.contype) {
    case 'CONSTR_NOTNULL':
      return defaultName(table, column ? [column] : stringList(constraint.keys), 'not_null');
    case 'CONSTR_FOREIGN':
      return defaultName(table, stringList(constraint.fk_attrs), 'fkey');
    case 'CONSTR_PRIMARY':
      return defaultName(table, [], 'pkey');
    case 'CONSTR_UNIQUE':
      return defaultName(table, stringList(constraint.keys), 'key');
    case 'CONSTR_CHECK':
      return defaultName(table, firstColumn(constraint.raw_expr), 'check');
    default:
      return defaultName(table, [], 'constraint');
  }
}

/** The first column an expression names (for a CHECK constraint's default name), as a list of zero or one. */
function firstColumn(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const ref = (node as { ColumnRef?: { fields?: Node[] } }).ColumnRef;
  if (ref) return stringList(ref.fields).slice(-1);
  for (const value of Object.values(node)) {
    const found = firstColumn(value);
    if (found.length) return found;
  }
  return [];
}

/**
 * The statement with the table constraint `constraint` (of an `ADD`) made NOT VALID and named, then
 * `VALIDATE CONSTRAINT`: the validation then runs under a lock that lets reads and writes go on.
 */
export function notValidThenValidate(source: StatementSource, relation: RangeVar, constraint: Constraint, name: string): string | null {
  if (constraint.location === undefined || constraint.location < 0) return null;
  const end = clauseEnd(source, constraint.location);
  const edits = [{ start: end, end, text: ' NOT VALID' }];
  if (!constraint.conname) edits.push({ start: constraint.location, end: constraint.location, text: `CONSTRAINT ${quoteIdent(name)} ` });
  return `${source.rewrite(edits)}\nALTER TABLE ${relationSql(relation, true)} VALIDATE CONSTRAINT ${quoteIdent(name)};`;
}

/** A table constraint's text as written, named (`CONSTRAINT name FOREIGN KEY ...`). */
export function namedConstraintText(source: StatementSource, constraint: Constraint, name: string): string | null {
  if (constraint.location === undefined || constraint.location < 0) return null;
  const text = source.slice(constraint.location, clauseEnd(source, constraint.location));
  return constraint.conname ? text : `CONSTRAINT ${quoteIdent(name)} ${text}`;
}

/**
 * A column constraint's text from its keyword (`REFERENCES users (id) ON DELETE CASCADE`, `UNIQUE`)
 * to the next constraint of the column, and the range to cut to remove it (its CONSTRAINT name too).
 */
export function columnConstraintText(source: StatementSource, column: ColumnDef, constraint: Constraint, keyword: string): { text: string; cut: { start: number; end: number } } | null {
  if (constraint.location === undefined || constraint.location < 0) return null;
  const constraints = columnConstraints(column);
  const next = constraints.map((c) => c.location ?? -1).filter((l) => l > constraint.location!).sort((a, b) => a - b)[0];
  const end = next !== undefined ? trimEnd(source, constraint.location, next) : clauseEnd(source, constraint.location);
  const word = keywordToken(source, keyword, constraint.location);
  if (!word || word.start >= end) return null;
  // Cut the white space before the constraint too, so the column reads as if it never had it.
  let start = constraint.location;
  while (start > source.start && /\s/.test(source.slice(start - 1, start))) start--;
  return { text: source.slice(word.start, end), cut: { start, end } };
}

function trimEnd(source: StatementSource, start: number, end: number): number {
  let at = end;
  while (at > start && /\s/.test(source.slice(at - 1, at))) at--;
  return at;
}
