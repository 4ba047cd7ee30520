/**
 * The objects a DDL statement defines, read from its parse tree, as the keys of `object-key.ts`
 * (`schema.table`, `schema.table.constraint`, `schema.index`). Used to point findings at the file and
 * line that created their object, and to apply `-- pgarchitect-ignore` comments.
 */

interface RangeVar {
  schemaname?: string;
  relname?: string;
}

export interface DefinedObject {
  key: string;
}

type Node = Record<string, unknown>;

export function definedObjects(node: Node, currentSchema: string): DefinedObject[] {
  const rel = (r: RangeVar | undefined): string | null => (r?.relname ? `${r.schemaname ?? currentSchema}.${r.relname}` : null);
  const out: (string | null)[] = [];
  const create = node.CreateStmt as { relation?: RangeVar; tableElts?: Node[] } | undefined;
  if (create) {
    const table = rel(create.relation);
    out.push(table);
    for (const element of create.tableElts ?? []) {
      const constraint = element.Constraint as { conname?: string } | undefined;
      if (table && constraint?.conname) out.push(`${table}.${constraint.conname}`);
    }
  }
  const index = node.IndexStmt as { idxname?: string; relation?: RangeVar } | undefined;
  if (index?.idxname) out.push(`${index.relation?.schemaname ?? currentSchema}.${index.idxname}`);
  const alter = node.AlterTableStmt as { relation?: RangeVar; cmds?: Node[] } | undefined;
  if (alter) {
    const table = rel(alter.relation);
    for (const cmd of alter.cmds ?? []) {
      const c = cmd.AlterTableCmd as { subtype?: string; def?: Node; name?: string } | undefined;
      const constraint = c?.def?.Constraint as { conname?: string } | undefined;
      if (table && c?.subtype === 'AT_AddConstraint' && constraint?.conname) out.push(`${table}.${constraint.conname}`);
      const column = c?.def?.ColumnDef as { colname?: string } | undefined;
      if (table && c?.subtype === 'AT_AddColumn' && column?.colname) out.push(`${table}.${column.colname}`);
    }
  }
  const view = node.ViewStmt as { view?: RangeVar } | undefined;
  if (view) out.push(rel(view.view));
  const createAs = node.CreateTableAsStmt as { into?: { rel?: RangeVar } } | undefined;
  if (createAs) out.push(rel(createAs.into?.rel));
  const sequence = node.CreateSeqStmt as { sequence?: RangeVar } | undefined;
  if (sequence) out.push(rel(sequence.sequence));
  const trigger = node.CreateTrigStmt as { trigname?: string; relation?: RangeVar } | undefined;
  if (trigger?.trigname) {
    const table = rel(trigger.relation);
    if (table) out.push(`${table}.${trigger.trigname}`);
  }
  const fn = node.CreateFunctionStmt as { funcname?: Node[] } | undefined;
  if (fn?.funcname) {
    const parts = fn.funcname.map((n) => (n.String as { sval?: string } | undefined)?.sval ?? '');
    out.push(parts.length > 1 ? parts.join('.') : `${currentSchema}.${parts[0]}`);
  }
  const schema = node.CreateSchemaStmt as { schemaname?: string } | undefined;
  if (schema?.schemaname) out.push(schema.schemaname);
  const policy = node.CreatePolicyStmt as { policy_name?: string; table?: RangeVar } | undefined;
  if (policy?.policy_name) {
    const table = rel(policy.table);
    if (table) out.push(`${table}.${policy.policy_name}`);
  }
  return out.filter((k): k is string => k !== null).map((key) => ({ key }));
}
