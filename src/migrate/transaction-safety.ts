/**
 * Which statements cannot run inside a transaction block, read from their parse trees (the real
 * parser, never a regular expression over the text). A migration holding one runs statement by
 * statement instead of in one transaction.
 */

/** Why a statement must run outside a transaction block, or null when it may run inside one. */
export function nonTransactionalReason(node: Record<string, unknown>, serverVersionNum: number): string | null {
  const [type, body] = (Object.entries(node)[0] ?? ['', {}]) as [string, Record<string, unknown>];
  switch (type) {
    case 'IndexStmt':
      return body.concurrent ? 'CREATE INDEX CONCURRENTLY' : null;
    case 'DropStmt':
      return body.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'ReindexStmt': {
      if (hasOption(body.params, 'concurrently')) return 'REINDEX CONCURRENTLY';
      const kind = String(body.kind ?? '');
      if (kind === 'REINDEX_OBJECT_SCHEMA' || kind === 'REINDEX_OBJECT_DATABASE' || kind === 'REINDEX_OBJECT_SYSTEM') return `REINDEX ${kind.slice('REINDEX_OBJECT_'.length)}`;
      return null;
    }
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : null;
    case 'ClusterStmt':
      // CLUSTER of one table may run in a transaction; of the whole database it may not.
      return body.relation ? null : 'CLUSTER without a table';
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterDatabaseStmt':
      return hasOption(body.options, 'tablespace') ? 'ALTER DATABASE … SET TABLESPACE' : null;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreateSubscriptionStmt':
      return ['false', 'off', '0', 'no'].includes(optionValue(body.options, 'create_slot') ?? '') ? null : 'CREATE SUBSCRIPTION (creates a replication slot)';
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION';
    case 'AlterEnumStmt':
      // Before PostgreSQL 12, ALTER TYPE … ADD VALUE refused a transaction block.
      return body.newVal !== undefined && !body.oldVal && serverVersionNum < 120000 ? 'ALTER TYPE … ADD VALUE (before PostgreSQL 12)' : null;
    case 'AlterTableStmt': {
      const cmds = (body.cmds ?? []) as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }[];
      return cmds.some((c) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent) ? 'DETACH PARTITION CONCURRENTLY' : null;
    }
    default:
      return null;
  }
}

/**
 * A CONCURRENTLY build or drop: it waits for other transactions but never blocks reads or writes of
 * the table while it waits, so it runs without lock_timeout (a timeout in its later phases would
 * leave an INVALID index behind).
 */
export function isConcurrentOperation(node: Record<string, unknown>): boolean {
  const reason = nonTransactionalReason(node, Number.MAX_SAFE_INTEGER);
  return reason !== null && reason.includes('CONCURRENTLY');
}

/** The kind of a transaction-control statement (`BEGIN`, `COMMIT`, `SAVEPOINT`...), or null. */
export function transactionControlKind(node: Record<string, unknown>): string | null {
  const body = node.TransactionStmt as { kind?: string } | undefined;
  if (!body) return null;
  return String(body.kind ?? '').replace(/^TRANS_STMT_/, '');
}

function hasOption(list: unknown, name: string): boolean {
  return Array.isArray(list) && list.some((o: { DefElem?: { defname?: string } }) => o?.DefElem?.defname === name);
}

function optionValue(list: unknown, name: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const o of list as { DefElem?: { defname?: string; arg?: Record<string, { sval?: string; boolval?: boolean }> } }[]) {
    if (o?.DefElem?.defname !== name) continue;
    const arg = o.DefElem.arg;
    if (!arg) return 'true';
    if (arg.String?.sval !== undefined) return arg.String.sval.toLowerCase();
    if (arg.Boolean) return arg.Boolean.boolval ? 'true' : 'false';
    return undefined;
  }
  return undefined;
}
