import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Db } from '../store';
import { bigramMatch } from '../text';
import { MIGRATIONS } from '.';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-m007-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const insertCase = (db: Db, id: string, title: string, address: string): void => {
  db.prepare(
    `INSERT INTO cases(id, code, source, class_code, category_code, title, address, lon, lat, state, reported_at, updated_at)
     VALUES (?, ?, 'grid', '01', '0101', ?, ?, 120.1, 30.2, 'reported', 1, 1)`,
  ).run(id, `AJ20261121-${id}`, title, address);
};
/** Candidates from the index, then the exact substring, as cases.list searches. */
const found = (db: Db, text: string): string[] =>
  db
    .prepare(
      `SELECT c.id FROM case_text t JOIN cases c ON c.rid = t.rowid WHERE case_text MATCH ?
       AND (instr(lower(c.code), ?) OR instr(c.title, ?) OR instr(c.address, ?)) ORDER BY c.id`,
    )
    .pluck()
    .all(bigramMatch(text), text.toLowerCase(), text, text) as string[];
const candidates = (db: Db, text: string): number => db.prepare('SELECT COUNT(*) FROM case_text WHERE case_text MATCH ?').pluck().get(bigramMatch(text)) as number;

describe('migration 007 (case text)', () => {
  it('indexes new cases, follows edits of title, address and number, and forgets deleted ones', () => {
    const db = openStore(tmp());
    try {
      insertCase(db, '00001', '井盖破损', '文三路 12 号');
      insertCase(db, '00002', '占道经营', '古墩路与文三路口');
      expect(found(db, '井盖')).toEqual(['00001']);
      expect(found(db, '文三路')).toEqual(['00001', '00002']);
      expect(found(db, '00002')).toEqual(['00002']);
      // Bigrams narrow, the substring decides: both numbers hold 00 and 02 (…2026…-0000x).
      expect(candidates(db, '00002')).toBe(2);
      db.prepare("UPDATE cases SET title = '噪音扰民' WHERE id = '00001'").run();
      expect(found(db, '井盖')).toEqual([]);
      expect(found(db, '噪音')).toEqual(['00001']);
      db.prepare("UPDATE cases SET state = 'registered' WHERE id = '00002'").run();
      expect(found(db, '占道')).toEqual(['00002']);
      db.prepare("DELETE FROM cases WHERE id = '00002'").run();
      expect(found(db, '古墩')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('indexes the cases of a store upgraded from version 6', () => {
    const dir = tmp();
    const v6 = openStore(dir, { migrations: MIGRATIONS.filter((m) => m.version <= 6) });
    insertCase(v6, '00003', '违规停车', '三墩镇振华路');
    v6.close();
    const db = openStore(dir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(7);
      expect(found(db, '停车')).toEqual(['00003']);
      expect(found(db, '振华路')).toEqual(['00003']);
    } finally {
      db.close();
    }
  });
});
