/** The query lint rules (`pgarchitect lint`), sorted by id. */
import type { AnyQueryRule } from '../query-rule.js';
import countForExistence from './count-for-existence.js';
import deleteWithoutWhere from './delete-without-where.js';
import distinctHidesJoinFanout from './distinct-hides-join-fanout.js';
import equalsNull from './equals-null.js';
import functionOnIndexedColumn from './function-on-indexed-column.js';
import implicitCrossJoin from './implicit-cross-join.js';
import leadingWildcardLike from './leading-wildcard-like.js';
import nonSargableDateExpression from './non-sargable-date-expression.js';
import notInSubquery from './not-in-subquery.js';
import offsetPagination from './offset-pagination.js';
import orAcrossColumns from './or-across-columns.js';
import orderByRandom from './order-by-random.js';
import selectStar from './select-star.js';
import unionWithoutAll from './union-without-all.js';
import updateWithoutWhere from './update-without-where.js';

export const queryRules: readonly AnyQueryRule[] = [
  countForExistence,
  deleteWithoutWhere,
  distinctHidesJoinFanout,
  equalsNull,
  functionOnIndexedColumn,
  implicitCrossJoin,
  leadingWildcardLike,
  nonSargableDateExpression,
  notInSubquery,
  offsetPagination,
  orAcrossColumns,
  orderByRandom,
  selectStar,
  unionWithoutAll,
  updateWithoutWhere,
];
