/**
 * Sensor alarms for the map at a time selection (the alarms layer and its replay): open now,
 * open at a past moment in the state they had then, or raised in a window in their state at its
 * end. Read-only over the monitoring tables; the most severe and newest are kept up to the limit.
 */
import { ApiFailure } from '../../../shared/api';
import type { MapAlarms } from '../../../shared/api/map';
import type { TimeSelection } from '../../../shared/domain/map';
import { ALARM_SEVERITIES, type AlarmSeverity, type AlarmState } from '../../../shared/domain/monitoring';
import { toShanghaiIso } from '../../../shared/time';
import { getAreaRow } from '../areas/queries';
import type { Db } from '../db/store';
import { resolveOrFail } from './cases';

interface Row {
  id: string;
  sensor_id: string;
  sensor_name: string | null;
  lon: number;
  lat: number;
  severity: number;
  state: AlarmState;
  message: string;
  raised_at: number;
  acked_at: number | null;
  cleared_at: number | null;
}

/** The state an alarm had at `at` (its stored state is the latest). */
export function alarmStateAt(r: Pick<Row, 'acked_at' | 'cleared_at'>, at: number): AlarmState {
  if (r.cleared_at !== null && r.cleared_at <= at) return 'cleared';
  if (r.acked_at !== null && r.acked_at <= at) return 'acknowledged';
  return 'raised';
}

export function mapAlarms(
  db: Db,
  args: { time: TimeSelection; areaId?: string | undefined; severities?: readonly AlarmSeverity[] | undefined; limit: number },
  now: number,
): MapAlarms {
  const t = resolveOrFail(args.time, now);
  const where: string[] = [];
  const params: Record<string, number | string> = { at: t.at, from: t.from, to: t.to, limit: args.limit };
  let cte = '';
  if (args.areaId) {
    if (!getAreaRow(db, args.areaId)) throw new ApiFailure('not_found', `no area with id ${args.areaId}`, 'input.areaId');
    cte = 'WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = @areaId UNION ALL SELECT a2.id FROM areas a2 JOIN sub ON a2.parent_id = sub.id) ';
    params.areaId = args.areaId;
    where.push('a.grid_id IN (SELECT id FROM sub)');
  }
  if (args.severities && args.severities.length > 0) where.push(`a.severity IN (${args.severities.map((s) => ALARM_SEVERITIES.indexOf(s) + 1).join(', ')})`);
  if (t.mode === 'live') where.push(`a.state IN ('raised', 'acknowledged')`);
  else if (t.mode === 'moment') where.push('a.raised_at <= @at AND (a.cleared_at IS NULL OR a.cleared_at > @at)');
  else where.push('a.raised_at >= @from AND a.raised_at <= @to');
  const w = `WHERE ${where.join(' AND ')}`;
  const total = db.prepare(`${cte}SELECT COUNT(*) FROM alarms a ${w}`).pluck().get(params) as number;
  const rows = db
    .prepare(
      `${cte}SELECT a.id, a.sensor_id, s.name AS sensor_name, a.lon, a.lat, a.severity, a.state, a.message, a.raised_at, a.acked_at, a.cleared_at
       FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id ${w} ORDER BY a.severity DESC, a.raised_at DESC, a.rid DESC LIMIT @limit`,
    )
    .all(params) as Row[];
  const out: MapAlarms = {
    at: toShanghaiIso(t.at),
    mode: t.mode,
    total,
    ids: [],
    sensorIds: [],
    sensorNames: [],
    lon: [],
    lat: [],
    severity: [],
    state: [],
    message: [],
    raisedAt: [],
    truncated: total > rows.length,
  };
  for (const r of rows) {
    out.ids.push(r.id);
    out.sensorIds.push(r.sensor_id);
    out.sensorNames.push(r.sensor_name ?? r.sensor_id);
    out.lon.push(r.lon);
    out.lat.push(r.lat);
    out.severity.push(ALARM_SEVERITIES[r.severity - 1] ?? 'warning');
    out.state.push(t.mode === 'live' ? r.state : alarmStateAt(r, t.at));
    out.message.push(r.message);
    out.raisedAt.push(toShanghaiIso(r.raised_at));
  }
  return out;
}
