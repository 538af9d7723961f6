import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '.';
import { openStore } from '../store';
import { migration005 } from './005_consult';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-m005-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migration 005 (consultation)', () => {
  it('is listed fifth', () => {
    expect(MIGRATIONS[4]).toBe(migration005);
  });

  it('creates its tables on a fresh store', () => {
    const db = openStore(tmp());
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const t of ['consult_models', 'consult_model_revisions', 'consult_runs', 'consult_scores', 'consult_sessions', 'consult_decisions', 'consult_briefings', 'site_inspections'])
        expect(tables).toContain(t);
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(5);
    } finally {
      db.close();
    }
  });

  it('upgrades a store with cases, indexing them for scoring', () => {
    const dir = tmp();
    const before = openStore(dir, { migrations: MIGRATIONS.slice(0, 4) });
    before
      .prepare(`INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, grid_id, state, reported_at, deadline_at, updated_at)
        VALUES ('c1', 'C1', 'grid', '01', '0101', 't', 120, 30, 'g', 'dispatched', 1, 2, 1)`)
      .run();
    before.close();
    const db = openStore(dir);
    try {
      const plan = (sql: string, ...p: unknown[]): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
      expect(plan('SELECT grid_id, COUNT(*) FROM cases INDEXED BY cases_consult_window WHERE reported_at >= ? AND reported_at < ? GROUP BY grid_id', 0, 5)).toContain('COVERING INDEX cases_consult_window');
      expect(plan("SELECT grid_id FROM cases INDEXED BY cases_consult_open WHERE state NOT IN ('closed', 'cancelled') AND deadline_at < ?", 5)).toContain('cases_consult_open');
      expect(db.prepare("SELECT COUNT(*) FROM cases INDEXED BY cases_consult_open WHERE state NOT IN ('closed', 'cancelled') AND deadline_at < 5").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('logs decisions and sessions in the change log', () => {
    const db = openStore(tmp());
    try {
      db.prepare(`INSERT INTO consult_sessions(id, day, title, chair, state, agenda, generated_at, last_actor, opened_at, updated_at) VALUES ('s', '2026-11-21', 't', 'c', 'open', '{}', 1, 'c', 1, 1)`).run();
      expect(db.prepare("SELECT op FROM change_log WHERE entity = 'consult_sessions'").pluck().all()).toEqual(['insert']);
    } finally {
      db.close();
    }
  });
});
