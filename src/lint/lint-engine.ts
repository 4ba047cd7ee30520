/**
 * The lint engine: the active rules with their visitors on one tree walker, and what a run has found
 * so far. A file is parsed with one parser call and each statement's tree walked once, every rule's
 * visitors called from that one walk; a large file may instead be parsed a chunk of statements at a
 * time (sql-chunks.ts), which gives the same findings for less time and memory. All of it is
 * synchronous after the parser has loaded: the work per statement is a walk, and a fingerprint for
 * statements that have findings.
 *
 * What a run has found can be taken out as a `LintPart` and added to another engine's run: that is
 * how the threads of a parallel lint (parallel-lint.ts) put their pieces together.
 */
import './parser-baseline-compile.js';
import type { Node } from 'libpg-query';
import { objectKeys } from '../catalog/object-key.js';
import { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { EMPTY_CONFIG, type Config } from '../config/config.js';
import { completeFinding, ignoredByConfig, resolveRule, sortFindings, summarize } from '../engine/findings.js';
import type { Finding, ObjectRef, Severity } from '../finding.js';
import { ignoreDirectives } from '../load/load-sql-files.js';
import { RESULT_SCHEMA_VERSION, type LoadError, type Notice, type SkippedRule } from '../result.js';
import { lintRules } from '../rules/lint-rules.js';
import type { AnyQueryRule, LintStatement, QueryFinding, QueryRuleContext } from '../rules/query-rule.js';
import { fingerprintSync } from '../sql/parser.js';
import { VERSION } from '../version.js';
import { FileSlice } from './file-slice.js';
import { FileText } from './file-text.js';
import type { LintResult, LintSchemaInfo } from './lint-result.js';
import { parseFile, type ParsedStatement } from './parse-file.js';
import { chunkSql, type SqlChunk } from './sql-chunks.js';
import { StatementText } from './statement-source.js';
import { TreeWalker, type NodeHandler } from './walk.js';

export const NO_SCHEMA_REASON = 'needs a schema to look tables and indexes up: give one with --db (SQL files, a snapshot .json or a postgres:// URL)';

/**
 * Code units of SQL per chunk. Parsed in one call, a 10,000-statement file (1.5 MB) becomes 16 MB
 * of JSON and then its objects, all alive at once (a 320 MB process); in chunks of this size the
 * parse and the walk took 0.38 s instead of 0.63 s. 8 to 32 KB measured alike, larger was slower.
 */
export const CHUNK_LENGTH = 32 * 1024;

/** What the engine needs of `LintOptions`. */
export interface LintEngineOptions {
  schema?: CatalogSnapshot;
  config?: Config;
  only?: readonly string[];
  baseline?: ReadonlySet<string>;
  rules?: readonly AnyQueryRule[];
}

/** What linting some statements added to a run, in the order the statements came. */
export interface LintPart {
  findings: Finding[];
  errors: LoadError[];
  notices: Notice[];
  statements: number;
  suppressed: number;
}

/** A unit of lint work: a whole file, or a chunk of one (`chunk` set). */
export interface LintUnit {
  /** Index of the source. */
  source: number;
  chunk: SqlChunk | null;
}

/** The engine's output so far, to go back to (`rollback`). */
interface Mark {
  findings: number;
  errors: number;
  notices: number;
  statements: number;
  suppressed: number;
  failures: (string | null)[];
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

const BUILT_IN_RULES: ReadonlySet<AnyQueryRule> = new Set(lintRules);

/**
 * True when `rules` are built-in rules (or the default). Those use byte offsets only relative to one
 * another, never as a position in the file, so a file may be parsed in chunks, and a worker thread
 * can find them by id; another rule's visitors might read an offset as the position in the file.
 */
export function builtInRulesOnly(rules: readonly AnyQueryRule[] | undefined): boolean {
  return rules === undefined || rules.every((rule) => BUILT_IN_RULES.has(rule));
}

/** The units of a file: itself when small (or when it cannot be chunked), else its chunks. */
export function unitsOf(source: number, text: string, chunkable: boolean): LintUnit[] {
  if (!chunkable || text.length < 2 * CHUNK_LENGTH) return [{ source, chunk: null }];
  const chunks = chunkSql(text, CHUNK_LENGTH);
  return chunks.length < 2 ? [{ source, chunk: null }] : chunks.map((chunk) => ({ source, chunk }));
}

export class LintEngine {
  /** Whether files may be parsed in chunks (see `builtInRulesOnly`). */
  readonly chunkable: boolean;
  private readonly config: Config;
  private readonly active: ActiveRule[] = [];
  private readonly skipped: SkippedRule[] = [];
  private readonly walker: TreeWalker;
  private readonly knownRuleIds: Set<string>;
  private findings: Finding[] = [];
  private errors: LoadError[] = [];
  private notices: Notice[] = [];
  private readonly pending: Pending[] = [];
  private statements = 0;
  private suppressed = 0;
  /** Where the walk is, for the message of a rule that fails. */
  private currentFile: FileText | undefined;
  private currentStart = 0;

  constructor(private readonly options: LintEngineOptions) {
    this.config = options.config ?? EMPTY_CONFIG;
    const rules = options.rules ?? lintRules;
    this.chunkable = builtInRulesOnly(options.rules);
    this.knownRuleIds = new Set(lintRules.concat(rules).map((r) => r.meta.id));
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

  /** True when a rule has failed (it is then not run for the rest of the run). */
  get ruleFailed(): boolean {
    return this.active.some((a) => a.failure !== null);
  }

  /** Rules that keep state across a file's statements (migration rules) start each file afresh. */
  private startFile(): void {
    for (const active of this.active) active.rule.startFile?.(active.context);
  }

  /** Lints a file's text: in chunks when it is large and the rules allow, else with one parse. */
  lintText(file: string, text: string): void {
    this.startFile();
    const units = unitsOf(0, text, this.chunkable);
    if (units.length === 1) return this.lintFile(new FileText(file, text));
    const mark = this.mark();
    for (const unit of units) {
      if (!this.lintChunk(file, text, unit.chunk!)) {
        // The parser rejected a statement, or a cut was not a statement's end: the whole file, as one.
        this.rollback(mark);
        this.lintFile(new FileText(file, text));
        return;
      }
    }
  }

  /** Lints one unit of `text`; false, with nothing recorded, when a chunk does not parse. */
  lintUnit(file: string, text: string, unit: LintUnit): boolean {
    if (!unit.chunk) {
      this.lintFile(new FileText(file, text));
      return true;
    }
    return this.lintChunk(file, text, unit.chunk);
  }

  /** Lints a file parsed as a whole: a statement the parser rejects is an error, the others are linted. */
  lintFile(file: FileText): void {
    this.startFile();
    const parsed = parseFile(file);
    for (const error of parsed.errors) {
      this.errors.push({ ...file.location(error.offset), sqlstate: '42601', message: error.message });
    }
    this.lintStatements(file, parsed.statements);
  }

  /** Lints a chunk of a file; false, with nothing recorded, when the parser rejects any of it. */
  private lintChunk(file: string, text: string, chunk: SqlChunk): boolean {
    const slice = new FileSlice(file, text.slice(chunk.start, chunk.end), chunk.line, chunk.column);
    const parsed = parseFile(slice);
    if (parsed.errors.length > 0) return false;
    this.lintStatements(slice, parsed.statements);
    return true;
  }

  private lintStatements(file: FileText, statements: readonly ParsedStatement[]): void {
    this.currentFile = file;
    const hasDirectives = file.text.includes('pgarchitect-ignore');
    for (const parsedStatement of statements) {
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

  /** Takes out what the run has found so far (the engine then holds nothing). */
  takePart(): LintPart {
    const part = { findings: this.findings, errors: this.errors, notices: this.notices, statements: this.statements, suppressed: this.suppressed };
    this.findings = [];
    this.errors = [];
    this.notices = [];
    this.statements = 0;
    this.suppressed = 0;
    return part;
  }

  /** Adds what another run found (after what this one has). */
  addPart(part: LintPart): void {
    for (const finding of part.findings) this.findings.push(finding);
    for (const error of part.errors) this.errors.push(error);
    for (const notice of part.notices) this.notices.push(notice);
    this.statements += part.statements;
    this.suppressed += part.suppressed;
  }

  private mark(): Mark {
    return {
      findings: this.findings.length,
      errors: this.errors.length,
      notices: this.notices.length,
      statements: this.statements,
      suppressed: this.suppressed,
      failures: this.active.map((a) => a.failure),
    };
  }

  private rollback(mark: Mark): void {
    this.findings.length = mark.findings;
    this.errors.length = mark.errors;
    this.notices.length = mark.notices;
    this.statements = mark.statements;
    this.suppressed = mark.suppressed;
    this.active.forEach((active, i) => (active.failure = mark.failures[i]!));
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
