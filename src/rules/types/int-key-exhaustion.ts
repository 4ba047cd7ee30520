import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Column, Sequence } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import {
  columnLabel,
  columnObject,
  ownedSequenceOf,
  referencingColumns,
  REWRITE_NOTE,
  sequenceOfDefault,
  typeChangeBlocker,
  type ReferencingColumn,
} from './lib/columns.js';

/** Value ranges of the integer types, by pg_type name (bigint's as the float8 the snapshot holds). */
const TYPE_RANGE: Record<string, { min: number; max: number }> = {
  int2: { min: -32768, max: 32767 },
  int4: { min: -2147483648, max: 2147483647 },
  int8: { min: -9223372036854775808, max: 9223372036854775807 },
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
      /** Percent of the range used from which a finding is reported (as a warning). */
      warnPercent: 50,
      /** Percent of the range used from which the finding is an error. */
      errorPercent: 75,
    },
  },
  check({ index, snapshot, options, report }) {
    const fed = new Set<Sequence>();
    for (const column of index.designColumns()) {
      const sequence = ownedSequenceOf(index, column) ?? sequenceOfDefault(index, column);
      if (!sequence) continue;
      fed.add(sequence);
      const range = column.typeKind === 'b' && !column.isArray ? TYPE_RANGE[column.typeName] : undefined;
      if (!range) continue;
      const usage = usageOf(sequence, range);
      if (!usage || usage.percent < options.warnPercent) continue;
      const blocker = column.typeName === 'int8' ? null : typeChangeBlocker(index, column, 'bigint');
      const referencedBy = referencingColumns(index, column).filter((r) => {
        const type = index.column(r.schema, r.table, r.name)?.typeName;
        return type === 'int2' || type === 'int4';
      });
      report({
        object: columnObject(column),
        message:
          `Column ${columnLabel(column)} has used ${usage.percent.toFixed(1)}% of its range: sequence ${sequence.schema}.${sequence.name} ` +
          `is at ${sequence.lastValue} of ${usage.limit} (${LIMIT_TEXT[usage.limitedBy]}).`,
        severity: usage.percent >= options.errorPercent ? 'error' : 'warning',
        evidence: {
          type: column.type,
          sequence: `${sequence.schema}.${sequence.name}`,
          sequenceType: sequence.dataType,
          lastValue: sequence.lastValue,
          limit: usage.limit,
          limitedBy: usage.limitedBy,
          percentUsed: round(usage.percent),
          cycle: sequence.cycle,
          referencedBy: referencedBy.map((r) => columnLabel(r)),
          ...(blocker ? { noFix: blocker } : {}),
        },
        fix: blocker ? null : columnFix(index, column, sequence, usage, referencedBy),
      });
    }
    for (const sequence of snapshot.sequences) {
      if (fed.has(sequence) || sequence.ownedBy || sequence.dataType === 'bigint') continue;
      const usage = usageOf(sequence);
      if (!usage || usage.percent < options.warnPercent) continue;
      report({
        object: { type: 'sequence', schema: sequence.schema, name: sequence.name },
        message: `Sequence ${sequence.schema}.${sequence.name} (${sequence.dataType}) has used ${usage.percent.toFixed(1)}% of its range: it is at ${sequence.lastValue} of ${usage.limit}.`,
        severity: usage.percent >= options.errorPercent ? 'error' : 'warning',
        evidence: {
          sequenceType: sequence.dataType,
          lastValue: sequence.lastValue,
          limit: usage.limit,
          limitedBy: usage.limitedBy,
          percentUsed: round(usage.percent),
          cycle: sequence.cycle,
        },
        fix: sequenceFix(sequence, usage),
      });
    }
  },
});

const LIMIT_TEXT: Record<Usage['limitedBy'], string> = {
  'column type': "the column type's limit",
  'sequence type': "the sequence type's limit",
  'sequence bound': "the sequence's own MAXVALUE or MINVALUE",
};

interface Usage {
  percent: number;
  /** The value at which the sequence or the column runs out. */
  limit: number;
  /** What sets that limit: the column's type, the sequence's type, or a bound set on the sequence. */
  limitedBy: 'column type' | 'sequence type' | 'sequence bound';
}

/**
 * How far the sequence has gone towards the end it moves to: its own bound, or the column type's
 * when that is tighter (an integer column fed by a bigint sequence).
 */
function usageOf(sequence: Sequence, columnRange?: { min: number; max: number }): Usage | null {
  if (sequence.lastValue === null) return null;
  const ascending = sequence.increment > 0;
  const own = ascending ? sequence.maxValue : sequence.minValue;
  const column = columnRange ? (ascending ? columnRange.max : columnRange.min) : own;
  const sequenceRange = TYPE_RANGE[SEQUENCE_TYPE[sequence.dataType] ?? ''];
  const ownIsTighter = ascending ? own <= column : own >= column;
  const limit = ownIsTighter ? own : column;
  const limitedBy = !ownIsTighter
    ? 'column type'
    : sequenceRange && own === (ascending ? sequenceRange.max : sequenceRange.min)
      ? 'sequence type'
      : 'sequence bound';
  const percent = Math.sign(sequence.lastValue) === Math.sign(limit) ? (sequence.lastValue / limit) * 100 : 0;
  return { percent, limit, limitedBy };
}

function columnFix(index: SnapshotIndex, column: Column, sequence: Sequence, usage: Usage, referencedBy: ReferencingColumn[]): Fix | null {
  const widenColumn = column.typeName !== 'int8';
  const statements: string[] = [];
  if (widenColumn) statements.push(alterToBigint(column));
  const sequenceChange = alterSequence(sequence, usage);
  if (sequenceChange) statements.push(sequenceChange);
  for (const r of referencedBy) {
    const referencing = index.column(r.schema, r.table, r.name);
    if (referencing) statements.push(alterToBigint(referencing));
  }
  if (statements.length === 0) return null;
  const notes = [
    widenColumn
      ? `ALTER COLUMN ... TYPE bigint ${REWRITE_NOTE} On a large table, plan it (or add a bigint column, backfill it in batches and swap).`
      : 'changes only the sequence (no table lock).',
    referencedBy.length ? `Widened with it, since they hold its values: ${referencedBy.map((r) => columnLabel(r)).join(', ')}.` : null,
    boundNote(usage),
  ];
  return { sql: statements.join('\n'), safeOnline: !widenColumn, note: notes.filter((n) => n !== null).join(' ') };
}

function sequenceFix(sequence: Sequence, usage: Usage): Fix | null {
  const sql = alterSequence(sequence, usage);
  const notes = ['changes only the sequence (no table lock). No column default uses it: columns that store its values must be bigint as well.', boundNote(usage)];
  return sql ? { sql, safeOnline: true, note: notes.filter((n) => n !== null).join(' ') } : null;
}

/** `ALTER SEQUENCE ... AS bigint` (and without the explicit bound that is running out), or null when nothing to change. */
function alterSequence(sequence: Sequence, usage: Usage): string | null {
  const changes: string[] = [];
  if (sequence.dataType !== 'bigint') changes.push('AS bigint');
  if (usage.limitedBy === 'sequence bound') changes.push(sequence.increment > 0 ? 'NO MAXVALUE' : 'NO MINVALUE');
  return changes.length ? `ALTER SEQUENCE ${qualifiedName(sequence.schema, sequence.name)} ${changes.join(' ')};` : null;
}

function alterToBigint(column: Column): string {
  return `ALTER TABLE ${qualifiedName(column.schema, column.table)} ALTER COLUMN ${quoteIdent(column.name)} TYPE bigint;`;
}

function boundNote(usage: Usage): string | null {
  return usage.limitedBy === 'sequence bound' ? 'The sequence has an explicit MAXVALUE (or MINVALUE), which the fix removes: keep a higher one instead if it was deliberate.' : null;
}

function round(percent: number): number {
  return Math.round(percent * 10) / 10;
}
