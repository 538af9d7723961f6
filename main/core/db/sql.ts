/** Prepared statements cached per connection (DESIGN.md convention 7): compile once, bind always. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './store';

const caches = new WeakMap<Db, Map<string, Statement>>();

export function prep(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** `?, ?, ?` for n values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** `WITH RECURSIVE sub(id)`: the area @areaId and every area below it. */
export const DESCENDANTS = `WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = @areaId UNION ALL SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id)`;
