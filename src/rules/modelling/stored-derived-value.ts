import type { Column, Constraint, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * A value stored next to the columns it is computed from (a total beside its subtotal and tax, a
 * full name beside first and last name, an age beside a birth date) drifts: one UPDATE forgets the
 * total, and the table now disagrees with itself. A generated column or a CHECK keeps the copy honest;
 * an age goes stale by itself and belongs in queries.
 */
export default defineRule({
  meta: {
    id: 'stored-derived-value',
    category: 'modelling',
    defaultSeverity: 'warning',
    description: 'A column stores a value derivable from sibling columns, with no generated column or CHECK keeping them consistent.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      if (!columns.some((c) => DERIVATION_NEEDS.has(c.name))) continue;
      const byName = new Map(columns.map((c) => [c.name, c]));
      const constraints = index.constraintsOf(table);
      for (const derivation of [...totals(byName), ...fullName(byName), ...age(byName)]) {
        const { derived, sources } = derivation;
        if (derived.generated !== null || hasConsistencyCheck(constraints, derived, sources)) continue;
        const sourceNames = sources.map((s) => s.name);
        report({
          object: { type: 'column', schema: table.schema, table: table.name, name: derived.name, column: derived.name },
          message:
            derivation.expression === null
              ? `Column ${table.schema}.${table.name}.${derived.name} stores a value derived from ${sourceNames.join(', ')} that goes stale as time passes.`
              : `Column ${table.schema}.${table.name}.${derived.name} stores a value derived from ${sourceNames.join(', ')} with nothing keeping them consistent.`,
          evidence: {
            derivedColumn: derived.name,
            sourceColumns: sourceNames,
            formula: derivation.expression,
            generatedColumn:
              derivation.expression === null ? null : `${quoteIdent(derived.name)} ${derived.type} GENERATED ALWAYS AS (${derivation.expression}) STORED`,
            advice: derivation.advice,
          },
          fix: derivation.expression === null ? null : checkFix(table, constraints, derived, derivation.expression, derivation.advice),
        });
      }
    }
  },
});

interface Derivation {
  derived: Column;
  sources: Column[];
  /** SQL expression the derived column should equal; null when no immutable expression exists. */
  expression: string | null;
  advice: string;
}

const TOTALS = ['total', 'total_amount', 'grand_total', 'total_price'];
const SUBTOTALS = ['subtotal', 'sub_total', 'subtotal_amount'];
const ADDED = [
  'tax', 'tax_amount', 'tax_total', 'vat', 'vat_amount',
  'shipping', 'shipping_amount', 'shipping_cost', 'shipping_fee',
  'handling', 'handling_fee', 'fee', 'fees', 'fee_amount', 'service_fee',
];
const SUBTRACTED = ['discount', 'discount_amount', 'discount_total'];
const FULL_NAMES = ['full_name'];
const AGES = ['age'];
/** Every derivation needs one of these (a subtotal, full_name, age): a table with none has nothing to check. */
const DERIVATION_NEEDS = new Set([...SUBTOTALS, ...FULL_NAMES, ...AGES]);
const NUMERIC = new Set(['numeric', 'int2', 'int4', 'int8', 'float4', 'float8', 'smallint', 'integer', 'bigint', 'real', 'double precision']);
const TEXT = new Set(['text', 'varchar', 'bpchar', 'citext', 'character varying', 'character']);
const DATES = new Set(['date', 'timestamp', 'timestamptz', 'timestamp without time zone', 'timestamp with time zone']);

/** total = subtotal + tax + shipping + fees − discount. */
function totals(byName: Map<string, Column>): Derivation[] {
  const subtotal = pick(byName, SUBTOTALS, NUMERIC)[0];
  const added = pick(byName, ADDED, NUMERIC);
  const subtracted = pick(byName, SUBTRACTED, NUMERIC);
  if (!subtotal || added.length + subtracted.length === 0) return [];
  const expression = [
    orZero(subtotal),
    ...added.map((c) => `+ ${orZero(c)}`),
    ...subtracted.map((c) => `- ${orZero(c)}`),
  ].join(' ');
  return pick(byName, TOTALS, NUMERIC).map((total) => ({
    derived: total,
    sources: [subtotal, ...added, ...subtracted],
    expression,
    advice: `assumes ${total.name} = ${expression}; check the formula (rounding, line-level discounts) before validating`,
  }));
}

function fullName(byName: Map<string, Column>): Derivation[] {
  const full = pick(byName, FULL_NAMES, TEXT)[0];
  const first = pick(byName, ['first_name', 'given_name'], TEXT)[0];
  const middle = pick(byName, ['middle_name'], TEXT)[0];
  const last = pick(byName, ['last_name', 'family_name', 'surname'], TEXT)[0];
  if (!full || !first || !last) return [];
  const parts = [first, middle, last].filter((c): c is Column => c !== undefined);
  return [
    {
      derived: full,
      sources: parts,
      expression: `concat_ws(' ', ${parts.map((c) => quoteIdent(c.name)).join(', ')})`,
      advice: `assumes ${full.name} is the name parts joined by spaces; if it is a freely edited display name, suppress this finding`,
    },
  ];
}

/** An age changes every year while the row does not: no CHECK or generated column can hold it. */
function age(byName: Map<string, Column>): Derivation[] {
  const stored = pick(byName, AGES, NUMERIC)[0];
  const birth = pick(byName, ['birth_date', 'birthdate', 'date_of_birth', 'dob', 'birthday', 'born_on'], DATES)[0];
  if (!stored || !birth) return [];
  return [
    {
      derived: stored,
      sources: [birth],
      expression: null,
      advice: `drop ${stored.name} and compute it when read: extract(year FROM age(${quoteIdent(birth.name)})) (in a view if many queries need it)`,
    },
  ];
}

function pick(byName: Map<string, Column>, names: readonly string[], types: ReadonlySet<string>): Column[] {
  return names.flatMap((name) => {
    const column = byName.get(name);
    if (!column || column.isArray) return [];
    const type = column.domainBaseType?.replace(/\(.*$/, '') ?? column.typeName;
    return types.has(type) ? [column] : [];
  });
}

function orZero(column: Column): string {
  return column.notNull ? quoteIdent(column.name) : `coalesce(${quoteIdent(column.name)}, 0)`;
}

/** A CHECK (or a generated column) mentioning the derived column and one of its sources already keeps them in line. */
function hasConsistencyCheck(constraints: readonly Constraint[], derived: Column, sources: readonly Column[]): boolean {
  return constraints.some(
    (c) => c.kind === 'check' && c.columns.includes(derived.name) && sources.some((s) => c.columns.includes(s.name)),
  );
}

/** NOT VALID then VALIDATE: a brief lock to add it, then a scan that does not block reads or writes. */
function checkFix(table: Table, constraints: readonly Constraint[], derived: Column, expression: string, advice: string): Fix {
  const name = qualifiedName(table.schema, table.name);
  const taken = new Set(constraints.map((c) => c.name));
  let constraint = `${table.name}_${derived.name}_consistent`;
  for (let n = 2; taken.has(constraint); n++) constraint = `${table.name}_${derived.name}_consistent${n}`;
  return {
    sql: [
      `ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(constraint)} CHECK (${quoteIdent(derived.name)} = ${expression}) NOT VALID;`,
      `ALTER TABLE ${name} VALIDATE CONSTRAINT ${quoteIdent(constraint)};`,
    ].join('\n'),
    safeOnline: true,
    note:
      `${advice}. VALIDATE fails while any row disagrees: find them first with ` +
      `SELECT * FROM ${name} WHERE ${quoteIdent(derived.name)} <> ${expression}; ` +
      `a NULL ${derived.name} passes the check. A generated column instead needs the column dropped and re-added (a table rewrite).`,
  };
}
