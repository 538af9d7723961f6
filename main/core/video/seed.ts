/**
 * Bulk camera generation for tests and benchmarks: a deterministic spread of cameras of every
 * kind over a bounding box, written straight into the store with their R*Tree rows.
 */
import type { Db } from '../db/store';
import { CAMERA_KINDS } from '../../../shared/domain/model';
import type { Stream } from '../../../shared/domain/video';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  count: number;
  bbox: [number, number, number, number];
  now: number;
  seed?: number;
  idPrefix?: string;
  streams?: (i: number) => Stream[];
}

export function seedCameras(db: Db, opts: SeedOptions): void {
  const rnd = prng(opts.seed ?? 1);
  const [minX, minY, maxX, maxY] = opts.bbox;
  const ins = db.prepare(`INSERT INTO cameras(id, name, lon, lat, heading, fov, height_m, kind, status, streams, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const idx = db.prepare('INSERT INTO cameras_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const prefix = opts.idPrefix ?? 'seed';
  db.transaction(() => {
    for (let i = 0; i < opts.count; i++) {
      const lon = minX + rnd() * (maxX - minX);
      const lat = minY + rnd() * (maxY - minY);
      const kind = CAMERA_KINDS[Math.floor(rnd() * 10) % CAMERA_KINDS.length]!;
      const status = rnd() < 0.95 ? 'online' : 'offline';
      const streams = opts.streams ? opts.streams(i) : [];
      const info = ins.run(`${prefix}-${i}`, `测试点位 ${i}`, lon, lat, Math.floor(rnd() * 360), 40 + Math.floor(rnd() * 60), 4 + rnd() * 10, kind, status, JSON.stringify(streams), opts.now);
      idx.run(info.lastInsertRowid, lon, lon, lat, lat);
    }
  })();
}
