import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's prefer-jsonb, on the columns a migration declares: `json` keeps the input text and
 * re-parses it on every access, and has no equality operator or GIN operator class; jsonb is parsed
 * once, comparable and indexable.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-json',
    category: 'types',
    defaultSeverity: 'info',
    description: 'A migration declares a json column instead of jsonb (the review\'s prefer-jsonb).',
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    if (column.typeName !== 'json') return null;
    return {
      message: `Column ${column.label} is declared json, which is re-parsed on every access and cannot be compared or GIN-indexed. Declare it jsonb.`,
      evidence: {},
      type: 'jsonb',
      note: 'jsonb does not keep key order, whitespace or duplicate keys (the last one wins): keep json only if clients depend on the exact text.',
    };
  },
});
