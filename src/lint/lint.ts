/**
 * `lint`: finds query anti-patterns in SQL statements with the real PostgreSQL parser, no database
 * needed; given a schema, the schema-aware rules also look tables, columns and indexes up.
 *
 * Each file is parsed with one parser call and each statement's tree walked once, every rule's
 * visitors called from that one walk. All of it is synchronous after the parser has loaded: the
 * work per statement is a walk, and a fingerprint for statements that have findings.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Node } from 'libpg-query';
import { objectKeys } from '../catalog/object-key.js';
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../config/config.js';
import { completeFinding, ignoredByConfig, resolveRule, sortFindings, summarize } from '../engine/findings.js';
import { UserError } from '../errors.js';
import type { Finding, ObjectRef, Severity } from '../finding.js';
import { discoverSqlFiles } from '../load/discover.js';
import { ignoreDirectives } from '../load/load-sql-files.js';
import { RESULT_SCHEMA_VERSION, type LoadError, type Notice, type SkippedRule } from '../result.js';
import { queryRules } from '../rules/query/index.js';
import type { AnyQueryRule, LintStatement, QueryFinding, QueryRuleContext } from '../rules/query-rule.js';
import { ensureParser, fingerprintSync } from '../sql/parser.js';
import { VERSION } from '../version.js';
import { FileText } from './file-text.js';
import type { LintResult, LintSchemaInfo } from './lint-result.js';
import { parseFile, type ParsedStatement } from './parse-file.js';
import { StatementText } from './statement-source.js';
import { TreeWalker, type NodeHandler } from './walk.js';

/** SQL given as text rather than as a file. */
export interface LintSource {
  text: string;
  /** How locations name it (default `<sql>`). */
  file?: string;
}

export interface LintOptions {
  /** The schema for the schema-aware rules; without it they are listed in `skipped`. */
  schema?: CatalogSnapshot;
  config?: Config;
  /** Run only these rules (ids). */
  only?: readonly string[];
  /** Fingerprints of findings to leave out (a previous run's JSON). */
  baseline?: ReadonlySet<string>;
  /** The rules to run (default: every lint rule). */
  rules?: readonly AnyQueryRule[];
  /** Files are named relative to this folder in locations (default: the working directory). */
  cwd?: string;
}

export const NO_SCHEMA_REASON = 'needs a schema to look tables and indexes up: give one with --db (SQL files, a snapshot .json or a postgres:// URL)';

/**
 * Lints SQL files and folders (`.sql` files, found as `review` finds them), or SQL text. Reads the
 * files; everything else is synchronous (see `lintSources`).
 */
export async function lint(input: readonly string[] | LintSource | readonly LintSource[], options: LintOptions = {}): Promise<LintResult> {
  await ensureParser();
  return lintSources(toSources(input, options.cwd ?? process.cwd()), options);
}

/** Lints sources already read. Requires `ensureParser()` to have completed. */
export function lintSources(sources: readonly LintSource[], options: LintOptions = {}): LintResult {
  const engine = new LintEngine(options);
  for (const source of sources) engine.lintFile(new FileText(source.file ?? '<sql>', source.text));
  return engine.result(sources.map((s) => s.file ?? '<sql>'), schemaInfo(options.schema));
}

function toSources(input: readonly string[] | LintSource | readonly LintSource[], cwd: string): LintSource[] {
  if (!Array.isArray(input)) return [input as LintSource];
  if (input.every((i) => typeof i !== 'string')) return [...(input as readonly LintSource[])];
  const paths = input as readonly string[];
  return discoverSqlFiles(paths).files.map((path) => {
    const rel = relative(cwd, path);
    const file = rel && !rel.startsWith('..') ? rel : path;
    try {
      return { file, text: readFileSync(path, 'utf8') };
    } catch (error) {
      throw new UserError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
}

function schemaInfo(schema: CatalogSnapshot | undefined): LintSchemaInfo | null {
  if (!schema) return null;
  return {
    kind: schema.source.kind,
    description: schema.source.description,
    database: schema.source.database,
    serverVersion: schema.server.version,
    serverVersionNum: schema.server.versionNum,
  };
}

/** One rule's state for the run. */
interface ActiveRule {
  rule: AnyQueryRule;
  configuredSeverity: Severity | undefined;
  context: QueryRuleContext<object>;
  failure: string | null;
}

interface Pending {
  active: ActiveRule;
  finding: QueryFinding;
}

class LintEngine {
  private readonly config: Config;
  private readonly active: ActiveRule[] = [];
  private readonly skipped: SkippedRule[] = [];
  private readonly walker: TreeWalker;
  private readonly knownRuleIds: Set<string>;
  private readonly findings: Finding[] = [];
  private readonly errors: LoadError[] = [];
  private readonly notices: Notice[] = [];
  private readonly pending: Pending[] = [];
  private statements = 0;
  private suppressed = 0;
  /** Where the walk is, for the message of a rule that fails. */
  private currentFile: FileText | undefined;
  private currentStart = 0;

  constructor(private readonly options: LintOptions) {
    this.config = options.config ?? EMPTY_CONFIG;
    const rules = options.rules ?? queryRules;
    this.knownRuleIds = new Set(queryRules.concat(rules).map((r) => r.meta.id));
    const schema = options.schema ? new SnapshotIndex(options.schema) : undefined;
    const handlers = new Map<string, NodeHandler[]>();
    this.walker = new TreeWalker(handlers);
    for (const rule of rules) {
      const resolved = resolveRule(rule.meta, { config: this.config, only: options.only });
      if (!resolved) continue;
      const needsSchema = rule.meta.requires?.includes('schema') ?? false;
      if (needsSchema && !schema) {
        this.skipped.push({ rule: rule.meta.id, reason: NO_SCHEMA_REASON });
        continue;
      }
      const active: ActiveRule = {
        rule,
        configuredSeverity: resolved.configuredSeverity,
        failure: null,
        context: {
          statement: undefined as unknown as LintStatement,
          schema,
          options: resolved.options,
          ancestors: this.walker.ancestors,
          report: (finding) => this.pending.push({ active, finding }),
        },
      };
      this.active.push(active);
      for (const [type, visitor] of Object.entries(rule.visitors) as [string, (node: unknown, context: QueryRuleContext<object>) => void][]) {
        const handler: NodeHandler = (node) => {
          if (active.failure !== null) return;
          try {
            visitor(node, active.context);
          } catch (error) {
            active.failure = `the rule failed at ${this.currentPlace()}: ${(error as Error).message}; not run after that (please report this)`;
          }
        };
        const list = handlers.get(type);
        if (list) list.push(handler);
        else handlers.set(type, [handler]);
      }
    }
  }

  lintFile(file: FileText): void {
    this.currentFile = file;
    const parsed = parseFile(file);
    for (const error of parsed.errors) {
      this.errors.push({ ...file.location(error.offset), sqlstate: '42601', message: error.message });
    }
    const hasDirectives = file.text.includes('pgarchitect-ignore');
    for (const parsedStatement of parsed.statements) {
      this.statements++;
      this.currentStart = parsedStatement.start;
      const statement: LintStatement = {
        tree: parsedStatement.tree,
        type: parsedStatement.type,
        source: new StatementText(file, parsedStatement.start, parsedStatement.end),
      };
      for (const active of this.active) active.context.statement = statement;
      this.walker.walk(statement.tree);
      if (hasDirectives) this.checkDirectives(file, parsedStatement);
      if (this.pending.length > 0) this.completePending(file, parsedStatement, statement, hasDirectives);
    }
  }

  private currentPlace(): string {
    const { file, line, column } = this.currentFile!.location(this.currentStart);
    return `${file}:${line}:${column}`;
  }

  private completePending(file: FileText, parsed: ParsedStatement, statement: LintStatement, hasDirectives: boolean): void {
    const label = statementLabel(statement);
    const queryFingerprint = statementFingerprint(statement.source.text);
    const ignored = hasDirectives ? ignoreDirectives(file.slice(parsed.leadingStart, parsed.start)) : [];
    for (const { active, finding } of this.pending) {
      const object: ObjectRef = finding.object ?? { type: 'query', name: label };
      const key = `${queryFingerprint}\u0000${finding.key ?? ''}`;
      const completed = completeFinding(
        active.rule.meta,
        // Messages are one line, even when they quote a statement written over several.
        { object, message: finding.message.replace(/\s*\n\s*/g, ' '), evidence: finding.evidence, fix: finding.fix, severity: finding.severity, key },
        active.configuredSeverity,
      );
      completed.location = file.location(finding.location !== undefined && finding.location >= 0 ? finding.location : parsed.start);
      if (this.isSuppressed(completed, ignored, label)) this.suppressed++;
      else this.findings.push(completed);
    }
    this.pending.length = 0;
  }

  private isSuppressed(finding: Finding, ignored: readonly string[], label: string): boolean {
    if (this.options.baseline?.has(finding.fingerprint)) return true;
    if (ignored.includes('*') || ignored.includes(finding.rule)) return true;
    if (this.config.ignore.length === 0) return false;
    const keys = [finding.location!.file, label];
    if (finding.object.type !== 'query') keys.push(...objectKeys(finding.object));
    return ignoredByConfig(finding, keys, this.config);
  }

  private checkDirectives(file: FileText, parsed: ParsedStatement): void {
    const leading = file.slice(parsed.leadingStart, parsed.start);
    if (!leading.includes('pgarchitect-ignore')) return;
    for (const id of ignoreDirectives(leading)) {
      if (id !== '*' && !this.knownRuleIds.has(id)) {
        this.notices.push({ kind: 'ignored-directive', message: `-- pgarchitect-ignore names unknown rule "${id}"`, ...file.location(parsed.start) });
      }
    }
  }

  result(files: string[], schema: LintSchemaInfo | null): LintResult {
    const skipped = [...this.skipped];
    for (const active of this.active) if (active.failure) skipped.push({ rule: active.rule.meta.id, reason: active.failure });
    const findings = sortFindings(this.findings, 'location');
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      tool: { name: 'pgarchitect', version: VERSION },
      command: 'lint',
      source: { files, schema },
      partial: this.errors.length > 0,
      summary: {
        ...summarize(findings, { rulesRun: this.active.filter((a) => !a.failure).length, rulesSkipped: skipped.length, suppressed: this.suppressed }),
        files: files.length,
        statements: this.statements,
      },
      findings,
      skipped,
      errors: this.errors,
      notices: this.notices,
    };
  }
}

/** The statement's normalised fingerprint (constants and formatting do not change it). */
function statementFingerprint(text: string): string {
  try {
    return fingerprintSync(text);
  } catch {
    return text;
  }
}

const VERBS: Partial<Record<string, string>> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  ViewStmt: 'CREATE VIEW',
  CreateTableAsStmt: 'CREATE TABLE AS',
  ExplainStmt: 'EXPLAIN',
  DeclareCursorStmt: 'DECLARE',
};

/** A short name for the statement, independent of where it is: `SELECT orders`, `DELETE public.audit`. */
function statementLabel(statement: LintStatement): string {
  const verb = VERBS[statement.type] ?? statement.type.replace(/Stmt$/, '');
  const relation = firstRelation(statement.tree);
  return relation ? `${verb} ${relation}` : verb;
}

function firstRelation(tree: Node): string | null {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    const record = value as Record<string, unknown>;
    const rangeVar = (record.RangeVar ?? record.relation) as { schemaname?: string; relname?: string } | undefined;
    if (rangeVar?.relname) return rangeVar.schemaname ? `${rangeVar.schemaname}.${rangeVar.relname}` : rangeVar.relname;
    const children = Array.isArray(value) ? value : Object.values(record);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}
