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
export { resolveSource, snapshotFromSource, openSource, readLiveSnapshot, readSnapshotFile, type SourceSpec, type SnapshotFromSource, type OpenSource, type ConnectionLimits } from './source.js';
export { readSnapshot, type ReadSnapshotOptions, type ReadSnapshotResult } from './catalog/read-snapshot.js';
export { SnapshotIndex } from './catalog/snapshot-index.js';
export type * from './catalog/types.js';
export { loadSqlFiles, type LoadedSql } from './load/load-sql-files.js';
export { discoverSqlFiles, orderMigrations, type DiscoveredFiles, type MigrationLayout } from './load/discover.js';
export { runRules, compareFindings, type RunRulesOptions, type RunRulesResult } from './engine/run-rules.js';
export { allRules, findRule } from './rules/index.js';
export { defineRule, type Rule, type RuleMeta, type RuleContext, type ReportedFinding, type RuleRequirement, type AnyRule } from './rules/rule.js';
export { lint, lintSources, NO_SCHEMA_REASON, type LintOptions, type LintSource } from './lint/lint.js';
export type { LintResult, LintSummary, LintSchemaInfo, LintPostgresCheck, LintWorkload, LintWorkloadStatement } from './lint/lint-result.js';
export { checkWithPostgres, addPostgresCheck, type PostgresCheckOptions, type PostgresCheckResult } from './lint/check-with-postgres.js';
export {
  lintPgStatStatements,
  readPgStatStatements,
  pgStatStatementsSources,
  attachPgStatStatements,
  pgStatStatementsFileName,
  DEFAULT_PG_STAT_STATEMENTS_TOP,
  type LintPgStatStatementsOptions,
  type ReadPgStatStatementsOptions,
  type PgStatStatementsWorkload,
  type PgStatStatementsStatement,
} from './lint/pg-stat-statements-workload.js';
export { formatLintText, type LintTextOptions } from './lint/format-text.js';
export { queryRules } from './rules/query/index.js';
export {
  defineQueryRule,
  type QueryRule,
  type QueryRuleContext,
  type QueryFinding,
  type QueryVisitors,
  type AnyQueryRule,
  type LintStatement,
  type StatementSource,
} from './rules/query-rule.js';
export { loadConfig, parseConfig, EMPTY_CONFIG, CONFIG_FILE_NAME, type Config, type RuleSetting, type IgnoreEntry } from './config/config.js';
export { readBaseline } from './baseline.js';
export { fixScript, type FixScriptOptions } from './fix-script.js';
export { formatResult, formatText, formatJson, formatSarif, formatMarkdown, FORMATS, type Format } from './report/index.js';
export type { TextReportOptions } from './report/text.js';
export { LiveDb } from './db/live-db.js';
export { EmbeddedDb } from './db/embedded-db.js';
export type { Db, PostgresErrorInfo } from './db/db.js';
export { describeConnection, redactPassword, type LiveConnectionOptions } from './db/connection-config.js';
export { explainQuery, explainStatementOn, explainPlanText, explainPlanFile, type ExplainQueryOptions, type ExplainPlanOptions, type ExplainRulesOptions } from './explain/explain.js';
export { EXPLAIN_RESULT_SCHEMA_VERSION, type ExplainResult } from './explain/result.js';
export { explainableStatement, runExplain, type ExplainableStatement, type RunExplainOptions } from './explain/run-explain.js';
export { runPlanRules, type PlanRuleInput, type RunPlanRulesOptions, type RunPlanRulesResult } from './explain/run-plan-rules.js';
export { verifyIndexes, hypopgVersion, type IndexVerification } from './explain/verify-index.js';
export { readPlanRelations, relationsFromSnapshot } from './explain/plan-relations.js';
export { formatExplainText, formatPlanTree, type ExplainTextOptions } from './explain/format-text.js';
export { formatExplainJson } from './explain/format-json.js';
export { formatExplainHtml } from './explain/format-html.js';
export type * from './plan/types.js';
export { walkPlan } from './plan/types.js';
export { parsePlan, readPlanFile, detectPlanFormat, type PlanFormat } from './plan/parse-plan.js';
export { parsePlanJson } from './plan/parse-json.js';
export { parsePlanText } from './plan/parse-text.js';
export { analysePlan, planNodes, type PlanAnalysis, type NodeMetrics, type BufferCounts } from './plan/analyse.js';
export { nodeLabel } from './plan/node-name.js';
export { planRules, findPlanRule } from './rules/plan/index.js';
export { definePlanRule, type PlanRule, type AnyPlanRule, type PlanRuleContext, type PlanReportedFinding, type PlanRuleNeed, type PlanRelation, type PlanRelationIndex, type IndexSuggestion } from './rules/plan-rule.js';
export { UserError } from './errors.js';
export * from './finding.js';
export * from './result.js';
export { VERSION } from './version.js';
export {
  adviseIndexes,
  ADVISE_RESULT_SCHEMA_VERSION,
  type AdviseOptions,
  type AdviseResult,
  type AdvisedIndex,
  type AdvisedQuery,
} from './advise/advise.js';
export { workloadFromFile, workloadFromText, workloadFromList, workloadFromPgStatStatements, type Workload, type WorkloadQuery } from './advise/workload.js';
export { verifyAdvice, type VerifyOptions, type VerifyResult, type VerifiedQuery } from './advise/verify.js';
export { extendSearch, CostCache, type CostOracle, type SearchQuery, type SearchOptions, type SearchResult, type SearchStep } from './advise/extend.js';
export { WhatIfSession, type CostableQuery, type PlannedCost } from './advise/what-if.js';
export { tableUses, type TableUse } from './advise/query-columns.js';
export { type IndexCandidate, candidateKey, candidateDefinition } from './advise/candidate.js';
export type { DropProposal } from './advise/drops.js';
export { formatAdviseText } from './advise/format-text.js';
export {
  migrateStatus,
  migrateUp,
  migrateDown,
  migrateValidate,
  migrateRepair,
  migrateBaseline,
  type MigrateOptions,
  type MigrateUpOptions,
  type MigrateDownOptions,
  type MigrateRepairOptions,
  type MigrateBaselineOptions,
} from './migrate/migrate.js';
export { MIGRATE_RESULT_SCHEMA_VERSION, type MigrateResult, type MigrateCommandName, type MigrateProblem, type RepairAction } from './migrate/result.js';
export { readMigrationFolder, scanMigrationFolder, scriptChecksum, MigrationFilesError, type MigrationFolder, type MigrationFolderLayout, type MigrationScript, type VersionedMigration, type RepeatableMigration, type MigrationFileProblem } from './migrate/migration-files.js';
export { migrationState, type MigrationState, type MigrationStatus, type MigrationStateSummary } from './migrate/migration-state.js';
export type { StepReport, StepFailure, StatementReport, NonTransactionalStatement, OpenTransaction } from './migrate/run-step.js';
export { nonTransactionalReason } from './migrate/transaction-safety.js';
export { HISTORY_TABLE, readHistory, type HistoryRow } from './migrate/history.js';
export { MIGRATE_LOCK_KEY } from './migrate/advisory-lock.js';
export { MIGRATE_DEFAULTS } from './migrate/session.js';
export { newMigration, type NewMigrationOptions, type NewMigrationResult } from './migrate/new-migration.js';
export { formatMigrateText } from './migrate/format-text.js';
export { parseMigrationFileName, compareMigrationVersions, type MigrationFileName } from './load/discover.js';
export type { MigrateConfig } from './config/config.js';
export { diffSnapshots, diffSources, DiffInputError, type DiffSourcesOptions } from './diff/diff.js';
export {
  DIFF_RESULT_SCHEMA_VERSION,
  hasDifferences,
  describeDiffObject,
  type DiffResult,
  type DiffStep,
  type DiffObject,
  type DiffObjectType,
  type DiffSide,
  type DiffOptions,
} from './diff/diff-result.js';
export { formatDiff, formatDiffSql, formatDiffJson, DIFF_FORMATS, type DiffFormat, type DiffSqlOptions } from './diff/format.js';
export { tune, type TuneOptions } from './tune/tune.js';
export { TUNE_RESULT_SCHEMA_VERSION, type TuneResult, type TuneRecommendation, type TuneInputs, type TuneServerSummary, type HardwareSource } from './tune/result.js';
export { formulaSettings, DEFAULT_CONNECTIONS as TUNE_DEFAULT_CONNECTIONS, type FormulaSetting, type FormulaResult } from './tune/pgtune.js';
export { planTuning, type TuningPlanInput } from './tune/plan-tuning.js';
export { readServerFacts, type ServerFacts, type ServerSetting } from './tune/server-facts.js';
export { detectHardware, type DetectedHardware, type DetectOptions } from './tune/detect-hardware.js';
export { WORKLOADS as TUNE_WORKLOADS, STORAGE_KINDS, OS_KINDS, type TuneInput, type Workload as TuneWorkload, type Storage, type OsKind } from './tune/tune-input.js';
export { formatTuneText } from './tune/format-text.js';
export { formatTuneSql, formatTuneConf } from './tune/format-config.js';
export { health, healthOfDb, healthOfFacts, healthCheckIds, healthFailsOn, readCatalog, type HealthOptions } from './health/health.js';
export { HEALTH_RESULT_SCHEMA_VERSION, type HealthResult, type HealthCheck } from './health/result.js';
export { readHealthFacts, HEALTH_FACT_PARTS, EXACT_MIN_BYTES, type ReadHealthFactsOptions } from './health/read-facts.js';
export {
  HEALTH_PART_SOURCES,
  type HealthFacts,
  type HealthFactPart,
  type HealthServer,
  type HealthTable,
  type HealthTableStats,
  type Session,
  type Standby,
  type ReplicationSlot,
  type RecoveryState,
  type DatabaseConflicts,
  type Archiver,
  type BloatReading,
  type RelationBloat,
} from './health/facts.js';
export { estimateTableBloat, estimateIndexBloat, type TableBloatInput, type IndexBloatInput, type BloatEstimate } from './health/bloat.js';
export { effectiveAutovacuum, vacuumTrigger, analyzeTrigger, insertTrigger, autovacuumChanges, LARGE_TABLE_ROWS, type AutovacuumSettings, type SettingChange } from './health/autovacuum.js';
export { runHealthRules, type RunHealthRulesOptions, type RunHealthRulesResult } from './health/run-health-rules.js';
export { REUSED_REVIEW_RULES } from './health/reused-rules.js';
export { formatHealth, HEALTH_FORMATS, type HealthFormat } from './health/format.js';
export { formatHealthText } from './health/format-text.js';
export { replicationReport, type ReplicationOptions } from './replication/replication.js';
export { REPLICATION_RESULT_SCHEMA_VERSION, type ReplicationResult, type StandbyReport, type ReplicaReport } from './replication/result.js';
export { splitWorkload, type WorkloadSplit, type RoutedStatement, type ReadAfterWriteTable } from './replication/workload-split.js';
export { classifyStatement, type StatementClass, type StatementRoute } from './replication/classify-statement.js';
export { formatReplicationText } from './replication/format-text.js';
export { type NotExaminedRelation } from './catalog/types.js';
export { formatHealthMarkdown } from './health/format-markdown.js';
export { healthRules } from './rules/health/index.js';
export { defineHealthRule, type HealthRule, type AnyHealthRule, type HealthRuleContext, type HealthReportedFinding } from './rules/health-rule.js';
export { maintenancePlan, maintenancePlanOfDb, planMaintenance, RARE_SCANS_PER_DAY, type MaintenancePlanOptions } from './maintenance/plan.js';
export { MAINTENANCE_PLAN_SCHEMA_VERSION, type MaintenancePlan, type MaintenanceTask, type MaintenanceTaskKind, type AutovacuumAdvice, type IndexUsage, type IndexUsageClass } from './maintenance/result.js';
export { maintenanceScript } from './maintenance/script.js';
export { formatMaintenanceText } from './maintenance/format-text.js';
/** `backup audit`: the backup posture of a server (archiving, PITR, slots, checksums, last backup, implied RPO and RTO). */
export { auditBackups, auditOfFacts, type AuditBackupsOptions } from './backup/audit.js';
export { runAuditChecks, DEFAULT_AUDIT_OPTIONS, type BackupAuditOptions, type RecoveryObjectives } from './backup/audit-checks.js';
export { readServerBackupFacts, type BackupAuditFacts } from './backup/audit-facts.js';
export { readPgBackRestInfo, parsePgBackRestInfo, type PgBackRestInfo, type PgBackRestStanza, type PgBackRestBackup } from './backup/pgbackrest-info.js';
export { readDumpDir, type DumpDirContents, type FoundBackup } from './backup/dump-dir.js';
/** `backup create`: pg_dump in an exported snapshot, plus a manifest of per-table row counts and checksums taken in that snapshot. */
export { createBackup, type CreateBackupOptions, type CreateBackupResult } from './backup/create-backup.js';
export { readManifest, writeManifest, MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, DUMP_FORMATS, type BackupManifest, type ManifestTable, type ManifestFile, type DumpFormat } from './backup/manifest.js';
export { readDatabaseContent, CONTENT_SETTINGS, type DatabaseContent, type TableContent, type SequenceState, type LargeObjectsContent } from './backup/table-contents.js';
/** `backup verify`: the restore drill (files, restore into a scratch database, per-table comparison, amcheck, measured restore time). */
export { verifyBackup, type VerifyBackupOptions } from './backup/verify-backup.js';
export { readDrillRecord, DRILL_FILE, type RestoreDrillRecord } from './backup/drill-record.js';
export { findPgTool, findServerBinDir, type PgTool } from './backup/pg-tools.js';
export { BACKUP_RESULT_SCHEMA_VERSION, type BackupAuditResult, type BackupVerifyResult, type TableVerification } from './backup/result.js';
export type { BackupCheck } from './backup/check-list.js';
export { formatAuditText as formatBackupAuditText, formatCreateText as formatBackupCreateText, formatVerifyText as formatBackupVerifyText } from './backup/format-text.js';
/** `partition advise`: which large tables to partition, on which key and interval, and what blocks it. */
export { partitionAdvise, partitionAdviseOfDb, ADVISE_DEFAULTS as PARTITION_ADVISE_DEFAULTS, type PartitionAdviseOptions } from './partition/advise.js';
export { ADVISE_RESULT_SCHEMA_VERSION as PARTITION_ADVISE_RESULT_SCHEMA_VERSION, type AdviseResult as PartitionAdviseResult, type PartitionAdvice, type PartitionBlocker } from './partition/advise-result.js';
export { formatAdviseText as formatPartitionAdviseText } from './partition/format-advise.js';
/** `partition convert`: the online migration of a table into a range-partitioned one (written, never run). */
export { partitionConvert, partitionConvertOfDb, partitionCells, CONVERT_RESULT_SCHEMA_VERSION as PARTITION_CONVERT_RESULT_SCHEMA_VERSION, type PartitionConvertOptions, type ConvertResult as PartitionConvertResult } from './partition/convert.js';
export { convertScript as partitionConvertScript, type ConvertPlanInput as PartitionConvertPlanInput, type ConvertScript as PartitionConvertScript } from './partition/convert-script.js';
/** `partition maintain`: premake, retention and default-partition rows, in short locked steps with retries. */
export { partitionMaintain, partitionMaintainOfDb, type PartitionMaintainOptions } from './partition/maintain.js';
export { parseMaintainConfig, readMaintainConfig, splitTableName, MAINTAIN_DEFAULTS as PARTITION_MAINTAIN_DEFAULTS, RETENTION_ACTIONS, type MaintainConfig as PartitionMaintainConfig, type ManagedTable, type RetentionAction } from './partition/maintain-config.js';
export { MAINTAIN_RESULT_SCHEMA_VERSION as PARTITION_MAINTAIN_RESULT_SCHEMA_VERSION, type MaintainResult as PartitionMaintainResult, type MaintainAction as PartitionMaintainAction, type MaintainActionKind as PartitionMaintainActionKind, type MaintainTableReport as PartitionMaintainTableReport } from './partition/maintain-result.js';
export { formatMaintainText as formatPartitionMaintainText } from './partition/format-maintain.js';
export { runLockedStep, type StepPolicy, type StepOutcome } from './partition/locked-step.js';
export { readLayout as readPartitionLayout, type LiveLayout as PartitionLayout, type LivePartition } from './partition/read-layout.js';
export {
  parseInterval as parsePartitionInterval,
  parseKeyValue as parsePartitionKeyValue,
  alignValue as alignPartitionValue,
  stepValue as stepPartitionValue,
  partitionName,
  keyKindOf as partitionKeyKindOf,
  intervalMismatch as partitionIntervalMismatch,
  type KeyKind as PartitionKeyKind,
  type KeyValue as PartitionKeyValue,
  type PartitionInterval,
  type TimeUnit as PartitionTimeUnit,
} from './partition/key-grid.js';
export { parseRetention, retentionCutoff, type Retention } from './partition/retention.js';
export { migrationRules } from './rules/migration/index.js';
export { lintRules } from './rules/lint-rules.js';
