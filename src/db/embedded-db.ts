/**
 * Embedded PostgreSQL (PGlite, PostgreSQL 18 in WASM) behind the Db port. Used to load SQL files and
 * migration folders into a real engine without any server.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Db } from './db.js';
import { loadPgliteExtensions } from './pglite-extensions.js';
import { readTemplate, writeTemplate } from './pglite-template-cache.js';

export class EmbeddedDb implements Db {
  readonly kind = 'embedded' as const;
  #count = 0;
  constructor(readonly pglite: PGlite) {}

  /** Starts a fresh in-memory PGlite with the named contrib extensions available to CREATE EXTENSION. */
  static async create(extensionNames: readonly string[] = []): Promise<EmbeddedDb> {
    const { PGlite } = await import('@electric-sql/pglite');
    const extensions = await loadPgliteExtensions(extensionNames);
    // initdb inside WASM costs seconds; a saved empty cluster loads in well under one.
    const template = readTemplate();
    if (template) {
      try {
        return new EmbeddedDb(await PGlite.create({ extensions, loadDataDir: template }));
      } catch {
        // A damaged or incompatible template: fall through to a fresh cluster (and replace the template).
      }
    }
    const pglite = await PGlite.create({ extensions });
    await writeTemplate(() => pglite.dumpDataDir('gzip'));
    return new EmbeddedDb(pglite);
  }

  get queryCount(): number {
    return this.#count;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    this.#count++;
    const result = await this.pglite.query<Row>(sql, params as unknown[] | undefined);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}
