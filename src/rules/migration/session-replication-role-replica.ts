import type { A_Const, FuncCall, Node, ResTarget } from 'libpg-query';
import { defineMigrationRule } from './lib/migration-rule.js';

/**
 * session_replication_role = replica is what logical replication workers use: ordinary triggers do
 * not fire, and neither do the internal ones that enforce foreign keys. A migration that sets it
 * writes rows no foreign key checks, and the violations stay.
 */
export default defineMigrationRule({
  meta: {
    id: 'session-replication-role-replica',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'SET session_replication_role = replica, which stops triggers and foreign key checks for the session.',
    fixable: false,
    defaultOptions: {},
  },
  tracks: [],
  visitors: {
    VariableSetStmt(stmt, { report }) {
      if (stmt.kind !== 'VAR_SET_VALUE' || stmt.name?.toLowerCase() !== 'session_replication_role') return;
      if (textOf(stmt.args?.[0])?.toLowerCase() !== 'replica') return;
      report(finding(stmt.location));
    },
    SelectStmt(select, { ancestors, report }) {
      if (ancestors.length > 0) return;
      for (const target of select.targetList ?? []) {
        const call = ((target as { ResTarget?: ResTarget }).ResTarget?.val as { FuncCall?: FuncCall } | undefined)?.FuncCall;
        const name = call?.funcname?.map((n) => (n as { String?: { sval?: string } }).String?.sval).pop();
        if (name === 'set_config' && textOf(call?.args?.[0]) === 'session_replication_role' && textOf(call?.args?.[1])?.toLowerCase() === 'replica') report(finding(call?.location));
      }
    },
  },
});

function finding(location: number | undefined) {
  return {
    message:
      'session_replication_role = replica stops ordinary triggers for the rest of this session, including the internal ones that enforce foreign keys: rows it writes are not checked against foreign keys, and the violations stay. Use it only for a load you check afterwards, and RESET session_replication_role right after.',
    evidence: { setting: 'session_replication_role', value: 'replica', foreignKeysUnenforced: true },
    fix: null,
    location: location !== undefined && location >= 0 ? location : undefined,
  };
}

function textOf(node: Node | undefined): string | undefined {
  return (node as { A_Const?: A_Const } | undefined)?.A_Const?.sval?.sval;
}
