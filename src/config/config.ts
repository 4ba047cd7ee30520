/**
 * pgarchitect.config.json: which rules run, at what severity, with which options, and which objects
 * to ignore. Validated strictly: a typo in a rule id or an option is a user error, not a silent no-op.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { SEVERITIES, type Severity } from '../finding.js';
import type { RuleMeta } from '../rules/rule.js';

/** Any rule of any set (review, lint, explain): configuration only needs its metadata. */
type ConfigurableRule = { meta: RuleMeta<object> };

export const CONFIG_FILE_NAME = 'pgarchitect.config.json';

export interface RuleSetting {
  /** `off` disables the rule. */
  severity?: Severity | 'off';
  options?: Record<string, unknown>;
}

export interface IgnoreEntry {
  /** Rule id; absent means every rule. */
  rule?: string;
  /**
   * Object pattern matched against `schema.table`, `schema.table.column` or `schema.name` (for
   * indexes, sequences, functions); `*` matches any run of characters.
   */
  object: string;
}

/** Defaults for `pgarchitect migrate` (its command-line options win). */
export interface MigrateConfig {
  /** The migrations folder, relative to the working directory. */
  dir?: string;
  /** Refuse gaps between versions. */
  noGaps?: boolean;
  /** lock_timeout of migrations: `5s`, `500ms`. */
  lockTimeout?: string;
  /** Retries after a lock timeout. */
  retries?: number;
}

export interface Config {
  rules: Record<string, RuleSetting>;
  ignore: IgnoreEntry[];
  migrate?: MigrateConfig;
}

export const EMPTY_CONFIG: Config = { rules: {}, ignore: [] };

/** Reads `path`, or `pgarchitect.config.json` in `cwd` when present; otherwise the empty config. */
export function loadConfig(rules: readonly ConfigurableRule[], path?: string, cwd = process.cwd()): Config {
  const file = path ? resolve(cwd, path) : resolve(cwd, CONFIG_FILE_NAME);
  if (!existsSync(file)) {
    if (path) throw new UserError(`${path}: configuration file not found`);
    return EMPTY_CONFIG;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, rules, file);
}

/**
 * `loadConfig` for commands that need the rule list only to check a configuration file: the rules
 * are loaded only when there is a file (loading every rule module costs tens of milliseconds).
 */
export async function loadConfigIfPresent(rules: () => Promise<readonly ConfigurableRule[]>, path?: string, cwd = process.cwd()): Promise<Config> {
  const file = path ? resolve(cwd, path) : resolve(cwd, CONFIG_FILE_NAME);
  if (!path && !existsSync(file)) return EMPTY_CONFIG;
  return loadConfig(await rules(), path, cwd);
}

export function parseConfig(raw: unknown, rules: readonly ConfigurableRule[], origin = 'configuration'): Config {
  if (!isObject(raw)) throw new UserError(`${origin}: expected a JSON object`);
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const config: Config = { rules: {}, ignore: [] };
  for (const key of Object.keys(raw)) {
    if (!['rules', 'ignore', 'migrate', '$schema'].includes(key)) throw new UserError(`${origin}: unknown key "${key}"`, 'allowed keys: rules, ignore, migrate');
  }
  if (raw.migrate !== undefined) config.migrate = parseMigrateConfig(raw.migrate, origin);
  const rulesRaw = raw.rules ?? {};
  if (!isObject(rulesRaw)) throw new UserError(`${origin}: "rules" must be an object keyed by rule id`);
  for (const [id, value] of Object.entries(rulesRaw)) {
    const rule = byId.get(id);
    if (!rule) throw unknownRule(origin, id);
    config.rules[id] = parseRuleSetting(value, rule, origin);
  }
  const ignoreRaw = raw.ignore ?? [];
  if (!Array.isArray(ignoreRaw)) throw new UserError(`${origin}: "ignore" must be an array`);
  for (const entry of ignoreRaw) {
    if (!isObject(entry) || typeof entry.object !== 'string') {
      throw new UserError(`${origin}: each "ignore" entry needs an "object" pattern, for example {"rule": "wide-table", "object": "public.legacy_*"}`);
    }
    if (entry.rule !== undefined && (typeof entry.rule !== 'string' || !byId.has(entry.rule))) {
      throw unknownRule(origin, String(entry.rule), 'ignore entry names ');
    }
    config.ignore.push({ object: entry.object, rule: entry.rule as string | undefined });
  }
  return config;
}

function parseRuleSetting(value: unknown, rule: ConfigurableRule, origin: string): RuleSetting {
  const id = rule.meta.id;
  if (typeof value === 'string') return { severity: parseSeverity(value, id, origin) };
  if (!isObject(value)) throw new UserError(`${origin}: rule "${id}" must be a severity or {"severity", "options"}`);
  const setting: RuleSetting = {};
  if (value.severity !== undefined) setting.severity = parseSeverity(value.severity, id, origin);
  if (value.options !== undefined) {
    if (!isObject(value.options)) throw new UserError(`${origin}: options of rule "${id}" must be an object`);
    const defaults = rule.meta.defaultOptions as Record<string, unknown>;
    for (const [name, optionValue] of Object.entries(value.options)) {
      if (!(name in defaults)) {
        const known = Object.keys(defaults);
        throw new UserError(`${origin}: rule "${id}" has no option "${name}"`, known.length ? `its options: ${known.join(', ')}` : 'it takes no options');
      }
      if (typeof optionValue !== typeof defaults[name] || Array.isArray(optionValue) !== Array.isArray(defaults[name])) {
        throw new UserError(`${origin}: option "${name}" of rule "${id}" must be of type ${Array.isArray(defaults[name]) ? 'array' : typeof defaults[name]}`);
      }
    }
    setting.options = value.options;
  }
  return setting;
}

const MIGRATE_KEYS: Record<keyof MigrateConfig, 'string' | 'boolean' | 'number'> = { dir: 'string', noGaps: 'boolean', lockTimeout: 'string', retries: 'number' };

function parseMigrateConfig(value: unknown, origin: string): MigrateConfig {
  if (!isObject(value)) throw new UserError(`${origin}: "migrate" must be an object, for example {"dir": "db/migrations", "noGaps": true}`);
  for (const [key, setting] of Object.entries(value)) {
    const type = Object.hasOwn(MIGRATE_KEYS, key) ? MIGRATE_KEYS[key as keyof MigrateConfig] : undefined;
    if (!type) throw new UserError(`${origin}: "migrate" has no key "${key}"`, `its keys: ${Object.keys(MIGRATE_KEYS).join(', ')}`);
    if (typeof setting !== type) throw new UserError(`${origin}: "migrate.${key}" must be a ${type}`);
  }
  return value as MigrateConfig;
}

function parseSeverity(value: unknown, id: string, origin: string): Severity | 'off' {
  if (value === 'off' || SEVERITIES.includes(value as Severity)) return value as Severity | 'off';
  throw new UserError(`${origin}: rule "${id}": severity must be one of error, warning, info, off (got ${JSON.stringify(value)})`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rules renamed since an earlier release: old id to new id. */
const RENAMED_RULES: Readonly<Record<string, string>> = {
  'partitioned-table-without-future-partition': 'partition-missing-future',
};

function unknownRule(origin: string, id: string, what = ''): UserError {
  const renamed = RENAMED_RULES[id];
  if (renamed) return new UserError(`${origin}: ${what}rule "${id}" was renamed "${renamed}"`, `use "${renamed}" in the configuration (and regenerate baselines, whose fingerprints include the id)`);
  return new UserError(`${origin}: ${what}unknown rule "${id}"`, 'run `pgarchitect rules` for the list');
}
