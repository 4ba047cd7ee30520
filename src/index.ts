/**
 * pgarchitect's library API. The CLI uses nothing else.
 *
 * ```ts
 * import { review, formatText } from 'pgarchitect';
 * const result = await review(['db/migrations']);
 * process.stdout.write(formatText(result, { color: false }));
 * ```
 */
export { review, reviewSnapshot, hasFindingsAtOrAbove, type ReviewOptions } from './review.js';
export { resolveSource, snapshotFromSource, readSnapshotFile, type SourceSpec, type SnapshotFromSource, type ConnectionLimits } from './source.js';
export { readSnapshot, type ReadSnapshotOptions, type ReadSnapshotResult } from './catalog/read-snapshot.js';
export { SnapshotIndex } from './catalog/snapshot-index.js';
export type * from './catalog/types.js';
export { loadSqlFiles, type LoadedSql } from './load/load-sql-files.js';
export { discoverSqlFiles, orderMigrations, type DiscoveredFiles, type MigrationLayout } from './load/discover.js';
export { runRules, compareFindings, type RunRulesOptions, type RunRulesResult } from './engine/run-rules.js';
export { allRules, findRule } from './rules/index.js';
export { defineRule, type Rule, type RuleMeta, type RuleContext, type ReportedFinding, type RuleRequirement, type AnyRule } from './rules/rule.js';
export { loadConfig, parseConfig, EMPTY_CONFIG, CONFIG_FILE_NAME, type Config, type RuleSetting, type IgnoreEntry } from './config/config.js';
export { readBaseline } from './baseline.js';
export { fixScript, type FixScriptOptions } from './fix-script.js';
export { formatResult, formatText, formatJson, formatSarif, formatMarkdown, FORMATS, type Format } from './report/index.js';
export type { TextReportOptions } from './report/text.js';
export { LiveDb } from './db/live-db.js';
export { EmbeddedDb } from './db/embedded-db.js';
export type { Db, PostgresErrorInfo } from './db/db.js';
export { describeConnection, redactPassword, type LiveConnectionOptions } from './db/connection-config.js';
export { UserError } from './errors.js';
export * from './finding.js';
export * from './result.js';
export { VERSION } from './version.js';
