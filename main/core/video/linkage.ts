/**
 * 视图联动: which cameras see a case, an alarm or a point.
 *
 * An R*Tree prefilter takes the cameras in the bounding box of the radius; each candidate is
 * then kept when it is within the radius and its field-of-view wedge contains the point
 * (shared/domain/video.ts fovContains); nearest first, up to the limit. Only the kept cameras'
 * streams are parsed. Recorded clips (file streams with start times) covering the moment are
 * offered too, starting `preRollS` before it.
 */
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { ApiFailure } from '../../../shared/api/contract';
import { bearingDeg, distanceM } from '../../../shared/geo';
import type { CameraKind } from '../../../shared/domain/model';
import {
  fovContains,
  isOmni,
  radiusBbox,
  type LinkageResult,
  type LinkedCamera,
  type LinkedClip,
  type LinkReason,
  type VideoSettings,
} from '../../../shared/domain/video';
import { toShanghaiIso } from '../../../shared/time';
import { getCaseRow } from '../cases/queries';
import { CAMERA_COLUMNS, toDetail, type CameraRow } from './cameras';

export interface LinkageQuery {
  caseId?: string | undefined;
  alarmId?: string | undefined;
  point?: [number, number] | undefined;
  at?: string | undefined;
  radiusM?: number | undefined;
  limit: number;
  includeOffline: boolean;
  clips: boolean;
}

interface Target {
  kind: 'case' | 'alarm' | 'point';
  id: string | null;
  lon: number;
  lat: number;
  at: number;
  state: string | null;
  active: boolean;
  reason: LinkReason;
}

/** Alarm states that end the linkage. */
export const CLOSED_ALARM_STATES: ReadonlySet<string> = new Set(['cleared']);

/** The case's point, time and whether its linkage is still live. */
function caseTarget(db: Db, id: string): Target {
  const row = getCaseRow(db, id);
  if (!row) throw new ApiFailure('not_found', `no case with id ${id}`, 'input.caseId');
  const closed = row.state === 'closed';
  const cancelled = row.state === 'cancelled';
  return {
    kind: 'case',
    id,
    lon: row.lon,
    lat: row.lat,
    at: row.reported_at,
    state: row.state,
    active: !closed && !cancelled,
    reason: closed ? 'case_closed' : cancelled ? 'case_cancelled' : 'open',
  };
}

/** An alarm's point, time and state (the alarms table of the monitoring capability, migration 003). */
function alarmTarget(db: Db, id: string): Target {
  const row = prep(db, 'SELECT lon, lat, raised_at, state FROM alarms WHERE id = ?').get(id) as { lon: number; lat: number; raised_at: number; state: string } | undefined;
  if (!row) throw new ApiFailure('not_found', `no alarm with id ${id}`, 'input.alarmId');
  const closed = CLOSED_ALARM_STATES.has(row.state);
  return { kind: 'alarm', id, lon: row.lon, lat: row.lat, at: row.raised_at, state: row.state, active: !closed, reason: closed ? 'alarm_closed' : 'open' };
}

interface Candidate {
  rid: number;
  lon: number;
  lat: number;
  heading: number;
  fov: number;
  kind: CameraKind;
  status: string;
  hasStreams: number;
  distance: number;
}

/**
 * Cameras within radiusM of the point whose view contains it, nearest first, whatever their
 * status: rids and the geometry needed to rank them.
 */
export function seeingCandidates(db: Db, lon: number, lat: number, radiusM: number, omniKinds: readonly CameraKind[]): Candidate[] {
  const [minX, minY, maxX, maxY] = radiusBbox(lon, lat, radiusM);
  const rows = prep(
    db,
    `SELECT c.rid, c.lon, c.lat, c.heading, c.fov, c.kind, c.status, c.streams <> '[]' AS hasStreams
     FROM cameras_rtree r JOIN cameras c ON c.rid = r.rid
     WHERE r.min_x <= @maxX AND r.max_x >= @minX AND r.min_y <= @maxY AND r.max_y >= @minY`,
  ).all({ minX, minY, maxX, maxY }) as Candidate[];
  const out: Candidate[] = [];
  for (const c of rows) {
    const d = distanceM(c.lon, c.lat, lon, lat);
    if (d > radiusM) continue;
    if (!fovContains(c, lon, lat, omniKinds)) continue;
    c.distance = d;
    out.push(c);
  }
  out.sort((a, b) => a.distance - b.distance || a.rid - b.rid);
  return out;
}

export function linkedCameras(db: Db, q: LinkageQuery, settings: VideoSettings, now: number): LinkageResult {
  const started = performance.now();
  const target: Target = q.caseId
    ? caseTarget(db, q.caseId)
    : q.alarmId
      ? alarmTarget(db, q.alarmId)
      : { kind: 'point', id: null, lon: q.point![0], lat: q.point![1], at: now, state: null, active: true, reason: 'point' };
  if (q.at !== undefined) target.at = Date.parse(q.at);
  const radiusM = q.radiusM ?? settings.linkRadiusM;
  const candidates = seeingCandidates(db, target.lon, target.lat, radiusM, settings.omniKinds);

  const byRid = prep(db, `SELECT ${CAMERA_COLUMNS} FROM cameras WHERE rid = ?`);
  const cameras: LinkedCamera[] = [];
  if (target.active) {
    for (const c of candidates) {
      if (cameras.length >= q.limit) break;
      if (!q.includeOffline && c.status !== 'online') continue;
      const row = byRid.get(c.rid) as CameraRow;
      cameras.push({
        camera: toDetail(row),
        distanceM: Math.round(c.distance * 10) / 10,
        bearingDeg: Math.round(bearingDeg(c.lon, c.lat, target.lon, target.lat) * 10) / 10,
        omni: isOmni(c, settings.omniKinds),
      });
    }
  }

  const clips: LinkedClip[] = [];
  if (q.clips) {
    const from = target.at - settings.preRollS * 1000;
    for (const c of candidates) {
      if (clips.length >= q.limit) break;
      if (!c.hasStreams) continue;
      const detail = toDetail(byRid.get(c.rid) as CameraRow);
      detail.streams.forEach((s, streamIndex) => {
        if (clips.length >= q.limit || s.kind !== 'file' || s.startAt === undefined) return;
        const start = Date.parse(s.startAt);
        const end = s.durationS !== undefined ? start + s.durationS * 1000 : Number.POSITIVE_INFINITY;
        if (start > target.at || end < from) return;
        clips.push({
          cameraId: detail.id,
          cameraName: detail.name,
          streamIndex,
          url: s.url,
          startAt: s.startAt,
          durationS: s.durationS ?? null,
          offsetS: Math.max(0, (from - start) / 1000),
          distanceM: Math.round(c.distance * 10) / 10,
        });
      });
    }
  }

  return {
    active: target.active,
    reason: target.reason,
    target: { kind: target.kind, id: target.id, lon: target.lon, lat: target.lat, at: toShanghaiIso(target.at), state: target.state },
    radiusM,
    cameras,
    clips,
    preRollS: settings.preRollS,
    tookMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}
