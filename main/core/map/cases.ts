/**
 * Case data for the map at a time selection: which cases were open at a moment and in which
 * state (from the case history), the positions of the cases reported in a window (density), and
 * open dispatches as unit → case arcs. Read-only queries over the closed loop's tables.
 */
import { ApiFailure } from '../../../shared/api';
import type { DispatchArc, MapCases } from '../../../shared/api/map';
import { resolveTime, TimeSelectionError, type ResolvedTime, type TimeSelection } from '../../../shared/domain/map';
import { OPEN_STATES, URGENCIES, type CaseState } from '../../../shared/domain/model';
import { DAY_MS, toShanghaiIso } from '../../../shared/time';
import { CASE_AREA_COLUMN, getAreaRow, levelName } from '../areas/queries';
import type { Db } from '../db/store';

/** A case counts as new (drawn pulsing) this long after it was reported. */
export const FRESH_MS = 2 * 3_600_000;
/** How far back a moment looks for cases still open then (older open ones are parked cases). */
const OPEN_LOOKBACK_MS = 120 * DAY_MS;
const RUNNING: ReadonlySet<string> = new Set(['dispatched', 'accepted', 'rework']);
const OPEN: ReadonlySet<string> = new Set(OPEN_STATES);

export function resolveOrFail(time: TimeSelection, now: number, heatHours?: number): ResolvedTime {
  try {
    return resolveTime(time, now, heatHours);
  } catch (err) {
    if (err instanceof TimeSelectionError) throw new ApiFailure('validation', err.message, 'input.time');
    throw err;
  }
}

/** `AND c.<level>_id = @areaId` for an area of any level (nothing for the city). */
function areaClause(db: Db, areaId: string | undefined, alias = 'c'): string {
  if (!areaId) return '';
  const row = getAreaRow(db, areaId);
  if (!row) throw new ApiFailure('not_found', `no area with id ${areaId}`, 'input.areaId');
  const column = CASE_AREA_COLUMN[levelName(row.level)];
  return column ? ` AND ${alias}.${column} = @areaId` : '';
}

interface CaseRow {
  id: string;
  code: string;
  lon: number;
  lat: number;
  urgency: number;
  class_code: string;
  reported_at: number;
  deadline_at: number | null;
  overdue: number;
  st: string | null;
}

const STATE_AT = `(SELECT e.to_state FROM case_events e WHERE e.case_id = c.id AND e.at <= @at AND e.to_state IS NOT NULL ORDER BY e.seq DESC LIMIT 1)`;
const COLS = 'c.id, c.code, c.lon, c.lat, c.urgency, c.class_code, c.reported_at, c.deadline_at, c.overdue';

export function mapCases(db: Db, args: { time: TimeSelection; areaId?: string | undefined; scope: 'open' | 'all'; limit: number }, now: number): MapCases {
  const t = resolveOrFail(args.time, now);
  const area = areaClause(db, args.areaId);
  const params = { at: t.at, from: t.from, to: t.to, since: t.at - OPEN_LOOKBACK_MS, freshFrom: t.at - FRESH_MS, areaId: args.areaId, limit: args.limit + 1 };
  let rows: CaseRow[];
  if (t.mode === 'live') {
    const open = OPEN_STATES.map((s) => `'${s}'`).join(',');
    // Open cases now, and (scope all) everything reported in the last day.
    const where = args.scope === 'open' ? `c.state IN (${open})` : `(c.state IN (${open}) OR c.reported_at >= @at - ${DAY_MS})`;
    rows = db.prepare(`SELECT ${COLS}, c.state AS st FROM cases c WHERE ${where}${area} ORDER BY c.reported_at DESC LIMIT @limit`).all(params) as CaseRow[];
  } else if (t.mode === 'moment') {
    const where =
      args.scope === 'open'
        ? `c.reported_at <= @at AND c.reported_at >= @since AND (c.closed_at IS NULL OR c.closed_at > @at)`
        : `c.reported_at <= @at AND c.reported_at >= @since AND (c.closed_at IS NULL OR c.closed_at > @at - ${DAY_MS})`;
    rows = db.prepare(`SELECT ${COLS}, ${STATE_AT} AS st FROM cases c WHERE ${where}${area} ORDER BY c.reported_at DESC`).all(params) as CaseRow[];
    rows = rows.filter((r) => r.st !== null && (OPEN.has(r.st) || (args.scope === 'all' && r.reported_at >= t.at - DAY_MS)));
  } else {
    rows = db.prepare(`SELECT ${COLS}, ${STATE_AT} AS st FROM cases c WHERE c.reported_at BETWEEN @from AND @to${area} ORDER BY c.reported_at DESC`).all(params) as CaseRow[];
    rows = rows.filter((r) => r.st !== null && (args.scope === 'all' || OPEN.has(r.st)));
  }
  const truncated = rows.length > args.limit;
  if (truncated) rows = rows.slice(0, args.limit);
  const out: MapCases = {
    at: toShanghaiIso(t.at),
    mode: t.mode,
    ids: [],
    codes: [],
    lon: [],
    lat: [],
    state: [],
    urgency: [],
    overdue: [],
    fresh: [],
    classCode: [],
    truncated,
  };
  for (const r of rows) {
    const st = r.st as CaseState;
    out.ids.push(r.id);
    out.codes.push(r.code);
    out.lon.push(r.lon);
    out.lat.push(r.lat);
    out.state.push(st);
    out.urgency.push(URGENCIES[r.urgency] ?? 'normal');
    out.overdue.push(t.mode === 'live' ? r.overdue === 1 : RUNNING.has(st) && r.deadline_at !== null && r.deadline_at < t.at);
    out.fresh.push(r.reported_at >= t.at - FRESH_MS && OPEN.has(st));
    out.classCode.push(r.class_code);
  }
  return out;
}

export function mapHeat(
  db: Db,
  args: { time: TimeSelection; areaId?: string | undefined; hours: number; limit: number },
  now: number,
): { from: string; to: string; lon: number[]; lat: number[]; truncated: boolean } {
  const t = resolveOrFail(args.time, now, args.hours);
  const area = areaClause(db, args.areaId);
  const rows = db
    .prepare(`SELECT c.lon, c.lat FROM cases c WHERE c.reported_at BETWEEN @from AND @to${area} ORDER BY c.reported_at DESC LIMIT @limit`)
    .raw()
    .all({ from: t.from, to: t.to, areaId: args.areaId, limit: args.limit + 1 }) as Array<[number, number]>;
  const truncated = rows.length > args.limit;
  const n = Math.min(rows.length, args.limit);
  const lon = new Array<number>(n);
  const lat = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    lon[i] = Math.round(rows[i]![0] * 1e6) / 1e6;
    lat[i] = Math.round(rows[i]![1] * 1e6) / 1e6;
  }
  return { from: toShanghaiIso(t.from), to: toShanghaiIso(t.to), lon, lat, truncated };
}

interface DispatchRow {
  id: string;
  code: string;
  title: string;
  lon: number;
  lat: number;
  urgency: number;
  overdue: number;
  deadline_at: number | null;
  dispatched_at: number | null;
  unit_id: string;
  unit_name: string;
  staff_lon: number | null;
  staff_lat: number | null;
  area_x: number | null;
  area_y: number | null;
  st: string | null;
}

export function mapDispatches(db: Db, args: { time: TimeSelection; areaId?: string | undefined; limit: number }, now: number): DispatchArc[] {
  const t = resolveOrFail(args.time, now);
  const area = areaClause(db, args.areaId);
  const live = t.mode === 'live';
  const running = [...RUNNING].map((s) => `'${s}'`).join(',');
  const where = live
    ? `c.state IN (${running})`
    : `c.dispatched_at IS NOT NULL AND c.dispatched_at <= @at AND c.reported_at >= @since AND (c.closed_at IS NULL OR c.closed_at > @at)`;
  const rows = db
    .prepare(
      `SELECT c.id, c.code, c.title, c.lon, c.lat, c.urgency, c.overdue, c.deadline_at, c.dispatched_at, c.unit_id, u.name AS unit_name,
              s.lon AS staff_lon, s.lat AS staff_lat, a.cx AS area_x, a.cy AS area_y, ${live ? 'c.state' : STATE_AT} AS st
       FROM cases c JOIN units u ON u.id = c.unit_id
       LEFT JOIN staff s ON s.id = c.assignee_id
       LEFT JOIN areas a ON a.id = u.area_id
       WHERE ${where}${area}
       ORDER BY c.dispatched_at DESC`,
    )
    .all({ at: t.at, since: t.at - OPEN_LOOKBACK_MS, areaId: args.areaId }) as DispatchRow[];
  const out: DispatchArc[] = [];
  for (const r of rows) {
    if (out.length >= args.limit) break;
    if (r.st === null || !RUNNING.has(r.st)) continue;
    const from: [number, number] | null = r.staff_lon !== null && r.staff_lat !== null ? [r.staff_lon, r.staff_lat] : r.area_x !== null && r.area_y !== null ? [r.area_x, r.area_y] : null;
    if (!from) continue;
    out.push({
      caseId: r.id,
      code: r.code,
      title: r.title,
      state: r.st as CaseState,
      urgency: URGENCIES[r.urgency] ?? 'normal',
      overdue: live ? r.overdue === 1 : r.deadline_at !== null && r.deadline_at < t.at,
      unitId: r.unit_id,
      unitName: r.unit_name,
      from,
      to: [r.lon, r.lat],
      dispatchedAt: r.dispatched_at === null ? null : toShanghaiIso(r.dispatched_at),
    });
  }
  return out;
}
