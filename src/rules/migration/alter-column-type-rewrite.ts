import type { Node } from 'libpg-query';
import type { Fix, Severity } from '../../finding.js';
import { quoteIdent } from '../../sql/quote.js';
import { cmdLocation, columnDefOf, statementLock, tableCmds } from './lib/alter-table.js';
import { catalogType, declaredType, formatType, mayBeSafeTarget, typeChange, type TypeChange } from './lib/column-types.js';
import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule, sessionIsUtc } from './lib/migration-rule.js';
import { defaultName, relationSql } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

const SHADOW_COLUMN =
  'Add a column of the new type instead, fill it in batches while a trigger keeps it current, then swap the two in one short transaction.';

/**
 * ALTER COLUMN ... TYPE rewrites the whole table and rebuilds its indexes under ACCESS EXCLUSIVE,
 * unless the new type stores the same bytes and its modifier only widens the old one: varchar(n) to a
 * larger n, to varchar or to text; numeric(p,s) to a larger p with the same s, or to numeric;
 * timestamp, time and interval to a larger precision; varbit likewise; cidr to inet. timestamp to
 * timestamptz (and back) skips the rewrite only when the session's TimeZone is UTC.
 */
export default defineMigrationRule({
  meta: {
    id: 'alter-column-type-rewrite',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'ALTER COLUMN ... TYPE that rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (any change but the safe widenings).',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  tracks: ['tables', 'settings'],
  visitors: {
    AlterTableStmt(stmt, { statement, schema, options, report }, file) {
      const cmds = tableCmds(stmt);
      if (cmds.length === 0) return;
      const target = targetOf(stmt.relation!, schema, file);
      if (target.createdInFile) return;
      const lock = statementLock(stmt);
      const relation = relationSql(stmt.relation!, true);
      for (const cmd of cmds) {
        const definition = cmd.subtype === 'AT_AlterColumnType' ? columnDefOf(cmd) : undefined;
        if (!definition || !cmd.name) continue;
        const column = cmd.name;
        const to = declaredType(definition.typeName);
        const known = schema && target.table ? schema.columnOf(target.table, column) : undefined;
        const from = known ? catalogType(known) : null;
        const using = definition.raw_default;
        const change: TypeChange | null = from ? (trivialUsing(using, column) ? typeChange(from, to) : { kind: 'rewrite' }) : null;
        if (change?.kind === 'safe' || (change?.kind === 'utc-only' && sessionIsUtc(file))) continue;
        const subject = `ALTER COLUMN ${column} TYPE ${formatType(to)} on ${target.label}`;
        const rewrite = `the table and its indexes are rewritten under an ${lock} lock, which blocks ${blocks(lock)} until it ends${estimateClause(target, 'rewrite')}`;
        let message: string;
        let fix: Fix | null = null;
        let severity: Severity | undefined = severityForSize(target.size, options);
        if (!change) {
          if (!trivialUsing(using, column) || !mayBeSafeTarget(to)) message = `${subject} rewrites it: ${rewrite}. ${SHADOW_COLUMN}`;
          else {
            message = `${subject} rewrites it unless it only widens the old type (varchar(n) to a larger n or text, numeric(p,s) to a larger p with the same s, more precision for timestamp, time or interval, cidr to inet; timestamp to timestamptz only when the session's TimeZone is UTC): give the schema (--db) to know. If it rewrites, ${rewrite}.`;
            severity = 'info';
          }
        } else if (change.kind === 'utc-only') {
          message = `${subject} rewrites it unless the session's TimeZone is UTC (PostgreSQL 12 and later, which then reads the values as UTC and leaves them as they are): ${rewrite}. Set the time zone to UTC first when the stored values are UTC.`;
          fix = {
            sql: `SET timezone = 'UTC';\n${statement.source.rewrite([])}`,
            safeOnline: false,
            note: `Right only when the stored values are UTC times: with TimeZone UTC they are read as UTC (otherwise as the session's zone, which changes what they mean). The table is not rewritten, but indexes on ${column} are still rebuilt under the ACCESS EXCLUSIVE lock.`,
          };
        } else if (change.kind === 'narrowing' && from) {
          message = `${subject} shortens ${formatType(from)} to ${formatType(to)}, which checks every value and rewrites the table: ${rewrite}. A CHECK (char_length(${column}) <= ${change.length}) added NOT VALID and validated limits the length without either.`;
          const check = quoteIdent(defaultName(stmt.relation!.relname ?? '', [column], 'length_check'));
          fix =
            cmds.length === 1
              ? {
                  sql: [
                    `ALTER TABLE ${relation} ADD CONSTRAINT ${check} CHECK (char_length(${quoteIdent(column)}) <= ${change.length}) NOT VALID;`,
                    `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${check};`,
                  ].join('\n'),
                  safeOnline: true,
                  note: `The column keeps its type ${formatType(from)}; the CHECK holds new rows to ${change.length} characters at once and VALIDATE checks the old ones with reads and writes going on.`,
                }
              : null;
        } else {
          message = `${subject} changes ${from ? formatType(from) : 'its type'} to ${formatType(to)}${trivialUsing(using, column) ? '' : ' with a USING expression'}, which rewrites it: ${rewrite}. ${SHADOW_COLUMN}`;
        }
        report({
          message,
          evidence: { table: target.label, column, from: from ? formatType(from) : null, to: formatType(to), ...lockEvidence(lock), rewrite: change?.kind === 'utc-only' ? 'unless TimeZone is UTC' : change ? true : 'unknown', ...sizeEvidence(target, 'rewrite') },
          severity,
          fix,
          location: cmdLocation(statement.source, stmt.relation!, cmd),
          key: column,
          object: { type: 'column', ...(target.object.schema ? { schema: target.object.schema } : {}), table: target.object.name, name: column, column },
        });
      }
    },
  },
});

/** No USING, or USING the bare column or a plain cast of it: the conversion is the type's own. */
function trivialUsing(using: Node | undefined, column: string): boolean {
  if (!using) return true;
  const cast = (using as { TypeCast?: { arg?: Node } }).TypeCast;
  const ref = ((cast ? cast.arg : using) as { ColumnRef?: { fields?: Node[] } } | undefined)?.ColumnRef;
  const fields = ref?.fields ?? [];
  return fields.length === 1 && (fields[0] as { String?: { sval?: string } }).String?.sval === column;
}
