import { cmdLocation, tableCmds } from './lib/alter-table.js';
import { lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { targetOf } from './lib/tables.js';

/**
 * ALTER TABLE ... DISABLE TRIGGER turns triggers off for every session, not just the migration's,
 * until they are enabled again. DISABLE TRIGGER ALL includes the internal triggers that enforce
 * foreign keys: rows written meanwhile are not checked, and the violations stay.
 */
export default defineMigrationRule({
  meta: {
    id: 'disable-triggers',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: "ALTER TABLE ... DISABLE TRIGGER, which turns triggers off for every session (ALL: foreign key enforcement too).",
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
        const which = cmd.subtype === 'AT_DisableTrigAll' ? 'ALL' : cmd.subtype === 'AT_DisableTrigUser' ? 'USER' : cmd.subtype === 'AT_DisableTrig' ? cmd.name : undefined;
        if (!which) continue;
        const all = which === 'ALL';
        report({
          message: all
            ? `DISABLE TRIGGER ALL on ${target.label} turns off every trigger of the table for every session, including the internal ones that enforce foreign keys: until ENABLE TRIGGER ALL, rows written to it (or to the tables it references) are not checked against its foreign keys, and the violations stay. Disable only the triggers you mean, by name, and enable them again in the same transaction.`
            : `DISABLE TRIGGER ${which} on ${target.label} turns ${which === 'USER' ? 'its user triggers' : `trigger ${which}`} off for every session, not only this migration's: what ${which === 'USER' ? 'they do' : 'it does'} (auditing, derived values, checks) is skipped for every write until it is enabled again. Enable it again in the same transaction.`,
          evidence: { table: target.label, triggers: which, foreignKeysUnenforced: all, ...lockEvidence('SHARE ROW EXCLUSIVE') },
          severity: all ? 'error' : undefined,
          fix: null,
          location: cmdLocation(statement.source, stmt.relation!, cmd),
          key: which,
          object: target.object,
        });
      }
    },
  },
});
