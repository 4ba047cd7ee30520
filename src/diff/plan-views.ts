/**
 * Views and materialized views. A view whose query changes keeps its columns' names and types is
 * replaced in place (CREATE OR REPLACE VIEW); otherwise, and whenever something it uses is dropped,
 * recreated or changes type, it is dropped before the change and created again after (views that use
 * it too). Materialized views are always dropped and created again: their query cannot be replaced.
 */
import type { View } from '../catalog/types.js';
import { createView, qualifiedName } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import { sameSql } from './same-sql.js';
import type { Plan } from './plan.js';
import { key, type SchemaModel } from './schema-model.js';

/** The step object for a view or materialized view. */
export function viewObject(view: View): DiffObject {
  return { type: view.materialized ? 'materialized view' : 'view', schema: view.schema, name: view.name };
}

/** Views dropped (dependents first), then created or replaced (what they use first). */
export function planViews(plan: Plan): void {
  const drops = new Map<string, string>();
  const replaces = new Set<string>();
  for (const [k, view] of plan.from.views) {
    const after = plan.to.views.get(k);
    if (plan.droppedRelations.has(k) || !after) {
      drops.set(k, plan.to.relationKind(k) ? `a ${plan.to.relationKind(k)} in to` : 'not in to');
      continue;
    }
    const changed = !sameSql(view.definition, after.definition, 'query') || view.options.join() !== after.options.join();
    const forcedBy = dependencyChange(plan, view);
    if (forcedBy) drops.set(k, forcedBy);
    else if (changed && (view.materialized || !sameLeadingColumns(plan, k))) {
      drops.set(k, view.materialized ? 'its query changed (a materialized view cannot be replaced)' : 'its columns changed (CREATE OR REPLACE VIEW can only add columns at the end)');
    } else if (changed) replaces.add(k);
  }
  // A view that uses a dropped view goes too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [k, view] of plan.from.views) {
      if (drops.has(k)) continue;
      const through = view.dependsOn.find((d) => d.kind === 'relation' && drops.has(key(d.schema, d.name)));
      if (through) {
        drops.set(k, `it uses ${through.schema}.${through.name}, which is dropped and created again`);
        replaces.delete(k);
        grew = true;
      }
    }
  }

  for (const k of dependencyOrder(plan.from, [...drops.keys()]).reverse()) {
    const view = plan.from.views.get(k)!;
    const recreated = plan.to.views.has(k) || plan.to.tables.has(k);
    plan.droppedRelations.add(k);
    if (recreated) {
      plan.createdRelations.add(k);
      plan.recreatedRelations.add(k);
    }
    plan.add('drop views', {
      kind: `drop ${view.materialized ? 'materialized view' : 'view'}${plan.to.views.has(k) ? ' to recreate it' : ''}`,
      object: viewObject(view),
      sql: `DROP ${view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qualifiedName(view.schema, view.name)};`,
      notes: [
        plan.to.views.has(k) ? `created again below: ${drops.get(k)}` : `${drops.get(k)}; a view stores no data (a materialized view's rows are computed from its query)`,
        'grants on it are not carried over',
      ],
    });
  }

  const toWrite = [...plan.to.views.keys()].filter((k) => !plan.from.views.has(k) || drops.has(k) || replaces.has(k));
  for (const k of dependencyOrder(plan.to, toWrite)) {
    const view = plan.to.views.get(k)!;
    const replacing = replaces.has(k);
    if (!replacing) plan.createdRelations.add(k);
    const replacedTable = plan.tableDrops.get(k);
    plan.add('views', {
      kind: replacing ? 'replace view' : `create ${view.materialized ? 'materialized view' : 'view'}`,
      object: viewObject(view),
      sql: createView(view, replacing),
      notes: [
        view.materialized && view.populated !== false ? 'runs the query to fill it (reads of the tables it uses go on)' : null,
        drops.has(k) ? 'queries that use it fail between its DROP above and this CREATE' : null,
        replacing ? 'CREATE OR REPLACE VIEW keeps its grants and the views that use it' : null,
        replacedTable && !plan.options.allowDrops ? 'needs the DROP TABLE above, which needs --allow-drops' : null,
      ],
      requires: [replacedTable],
    });
    if (!replacing) {
      plan.markCreated('view', k);
      for (const c of plan.to.columnsOf.get(k) ?? []) plan.markCreated('column', key(c.schema, c.table, c.name));
    }
  }
}

/** Why something the view uses forces it to be dropped and created again, or null. */
function dependencyChange(plan: Plan, view: View): string | null {
  for (const d of view.dependsOn) {
    if (d.kind === 'relation') {
      const relation = key(d.schema, d.name);
      if (plan.droppedRelations.has(relation) && plan.from.tables.has(relation)) return `it uses ${d.schema}.${d.name}, which is dropped`;
      if (d.column !== null) {
        const column = key(d.schema, d.name, d.column);
        if (plan.droppedColumns.has(column)) return `it uses ${d.name}.${d.column}, which is dropped`;
        if (plan.retypedColumns.has(column)) return `it uses ${d.name}.${d.column}, whose type changes`;
      }
    } else if (d.kind === 'function') {
      if (plan.droppedFunctions.has(key(d.schema, d.name, d.arguments ?? ''))) return `it uses ${d.schema}.${d.name}(${d.arguments ?? ''}), which is dropped or created again`;
    } else if (plan.replacedTypes.has(key(d.schema, d.name)) || plan.replacedTypes.has(key(d.schema, d.name.replace(/^_/, '')))) {
      return `it uses type ${d.schema}.${d.name}, which is dropped or created again`;
    }
  }
  return null;
}

/** The view's columns in from are the leading columns of to, same names and types. */
function sameLeadingColumns(plan: Plan, k: string): boolean {
  const before = plan.from.columnsOf.get(k) ?? [];
  const after = plan.to.columnsOf.get(k) ?? [];
  return before.length <= after.length && before.every((c, i) => after[i]?.name === c.name && after[i]?.type === c.type && after[i]?.collation === c.collation);
}

/** `keys` ordered so that a view comes after the views it uses (views outside `keys` are ignored). */
function dependencyOrder(model: SchemaModel, keys: string[]): string[] {
  const wanted = new Set(keys);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (k: string, path: Set<string>): void => {
    if (done.has(k) || path.has(k)) return;
    path.add(k);
    for (const d of model.views.get(k)?.dependsOn ?? []) {
      const used = key(d.schema, d.name);
      if (d.kind === 'relation' && wanted.has(used)) visit(used, path);
    }
    path.delete(k);
    done.add(k);
    order.push(k);
  };
  for (const k of [...keys].sort()) visit(k, new Set());
  return order;
}
