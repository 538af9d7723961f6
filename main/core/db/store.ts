/**
 * The SQLite store: one writer connection owned by the core (DESIGN.md convention 6).
 * WAL mode; numbered migrations tracked in PRAGMA user_version, all pending ones applied in one
 * transaction; a database written by a newer version of the app is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { registerTextFunctions } from './text';

export type Db = Database.Database;

export class StoreError extends Error {
  constructor(
    readonly code: 'newer_schema' | 'open_failed' | 'migration_failed',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const DB_FILE = 'cityops.sqlite';

export interface OpenOptions {
  log?: Logger;
  migrations?: readonly Migration[];
  /** Log statements slower than this many ms (default 50). */
  slowMs?: number;
  readonly?: boolean;
}

export function latestSchemaVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export function openStore(dataDir: string, opts: OpenOptions = {}): Db {
  const log = opts.log ?? silentLogger;
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (err) {
    throw new StoreError('open_failed', `cannot open the store ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536'); // 64 MiB
    if (!opts.readonly) migrate(db, opts.migrations ?? MIGRATIONS, log, file);
    else checkNotNewer(db, opts.migrations ?? MIGRATIONS, file);
  } catch (err) {
    db.close();
    throw err;
  }
  log.info('store.opened', { file, schemaVersion: db.pragma('user_version', { simple: true }) });
  return db;
}

function checkNotNewer(db: Db, migrations: readonly Migration[], file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestSchemaVersion(migrations);
  if (current > latest) {
    throw new StoreError(
      'newer_schema',
      `the store ${file} has schema version ${current}, but this version of CityOps Wall knows only up to ${latest}. ` +
        `Upgrade CityOps Wall, or start with another --data-dir.`,
    );
  }
  return current;
}

export function migrate(db: Db, migrations: readonly Migration[], log: Logger = silentLogger, file = 'store'): number {
  // The triggers of the case text index call a function of ours: every writing connection has it.
  registerTextFunctions(db);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3… without gaps; found ${m.version} at position ${i + 1}`);
  });
  const current = checkNotNewer(db, sorted, file);
  const pending = sorted.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  const apply = db.transaction(() => {
    for (const m of pending) {
      try {
        m.up(db);
      } catch (err) {
        throw new StoreError('migration_failed', `migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      db.pragma(`user_version = ${m.version}`);
    }
  });
  apply.immediate();
  const now = db.pragma('user_version', { simple: true }) as number;
  log.info('store.migrated', { from: current, to: now, applied: pending.map((m) => `${m.version}_${m.name}`) });
  return now;
}

/** Small key/value helpers over the meta table. */
export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? row.value : null;
}
export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
