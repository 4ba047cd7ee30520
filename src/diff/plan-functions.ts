/**
 * Functions and procedures, from pg_get_functiondef. A changed body is CREATE OR REPLACE; a changed
 * result type, kind or argument names cannot be replaced, so the function is dropped and created again
 * (its triggers and views around it, see the triggers and views planners). The script turns
 * check_function_bodies off, as pg_dump does, so a function can be created before the tables its body
 * uses.
 */
import type { FunctionInfo } from '../catalog/types.js';
import { qualifiedName } from './ddl.js';
import type { DiffObject } from './diff-result.js';
import type { Phase, Plan } from './plan.js';
import { key, sortedEntries } from './schema-model.js';

/** The step object for a function, named with its argument types. */
export function functionObject(f: FunctionInfo): DiffObject {
  const type = f.kind === 'procedure' ? 'procedure' : f.kind === 'aggregate' ? 'aggregate' : 'function';
  return { type, schema: f.schema, name: `${f.name}(${f.argumentTypes})` };
}

/** `schema.name(argument types)`, as DROP, COMMENT and GRANT name a function. */
export function functionSignature(f: FunctionInfo): string {
  return `${qualifiedName(f.schema, f.name)}(${f.argumentTypes})`;
}

function dropStatement(f: FunctionInfo): string {
  const word = f.kind === 'procedure' ? 'PROCEDURE' : f.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
  return `DROP ${word} ${functionSignature(f)};`;
}

function createStatement(f: FunctionInfo): string {
  return `${(f.definition ?? '').trimEnd()};`;
}

/** CREATE OR REPLACE refuses a new result type, a function <-> procedure change and renamed arguments. */
function replaceable(before: FunctionInfo, after: FunctionInfo): boolean {
  return before.kind === after.kind && before.returns === after.returns && before.arguments === after.arguments;
}

/**
 * Created after the tables: a function whose arguments or result name a table this migration creates
 * (its row type), or a BEGIN ATOMIC body, which Postgres resolves at creation.
 */
function phaseOf(plan: Plan, f: FunctionInfo): Phase {
  if (/\bBEGIN ATOMIC\b/i.test(f.definition ?? '')) return 'late functions';
  const signature = `${f.argumentTypes} ${f.returns}`;
  for (const relation of plan.createdRelations) {
    const table = plan.to.tables.get(relation);
    if (table && new RegExp(`(^|[\\s.,("])${escapeRegex(table.name)}($|[\\s,)"\\[])`).test(signature)) return 'late functions';
  }
  return 'functions';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Functions and procedures created, replaced, recreated and dropped; aggregates as steps to do by hand. */
export function planFunctions(plan: Plan): void {
  for (const [k, f] of sortedEntries(plan.to.functions)) {
    const before = plan.from.functions.get(k);
    if (before && before.definition === f.definition && before.kind === f.kind) continue;
    if (f.kind === 'aggregate') {
      plan.add('functions', {
        kind: before ? 'change aggregate' : 'create aggregate',
        object: functionObject(f),
        sql: '',
        notes: ['aggregates are not written by pgarchitect diff (pg_get_functiondef cannot print them): write the CREATE AGGREGATE by hand'],
      });
      continue;
    }
    if (before && !replaceable(before, f)) {
      plan.add('drop functions', {
        kind: `drop ${before.kind} to recreate it`,
        object: functionObject(before),
        sql: dropStatement(before),
        notes: [
          `CREATE OR REPLACE cannot change its ${before.kind !== f.kind ? 'kind' : before.returns !== f.returns ? 'result type' : 'argument names or defaults'}: dropped and created again`,
          'triggers and views that use it are dropped before and created again after; column defaults, constraints or indexes that use it make the DROP fail',
        ],
      });
      plan.droppedFunctions.add(k);
    }
    const replacing = before !== undefined && replaceable(before, f);
    plan.add(phaseOf(plan, f), {
      kind: replacing ? `replace ${f.kind}` : `create ${f.kind}`,
      object: functionObject(f),
      sql: createStatement(f),
      notes: [replacing ? 'CREATE OR REPLACE: calls already running finish with the old body' : null],
    });
    if (!replacing) {
      plan.createdFunctions.add(k);
      plan.markCreated('function', k);
    }
  }
  for (const [k, f] of sortedEntries(plan.from.functions)) {
    if (plan.to.functions.has(k)) continue;
    plan.droppedFunctions.add(k);
    const usesDroppedTable = [...plan.from.tables.values()].some(
      (t) => !plan.to.tables.has(key(t.schema, t.name)) && new RegExp(`(^|[\\s.,("])${escapeRegex(t.name)}($|[\\s,)"\\[])`).test(`${f.argumentTypes} ${f.returns}`),
    );
    plan.add(usesDroppedTable ? 'drop functions using tables' : 'drop removed functions', {
      kind: `drop ${f.kind}`,
      object: functionObject(f),
      sql: dropStatement(f),
      destructive: true,
      loses: `the ${f.kind} and its code; the DROP fails while something left uses it`,
    });
  }
}
