import type { JoinExpr, Node, RangeVar } from 'libpg-query';
import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import { defineQueryRule, type QueryRuleContext } from '../query-rule.js';
import { as, columnRefsOf, conjuncts, type ColumnName } from './lib/ast.js';
import { cteNamesOf, findTable } from './lib/scope.js';

/** One table (or explicit JOIN of tables) of a comma-separated FROM list. */
interface FromTable {
  /** Names the statement may qualify its columns with (aliases or table names). */
  names: string[];
  /** Tables, when the schema knows them, to place unqualified columns. */
  tables: { name: string; columns: ReadonlySet<string> }[];
  label: string;
  location: number | undefined;
  /**
   * False for subqueries, functions and CTEs: a cross product with them is usually deliberate (a
   * one-row subquery, a CTE of parameters), so they need no link, but they can link the others.
   */
  required: boolean;
}

/**
 * `FROM orders, customers` pairs every order with every customer unless a WHERE condition links
 * them. When that condition is missing (forgotten, or placed on the wrong alias) the result is a
 * cross product: rows multiply, aggregates silently inflate, and the query slows by the size of the
 * other table.
 */
export default defineQueryRule({
  meta: {
    id: 'implicit-cross-join',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'Tables listed with commas in FROM with no WHERE condition joining them: a cross join.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, context) {
      check(select.fromClause ?? [], [], select.whereClause, context);
    },
    UpdateStmt(update, context) {
      if (update.relation && update.fromClause?.length) check(update.fromClause, [update.relation], update.whereClause, context);
    },
    DeleteStmt(del, context) {
      if (del.relation && del.usingClause?.length) check(del.usingClause, [del.relation], del.whereClause, context);
    },
  },
});

function check(from: readonly Node[], targets: readonly RangeVar[], where: Node | undefined, { schema, ancestors, report }: QueryRuleContext<object>): void {
  if (from.length + targets.length < 2) return;
  const ctes = cteNamesOf(ancestors.map((a) => a.node));
  const tables: FromTable[] = [];
  for (const target of targets) tables.push(fromTable({ RangeVar: target }, ctes, schema));
  for (const item of from) tables.push(fromTable(item, ctes, schema));
  if (tables.filter((t) => t.required).length < 2) return;

  const parent = tables.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  // A function or LATERAL subquery in FROM that reads another item's columns is joined to it.
  from.forEach((item, i) => {
    const index = targets.length + i;
    if (tables[index]!.required) return;
    for (const column of columnRefsOf(item, [], true)) {
      const owner = column.qualifier.length > 0 ? ownerOf(column, tables) : -1;
      if (owner !== null && owner >= 0 && owner !== index) union(index, owner);
    }
  });
  for (const condition of conjuncts(where)) {
    const owners = new Set<number>();
    let unknown = 0;
    for (const column of columnRefsOf(condition, [], true)) {
      const owner = ownerOf(column, tables);
      if (owner === null) unknown++;
      else if (owner >= 0) owners.add(owner);
    }
    // A condition with a column we cannot place might join anything: assume it does.
    if (unknown > 0 && unknown + owners.size >= 2) return;
    const list = [...owners];
    for (let i = 1; i < list.length; i++) union(list[0]!, list[i]!);
  }
  const groups = new Map<number, FromTable[]>();
  tables.forEach((table, i) => {
    if (!table.required) return;
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), table]);
  });
  if (groups.size < 2) return;
  const parts = [...groups.values()];
  const [first, second] = [parts[0]!, parts[1]!];
  const names = (group: FromTable[]) => group.map((t) => t.label).join(', ');
  report({
    message: `${names(first)} and ${names(second)} are listed in FROM with no condition joining them, so every row of one is paired with every row of the other. Add the join condition (\`JOIN ${second[0]!.label} ON ...\`), or write CROSS JOIN if the product is intended.`,
    evidence: { unjoined: parts.map((group) => group.map((t) => t.label)) },
    fix: null,
    location: second[0]!.location,
    key: parts.map((group) => group.map((t) => t.label).join(',')).join('|'),
  });
}

/** A FROM item: a table, a JOIN (one item, its own conditions inside), or a subquery, function or CTE. */
function fromTable(node: Node, ctes: ReadonlySet<string>, schema: SnapshotIndex | undefined): FromTable {
  const rangeVar = as<RangeVar>(node, 'RangeVar');
  if (rangeVar) {
    const name = rangeVar.alias?.aliasname ?? rangeVar.relname ?? '';
    if (!rangeVar.schemaname && ctes.has(rangeVar.relname ?? '')) return { names: [name], tables: [], label: name, location: rangeVar.location, required: false };
    const table = schema ? findTable(schema, { ...(rangeVar.schemaname ? { schema: rangeVar.schemaname } : {}), name: rangeVar.relname ?? '' }) : null;
    return {
      names: [name],
      tables: table && schema ? [{ name, columns: new Set(schema.columnsOf(table).map((c) => c.name)) }] : [],
      label: name,
      location: rangeVar.location,
      required: true,
    };
  }
  const join = as<JoinExpr>(node, 'JoinExpr');
  if (join) {
    const sides = [join.larg, join.rarg].filter((side): side is Node => side !== undefined).map((side) => fromTable(side, ctes, schema));
    const alias = join.alias?.aliasname;
    return {
      names: alias ? [alias] : sides.flatMap((s) => s.names),
      tables: sides.flatMap((s) => s.tables),
      label: alias ?? sides.map((s) => s.label).join(' JOIN '),
      location: sides[0]?.location,
      required: sides.some((s) => s.required),
    };
  }
  const alias = (Object.values(node)[0] as { alias?: { aliasname?: string } } | undefined)?.alias?.aliasname;
  return { names: alias ? [alias] : [], tables: [], label: alias ?? 'subquery', location: undefined, required: false };
}

/**
 * The FROM table a column belongs to: -1 when it names something else (an outer query's table, a
 * subquery's own), null when it cannot be placed (unqualified, no schema to tell).
 */
function ownerOf(column: ColumnName, tables: readonly FromTable[]): number | null {
  if (column.qualifier.length > 0) {
    const qualifier = column.qualifier[column.qualifier.length - 1]!;
    return tables.findIndex((t) => t.names.includes(qualifier));
  }
  const owners = tables.flatMap((t, i) => (t.tables.some((s) => s.columns.has(column.column)) ? [i] : []));
  if (owners.length === 1) return owners[0]!;
  return owners.length === 0 && tables.every((t) => t.tables.length > 0) ? -1 : null;
}

