/**
 * Bulk camera generation for tests and benchmarks: a deterministic spread of cameras of every
 * kind over a bounding box, written straight into the store with their R*Tree rows.
 */
import type { Db } from '../db/store';
import { mulberry32 } from '../demo/prng';
import { CAMERA_KINDS } from '../../../shared/domain/model';
import type { Stream } from '../../../shared/domain/video';

/** The demo generator's seeded PRNG (mulberry32), shared rather than copied. */
export const prng = mulberry32;

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
