/**
 * The review: a snapshot from any source, every rule over it, one result. This is the library's main
 * entry point; the CLI's `review` command is a thin layer over it.
 */
import { summarize } from './engine/findings.js';
import type { CatalogSnapshot } from './catalog/types.js';
import { EMPTY_CONFIG, type Config } from './config/config.js';
import { runRules } from './engine/run-rules.js';
import { severityRank, type Severity } from './finding.js';
import { RESULT_SCHEMA_VERSION, type LoadError, type Notice, type ReviewResult } from './result.js';
import { allRules } from './rules/index.js';
import type { AnyRule } from './rules/rule.js';
import { resolveSource, snapshotFromSource, type ConnectionLimits, type SourceSpec } from './source.js';
import { VERSION } from './version.js';

export interface ReviewOptions extends ConnectionLimits {
  config?: Config;
  /** Fingerprints of findings to leave out (a previous run's JSON, see `readBaseline`). */
  baseline?: ReadonlySet<string>;
  /** Run only these rules. */
  only?: readonly string[];
  rules?: readonly AnyRule[];
}

/** Reviews files, folders, a snapshot file or a live server (see `resolveSource` for the inputs). */
export async function review(inputs: readonly string[] | SourceSpec, options: ReviewOptions = {}): Promise<ReviewResult> {
  const spec = Array.isArray(inputs) ? resolveSource(inputs) : (inputs as SourceSpec);
  const loaded = await snapshotFromSource(spec, options);
  return reviewSnapshot(loaded.snapshot, options, {
    sourceKind: loaded.sourceKind,
    errors: loaded.errors,
    notices: loaded.notices,
    partial: loaded.partial,
  });
}

/** Reviews a snapshot already in hand (pure: no I/O). */
export async function reviewSnapshot(
  snapshot: CatalogSnapshot,
  options: ReviewOptions = {},
  load: { sourceKind?: 'live' | 'files' | 'snapshot'; errors?: LoadError[]; notices?: Notice[]; partial?: boolean } = {},
): Promise<ReviewResult> {
  const rules = options.rules ?? allRules;
  const run = await runRules(snapshot, rules, { config: options.config ?? EMPTY_CONFIG, baseline: options.baseline, only: options.only });
  const notices = [...(load.notices ?? []), ...unknownIgnoreDirectives(snapshot, rules)];
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: {
      kind: load.sourceKind ?? snapshot.source.kind,
      description: snapshot.source.description,
      database: snapshot.source.database,
      serverVersion: snapshot.server.version,
      serverVersionNum: snapshot.server.versionNum,
    },
    partial: load.partial ?? false,
    summary: summarize(run.findings, { rulesRun: run.rulesRun, rulesSkipped: run.skipped.length, suppressed: run.suppressed }),
    findings: run.findings,
    skipped: run.skipped,
    errors: load.errors ?? [],
    notices,
  };
}

/** True when some finding is at or above `failOn`. */
export function hasFindingsAtOrAbove(result: ReviewResult, failOn: Severity): boolean {
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}

function unknownIgnoreDirectives(snapshot: CatalogSnapshot, rules: readonly AnyRule[]): Notice[] {
  const known = new Set(rules.map((r) => r.meta.id));
  const unknown = new Set<string>();
  for (const ids of Object.values(snapshot.source.ignores ?? {})) for (const id of ids) if (id !== '*' && !known.has(id)) unknown.add(id);
  return [...unknown].sort().map((id) => ({ kind: 'ignored-directive' as const, message: `-- pgarchitect-ignore names unknown rule "${id}"` }));
}
