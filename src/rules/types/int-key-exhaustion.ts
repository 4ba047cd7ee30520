import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Column, Sequence } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { columnLabel, columnObject, ownedSequenceOf, referencingColumns, sequenceOfDefault, type ReferencingColumn } from './lib/columns.js';

const TYPE_RANGE: Record<string, { min: number; max: number; label: string }> = {
  int2: { min: -32768, max: 32767, label: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, label: 'integer' },
  int8: { min: -9223372036854775808, max: 9223372036854775807, label: 'bigint' },
};
const SEQUENCE_TYPE: Record<string, string> = { smallint: 'int2', integer: 'int4', bigint: 'int8' };

/**
 * When a key's sequence reaches the end of its type's range every INSERT fails ("nextval: reached
 * maximum value" or "integer out of range"), and widening a busy table to bigint then takes a long
 * rewrite under an exclusive lock, in an emergency. Seen early, it is a planned migration.
 */
export default defineRule({
  meta: {
    id: 'int-key-exhaustion',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A sequence-fed integer key (or an integer sequence) has used much of its range.',
    fixable: true,
    requires: ['live-server', 'sequence-values'],
    defaultOptions: {
      /** Percent of the range used from which a finding is reported. */
      warnPercent: 50,
      /** Percent of the range used from which the finding's evidence says `level: error`. */
      errorPercent: 75,
    },
  },
  check({ index, snapshot, options, report }) {
    const fed = new Set<Sequence>();
    for (const column of index.designColumns()) {
      const range = column.typeKind === 'b' && !column.isArray ? TYPE_RANGE[column.typeName] : undefined;
      if (!range) continue;
      const sequence = ownedSequenceOf(index, column) ?? sequenceOfDefault(index, column);
      if (!sequence) continue;
      fed.add(sequence);
      const usage = usageOf(sequence, range);
      if (!usage || usage.percent < options.warnPercent) continue;
      const referencedBy = referencingColumns(index, column).filter((r) => {
        const type = index.column(r.schema, r.table, r.name)?.typeName;
        return type === 'int2' || type === 'int4';
      });
      report({
        object: columnObject(column),
        message:
          `Column ${columnLabel(column)} has used ${usage.percent.toFixed(1)}% of its range: sequence ${sequence.schema}.${sequence.name} ` +
          `is at ${sequence.lastValue} of ${usage.limit} (limit of the ${usage.limitedBy}).`,
        evidence: {
          level: usage.percent >= options.errorPercent ? 'error' : 'warning',
          type: column.type,
          sequence: `${sequence.schema}.${sequence.name}`,
          sequenceType: sequence.dataType,
          lastValue: sequence.lastValue,
          limit: usage.limit,
          limitedBy: usage.limitedBy,
          percentUsed: round(usage.percent),
          cycle: sequence.cycle,
          referencedBy: referencedBy.map((r) => columnLabel(r)),
        },
        fix: columnFix(index, column, sequence, usage, referencedBy),
      });
    }
    for (const sequence of snapshot.sequences) {
      if (fed.has(sequence) || sequence.ownedBy || sequence.dataType === 'bigint') continue;
      const range = TYPE_RANGE[SEQUENCE_TYPE[sequence.dataType] ?? ''];
      const usage = range ? usageOf(sequence, range) : null;
      if (!usage || usage.percent < options.warnPercent) continue;
      report({
        object: { type: 'sequence', schema: sequence.schema, name: sequence.name },
        message: `Sequence ${sequence.schema}.${sequence.name} (${sequence.dataType}) has used ${usage.percent.toFixed(1)}% of its range: it is at ${sequence.lastValue} of ${usage.limit}.`,
        evidence: {
          level: usage.percent >= options.errorPercent ? 'error' : 'warning',
          sequenceType: sequence.dataType,
          lastValue: sequence.lastValue,
          limit: usage.limit,
          limitedBy: usage.limitedBy,
          percentUsed: round(usage.percent),
          cycle: sequence.cycle,
        },
        fix: {
          sql: `ALTER SEQUENCE ${qualifiedName(sequence.schema, sequence.name)} AS bigint;`,
          safeOnline: true,
          note: 'changes only the sequence (no table lock). No column default uses it: columns that store its values must be bigint as well.' + boundNote(usage),
        },
      });
    }
  },
});

interface Usage {
  percent: number;
  /** The value at which the sequence or the column runs out. */
  limit: number;
  /** What sets that limit: the column's type, the sequence's type, or a bound set on the sequence. */
  limitedBy: 'column type' | 'sequence type' | 'sequence bound';
}

/** How far the sequence has gone towards the end it moves to: the tighter of its own bound and the column type's. */
function usageOf(sequence: Sequence, columnRange: { min: number; max: number }): Usage | null {
  if (sequence.lastValue === null) return null;
  const ascending = sequence.increment > 0;
  const own = ascending ? sequence.maxValue : sequence.minValue;
  const column = ascending ? columnRange.max : columnRange.min;
  const sequenceRange = TYPE_RANGE[SEQUENCE_TYPE[sequence.dataType] ?? ''];
  const ownIsTighter = ascending ? own < column : own > column;
  const limit = ownIsTighter ? own : column;
  const limitedBy = !ownIsTighter
    ? 'column type'
    : sequenceRange && own === (ascending ? sequenceRange.max : sequenceRange.min)
      ? 'sequence type'
      : 'sequence bound';
  const percent = Math.sign(sequence.lastValue) === Math.sign(limit) ? (sequence.lastValue / limit) * 100 : 0;
  return { percent, limit, limitedBy };
}

function columnFix(index: SnapshotIndex, column: Column, sequence: Sequence, usage: Usage, referencedBy: ReferencingColumn[]): Fix {
  const widenColumn = column.typeName !== 'int8';
  const statements: string[] = [];
  if (widenColumn) statements.push(alterToBigint(column));
  if (sequence.dataType !== 'bigint') statements.push(`ALTER SEQUENCE ${qualifiedName(sequence.schema, sequence.name)} AS bigint;`);
  for (const r of referencedBy) {
    const referencing = index.column(r.schema, r.table, r.name);
    if (referencing) statements.push(alterToBigint(referencing));
  }
  const others = referencedBy.length ? ` The foreign key columns ${referencedBy.map((r) => columnLabel(r)).join(', ')} are widened too: their values come from this key.` : '';
  return {
    sql: statements.join('\n'),
    safeOnline: !widenColumn,
    note:
      (widenColumn
        ? 'ALTER COLUMN ... TYPE bigint rewrites each table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: on a large table, plan it (or add a bigint column, backfill it in batches and swap). '
        : 'changes only the sequence (no table lock). ') +
      others +
      boundNote(usage),
  };
}

function alterToBigint(column: Column): string {
  return `ALTER TABLE ${qualifiedName(column.schema, column.table)} ALTER COLUMN ${quoteIdent(column.name)} TYPE bigint;`;
}

function boundNote(usage: Usage): string {
  return usage.limitedBy === 'sequence bound' ? ' The sequence has an explicit MAXVALUE (or MINVALUE) that AS bigint keeps: raise it too (ALTER SEQUENCE ... NO MAXVALUE).' : '';
}

function round(percent: number): number {
  return Math.round(percent * 10) / 10;
}
