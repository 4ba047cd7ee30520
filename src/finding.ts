/**
 * The one finding shape every rule produces and every reporter reads. Part of the JSON contract
 * (see docs/json-output.md): add fields, never rename or remove them without bumping `schemaVersion`.
 */
import { createHash } from 'node:crypto';
import type { SourceLocation } from './catalog/types.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Higher is worse; used for sorting and for `--fail-on`. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 3 : severity === 'warning' ? 2 : 1;
}

export type Category =
  | 'keys'
  | 'integrity'
  | 'indexes'
  | 'types'
  | 'modelling'
  | 'naming'
  | 'security'
  | 'statistics'
  | 'partitioning'
  | 'query'
  | 'plan'
  /** Migration safety (`pgarchitect lint` on migrations): locks, rewrites, changes that break running code. */
  | 'migrations'
  /** Health checks (`pgarchitect health`): how the running server is kept. */
  | 'vacuum'
  | 'wraparound'
  | 'bloat'
  | 'resources'
  | 'connections'
  | 'replication'
  | 'archiving'
  | 'observability';

export const CATEGORY_NAMES: readonly Category[] = [
  'keys',
  'integrity',
  'indexes',
  'types',
  'modelling',
  'naming',
  'security',
  'statistics',
  'partitioning',
  'query',
  'plan',
  'migrations',
  'vacuum',
  'wraparound',
  'bloat',
  'resources',
  'connections',
  'replication',
  'archiving',
  'observability',
];

export type ObjectType =
  | 'database'
  | 'schema'
  | 'table'
  | 'partitioned table'
  | 'column'
  | 'index'
  | 'constraint'
  | 'sequence'
  | 'view'
  | 'materialized view'
  | 'function'
  | 'trigger'
  | 'role'
  | 'extension'
  /** A SQL statement (lint): `name` is a short label, the location says where it is. */
  | 'query'
  /** A node of a query plan (explain): `name` is the node's label, e.g. `Seq Scan on orders`. */
  | 'plan node'
  /** The server as a whole (health): `name` is the database connected to. */
  | 'server'
  /** A backend of pg_stat_activity (health): `name` is `pid <n>`, so its fingerprint lasts as long as the session. */
  | 'session'
  /** A standby streaming from the server (health): `name` is its application_name, else its address. */
  | 'standby'
  | 'replication slot';

/** What a finding is about. `name` is the object's own name (for a column: the column name). */
export interface ObjectRef {
  type: ObjectType;
  schema?: string;
  table?: string;
  name: string;
  column?: string;
}

export interface Fix {
  /** One or more complete SQL statements, each ending with `;`. */
  sql: string;
  /** True when the statements take no lock that blocks normal reads and writes for long. */
  safeOnline: boolean;
  /** What the fix does not do, or a decision the user must make first. */
  note?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  category: Category;
  object: ObjectRef;
  message: string;
  /** The figures and facts that justify the finding; JSON values only. */
  evidence: Record<string, unknown>;
  fix: Fix | null;
  /** Stable across runs: derived from the rule id, the object's identity and the rule's own key. */
  fingerprint: string;
  /** Where the object was defined, when the source was SQL files. */
  location?: SourceLocation;
}

/** A quoted-where-needed dotted name for messages: `public.orders`, `public."Order".id`. */
export function describeObject(object: ObjectRef): string {
  const parts: string[] = [];
  if (object.schema) parts.push(object.schema);
  if (object.table && object.type !== 'table' && object.type !== 'partitioned table') parts.push(object.table);
  parts.push(object.name);
  return parts.join('.');
}

/**
 * Fingerprint: a hash of what identifies the problem, never of OIDs, sizes or times, so a finding
 * keeps its fingerprint across runs and servers (baselines and suppressions depend on it).
 */
export function fingerprintOf(rule: string, object: ObjectRef, key: string | undefined): string {
  const identity = [rule, object.type, object.schema ?? '', object.table ?? '', object.name, object.column ?? '', key ?? ''];
  return createHash('sha256').update(identity.join('\u0000')).digest('hex').slice(0, 16);
}
