/** Schemas and extensions: created first, dropped last. */
import { quoteIdent } from './ddl.js';
import type { Plan } from './plan.js';
import { sortedEntries } from './schema-model.js';

/** Schemas created first and dropped last (empty by then, or the DROP fails). */
export function planSchemas(plan: Plan): void {
  for (const [name] of sortedEntries(plan.to.schemas)) {
    if (plan.from.schemas.has(name)) continue;
    plan.add('schemas', { kind: 'create schema', object: { type: 'schema', name }, sql: `CREATE SCHEMA ${quoteIdent(name)};` });
    plan.markCreated('schema', name);
  }
  for (const [name] of sortedEntries(plan.from.schemas)) {
    if (plan.to.schemas.has(name)) continue;
    plan.add('drop schemas', {
      kind: 'drop schema',
      object: { type: 'schema', name },
      sql: `DROP SCHEMA ${quoteIdent(name)};`,
      destructive: true,
      loses: 'the schema; the DROP fails if anything this migration does not drop is left in it',
    });
  }
}

/**
 * Installed extensions. Versions are not compared: the version of a side read from SQL files is the
 * one the embedded engine ships, not one the files chose.
 */
export function planExtensions(plan: Plan): void {
  for (const [name, extension] of sortedEntries(plan.to.extensions)) {
    const before = plan.from.extensions.get(name);
    const schema = extension.schema ? ` WITH SCHEMA ${quoteIdent(extension.schema)}` : '';
    if (!before) {
      plan.add('extensions', {
        kind: 'create extension',
        object: { type: 'extension', name },
        sql: `CREATE EXTENSION ${quoteIdent(name)}${schema};`,
        notes: ['the server must have the extension installed (its package); creating most extensions needs a superuser or a trusted extension'],
      });
    } else if (extension.schema && before.schema !== extension.schema) {
      plan.add('extensions', {
        kind: 'move extension',
        object: { type: 'extension', name },
        sql: `ALTER EXTENSION ${quoteIdent(name)} SET SCHEMA ${quoteIdent(extension.schema)};`,
        notes: ['objects that refer to its functions or types by their old schema must follow'],
      });
    }
  }
  for (const [name] of sortedEntries(plan.from.extensions)) {
    if (plan.to.extensions.has(name)) continue;
    plan.add('drop extensions', {
      kind: 'drop extension',
      object: { type: 'extension', name },
      sql: `DROP EXTENSION ${quoteIdent(name)};`,
      destructive: true,
      loses: 'the extension and the types, functions and operators it provides; the DROP fails while anything uses them',
    });
  }
}
