/**
 * Names for the objects the keys rules' fixes create (indexes, constraints, partitions). Not a rule.
 *
 * A fix must not collide with an existing name, or its script stops at the first statement. Postgres
 * truncates identifiers to 63 bytes (NAMEDATALEN - 1), so two long names can collide only after
 * truncation: names are truncated here first, then numbered like Postgres numbers its own choices.
 */
import type { CatalogSnapshot } from '../../../catalog/types.js';

const MAX_IDENTIFIER_BYTES = 63;

/** Relation names (tables, indexes, sequences, views) per schema: they share one namespace. */
export class RelationNames {
  private bySchema: Map<string, Set<string>> | undefined;

  /** Reads the snapshot's names on first use only: most reviews never need to name anything. */
  constructor(private readonly snapshot: CatalogSnapshot) {}

  /** `<base>_<suffix>` (or `<base>_<suffix>1`, 2, ...) free in `schema`; reserves the name it returns. */
  choose(schema: string, base: string, suffix: string): string {
    const taken = this.namesIn(schema);
    const name = chooseFreeName(base, suffix, taken);
    taken.add(name);
    return name;
  }

  has(schema: string, name: string): boolean {
    return this.namesIn(schema).has(name);
  }

  reserve(schema: string, name: string): void {
    this.namesIn(schema).add(name);
  }

  private namesIn(schema: string): Set<string> {
    if (!this.bySchema) {
      this.bySchema = new Map();
      const { tables, indexes, sequences, views } = this.snapshot;
      for (const list of [tables, indexes, sequences, views]) {
        for (const r of list) this.add(this.bySchema, r.schema, r.name);
      }
    }
    return this.add(this.bySchema, schema);
  }

  private add(map: Map<string, Set<string>>, schema: string, name?: string): Set<string> {
    let names = map.get(schema);
    if (!names) {
      names = new Set();
      map.set(schema, names);
    }
    if (name !== undefined) names.add(name);
    return names;
  }
}

/** A constraint name free among a table's constraints, as Postgres would choose it (`orders_user_id_fkey`). */
export function chooseConstraintName(table: string, columns: readonly string[], suffix: string, existing: readonly string[]): string {
  return chooseFreeName(`${table}_${columns.join('_')}`, suffix, new Set(existing));
}

function chooseFreeName(base: string, suffix: string, taken: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const tail = n === 0 ? `_${suffix}` : `_${suffix}${n}`;
    const name = truncateIdentifier(base, MAX_IDENTIFIER_BYTES - byteLength(tail)) + tail;
    if (!taken.has(name)) return name;
  }
}

/** Cuts `name` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateIdentifier(name: string, maxBytes = MAX_IDENTIFIER_BYTES): string {
  if (byteLength(name) <= maxBytes) return name;
  let result = '';
  for (const char of name) {
    if (byteLength(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
