import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../store';
import { migration001 } from './001_foundation';
import { CLOCK_STATES_SQL, migration002 } from './002_closed_loop';
import { CLOCK_STATES } from '../../../../shared/domain/workflow';
import { MIGRATIONS } from '.';
import { syncFacts } from '../../cases/facts';
import { WorkClock } from '../../../../shared/domain/workclock';
import { CATEGORIES, CATEGORY_CLASSES } from '../../../../shared/domain/catalogue';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-m002-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const T = Date.parse('2026-03-02T09:00:00+08:00');
const columns = (db: Db, table: string): string[] => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
const indexes = (db: Db): string[] => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[];

describe('migration 002 (closed loop)', () => {
  it('is listed second', () => {
    expect(MIGRATIONS[1]).toBe(migration002);
  });

  it('its clock-state literal matches the workflow, and the deadline scans use its partial indexes', () => {
    expect(CLOCK_STATES_SQL).toBe(`(${CLOCK_STATES.map((s) => `'${s}'`).join(', ')})`);
    const db = openStore(tmp(), { migrations: [migration001, migration002] });
    try {
      const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan(`SELECT * FROM cases INDEXED BY cases_scan_overdue WHERE state IN ${CLOCK_STATES_SQL} AND overdue = 0 AND deadline_at <= ?`)).toContain('cases_scan_overdue');
      expect(plan(`SELECT * FROM cases INDEXED BY cases_scan_warning WHERE state IN ${CLOCK_STATES_SQL} AND warning = 0 AND warn_at <= ?`)).toContain('cases_scan_warning');
    } finally {
      db.close();
    }
  });

  it('applies to a fresh store', () => {
    const db = openStore(tmp(), { migrations: [migration001, migration002] });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare('SELECT COUNT(*) FROM category_classes').pluck().get()).toBe(CATEGORY_CLASSES.length);
      expect(db.prepare('SELECT COUNT(*) FROM categories').pluck().get()).toBe(CATEGORIES.length);
      expect(CATEGORIES.length).toBeGreaterThanOrEqual(60);
      expect(db.prepare("SELECT COUNT(*) FROM catalogue_history WHERE op = 'seed'").pluck().get()).toBe(CATEGORIES.length + CATEGORY_CLASSES.length);
      const road = db.prepare("SELECT * FROM categories WHERE code = '0103'").get() as Record<string, unknown>;
      expect(road).toMatchObject({ class_code: '01', name: '道路不洁', department_code: 'CG', limit_unit: 'work_hours', limit_value: 5, version: 1, updated_by: 'system:seed' });
      expect(columns(db, 'cases')).toEqual(expect.arrayContaining(['limit_ms', 'warn_at', 'warning', 'paused_at', 'supervision_level']));
      expect(columns(db, 'case_facts')).toEqual(expect.arrayContaining(['case_rid', 'due_at', 'last_at', 'dept', 'grid', 'rework_count', 'handling_ms']));
      expect(columns(db, 'eval_rollup')).toEqual(expect.arrayContaining(['period', 'bucket', 'kind', 'key', 'received', 'due', 'on_time']));
      expect(indexes(db)).toEqual(expect.arrayContaining(['cases_scan_overdue', 'cases_scan_warning', 'cases_scan_unset', 'cases_assignee', 'case_events_action', 'case_facts_reported', 'case_queue_order']));
      // Catalogue edits reach the change log like every other entity.
      db.prepare("UPDATE categories SET limit_value = 2, version = version + 1, updated_at = 1 WHERE code = '0101'").run();
      expect(db.prepare("SELECT op, version FROM change_log WHERE entity = 'categories' AND entity_id = '0101' ORDER BY seq DESC LIMIT 1").get()).toEqual({ op: 'update', version: 2 });
    } finally {
      db.close();
    }
  });

  it('upgrades a store at version 1 with data; the evaluation facts are then derived from the history', () => {
    const dir = tmp();
    const v1 = openStore(dir, { migrations: [migration001] });
    const insCase = v1.prepare(
      `INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, state, reported_at, deadline_at, supervised, updated_at)
       VALUES (?, ?, 'grid', '01', '0101', '暴露垃圾', 120.1, 30.2, ?, ${T}, ?, ?, ${T})`,
    );
    const insEvent = v1.prepare("INSERT INTO case_events(case_id, at, action, from_state, to_state, actor, role) VALUES (?, ?, ?, NULL, NULL, 'a', 'operator')");
    insCase.run('c1', 'T-1', 'closed', T + 5000, 0);
    insCase.run('c2', 'T-2', 'accepted', T + 9000, 1);
    insCase.run('c3', 'T-3', 'reported', null, 0);
    for (const [id, at, action] of [
      ['c1', 1, 'report'],
      ['c1', 2, 'dispatch'],
      ['c1', 3, 'handle'],
      ['c1', 4, 'verify_fail'],
      ['c1', 5, 'handle'],
      ['c1', 6, 'verify_pass'],
      ['c2', 1, 'report'],
      ['c2', 2, 'dispatch'],
      ['c2', 3, 'return'],
      ['c2', 4, 'dispatch'],
      ['c2', 5, 'extend'],
      ['c2', 6, 'supervise'],
    ] as const)
      insEvent.run(id, T + at, action);
    v1.close();

    const db = openStore(dir, { migrations: [migration001, migration002] });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare('SELECT COUNT(*) FROM cases').pluck().get()).toBe(3);
      expect(db.prepare('SELECT COUNT(*) FROM case_facts').pluck().get()).toBe(0);
      expect(syncFacts(db, new WorkClock())).toMatchObject({ mode: 'rebuild', cases: 3 });
      const m = db
        .prepare('SELECT c.id, f.state, f.rework_count, f.return_count, f.extension_count, f.handled_at, f.due_at FROM cases c JOIN case_facts f ON f.case_rid = c.rid ORDER BY c.id')
        .all();
      expect(m).toEqual([
        { id: 'c1', state: 'closed', rework_count: 1, return_count: 0, extension_count: 0, handled_at: T + 5, due_at: T + 5000 },
        { id: 'c2', state: 'accepted', rework_count: 0, return_count: 1, extension_count: 1, handled_at: null, due_at: T + 9000 },
        { id: 'c3', state: 'reported', rework_count: 0, return_count: 0, extension_count: 0, handled_at: null, due_at: null },
      ]);
      expect(db.prepare('SELECT SUM(received) FROM eval_rollup WHERE period = 2 AND kind = 0').pluck().get()).toBe(3);
      expect(db.prepare("SELECT supervision_level FROM cases WHERE id = 'c2'").pluck().get()).toBe(1);
      expect(db.prepare("SELECT supervision_level, warning, limit_ms FROM cases WHERE id = 'c1'").get()).toEqual({ supervision_level: 0, warning: 0, limit_ms: null });
      expect(db.prepare('SELECT COUNT(*) FROM categories').pluck().get()).toBe(CATEGORIES.length);
    } finally {
      db.close();
    }
  });
});
