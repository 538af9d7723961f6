/**
 * Stream health: what players and the host probe report, per camera stream. Failures (failed,
 * stalled) are counted; consecutive ones set the back-off before the next attempt. The probe loop
 * re-checks failed streams that are still being shown when their back-off is due.
 */
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { backoffMs, type StreamHealth, type StreamState } from '../../../shared/domain/video';
import { toShanghaiIso } from '../../../shared/time';

export interface HealthRow {
  camera_id: string;
  stream_index: number;
  state: StreamState;
  method: 'player' | 'probe';
  detail: string;
  reachable: number | null;
  frames_advancing: number | null;
  failures: number;
  consecutive_failures: number;
  last_ok_at: number | null;
  last_fail_at: number | null;
  next_retry_at: number | null;
  first_frame_ms: number | null;
  updated_at: number;
}

const iso = (ms: number | null): string | null => (ms == null ? null : toShanghaiIso(ms));
const bool = (v: number | null): boolean | null => (v == null ? null : v === 1);

export function toHealth(r: HealthRow): StreamHealth {
  return {
    cameraId: r.camera_id,
    streamIndex: r.stream_index,
    state: r.state,
    method: r.method,
    detail: r.detail,
    reachable: bool(r.reachable),
    framesAdvancing: bool(r.frames_advancing),
    failures: r.failures,
    consecutiveFailures: r.consecutive_failures,
    lastOkAt: iso(r.last_ok_at),
    lastFailAt: iso(r.last_fail_at),
    nextRetryAt: iso(r.next_retry_at),
    firstFrameMs: r.first_frame_ms,
    updatedAt: toShanghaiIso(r.updated_at),
  };
}

export function getHealthRow(db: Db, cameraId: string, streamIndex: number): HealthRow | undefined {
  return prep(db, 'SELECT * FROM stream_health WHERE camera_id = ? AND stream_index = ?').get(cameraId, streamIndex) as HealthRow | undefined;
}

export interface Observation {
  state: StreamState;
  method: 'player' | 'probe';
  detail: string;
  reachable?: boolean | null | undefined;
  framesAdvancing?: boolean | null | undefined;
  firstFrameMs?: number | undefined;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 120_000 };

/**
 * The next health record given the previous one and an observation (pure, for tests).
 * failed/stalled count as failures and set the back-off; playing clears the consecutive count.
 */
export function nextHealth(prev: HealthRow | undefined, cameraId: string, streamIndex: number, o: Observation, now: number, policy: BackoffPolicy = DEFAULT_BACKOFF): HealthRow {
  const base: HealthRow = prev ?? {
    camera_id: cameraId,
    stream_index: streamIndex,
    state: 'unknown',
    method: o.method,
    detail: '',
    reachable: null,
    frames_advancing: null,
    failures: 0,
    consecutive_failures: 0,
    last_ok_at: null,
    last_fail_at: null,
    next_retry_at: null,
    first_frame_ms: null,
    updated_at: now,
  };
  const next: HealthRow = { ...base, state: o.state, method: o.method, detail: o.detail, updated_at: now };
  if (o.reachable !== undefined) next.reachable = o.reachable === null ? null : o.reachable ? 1 : 0;
  if (o.framesAdvancing !== undefined) next.frames_advancing = o.framesAdvancing === null ? null : o.framesAdvancing ? 1 : 0;
  if (o.firstFrameMs !== undefined) next.first_frame_ms = o.firstFrameMs;
  switch (o.state) {
    case 'playing':
      next.consecutive_failures = 0;
      next.last_ok_at = now;
      next.next_retry_at = null;
      next.reachable = 1;
      next.frames_advancing = 1;
      break;
    case 'failed':
    case 'stalled':
      next.failures = base.failures + 1;
      next.consecutive_failures = base.consecutive_failures + 1;
      next.last_fail_at = now;
      next.next_retry_at = now + backoffMs(next.consecutive_failures, policy.baseMs, policy.maxMs);
      if (o.state === 'stalled') next.frames_advancing = 0;
      break;
    case 'connecting':
    case 'unknown':
      break;
  }
  return next;
}

export function writeHealth(db: Db, r: HealthRow): void {
  prep(
    db,
    `INSERT INTO stream_health(camera_id, stream_index, state, method, detail, reachable, frames_advancing, failures, consecutive_failures,
       last_ok_at, last_fail_at, next_retry_at, first_frame_ms, updated_at)
     VALUES (@camera_id, @stream_index, @state, @method, @detail, @reachable, @frames_advancing, @failures, @consecutive_failures,
       @last_ok_at, @last_fail_at, @next_retry_at, @first_frame_ms, @updated_at)
     ON CONFLICT(camera_id, stream_index) DO UPDATE SET state = excluded.state, method = excluded.method, detail = excluded.detail,
       reachable = excluded.reachable, frames_advancing = excluded.frames_advancing, failures = excluded.failures,
       consecutive_failures = excluded.consecutive_failures, last_ok_at = excluded.last_ok_at, last_fail_at = excluded.last_fail_at,
       next_retry_at = excluded.next_retry_at, first_frame_ms = excluded.first_frame_ms, updated_at = excluded.updated_at`,
  ).run(r);
}

export function listHealth(db: Db, q: { cameraIds?: readonly string[] | undefined; states?: readonly string[] | undefined; limit: number }): StreamHealth[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit };
  if (q.cameraIds) {
    where.push('camera_id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify(q.cameraIds);
  }
  if (q.states && q.states.length > 0) {
    where.push('state IN (SELECT value FROM json_each(@states))');
    params.states = JSON.stringify(q.states);
  }
  const rows = prep(db, `SELECT * FROM stream_health ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY camera_id, stream_index LIMIT @limit`).all(params) as HealthRow[];
  return rows.map(toHealth);
}

/** Failed or stalled streams whose retry is due, the most overdue first. */
export function dueForProbe(db: Db, now: number, limit: number): HealthRow[] {
  return prep(
    db,
    `SELECT * FROM stream_health WHERE state IN ('failed', 'stalled') AND next_retry_at IS NOT NULL AND next_retry_at <= @now
       ORDER BY next_retry_at LIMIT @limit`,
  ).all({ now, limit }) as HealthRow[];
}
