/**
 * The migration being planned: both sides, the options, what the planners decided (which relations
 * are created or dropped, which columns change type...) so later planners can follow, and the steps,
 * each in a phase. Phases fix the order the DDL must run in: dependents are dropped before what they
 * depend on changes, things are created before what uses them, and destructive drops come last.
 */
import type { DiffObject, DiffOptions, DiffStep } from './diff-result.js';
import { SchemaModel } from './schema-model.js';

/** The phases of a migration, in running order. */
export const PHASES = [
  // Dependents out of the way first.
  'drop views',
  'drop triggers',
  'drop policies',
  'drop foreign keys',
  'drop constraints',
  'drop indexes',
  'drop functions',
  'drop relations',
  // Then build, in dependency order.
  'schemas',
  'extensions',
  'types',
  'sequences',
  'functions',
  'tables',
  'columns',
  'sequence ownership',
  'constraints',
  'indexes',
  // After the indexes: a foreign key needs a unique index on the columns it references.
  'foreign keys',
  'views',
  'late functions',
  'triggers',
  'policies',
  'comments',
  'privileges',
  // What `to` no longer has, last: what references it first.
  'drop referencing',
  'drop columns',
  'drop functions using tables',
  'drop tables',
  'drop removed functions',
  'drop sequences',
  'drop types',
  'drop extensions',
  'drop schemas',
] as const;

/** One phase of a migration. */
export type Phase = (typeof PHASES)[number];

/** A step with its phase and what it needs, while planning. */
export interface PlannedStep extends DiffStep {
  phase: Phase;
  /** Steps this one needs to have run: when one of them is not applied, neither is this one. */
  requires: PlannedStep[];
}

/** What a planner gives `Plan.add`; the rest has defaults. */
export interface StepInput {
  kind: string;
  object: DiffObject;
  sql: string;
  destructive?: boolean;
  loses?: string | null;
  safeOnline?: boolean;
  notes?: (string | null | undefined | false)[];
  requires?: (PlannedStep | undefined)[];
}

/** A column whose type changes: how to convert its values. */
export interface Retype {
  type: string;
  collation: string | null;
  /** The USING expression. */
  using: string;
  /** Set when the change comes from a recreated enum or domain rather than from the column itself. */
  becauseOf?: string;
}

/** One migration being planned. */
export class Plan {
  readonly steps: PlannedStep[] = [];
  readonly notes: string[] = [];
  readonly from: SchemaModel;
  readonly to: SchemaModel;
  readonly options: Required<DiffOptions>;

  /** Relations (tables and views, key(schema, name)) of `to` created by the migration, new or recreated. */
  readonly createdRelations = new Set<string>();
  /** Relations of `from` that the migration drops, removed or recreated. */
  readonly droppedRelations = new Set<string>();
  /** Relations of `from` dropped and created again from `to` (a kind change, a changed materialized view...). */
  readonly recreatedRelations = new Set<string>();
  /** key(schema, table, column) of `from` columns dropped (removed, or dropped to be added again). */
  readonly droppedColumns = new Set<string>();
  /** Columns of `to` added to existing tables (new, or added again). */
  readonly addedColumns = new Set<string>();
  /** key(schema, table, column) of columns that keep existing but change type. */
  readonly retypedColumns = new Map<string, Retype>();
  /** Functions (functionKey) of `from` dropped: removed, or dropped to be created again. */
  readonly droppedFunctions = new Set<string>();
  /** Functions of `to` created: new, or created again. */
  readonly createdFunctions = new Set<string>();
  /** Types (key(schema, name)) of `from` that stop existing under their name: dropped or renamed to be recreated. */
  readonly replacedTypes = new Set<string>();
  /** Types of `to` created: new, or created again. */
  readonly createdTypes = new Set<string>();
  /** Objects of `to` created by the migration, as `type:key`, so their comments are written. */
  readonly created = new Set<string>();
  /** The step of each destructive drop of a table, by key(schema, name). */
  readonly tableDrops = new Map<string, PlannedStep>();
  /** The step of each destructive drop of a column, by key(schema, table, column). */
  readonly columnDrops = new Map<string, PlannedStep>();

  constructor(from: SchemaModel, to: SchemaModel, options: Required<DiffOptions>) {
    this.from = from;
    this.to = to;
    this.options = options;
  }

  add(phase: Phase, input: StepInput): PlannedStep {
    const step: PlannedStep = {
      phase,
      kind: input.kind,
      object: input.object,
      sql: input.sql,
      destructive: input.destructive ?? false,
      loses: input.loses ?? null,
      applied: true,
      safeOnline: input.safeOnline ?? true,
      notes: (input.notes ?? []).filter((n): n is string => typeof n === 'string' && n !== ''),
      requires: (input.requires ?? []).filter((s): s is PlannedStep => s !== undefined),
    };
    this.steps.push(step);
    return step;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  markCreated(type: string, objectKey: string): void {
    this.created.add(`${type}:${objectKey}`);
  }

  isCreated(type: string, objectKey: string): boolean {
    return this.created.has(`${type}:${objectKey}`);
  }

  /** `from`'s relation survives the migration (not dropped, not recreated). */
  keeps(relationKey: string): boolean {
    return this.from.relationKind(relationKey) !== undefined && !this.droppedRelations.has(relationKey);
  }

  /** The steps in running order, with `applied` settled: destructive ones need allowDrops. */
  ordered(): PlannedStep[] {
    const rank = new Map<Phase, number>(PHASES.map((p, i) => [p, i]));
    const ordered = this.steps
      .map((step, index) => ({ step, index }))
      .sort((a, b) => rank.get(a.step.phase)! - rank.get(b.step.phase)! || a.index - b.index)
      .map(({ step }) => step);
    const settle = (step: PlannedStep, seen: Set<PlannedStep>): boolean => {
      if (seen.has(step)) return step.applied;
      seen.add(step);
      step.applied = step.sql !== '' && (!step.destructive || this.options.allowDrops) && step.requires.every((r) => settle(r, seen));
      return step.applied;
    };
    const seen = new Set<PlannedStep>();
    for (const step of ordered) settle(step, seen);
    return ordered;
  }
}
