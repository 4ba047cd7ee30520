/**
 * The command line. The only place that reads argv, prints errors and sets the exit code; the
 * commands are thin layers over the library.
 */
import { Command, CommanderError, Option } from 'commander';
import { postgresErrorInfo } from '../db/db.js';
import { redactPassword } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

// Each command's module is imported when it runs: `lint` and `--version` do not pay for loading the
// Postgres drivers and the embedded engine.
export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const debug = argv.includes('--debug');
  const program = new Command()
    .name('pgarchitect')
    .description('A PostgreSQL database architect in a box: reviews schema design and indexing of SQL files, migration folders or live servers.')
    .version(VERSION)
    .option('--debug', 'show stack traces on errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  const timeouts = (command: Command): Command =>
    command
      .option('--statement-timeout <duration>', 'statement_timeout of the session on a live server', '30s')
      .option('--lock-timeout <duration>', 'lock_timeout of the session on a live server', '2s');

  timeouts(
    program
      .command('review')
      .description('review schema design and indexing')
      .argument('[inputs...]', '.sql files, migration folders, a snapshot .json, or a postgres:// URL (default: DATABASE_URL / PG* variables)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'markdown']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
      .option('--baseline <file>', 'report only findings not in this earlier JSON result')
      .option('--fix-sql <file>', 'write one SQL script with the fixes of all fixable findings')
      .option('--unsafe-fixes', 'with --fix-sql: include fixes that take blocking locks or rewrite tables')
      .option('-r, --rule <ids...>', 'run only these rules')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (inputs: string[], options) => {
    exitCode = await (await import('./review-command.js')).reviewCommand(inputs, options, io);
  });

  timeouts(
    program
      .command('snapshot')
      .description('write the catalog snapshot as JSON, to review offline later (`pgarchitect review snap.json`)')
      .argument('[inputs...]', 'a postgres:// URL (default: DATABASE_URL / PG* variables), or .sql files and folders')
      .option('-o, --output <file>', 'write to a file instead of stdout'),
  ).action(async (inputs: string[], options) => {
    exitCode = await (await import('./snapshot-command.js')).snapshotCommand(inputs, options, io);
  });

  timeouts(
    program
      .command('lint')
      .description('find query anti-patterns with the real Postgres parser; schema-aware with --db, where Postgres also checks each statement')
      .argument('[files...]', '.sql files of queries (none with --from-pg-stat-statements)')
      .option('--db <input>', 'the schema for schema-aware rules: .sql files or a migrations folder, a snapshot .json, or a postgres:// URL')
      .option('--from-pg-stat-statements [url]', "lint the live workload: the server's top statements by total time, from pg_stat_statements (default: DATABASE_URL / PG* variables)")
      .option('--top <n>', 'with --from-pg-stat-statements: how many statements (default 200)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
      .option('--baseline <file>', 'report only findings not in this earlier JSON result')
      .option('-r, --rule <ids...>', 'run only these rules')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (files: string[], options) => {
    exitCode = await (await import('./lint-command.js')).lintCommand(files, options, io);
  });

  timeouts(
    program
      .command('explain')
      .description('run EXPLAIN (ANALYZE, BUFFERS) on a query (always rolled back) or read a captured plan, and diagnose it')
      .argument('[query...]', 'the query (quote it), unless -f or --plan is given')
      .option('-d, --database <url>', 'the server to run the query on (default: DATABASE_URL / PG* variables)')
      .option('-f, --file <file>', 'read the query from a file')
      .option('--plan <file>', 'diagnose a captured plan (EXPLAIN JSON, or the text format psql prints)')
      .option('--snapshot <file>', 'with --plan: a snapshot of the database, for the diagnoses that need its tables')
      .option('--no-analyze', 'plan only: do not execute the query')
      .option('--set <name=value...>', 'settings for this query only, for example work_mem=64MB')
      .option('--no-verify', 'do not cost index proposals with hypothetical indexes (hypopg)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a diagnosis is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
      .option('-r, --rule <ids...>', 'run only these diagnoses')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (query: string[], options) => {
    exitCode = await (await import('./explain-command.js')).explainCommand(query, options, io);
  });

  const indexes = program.command('indexes').description('index strategy: a workload-driven plan of indexes to add and drop');
  timeouts(
    indexes
      .command('advise')
      .description('advise indexes to add and drop for a workload, costed by the planner with hypothetical indexes (hypopg)')
      .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables); the database needs the hypopg extension')
      .option('--workload <file>', 'a SQL file of the workload (`-- weight: N` before a statement; default: pg_stat_statements)')
      .option('--top <n>', 'statements read from pg_stat_statements, by total time', '50')
      .option('--budget <size>', 'space the new indexes may take: 500MB, 2GB, or 10% of the database size (default: no limit)')
      .option('--max-indexes <n>', 'at most this many new indexes')
      .option('--max-width <n>', 'at most this many key columns per index', '3')
      .option('--time-limit <duration>', 'search time limit; the best plan found by then is returned', '60s')
      .option('--min-improvement <percent>', 'a step must cut the workload cost by at least this share', '0.05%')
      .option('--out <file>', 'write the migration (CREATE/DROP INDEX CONCURRENTLY) to this file')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .option('--verify', 'for staging: build the advised indexes for real, measure estimated cost and execution time before and after, then drop them')
      .option('--keep', 'with --verify: keep the built indexes')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./indexes-command.js')).adviseCommand(url, options, io);
  });

  {
    // `migrate baseline --version V`: the program's own --version would otherwise print pgarchitect's version.
    const at = argv.findIndex((a) => !a.startsWith('-'));
    if (argv[at] === 'migrate' && argv[at + 1] === 'baseline') argv = argv.map((a) => (a === '--version' ? '--baseline-version' : a.replace(/^--version=/, '--baseline-version=')));
    const migrate = program.command('migrate').description('apply a Flyway or golang-migrate folder to a live server: history table, one transaction per migration, lock, lock_timeout retries');
    const migrateOptions = (command: Command): Command =>
      command
        .option('-d, --database <url>', 'the server (default: DATABASE_URL / PG* variables)')
        .option('--dir <folder>', 'the migrations folder (default: db/migrations, or migrations when that exists)')
        .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
        .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
        .option('--no-gaps', 'refuse gaps between versions')
        .option('--lock-timeout <duration>', 'lock_timeout of each migration (default 5s)')
        .option('--retries <n>', 'retries after a lock timeout, with backoff (default 3)')
        .option('--retry-delay <duration>', 'pause before the first retry, doubled before each next (default 1s)')
        .option('--statement-timeout <duration>', 'statement_timeout (default none)')
        .option('--color', 'force colour')
        .option('--no-color', 'no colour');
    const runMigrate = async (subcommand: string, argument: string | undefined, options: Record<string, unknown>): Promise<void> => {
      const { migrateCommand } = await import('./migrate-command.js');
      exitCode = await migrateCommand(subcommand as Parameters<typeof migrateCommand>[0], argument, options, io);
    };
    migrate
      .command('new')
      .description('create the next migration file in the folder\'s layout (Flyway V<n>__name.sql, or golang-migrate up and down files)')
      .argument('<name>', 'what it does: add_orders_index')
      .option('--dir <folder>', 'the migrations folder (default: db/migrations, or migrations when that exists)')
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
      .addOption(new Option('--layout <layout>', 'layout of an empty folder (default flyway)').choices(['flyway', 'golang-migrate']))
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action((name: string, options) => runMigrate('new', name, options));
    migrateOptions(migrate.command('status').description('applied, pending, failed, drifted and missing migrations')).action((options) => runMigrate('status', undefined, options));
    migrateOptions(migrate.command('up').description('apply pending migrations, each in its own transaction (statement by statement when one refuses a transaction)'))
      .option('--to <version>', 'apply up to this version, included')
      .option('--dry-run', 'print what would run (files, statements, transactional or not); write nothing')
      .option('--out-of-order', 'also apply pending migrations below the applied version')
      .action((options) => runMigrate('up', undefined, options));
    migrateOptions(migrate.command('down').description('revert the last N applied migrations with their down (or Flyway undo) files'))
      .argument('[n]', 'how many (default 1)')
      .option('--dry-run', 'print what would run; write nothing')
      .action((n: string | undefined, options) => runMigrate('down', n, options));
    migrateOptions(migrate.command('validate').description('check applied migrations against their files (checksums); exit 1 on drift, failed or missing ones')).action((options) => runMigrate('validate', undefined, options));
    migrateOptions(migrate.command('repair').description('accept the files as they are: record new checksums of applied files, remove failed entries'))
      .option('--dry-run', 'print what would change; write nothing')
      .action((options) => runMigrate('repair', undefined, options));
    migrateOptions(migrate.command('baseline').description('record a version as applied, without running it or those before it (a database that predates pgarchitect)'))
      .argument('[version]', 'the baseline version (or --version)')
      .option('--baseline-version <version>', 'the baseline version (also --version V)')
      .option('--description <text>', 'description recorded for the baseline')
      .action((version: string | undefined, options) => runMigrate('baseline', version, options));
  }

  timeouts(
    program
      .command('tune')
      .description('recommend server settings from the hardware and the workload (pgtune\'s formulas), checked against the running server\'s statistics; never applies them')
      .option('-d, --database <url>', 'the server to examine (default: DATABASE_URL / PG* variables; none: recommendations from the hardware alone)')
      .option('--memory <size>', 'memory PostgreSQL may use: 16GB (default: this machine\'s, when the server runs here)')
      .option('--cpus <n>', 'CPUs PostgreSQL may use (default: this machine\'s, when the server runs here)')
      .addOption(new Option('--storage <kind>', 'data storage (default: detected when the server runs here, else ssd)').choices(['ssd', 'hdd', 'san', 'nvme']))
      .option('--connections <n>', 'connections to budget memory for (default: the server\'s max_connections, else the workload\'s usual count)')
      .addOption(new Option('--workload <kind>', 'kind of application (default web)').choices(['web', 'oltp', 'dw', 'mixed', 'desktop']))
      .option('--pg-version <major>', 'without a server: the PostgreSQL major to compute for (default 18)')
      .addOption(new Option('-f, --format <format>', 'output format: a table, JSON, ALTER SYSTEM statements, or a postgresql.conf snippet').choices(['text', 'json', 'sql', 'conf']).default('text'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (options) => {
    exitCode = await (await import('./tune-command.js')).tuneCommand(options, io);
  });

  timeouts(
    program
      .command('diff')
      .description('write the migration that turns one schema into another (--from into --to), in online-safe forms')
      .requiredOption('--from <inputs...>', 'the schema as it is: a postgres:// URL, .sql files or a migrations folder, or a snapshot .json')
      .requiredOption('--to <inputs...>', 'the schema as it should be: a postgres:// URL, .sql files or a migrations folder, or a snapshot .json')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['sql', 'json']).default('sql'))
      .option('-o, --output <file>', 'write the migration to a file instead of stdout')
      .option('--allow-drops', 'write destructive steps (drops of tables, columns, types, functions...) as SQL, not as comments')
      .option('--no-concurrently', 'plain CREATE/DROP INDEX, for migration runners that run each file in a transaction'),
  ).action(async (options) => {
    exitCode = await (await import('./diff-command.js')).diffCommand(options, io);
  });

  timeouts(
    program
      .command('health')
      .description('check how a running server is kept: vacuum, wraparound, bloat, sequences, cache, connections, replication, archiving, observability')
      .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'markdown']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present)')
      .option('--baseline <file>', 'report only findings not in this earlier JSON result')
      .option('-r, --rule <ids...>', 'run only these checks')
      .option('--exact', 'measure bloat with pgstattuple (installed in the database): reads every table and B-tree index of 1 MB or more')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./health-command.js')).healthCommand(url, options, io);
  });

  const maintenance = program.command('maintenance').description('routine maintenance: what VACUUM, ANALYZE and REINDEX is due, autovacuum settings, index usage');
  timeouts(
    maintenance
      .command('plan')
      .description('autovacuum settings for large tables, a script of what is due now, and an index usage report; never runs the script')
      .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .option('--out <file>', 'write the SQL script to this file')
      .option('--large-rows <n>', 'tables from this many rows get autovacuum settings of their own', '1000000')
      .option('--rare-per-day <n>', 'indexes scanned fewer times a day than this are rare', '1')
      .option('--exact', 'measure index bloat with pgstattuple (installed in the database): reads every B-tree index of 1 MB or more')
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present); index-bloat options set the bloat to reindex from')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./maintenance-command.js')).maintenancePlanCommand(url, options, io);
  });

  timeouts(
    program
      .command('replication')
      .description('standbys of a primary (state, lag in bytes and time, slot, sync state), each --replica from its side (conflict settings, pg_stat_database_conflicts), and how much of the workload replicas could serve')
      .argument('[url]', "the primary's postgres:// URL (default: DATABASE_URL / PG* variables)")
      .option('--replica <url>', 'a standby to examine from its side (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .option('--top <n>', 'pg_stat_statements statements to classify, by total execution time', '500')
      .option('-c, --config <file>', 'configuration file (default: ./pgarchitect.config.json when present): thresholds of the replication checks')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./replication-command.js')).replicationCommand(url, options, io);
  });

  const partition = program.command('partition').description('partitioning: which large tables to partition and how, the online conversion script, and partition upkeep (premake, retention, default rows)');
  const partitionOutput = (command: Command): Command =>
    command
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .option('--color', 'force colour')
      .option('--no-color', 'no colour');
  timeouts(
    partitionOutput(
      partition
        .command('advise')
        .description('for each large table: whether partitioning pays, on which key and interval, the share of the workload it prunes, and what blocks it')
        .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
        .option('--min-size <size>', 'tables from this size are examined (default 10GB)')
        .option('--min-growth <size>', '... and tables growing this much a month (default 1GB)')
        .option('--target-size <size>', 'the partition size the interval aims at (default 5GB)')
        .option('--top <n>', 'statements read from pg_stat_statements, by total time (default 500)')
        .option('--table <names...>', 'examine these tables whatever their size'),
    ),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./partition-command.js')).partitionAdviseCommand(url, options, io);
  });
  timeouts(
    partitionOutput(
      partition
        .command('convert')
        .description('write the online migration that turns a table into a range-partitioned one: batched copy kept in sync by a trigger, swap by rename; never runs it')
        .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
        .option('--table <name>', 'the table to convert: public.events')
        .option('--key <column>', 'the partition key: a NOT NULL date, timestamp, timestamptz or integer column')
        .option('--interval <interval>', 'day, week, month, quarter, year (hour for timestamps), or a width for integer keys')
        .option('--premake <n>', 'partitions made ahead of now (default 4)')
        .option('--default', 'also create a default partition')
        .option('--batch-size <n>', 'rows copied per transaction (default 10000)')
        .option('--out <file>', 'write the migration to this file (default: print it)'),
    ),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./partition-command.js')).partitionConvertCommand(url, options, io);
  });
  partitionOutput(
    partition
      .command('maintain')
      .description('create the partitions due, apply retention (detach, dump, drop), move default-partition rows; short locks with retries; idempotent')
      .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
      .option('-c, --config <file>', 'partitions.json: the tables kept, their interval, premake and retention (docs/partition.md)')
      .option('--dry-run', 'print the SQL that would run; change nothing (read-only session)')
      .option('--pg-dump <path>', 'pg_dump for retentionAction "dump" (default: pg_dump on PATH)')
      .option('--lock-timeout <duration>', 'lock_timeout of each step (default: the config\'s, else 1s)')
      .option('--statement-timeout <duration>', 'statement_timeout (default none)'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./partition-command.js')).partitionMaintainCommand(url, options, io);
  });

  const backup = program.command('backup').description('backups proven by restoring them: audit the posture, dump with a manifest, verify by a restore drill (docs/backup.md)');
  timeouts(
    backup
      .command('audit')
      .description('audit the backup posture of a server: WAL level, archiving and its failures, PITR, slots, checksums, full_page_writes, last backup, implied RPO and RTO')
      .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
      .option('--pgbackrest-stanza <stanza>', 'also examine this pgBackRest stanza (pgbackrest info, run on this machine)')
      .option('--dump-dir <folder>', 'also examine the backups written by backup create in this folder (age, restore drills, measured restore speed)')
      .option('--max-backup-age <hours>', 'a last backup older than this is a warning: 26h, 2d (default 26h)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of stdout')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info']).default('error'))
      .option('--color', 'force colour')
      .option('--no-color', 'no colour'),
  ).action(async (url: string | undefined, options) => {
    exitCode = await (await import('./backup-command.js')).backupAuditCommand(url, options, io);
  });
  backup
    .command('create')
    .description('pg_dump with parallel jobs, plus manifest.json: row counts and checksums of every table in the dump\'s own snapshot, sha256 of every file')
    .argument('[url]', 'a postgres:// URL (default: DATABASE_URL / PG* variables)')
    .option('--out <folder>', 'the backup folder (new, or empty)')
    .addOption(new Option('--dump-format <format>', 'pg_dump format').choices(['directory', 'custom']).default('directory'))
    .option('-j, --jobs <n>', 'parallel pg_dump jobs (directory format)', '1')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--lock-timeout <duration>', 'how long pg_dump and the checksums wait for a table lock', '30s')
    .option('--statement-timeout <duration>', 'statement_timeout of the checksum session (default none)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (url: string | undefined, options) => {
      exitCode = await (await import('./backup-command.js')).backupCreateCommand(url, options, io);
    });
  backup
    .command('verify')
    .description('restore drill: check the files, restore into a scratch database, compare every table with the manifest, amcheck the indexes, measure the restore time')
    .argument('<dir>', 'a folder written by backup create')
    .option('--target <url>', 'restore on this server, into the database the URL names (default <db>_verify); without it, into a temporary cluster started here')
    .option('--keep', 'with --target: keep the restored database under the URL\'s name')
    .option('--force', 'go on when the target database exists (with --keep: replace it once the restore succeeded)')
    .option('-j, --jobs <n>', 'parallel pg_restore jobs', '1')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (dir: string, options) => {
      exitCode = await (await import('./backup-command.js')).backupVerifyCommand(dir, options, io);
    });

  program
    .command('rules')
    .description('list the rules, or show the documentation of one')
    .argument('[id]', 'a rule id')
    .addOption(new Option('-f, --format <format>', 'list format').choices(['text', 'json']).default('text'))
    .action(async (id: string | undefined, options) => {
      exitCode = (await import('./rules-command.js')).rulesCommand(id, options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io, debug);
  }
}

function reportError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE;
  }
  if (error instanceof UserError) {
    io.stderr(redactPassword(`pgarchitect: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`));
  } else {
    const pgError = postgresErrorInfo(error);
    if (pgError) {
      const hint = pgError.sqlstate === '57014' ? '\n  raise --statement-timeout, or run when the server is less busy' : pgError.sqlstate === '42501' ? '\n  connect as a role with the privilege, or as the owner' : '';
      io.stderr(redactPassword(`pgarchitect: the server reported ${pgError.sqlstate}: ${pgError.message}${hint}\n`));
    } else {
      io.stderr(redactPassword(`pgarchitect: internal error: ${(error as Error)?.message ?? String(error)}${debug ? '' : ' (run with --debug for details, and please report it)'}\n`));
    }
  }
  if (debug && error instanceof Error && error.stack) io.stderr(redactPassword(error.stack) + '\n');
  return EXIT_USAGE;
}
