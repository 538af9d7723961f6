import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../store';
import { MIGRATIONS } from '.';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-m004-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migration 004 (video)', () => {
  it('applies to a fresh store: stream health and presets, with presets in the change log', () => {
    const db = openStore(tmp());
    try {
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['stream_health', 'video_presets']));
      db.prepare("INSERT INTO video_presets(id, name, data, updated_at) VALUES ('p1', '早高峰', '{\"v\":1}', 5)").run();
      expect(db.prepare("SELECT entity, op FROM change_log WHERE entity_id = 'p1'").get()).toEqual({ entity: 'video_presets', op: 'insert' });
      db.prepare("INSERT INTO cameras(id, name, lon, lat, kind, updated_at) VALUES ('c1', 'x', 120, 30, 'fixed', 1)").run();
      db.prepare("INSERT INTO stream_health(camera_id, stream_index, state, method, updated_at) VALUES ('c1', 0, 'failed', 'player', 1)").run();
      expect(() => db.prepare("INSERT INTO stream_health(camera_id, stream_index, state, method, updated_at) VALUES ('c1', 1, 'exploded', 'player', 1)").run()).toThrow(/CHECK/);
      db.prepare("DELETE FROM cameras WHERE id = 'c1'").run();
      expect(db.prepare('SELECT COUNT(*) FROM stream_health').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('indexes cameras written before it in the R*Tree', () => {
    const dir = tmp();
    const db = new Database(path.join(dir, 'store.sqlite'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, MIGRATIONS.filter((m) => m.version < 4));
      db.prepare("INSERT INTO cameras(id, name, lon, lat, kind, updated_at) VALUES ('old', 'x', 120.5, 30.5, 'fixed', 1)").run();
      expect(db.prepare('SELECT COUNT(*) FROM cameras_rtree').pluck().get()).toBe(0);
      migrate(db, MIGRATIONS);
      expect(db.prepare('SELECT COUNT(*) FROM cameras_rtree WHERE min_x <= 120.5 AND max_x >= 120.5').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});
