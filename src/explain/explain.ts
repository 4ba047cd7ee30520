/**
 * `pgarchitect explain` as a library: run a statement on a server (EXPLAIN ANALYZE in a rolled-back
 * transaction) or read a captured plan, derive the metrics, run the plan diagnoses, and cost their
 * index proposals with hypopg when the server has it.
 */
import { summarize } from '../engine/findings.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../config/config.js';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import type { Finding } from '../finding.js';
import { analysePlan, planNodes } from '../plan/analyse.js';
import { parsePlan, readPlanFile, type PlanFormat } from '../plan/parse-plan.js';
import type { ExplainOutput } from '../plan/types.js';
import { formatCount } from '../rules/plan/lib/plan-facts.js';
import { planRules } from '../rules/plan/index.js';
import type { AnyPlanRule, IndexSuggestion, PlanRelation } from '../rules/plan-rule.js';
import { VERSION } from '../version.js';
import { readPlanRelations, relationsFromSnapshot } from './plan-relations.js';
import { EXPLAIN_RESULT_SCHEMA_VERSION, type ExplainResult } from './result.js';
import { runPlanRules } from './run-plan-rules.js';
import { explainableStatement, runExplain, type ExplainableStatement } from './run-explain.js';
import { verifyIndexes, type IndexVerification } from './verify-index.js';

export interface ExplainRulesOptions {
  config?: Config;
  /** Run only these diagnoses. */
  only?: readonly string[];
  /** Fingerprints of findings to leave out. */
  baseline?: ReadonlySet<string>;
  rules?: readonly AnyPlanRule[];
}

export interface ExplainQueryOptions extends ExplainRulesOptions {
  /** Where to connect; DATABASE_URL or the PG* variables when absent. Timeouts bound the session. */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** Execute the statement (rolled back) for actual figures; default true. */
  analyze?: boolean;
  /** Settings for this statement only (SET LOCAL), e.g. `{ work_mem: '64MB' }`. */
  settings?: Readonly<Record<string, string>>;
  /** The query's name in messages: its file, or `query`. */
  origin?: string;
  /** Cost index proposals with hypopg when the server has it; default true. */
  verify?: boolean;
}

export interface ExplainPlanOptions extends ExplainRulesOptions {
  /** The plan's name in messages (its file). */
  origin?: string;
  /** A snapshot of the database the plan ran on, for the diagnoses that need its tables. */
  snapshot?: CatalogSnapshot | null;
  /**
   * Or the database itself, read (read-only, one query) for the tables of the plan. The captured
   * plan is not run again.
   */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
}

/**
 * Explains one statement on a live server. With `analyze` (the default) the session is read-write and
 * the statement runs inside BEGIN ... ROLLBACK; with `analyze: false` it is only planned, read-only.
 */
export async function explainQuery(sql: string, options: ExplainQueryOptions = {}): Promise<ExplainResult> {
  const statement = await explainableStatement(sql, options.origin ?? 'query');
  const analyze = options.analyze ?? true;
  const env = options.env ?? process.env;
  const connection = options.connection ?? {};
  const db = await LiveDb.connect({ ...connection, env, readOnly: !analyze });
  try {
    const result = await explainStatementOn(db, statement, { ...options, analyze });
    result.source.description = `${statement.origin} on ${describeConnection(connection, env)}`;
    return result;
  } finally {
    await db.close();
  }
}

/**
 * Explains a statement on a database session the caller holds. For `analyze` the session must accept
 * writes (the statement runs and is rolled back).
 */
export async function explainStatementOn(db: Db, statement: ExplainableStatement, options: Omit<ExplainQueryOptions, 'connection' | 'env'> = {}): Promise<ExplainResult> {
  const analyze = options.analyze ?? true;
  const explain = await runExplain(db, statement, { analyze, settings: options.settings });
  const server = await serverVersion(db);
  const relations = await readPlanRelations(db, planNodes(explain));
  const { result, proposals } = await diagnose(explain, relations, server.versionNum, options, {
    kind: 'query',
    description: statement.origin,
    planFormat: 'json',
    serverVersion: server.version,
    serverVersionNum: server.versionNum,
  });
  result.query = statement.text;
  result.analyzed = analyze;
  result.settings = { ...(options.settings ?? {}) };
  const verifications = options.verify === false ? new Map<string, IndexVerification>() : await verifyIndexes(db, statement, proposals, options.settings);
  applyVerifications(result.findings, proposals, verifications, options.verify === false ? 'verification was turned off' : 'hypopg gave no answer');
  return result;
}

/** Diagnoses a plan given as text (JSON or the text format). */
export async function explainPlanText(text: string, options: ExplainPlanOptions = {}): Promise<ExplainResult> {
  const origin = options.origin ?? 'plan';
  const { explain, format } = parsePlan(text, origin);
  return explainParsedPlan(explain, format, origin, options);
}

/** Diagnoses a plan file (JSON or the text format). */
export async function explainPlanFile(path: string, options: ExplainPlanOptions = {}): Promise<ExplainResult> {
  const origin = options.origin ?? path;
  const { explain, format } = readPlanFile(path, origin);
  return explainParsedPlan(explain, format, origin, options);
}

async function explainParsedPlan(explain: ExplainOutput, format: PlanFormat, origin: string, options: ExplainPlanOptions): Promise<ExplainResult> {
  const nodes = planNodes(explain);
  let relations: PlanRelation[] | null = null;
  let server: { version: string; versionNum: number } | null = options.snapshot?.server ?? null;
  if (options.connection) {
    const db = await LiveDb.connect({ ...options.connection, env: options.env ?? process.env });
    try {
      relations = await readPlanRelations(db, nodes);
      server = await serverVersion(db);
    } finally {
      await db.close();
    }
  } else if (options.snapshot) {
    relations = relationsFromSnapshot(options.snapshot, nodes);
  }
  const { result, proposals } = await diagnose(explain, relations, server?.versionNum ?? null, options, {
    kind: 'plan',
    description: origin,
    planFormat: format,
    serverVersion: server?.version ?? null,
    serverVersionNum: server?.versionNum ?? null,
  });
  applyVerifications(result.findings, proposals, new Map(), 'a captured plan has no server to cost it on (run the query with -d to have it costed with hypopg)');
  return result;
}

async function diagnose(
  explain: ExplainOutput,
  relations: PlanRelation[] | null,
  serverVersionNum: number | null,
  options: ExplainRulesOptions,
  source: ExplainResult['source'],
): Promise<{ result: ExplainResult; proposals: Map<string, IndexSuggestion> }> {
  const nodes = planNodes(explain);
  const analysis = analysePlan(explain);
  const run = await runPlanRules({ explain, nodes, analysis, relations, serverVersionNum }, options.rules ?? planRules, {
    config: options.config ?? EMPTY_CONFIG,
    only: options.only,
    baseline: options.baseline,
  });
  const notices: string[] = [];
  if (!analysis.analyzed) notices.push('estimates only: the plan has no actual figures (run without --no-analyze, or capture it with EXPLAIN (ANALYZE, BUFFERS))');
  else if (!analysis.hasBuffers) notices.push('the plan has no buffer counts: capture it with EXPLAIN (ANALYZE, BUFFERS) to see what each node read');
  const result: ExplainResult = {
    schemaVersion: EXPLAIN_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source,
    query: null,
    analyzed: analysis.analyzed,
    settings: {},
    plan: explain,
    analysis,
    findings: run.findings,
    skipped: run.skipped,
    notices,
    summary: summarize(run.findings, { rulesRun: run.rulesRun, rulesSkipped: run.skipped.length, suppressed: run.suppressed }),
  };
  return { result, proposals: run.suggestions };
}

async function serverVersion(db: Db): Promise<{ version: string; versionNum: number }> {
  const [row] = await db.query<{ version: string; num: string }>("SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num");
  return { version: row!.version, versionNum: Number(row!.num) };
}

/**
 * Adds each index proposal's verification to its finding. A proposal the planner would not use is
 * withdrawn (the finding stays, without the index); one that could not be costed says so.
 */
function applyVerifications(
  findings: Finding[],
  proposals: ReadonlyMap<string, IndexSuggestion>,
  verifications: ReadonlyMap<string, IndexVerification>,
  fallbackReason: string,
): void {
  for (const finding of findings) {
    if (!proposals.has(finding.fingerprint) || !finding.fix) continue;
    const verification = verifications.get(finding.fingerprint) ?? { status: 'unverified', reason: fallbackReason };
    finding.evidence.verification = verification;
    if (verification.status === 'unverified') {
      finding.fix = { ...finding.fix, note: `Unverified: ${verification.reason}. ${finding.fix.note ?? ''}`.trim() };
      continue;
    }
    const before = formatCount(verification.costBefore);
    const after = formatCount(verification.costAfter);
    if (verification.indexUsed && verification.costAfter < verification.costBefore) {
      finding.message += ` Costed with hypopg: estimated cost ${before} → ${after}.`;
      finding.fix = { ...finding.fix, note: `Verified with hypopg: the planner uses the index and the estimated cost drops from ${before} to ${after}. ${finding.fix.note ?? ''}`.trim() };
    } else {
      finding.message += ` Costed with hypopg, the planner would not use such an index (estimated cost ${before}, ${after} with it), so none is proposed.`;
      finding.fix = null;
    }
  }
}
