import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../store';
import { MIGRATIONS } from './index';

const upTo = (v: number) => MIGRATIONS.filter((m) => m.version <= v);

describe('migration 3 (monitoring) on a fresh database', () => {
  it('creates the readings, roll-ups, alarms and CAP tables, and indexes sensors that already exist', () => {
    const db = new Database(':memory:');
    migrate(db, upTo(2));
    db.prepare("INSERT INTO sensors(id, name, type, unit, lon, lat, updated_at) VALUES ('s1', 'old', 'gas', '%LEL', 120.1, 30.2, 1)").run();
    migrate(db, upTo(3));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const t of ['readings', 'readings_1m', 'readings_1h', 'sensor_type_rules', 'alarms', 'alarm_events', 'cap_alerts', 'sensors_rtree']) expect(tables).toContain(t);
    expect(db.prepare('SELECT min_x, min_y FROM sensors_rtree').get()).toEqual({ min_x: expect.closeTo(120.1, 4), min_y: expect.closeTo(30.2, 4) });
    db.close();
  });

  it('keeps the sensor R*Tree in step, and logs registry edits but not live values', () => {
    const db = new Database(':memory:');
    migrate(db, upTo(3));
    db.prepare("INSERT INTO sensors(id, name, type, unit, lon, lat, updated_at) VALUES ('s1', 'n', 'gas', '%LEL', 120, 30, 1)").run();
    db.prepare("UPDATE sensors SET lon = 121, version = version + 1, updated_at = 2 WHERE id = 's1'").run();
    expect(db.prepare('SELECT min_x FROM sensors_rtree').pluck().get()).toBeCloseTo(121, 4);
    db.prepare("UPDATE sensors SET last_value = 3, last_at = 5, status = 'alarm' WHERE id = 's1'").run();
    const ops = db.prepare("SELECT op FROM change_log WHERE entity = 'sensors' ORDER BY seq").pluck().all();
    expect(ops).toEqual(['insert', 'update']);
    db.prepare("DELETE FROM sensors WHERE id = 's1'").run();
    expect(db.prepare('SELECT COUNT(*) FROM sensors_rtree').pluck().get()).toBe(0);
    db.close();
  });

  it('allows one open alarm per sensor and kind, and readings once per sensor and time', () => {
    const db = new Database(':memory:');
    migrate(db, upTo(3));
    const ins = db.prepare(`INSERT INTO alarms(id, sensor_id, sensor_type, kind, severity, state, message, lon, lat, raised_at, last_at, updated_at)
      VALUES (?, 's1', 'gas', 'threshold', 2, ?, 'm', 120, 30, 1, 1, 1)`);
    ins.run('a1', 'cleared');
    ins.run('a2', 'raised');
    expect(() => ins.run('a3', 'acknowledged')).toThrow(/UNIQUE/);
    db.prepare('INSERT INTO readings(b, sensor_rid, t, v) VALUES (0, 1, 1, 1)').run();
    expect(db.prepare('INSERT OR IGNORE INTO readings(b, sensor_rid, t, v) VALUES (0, 1, 1, 2)').run().changes).toBe(0);
    db.close();
  });
});
