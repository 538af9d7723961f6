/**
 * A minimal core for the video tests and benchmarks: a fresh store in a temporary directory, the
 * registry and event bus, and the video service alone (no demo, no other capabilities).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../db/store';
import { silentLogger } from '../log';
import { EventBus, HandlerRegistry } from '../registry';
import type { CoreContext } from '../core';
import type { EventMessage } from '../../../shared/api';
import { registerVideo, type VideoService, type VideoServiceOptions } from './service';

export interface VideoHarness {
  ctx: CoreContext;
  video: VideoService;
  dir: string;
  events: EventMessage[];
  /** Advance the injected clock. */
  tick(ms: number): void;
  close(): Promise<void>;
}

export function createVideoHarness(opts: VideoServiceOptions & { now?: number; dir?: string } = {}): VideoHarness {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-video-'));
  const db = openStore(dir);
  let clock = opts.now ?? Date.parse('2026-11-21T10:00:00+08:00');
  const timers = new Set<NodeJS.Timeout>();
  const onClose: Array<() => void | Promise<void>> = [];
  const ctx: CoreContext = {
    db,
    registry: new HandlerRegistry(silentLogger),
    bus: new EventBus(silentLogger),
    log: silentLogger,
    dataDir: dir,
    now: () => clock,
    startedAt: clock,
    host: 'test',
    timers,
    onClose,
    touch: () => undefined,
    lastChangeAt: () => null,
  };
  const events: EventMessage[] = [];
  ctx.bus.subscribe((m) => events.push(m));
  const video = registerVideo(ctx, { probeIntervalMs: 0, ...opts });
  return {
    ctx,
    video,
    dir,
    events,
    tick: (ms) => {
      clock += ms;
    },
    async close() {
      for (const t of timers) clearInterval(t);
      for (const hook of onClose.reverse()) await hook();
      db.close();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Insert departments, a grid and cases straight into the store (fixtures for linkage tests). */
export function seedVideoFixture(ctx: CoreContext): void {
  const now = ctx.now();
  const db = ctx.db;
  db.prepare("INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES ('dep-police', 'GA', '公安', 'Police', 'police', ?)").run(now);
  db.prepare("INSERT INTO departments(id, code, name, name_en, kind, updated_at) VALUES ('dep-cg', 'CG', '城管执法', 'City management', 'enforcement', ?)").run(now);
  const geometry = JSON.stringify({ type: 'Polygon', coordinates: [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30.1], [120, 30]]] });
  const info = db
    .prepare(`INSERT INTO areas(id, parent_id, level, code, name, cx, cy, min_x, min_y, max_x, max_y, geometry, updated_at)
      VALUES ('g-1', NULL, 5, '330110001001001', '测试网格', 120.05, 30.05, 120, 30, 120.1, 30.1, ?, ?)`)
    .run(geometry, now);
  db.prepare('INSERT INTO areas_rtree(rid, min_x, max_x, min_y, max_y) VALUES (?, 120, 120.1, 30, 30.1)').run(info.lastInsertRowid);
}

/** Insert a case with the columns linkage reads (other columns take their defaults). */
export function insertCase(ctx: CoreContext, c: { id: string; lon: number; lat: number; state: string; reportedAt: number }): void {
  ctx.db
    .prepare(`INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, state, reported_at, updated_at)
      VALUES (@id, @id, 'grid', '01', '0101', '测试案件', @lon, @lat, @state, @reportedAt, @reportedAt)`)
    .run(c);
}
