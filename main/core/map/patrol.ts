/**
 * Demo patrols: while the demo city is loaded, a few hundred on-duty field staff walk their beat
 * (a random walk that stays near where they started) and report a position every minute through
 * the same recordPositions() that terminals use. At startup the last hour is filled in, so the
 * trails are there from the first frame.
 */
import { hashString, mulberry32 } from '../../../shared/random';
import type { Db } from '../db/store';
import { recordPositions, type PositionInput } from './trails';

export const PATROL_STEP_MS = 60_000;
export const PATROL_ROLES = ['grid_worker', 'grid_leader', 'enforcement', 'police', 'inspector'] as const;

interface Mover {
  id: string;
  homeLon: number;
  homeLat: number;
  lon: number;
  lat: number;
  heading: number;
  rng: () => number;
}

const M_PER_DEG_LAT = 110_570;

export class Patrol {
  private readonly movers: Mover[];

  constructor(db: Db, count: number) {
    const roles = PATROL_ROLES.map((r) => `'${r}'`).join(',');
    const all = db
      .prepare(`SELECT id, lon, lat FROM staff WHERE on_duty = 1 AND lon IS NOT NULL AND lat IS NOT NULL AND role IN (${roles}) ORDER BY id`)
      .all() as Array<{ id: string; lon: number; lat: number }>;
    const step = Math.max(1, all.length / Math.max(1, count));
    const picked: Array<{ id: string; lon: number; lat: number }> = [];
    for (let i = 0; i < all.length && picked.length < count; i += step) picked.push(all[Math.floor(i)]!);
    this.movers = picked.map((s) => {
      const rng = mulberry32(hashString(s.id));
      return { id: s.id, homeLon: s.lon, homeLat: s.lat, lon: s.lon, lat: s.lat, heading: rng() * 360, rng };
    });
  }

  get size(): number {
    return this.movers.length;
  }

  /** Move everyone one step (about a minute of walking) and return their new positions at `at`. */
  step(at: number): PositionInput[] {
    const out: PositionInput[] = [];
    for (const m of this.movers) {
      const kx = M_PER_DEG_LAT * Math.cos((m.homeLat * Math.PI) / 180);
      const dx = (m.lon - m.homeLon) * kx;
      const dy = (m.lat - m.homeLat) * M_PER_DEG_LAT;
      const away = Math.hypot(dx, dy);
      m.heading += (m.rng() - 0.5) * 70;
      if (away > 450) {
        // Turn back towards the beat's centre.
        const home = (Math.atan2(-dx, -dy) * 180) / Math.PI;
        m.heading = home + (m.rng() - 0.5) * 40;
      }
      const dist = 40 + m.rng() * 50; // 0.7–1.5 m/s
      const rad = (m.heading * Math.PI) / 180;
      m.lon += (Math.sin(rad) * dist) / kx;
      m.lat += (Math.cos(rad) * dist) / M_PER_DEG_LAT;
      out.push({ staffId: m.id, lon: Math.round(m.lon * 1e6) / 1e6, lat: Math.round(m.lat * 1e6) / 1e6, at });
    }
    return out;
  }

  /** Walk the last `minutes` up to `now` (when the store has no recent trail points). */
  backfill(db: Db, now: number, minutes = 60): number {
    const recent = db.prepare('SELECT COUNT(*) FROM staff_positions WHERE at > ?').pluck().get(now - 10 * 60_000) as number;
    if (recent > 0) return 0;
    const batch: PositionInput[] = [];
    const start = Math.floor((now - minutes * 60_000) / PATROL_STEP_MS) * PATROL_STEP_MS;
    for (let at = start; at <= now; at += PATROL_STEP_MS) batch.push(...this.step(at));
    return recordPositions(db, batch).stored;
  }

  tick(db: Db, now: number): number {
    return recordPositions(db, this.step(now)).stored;
  }
}
