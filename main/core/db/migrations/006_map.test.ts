import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../store';
import { MIGRATIONS } from '.';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-m006-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migration 006 (map)', () => {
  it('applies to a fresh store: staff positions and saved views, views in the change log', () => {
    const db = openStore(tmp());
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(6);
      db.prepare("INSERT INTO staff(id, name, role, updated_at) VALUES ('s1', '王', 'grid_worker', 1)").run();
      db.prepare("INSERT INTO staff_positions(staff_id, at, lon, lat) VALUES ('s1', 10, 120, 30), ('s1', 20, 120.1, 30.1)").run();
      expect(() => db.prepare("INSERT INTO staff_positions(staff_id, at, lon, lat) VALUES ('s1', 10, 0, 0)").run()).toThrow(/UNIQUE|PRIMARY/);
      expect(() => db.prepare("INSERT INTO staff_positions(staff_id, at, lon, lat) VALUES ('ghost', 10, 0, 0)").run()).toThrow(/FOREIGN KEY/);
      db.prepare("DELETE FROM staff WHERE id = 's1'").run();
      expect(db.prepare('SELECT COUNT(*) FROM staff_positions').pluck().get()).toBe(0);
      db.prepare("INSERT INTO map_views(id, name, data, updated_at) VALUES ('v1', '夜巡', '{\"v\":1}', 5)").run();
      db.prepare("UPDATE map_views SET name = '早巡', version = version + 1, updated_at = 6 WHERE id = 'v1'").run();
      expect(db.prepare("SELECT op FROM change_log WHERE entity = 'map_views' ORDER BY seq").pluck().all()).toEqual(['insert', 'update']);
    } finally {
      db.close();
    }
  });

  it('upgrades a store of version 5 without touching its data', () => {
    const dir = tmp();
    const db = new Database(path.join(dir, 'store.sqlite'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, MIGRATIONS.filter((m) => m.version < 6));
      db.prepare("INSERT INTO staff(id, name, role, lon, lat, updated_at) VALUES ('s1', '王', 'grid_worker', 120, 30, 1)").run();
      migrate(db, MIGRATIONS.filter((m) => m.version <= 6));
      expect(db.pragma('user_version', { simple: true })).toBe(6);
      expect(db.prepare("SELECT lon FROM staff WHERE id = 's1'").pluck().get()).toBe(120);
      expect(db.prepare('SELECT COUNT(*) FROM staff_positions').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
