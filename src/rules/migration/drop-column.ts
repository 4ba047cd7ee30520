import { cmdLocation, tableCmds } from './lib/alter-table.js';
import { lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { targetOf } from './lib/tables.js';

/**
 * Dropping a column loses its data, and the code still running while the migration deploys breaks
 * where it names the column (INSERTs that list it, SELECTs that read it). The column must be out of
 * the code, deployed, before it is dropped.
 */
export default defineMigrationRule({
  meta: {
    id: 'drop-column',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A column of an existing table is dropped, which loses its data and breaks the code still running that names it.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    AlterTableStmt(stmt, { statement, schema, report }, file) {
      const cmds = tableCmds(stmt);
      if (cmds.length === 0) return;
      const target = targetOf(stmt.relation!, schema, file);
      if (target.createdInFile) return;
      for (const cmd of cmds) {
        if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) continue;
        const column = cmd.name;
        report({
          message: `DROP COLUMN ${column} on ${target.label} deletes its data and breaks the code that is running while the migration deploys where it names ${column}${cmd.behavior === 'DROP_CASCADE' ? '; CASCADE also drops the views, indexes and constraints that use it' : ''}. Remove the column from the code and deploy that first, keep a copy of the data if it may be needed, then drop it. It takes a brief ACCESS EXCLUSIVE lock (no rewrite).`,
          evidence: { table: target.label, column, cascade: cmd.behavior === 'DROP_CASCADE', ...lockEvidence('ACCESS EXCLUSIVE') },
          fix: null,
          location: cmdLocation(statement.source, stmt.relation!, cmd),
          key: column,
          object: { type: 'column', ...(target.object.schema ? { schema: target.object.schema } : {}), table: target.object.name, name: column, column },
        });
      }
    },
  },
});
