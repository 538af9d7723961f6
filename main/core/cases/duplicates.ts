/**
 * Duplicate detection: a case of the same category reported within 50 m and 2 hours of an open
 * case is a probable duplicate. The proposed merge target is the earliest such case (the original
 * report, usually already being worked on); candidates are listed nearest first.
 */
import type { DuplicateCandidate } from '../../../shared/api/workflow';
import { OPEN_STATES, type CaseState } from '../../../shared/domain/model';
import { distanceM } from '../../../shared/geo';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { placeholders, prep } from '../db/sql';

export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_MS = 2 * 3_600_000;
const M_PER_DEG_LAT = 111_320;

export interface DuplicateQuery {
  categoryCode: string;
  lon: number;
  lat: number;
  /** The report time of the new case. */
  at: number;
  excludeId?: string | undefined;
}

export function findDuplicates(db: Db, q: DuplicateQuery): DuplicateCandidate[] {
  const dLat = DUPLICATE_RADIUS_M / M_PER_DEG_LAT;
  const dLon = DUPLICATE_RADIUS_M / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((q.lat * Math.PI) / 180)));
  const rows = prep(
    db,
    `SELECT id, code, title, state, lon, lat, reported_at FROM cases
     WHERE category_code = ? AND reported_at BETWEEN ? AND ? AND state IN (${placeholders(OPEN_STATES.length)})
       AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND id <> ?`,
  ).all(
    q.categoryCode,
    q.at - DUPLICATE_WINDOW_MS,
    q.at + DUPLICATE_WINDOW_MS,
    ...OPEN_STATES,
    q.lon - dLon,
    q.lon + dLon,
    q.lat - dLat,
    q.lat + dLat,
    q.excludeId ?? '',
  ) as Array<{ id: string; code: string; title: string; state: CaseState; lon: number; lat: number; reported_at: number }>;
  return rows
    .map((r) => ({ r, d: distanceM(q.lon, q.lat, r.lon, r.lat) }))
    .filter(({ d }) => d <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.d - b.d || a.r.reported_at - b.r.reported_at)
    .map(({ r, d }) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      state: r.state,
      reportedAt: toShanghaiIso(r.reported_at),
      distanceM: Math.round(d * 10) / 10,
      minutesApart: Math.round(Math.abs(q.at - r.reported_at) / 6_000) / 10,
    }));
}

/** The earliest-reported candidate (ties: the nearest), or null. */
export function proposeMergeTarget(candidates: readonly DuplicateCandidate[]): string | null {
  if (candidates.length === 0) return null;
  return [...candidates].sort((a, b) => Date.parse(a.reportedAt) - Date.parse(b.reportedAt) || a.distanceM - b.distanceM)[0]!.id;
}
