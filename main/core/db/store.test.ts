import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { DB_FILE, latestSchemaVersion, migrate, openStore, StoreError } from './store';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the store', () => {
  it('creates the file in the data directory, in WAL mode, at the latest schema', () => {
    const dir = tmp();
    const db = openStore(dir);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
    db.close();
  });

  it('reopens an existing store without re-running migrations', () => {
    const dir = tmp();
    const db = openStore(dir);
    db.prepare("INSERT INTO meta(key, value) VALUES ('probe', 'kept')").run();
    db.close();
    const again = openStore(dir);
    expect(again.prepare("SELECT value FROM meta WHERE key = 'probe'").pluck().get()).toBe('kept');
    again.close();
  });

  it('refuses a store written by a newer version, with a clear message, and leaves it untouched', () => {
    const dir = tmp();
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma(`user_version = ${latestSchemaVersion() + 5}`);
    raw.close();
    expect(() => openStore(dir)).toThrowError(StoreError);
    expect(() => openStore(dir)).toThrowError(/newer|knows only up to/);
    const check = new Database(path.join(dir, DB_FILE));
    expect(check.pragma('user_version', { simple: true })).toBe(latestSchemaVersion() + 5);
    check.close();
  });

  it('rolls back all pending migrations when one fails', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE x(a); SELECT nope FROM nowhere;') }];
    expect(() => migrate(db, broken)).toThrowError(/migration .* failed/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'cases'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses migrations with gaps in their numbering', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'x', up: () => {} }])).toThrowError(/without gaps/);
    db.close();
  });
});

describe('migration 1 (foundation) on a fresh database', () => {
  it('creates the schema, the R*Trees and the change-log triggers', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version === 1));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").pluck().all() as string[];
    for (const t of ['areas', 'areas_rtree', 'cameras', 'cameras_rtree', 'case_events', 'cases', 'change_log', 'departments', 'meta', 'sensors', 'settings', 'staff', 'units'])
      expect(tables).toContain(t);
    db.prepare("INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES ('d1', 'CG', '城管', 'CM', 'enforcement', 1)").run();
    db.prepare("UPDATE departments SET name = '城管执法', version = version + 1, updated_at = 2 WHERE id = 'd1'").run();
    db.prepare("DELETE FROM departments WHERE id = 'd1'").run();
    const log = db.prepare('SELECT entity, entity_id, op, version FROM change_log ORDER BY seq').all();
    expect(log).toEqual([
      { entity: 'departments', entity_id: 'd1', op: 'insert', version: 1 },
      { entity: 'departments', entity_id: 'd1', op: 'update', version: 2 },
      { entity: 'departments', entity_id: 'd1', op: 'delete', version: 2 },
    ]);
    expect(() => db.prepare("INSERT INTO areas(id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, updated_at) VALUES ('a', 9, 'c', 'n', 0,0,0,0,0,0,'{}',1)").run()).toThrow(
      /CHECK/,
    );
    db.close();
  });
});
