import type { Column, Constraint, Table } from '../../catalog/types.js';
import { quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { plural, singular } from '../lib/inflect.js';

/**
 * Numbered columns (phone1, phone2, phone3) hold a list in a fixed number of slots: the list cannot
 * grow without a migration, searching it means ORing every slot, and half-filled slots are NULL noise.
 * That breaks first normal form; a child table (or an array) holds any number of values.
 */
export default defineRule({
  meta: {
    id: 'repeating-column-group',
    category: 'modelling',
    defaultSeverity: 'warning',
    description: 'A table stores a list in numbered columns (phone1, phone2, ...) instead of a child table.',
    fixable: false,
    defaultOptions: {
      /** Members (numbered columns, plus the bare stem column when present) needed to report a group. */
      minGroupSize: 2,
      /** Stems accepted as numbered columns: a stem equal to one of them or ending with `_<entry>`. */
      allow: ['address', 'address_line', 'line', 'street'],
    },
  },
  check({ index, options, report }) {
    const allow: readonly string[] = options.allow;
    const quote = cachedQuote();
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      const groups = numberedGroups(columns);
      if (groups.length === 0) continue;
      const byName = new Map(columns.map((c) => [c.name, c]));
      for (const group of groups) {
        if (group.stem.length < 2 || isAllowed(group.stem, allow)) continue;
        const bare = byName.get(group.stem);
        const members = bare && bare.typeName === group.columns[0]!.typeName && bare.isArray === group.columns[0]!.isArray
          ? [bare, ...group.columns]
          : group.columns;
        if (members.length < options.minGroupSize || !isSequence(group.numbers, members.length > group.columns.length)) continue;
        if (members.some((c) => c.generated !== null)) continue;
        const names = members.map((c) => c.name);
        report({
          object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
          message: `Table ${table.schema}.${table.name} stores one attribute in ${members.length} numbered columns (${names.join(', ')}).`,
          evidence: {
            stem: group.stem,
            columns: names,
            type: members[0]!.type,
            suggestedDesign: childTableSql(table, group.stem, members[0]!, index.constraintsOf(table), byName, quote),
            alternative: `a single array column ${quote(plural(group.stem))} ${members[0]!.type}[]`,
          },
          fix: null,
          key: group.stem,
        });
      }
    }
  },
});

interface NumberedGroup {
  stem: string;
  columns: Column[];
  numbers: number[];
}

const NUMBERED = /^(.*[a-z])_?(\d+)$/;

/** Columns grouped by the name left once a trailing number is removed; only same-typed groups. */
function numberedGroups(columns: readonly Column[]): NumberedGroup[] {
  const groups = new Map<string, NumberedGroup>();
  for (const column of columns) {
    const match = NUMBERED.exec(column.name);
    if (!match) continue;
    const stem = match[1]!;
    const group = groups.get(stem) ?? { stem, columns: [], numbers: [] };
    group.columns.push(column);
    group.numbers.push(Number(match[2]));
    groups.set(stem, group);
  }
  return [...groups.values()].filter((g) =>
    g.columns.every((c) => c.typeName === g.columns[0]!.typeName && c.isArray === g.columns[0]!.isArray),
  );
}

/**
 * Consecutive numbers starting at 0 or 1 (or at 2 when the bare stem column is slot 1), or a run of
 * years: sha1/sha256 or ipv4/ipv6 are not lists.
 */
function isSequence(numbers: readonly number[], hasBare: boolean): boolean {
  const sorted = [...numbers].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]! + 1) return false;
  const first = sorted[0]!;
  return first <= 1 || (first === 2 && hasBare) || (first >= 1900 && sorted.at(-1)! <= 2199);
}

function isAllowed(stem: string, allow: readonly string[]): boolean {
  return allow.some((entry) => stem === entry || stem.endsWith(`_${entry}`));
}

/** The child table that replaces the group: one row per value, keyed by the parent key and a slot. */
function childTableSql(
  table: Table,
  stem: string,
  member: Column,
  constraints: readonly Constraint[],
  byName: Map<string, Column>,
  quote: (name: string) => string,
): string {
  const parent = singular(table.name);
  const primaryKey = constraints.find((c) => c.kind === 'primary key');
  const keyColumns = (primaryKey?.columns ?? []).map((name) => ({
    name: name === 'id' ? `${parent}_id` : name,
    type: byName.get(name)?.type ?? 'bigint',
  }));
  const lines = keyColumns.map((k) => `  ${quote(k.name)} ${k.type} NOT NULL`);
  lines.push('  ordinal smallint NOT NULL', `  ${quote(stem)} ${member.type} NOT NULL`);
  if (primaryKey) {
    lines.push(`  PRIMARY KEY (${[...keyColumns.map((k) => quote(k.name)), 'ordinal'].join(', ')})`);
    lines.push(
      `  FOREIGN KEY (${keyColumns.map((k) => quote(k.name)).join(', ')}) REFERENCES ${quote(table.schema)}.${quote(table.name)} ` +
        `(${primaryKey.columns.map(quote).join(', ')}) ON DELETE CASCADE`,
    );
  }
  return `CREATE TABLE ${quote(table.schema)}.${quote(`${parent}_${plural(stem)}`)} (\n${lines.join(',\n')}\n);`;
}

/**
 * quoteIdent scans each name with the parser (~15 µs): remember the answers within one run, and skip
 * the scan for plain names with digits or `$`, which cannot be keywords (those are letters and `_`).
 */
function cachedQuote(): (name: string) => string {
  const quoted = new Map<string, string>();
  return (name) => {
    if (/^[a-z_][a-z0-9_$]*$/.test(name) && /[0-9$]/.test(name)) return name;
    let result = quoted.get(name);
    if (result === undefined) quoted.set(name, (result = quoteIdent(name)));
    return result;
  };
}


