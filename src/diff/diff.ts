/**
 * `pgarchitect diff`: the migration that turns one schema into another. Both sides are catalog
 * snapshots (a live server, SQL files loaded into embedded PostgreSQL, or a saved snapshot), so the
 * comparison is between what Postgres itself holds, never between SQL texts.
 *
 * The planners run in dependency order, each recording what it decided (tables created or dropped,
 * columns whose type changes, functions recreated...) for the ones after it: a view that uses a column
 * whose type changes is dropped and created again around the change, a foreign key whose key is rebuilt
 * is dropped and added again, and so on. Steps land in phases (see plan.ts) that give the running order.
 */
import type { CatalogSnapshot } from '../catalog/types.js';
import { UserError } from '../errors.js';
import { ensureParser } from '../sql/parser.js';
import { openSource, type ConnectionLimits, type SnapshotFromSource, type SourceSpec } from '../source.js';
import { DIFF_RESULT_SCHEMA_VERSION, type DiffOptions, type DiffResult, type DiffSide, type DiffStep } from './diff-result.js';
import { Plan } from './plan.js';
import { planComments } from './plan-comments.js';
import { planConstraints, planIndexes } from './plan-constraints.js';
import { planFunctions } from './plan-functions.js';
import { planExtensions, planSchemas } from './plan-schemas.js';
import { planSequences } from './plan-sequences.js';
import { analyseRelations, planTables } from './plan-tables.js';
import { planPrivileges } from './plan-privileges.js';
import { planPolicies, planTriggers } from './plan-triggers.js';
import { linkTypeDrops, planTypes } from './plan-types.js';
import { planViews } from './plan-views.js';
import { SchemaModel } from './schema-model.js';

/** The migration from `from` to `to`. Pure: reads the two snapshots only. */
export async function diffSnapshots(from: CatalogSnapshot, to: CatalogSnapshot, options: DiffOptions = {}): Promise<DiffResult> {
  await ensureParser();
  requireDiffableSnapshot(from, 'from');
  requireDiffableSnapshot(to, 'to');
  const settled: Required<DiffOptions> = { allowDrops: options.allowDrops ?? false, concurrently: options.concurrently ?? true };
  const plan = new Plan(new SchemaModel(from), new SchemaModel(to), settled);

  planSchemas(plan);
  planExtensions(plan);
  analyseRelations(plan);
  planTypes(plan);
  planFunctions(plan);
  planSequences(plan);
  planTables(plan);
  linkTypeDrops(plan);
  planViews(plan);
  planConstraints(plan);
  planIndexes(plan);
  planTriggers(plan);
  planPolicies(plan);
  planComments(plan);
  planPrivileges(plan);

  const steps: DiffStep[] = plan.ordered().map(({ phase: _phase, requires: _requires, ...step }) => step);
  return { schemaVersion: DIFF_RESULT_SCHEMA_VERSION, from: side(from), to: side(to), options: settled, steps, notes: [...plan.notes] };
}

function side(snapshot: CatalogSnapshot): DiffSide {
  return { description: snapshot.source.description, kind: snapshot.source.kind, database: snapshot.source.database, versionNum: snapshot.server.versionNum };
}

/** Snapshots saved by versions before diff existed lack the definitions it writes. */
function requireDiffableSnapshot(snapshot: CatalogSnapshot, which: 'from' | 'to'): void {
  const complete = Array.isArray(snapshot.types) && snapshot.functions.every((f) => 'definition' in f) && snapshot.views.every((v) => 'dependsOn' in v);
  if (!complete) {
    throw new UserError(`--${which}: the snapshot ${snapshot.source.description} lacks what diff needs (function definitions, types, view dependencies)`, 'take the snapshot again with this version of pgarchitect');
  }
}

/** Options of the migration, and the session limits for live servers. */
export interface DiffSourcesOptions extends DiffOptions, ConnectionLimits {}

/**
 * Reads both sides (one after the other: each embedded engine is closed before the next starts) and
 * diffs them. A side whose SQL files Postgres rejected is an error: a migration to half a schema
 * would drop the other half.
 */
export async function diffSources(from: SourceSpec, to: SourceSpec, options: DiffSourcesOptions = {}): Promise<DiffResult> {
  const fromSide = await readSide(from, 'from', options);
  const toSide = await readSide(to, 'to', options);
  return diffSnapshots(fromSide.snapshot, toSide.snapshot, options);
}

async function readSide(spec: SourceSpec, which: 'from' | 'to', limits: ConnectionLimits): Promise<SnapshotFromSource> {
  const { db: _db, close, ...loaded } = await openSource(spec, limits);
  await close();
  if (loaded.errors.length > 0 || loaded.partial) {
    const first = loaded.errors[0];
    throw new DiffInputError(
      which,
      loaded,
      first
        ? `--${which}: ${first.file}:${first.line}:${first.column}: ERROR ${first.sqlstate}: ${first.message}`
        : `--${which}: the schema loaded only in part (${loaded.notices.map((n) => n.message).join('; ') || 'statements were skipped'})`,
    );
  }
  return loaded;
}

/** One side could not be read whole: the CLI prints its load errors and exits 2. */
export class DiffInputError extends UserError {
  constructor(
    readonly side: 'from' | 'to',
    readonly loaded: SnapshotFromSource,
    message: string,
  ) {
    super(message, 'fix the SQL so that it loads whole: diff compares complete schemas only');
  }
}
