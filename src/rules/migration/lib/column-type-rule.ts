/**
 * The review's types rules (src/rules/types/) applied to the columns a migration declares: in
 * CREATE TABLE, ALTER TABLE ... ADD COLUMN and ALTER COLUMN ... TYPE. Each such lint rule judges a
 * `DeclaredColumn` with the review rule's own predicate (src/rules/types/lib/type-checks.ts) and its
 * fix rewrites the statement with the better type (or default) before the column exists: the cheapest
 * moment to get a type right.
 */
import type { ColumnDef, Constraint, CreateStmt, RangeVar } from 'libpg-query';
import type { ObjectRef, Severity } from '../../../finding.js';
import type { TypedColumn } from '../../types/lib/type-checks.js';
import type { QueryRule, QueryRuleContext, StatementSource } from '../../query-rule.js';
import type { RuleMeta } from '../../rule.js';
import { columnConstraints, columnDefOf, tableCmds } from './alter-table.js';
import { declaredType, type ColumnType } from './column-types.js';
import { defineMigrationRule } from './migration-rule.js';
import { clauseEnd, keywordToken } from './sql-text.js';

/**
 * A column as a migration statement declares it. The text ranges (and the default's text) are worked
 * out on first use: most columns interest no rule, and the eight rules share one `DeclaredColumn` per
 * column definition.
 */
export class DeclaredColumn implements TypedColumn {
  readonly typeName: string;
  readonly length: number | null;
  readonly isArray: boolean;
  readonly type: ColumnType;
  /** `orders.code`, `sales.orders.code`: as written. */
  readonly label: string;
  readonly object: ObjectRef;
  private ranges: { type: Range | null; default: Range | null } | undefined;

  constructor(
    private readonly source: StatementSource,
    readonly table: RangeVar,
    readonly definition: ColumnDef,
    readonly name: string,
    readonly statement: 'CREATE TABLE' | 'ADD COLUMN' | 'ALTER COLUMN TYPE',
  ) {
    this.type = declaredType(definition.typeName);
    this.typeName = this.type.schema === null ? this.type.name : `${this.type.schema}.${this.type.name}`;
    this.length = this.type.name === 'bpchar' || this.type.name === 'varchar' ? (this.type.modifiers[0] ?? (this.type.name === 'bpchar' ? 1 : null)) : null;
    this.isArray = this.type.isArray;
    const tableLabel = table.schemaname ? `${table.schemaname}.${table.relname}` : (table.relname ?? '');
    this.label = `${tableLabel}.${name}`;
    this.object = { type: 'column', ...(table.schemaname ? { schema: table.schemaname } : {}), table: table.relname ?? '', name, column: name };
  }

  /** The DEFAULT constraint, if any. */
  get defaultConstraint(): Constraint | undefined {
    return columnConstraints(this.definition).find((c) => c.contype === 'CONSTR_DEFAULT');
  }

  /** The default's text as written, when it has one. */
  get default(): string | null {
    const range = this.defaultConstraint ? this.textRanges().default : null;
    return range ? this.source.slice(range.start, range.end) : null;
  }

  /** The type as written: `character(3)`, `timestamp(3) without time zone`. */
  get typeText(): string {
    const range = this.textRanges().type;
    return range ? this.source.slice(range.start, range.end) : this.type.name;
  }

  /** Where the type and the default's expression are written, to replace them. */
  textRanges(): { type: Range | null; default: Range | null } {
    this.ranges ??= {
      type: typeRangeOf(this.source, this.definition),
      default: this.defaultConstraint ? defaultRangeOf(this.source, this.definition, this.defaultConstraint) : null,
    };
    return this.ranges;
  }
}

type Range = { start: number; end: number };

/** What a rule says about a column; null when it has nothing to say. */
export interface ColumnVerdict {
  message: string;
  evidence: Record<string, unknown>;
  /** The type to declare instead (without array brackets, which are kept): the fix. */
  type?: string;
  /** The default expression to declare instead: the fix. */
  default?: string;
  /** Why there is no fix, when there is none. */
  noFix?: string;
  note: string;
  severity?: Severity;
}

export interface ColumnTypeRuleDefinition<Options extends object> {
  meta: RuleMeta<Options>;
  check(column: DeclaredColumn, options: Options): ColumnVerdict | null;
}

/** A lint rule that judges every column a migration declares with `check`. */
export function defineColumnTypeRule<Options extends object>(definition: ColumnTypeRuleDefinition<Options>): QueryRule<Options> {
  const judge = (column: DeclaredColumn, context: QueryRuleContext<Options>): void => {
    const verdict = definition.check(column, context.options);
    if (!verdict) return;
    const edits: { start: number; end: number; text: string }[] = [];
    const ranges = column.textRanges();
    if (verdict.type && ranges.type) edits.push({ ...ranges.type, text: `${verdict.type}${column.type.isArray ? '[]' : ''}` });
    if (verdict.default && ranges.default) edits.push({ ...ranges.default, text: verdict.default });
    const fixable = !verdict.noFix && edits.length > 0;
    context.report({
      message: verdict.message,
      evidence: { column: column.label, declared: column.typeText, statement: column.statement, ...verdict.evidence, ...(verdict.noFix ? { noFix: verdict.noFix } : {}) },
      severity: verdict.severity,
      fix: fixable
        ? {
            sql: context.statement.source.rewrite(edits),
            // A column declared in CREATE TABLE or ADD COLUMN costs nothing more with the other type; a type change rewrites anyway.
            safeOnline: column.statement !== 'ALTER COLUMN TYPE',
            note: verdict.note,
          }
        : null,
      location: column.definition.location ?? column.table.location,
      key: column.object.column,
      object: column.object,
    });
  };
  return defineMigrationRule<Options>({
    meta: definition.meta,
    tracks: [],
    visitors: {
      CreateStmt(stmt: CreateStmt, context) {
        if (!stmt.relation) return;
        for (const element of stmt.tableElts ?? []) {
          const definition = (element as { ColumnDef?: ColumnDef }).ColumnDef;
          if (definition?.colname) judge(declared(context.statement.source, stmt.relation, definition, definition.colname, 'CREATE TABLE'), context);
        }
      },
      AlterTableStmt(stmt, context) {
        for (const cmd of tableCmds(stmt)) {
          const definition = columnDefOf(cmd);
          if (!definition) continue;
          if (cmd.subtype === 'AT_AddColumn' && definition.colname) judge(declared(context.statement.source, stmt.relation!, definition, definition.colname, 'ADD COLUMN'), context);
          else if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) judge(declared(context.statement.source, stmt.relation!, definition, cmd.name, 'ALTER COLUMN TYPE'), context);
        }
      },
    },
  });
}

const declaredColumns = new WeakMap<ColumnDef, DeclaredColumn>();

/** The column a definition declares, shared by every rule that looks at it. */
function declared(source: StatementSource, table: RangeVar, definition: ColumnDef, name: string, statement: DeclaredColumn['statement']): DeclaredColumn {
  let column = declaredColumns.get(definition);
  if (!column) {
    column = new DeclaredColumn(source, table, definition, name, statement);
    declaredColumns.set(definition, column);
  }
  return column;
}

/**
 * Where the column's type is written: from its first word to the first of its constraints, COLLATE,
 * COMPRESSION, USING or the end of the column's definition.
 */
function typeRangeOf(source: StatementSource, definition: ColumnDef): Range | null {
  const start = definition.typeName?.location;
  if (start === undefined || start < 0) return null;
  let end = clauseEnd(source, start);
  const stops = columnConstraints(definition).map((c) => c.location ?? -1);
  for (const word of ['collate', 'compression', 'using']) stops.push(keywordToken(source, word, start)?.start ?? -1);
  for (const stop of stops) if (stop > start && stop < end) end = stop;
  while (end > start && /\s/.test(source.slice(end - 1, end))) end--;
  return { start, end };
}

/** Where a DEFAULT's expression is written (after the DEFAULT keyword, to the end of the constraint). */
function defaultRangeOf(source: StatementSource, definition: ColumnDef, constraint: Constraint): Range | null {
  if (constraint.location === undefined || constraint.location < 0) return null;
  const keyword = keywordToken(source, 'default', constraint.location);
  if (!keyword) return null;
  let end = clauseEnd(source, keyword.end);
  for (const other of columnConstraints(definition)) {
    const at = other.location ?? -1;
    if (at > keyword.end && at < end) end = at;
  }
  while (end > keyword.end && /\s/.test(source.slice(end - 1, end))) end--;
  let start = keyword.end;
  while (start < end && /\s/.test(source.slice(start, start + 1))) start++;
  return start < end ? { start, end } : null;
}
