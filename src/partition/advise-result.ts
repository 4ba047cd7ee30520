/** What `partition advise` says about each table examined. Part of the JSON contract. */

export const ADVISE_RESULT_SCHEMA_VERSION = 1;

/** Something to change before (or while) converting, named by its object, with the fix where there is one. */
export interface PartitionBlocker {
  kind: 'unique-without-key' | 'foreign-key-in' | 'nullable-key' | 'exclusion-constraint';
  /** `schema.table.constraint` or `schema.table.column`. */
  object: string;
  message: string;
  fix: string | null;
}

export interface PartitionAdvice {
  table: string;
  /** `recommended`: most of the workload on the table would be pruned; `consider`: some, or retention by time; `not-recommended`: the workload would scan every partition. */
  verdict: 'recommended' | 'consider' | 'not-recommended' | 'already-partitioned';
  /** One sentence naming the table, what to do and why. */
  message: string;
  key: string | null;
  strategy: 'range' | 'hash' | null;
  /** For range: day, week, month, quarter or year. */
  interval: string | null;
  /** Share (0..1) of the table's statement time whose statements restrict the key; null without a workload. */
  pruningShare: number | null;
  blockers: PartitionBlocker[];
  /** The figures behind it: sizes, rates, the data's span, each candidate key's share. */
  evidence: Record<string, unknown>;
  /** The `partition convert` command line that writes the migration (no password). */
  command: string | null;
}

export interface AdviseResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: { description: string; serverVersionNum: number; takenAt: string };
  thresholds: { minBytes: number; minGrowthBytesPerMonth: number; targetPartitionBytes: number };
  workload: { description: string; statements: number } | null;
  tablesExamined: number;
  advice: PartitionAdvice[];
  notes: string[];
}
