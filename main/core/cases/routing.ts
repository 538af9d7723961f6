/**
 * Routing proposals for the dispatch dialog (the operator confirms or overrides):
 * - category → its default responsible department (catalogue);
 * - point → grid (and every level above) → the grid's responsible unit (属地) and its grid workers;
 * - the unit: the department's unit whose area contains the point (deepest first), else the grid's
 *   responsible unit when it belongs to that department, else any unit of the department;
 * - the nearest on-duty field staff by last known position, with distance, position age and the
 *   number of open cases already assigned to them.
 */
import { ApiFailure } from '../../../shared/api/contract';
import { OPEN_STATES, type Staff } from '../../../shared/domain/model';
import { distanceM } from '../../../shared/geo';
import { toShanghaiIso } from '../../../shared/time';
import type { CoreContext } from '../core';
import { areaLocator } from '../areas/service';
import { getCategory } from './catalogue';
import { getCaseRow } from './queries';
import { placeholders, prep } from '../db/sql';

const M_PER_DEG_LAT = 111_320;
/** Search radii for field staff, widened until enough are found. */
const RADII_M = [2_000, 5_000, 15_000, 50_000];

interface StaffRow {
  id: string;
  name: string;
  role: Staff['role'];
  department_id: string | null;
  unit_id: string | null;
  grid_id: string | null;
  lon: number | null;
  lat: number | null;
  position_at: number | null;
  on_duty: number;
}

export interface ProposedStaff extends Staff {
  distanceM: number | null;
  positionAgeMin: number | null;
  openCases: number;
}

type UnitRef = { id: string; name: string; departmentId: string; areaId: string | null };

export function proposeAssignee(
  ctx: CoreContext,
  args: { caseId?: string | undefined; categoryCode?: string | undefined; lon?: number | undefined; lat?: number | undefined; limit: number },
) {
  const { db } = ctx;
  const now = ctx.now();
  let categoryCode: string;
  let lon: number;
  let lat: number;
  let chain: { gridId: string | null; communityId: string | null; townId: string | null; districtId: string | null; cityId: string | null };
  if (args.caseId !== undefined) {
    const row = getCaseRow(db, args.caseId);
    if (!row) throw new ApiFailure('not_found', `no case with id ${args.caseId}`, 'input.caseId');
    categoryCode = args.categoryCode ?? row.category_code;
    lon = row.lon;
    lat = row.lat;
    const located = areaLocator(ctx).chain(lon, lat);
    chain = { gridId: row.grid_id, communityId: row.community_id, townId: row.town_id, districtId: row.district_id, cityId: located.cityId };
  } else {
    categoryCode = args.categoryCode!;
    lon = args.lon!;
    lat = args.lat!;
    chain = areaLocator(ctx).chain(lon, lat);
  }
  const cat = getCategory(db, categoryCode);
  if (!cat && args.caseId === undefined) throw new ApiFailure('validation', `input.categoryCode: no category with code ${categoryCode}`, 'input.categoryCode');
  const department = cat
    ? ((prep(db, 'SELECT id, code, name FROM departments WHERE code = ?').get(cat.departmentCode) as { id: string; code: string; name: string } | undefined) ?? null)
    : null;

  const gridRow = chain.gridId
    ? ((prep(db, 'SELECT id, code, name, responsible_unit_id FROM areas WHERE id = ?').get(chain.gridId) as
        | { id: string; code: string; name: string; responsible_unit_id: string | null }
        | undefined) ?? null)
    : null;
  const unitById = (id: string | null): UnitRef | null =>
    id ? ((prep(db, 'SELECT id, name, department_id AS departmentId, area_id AS areaId FROM units WHERE id = ?').get(id) as UnitRef | undefined) ?? null) : null;
  const responsibleUnit = unitById(gridRow?.responsible_unit_id ?? null);

  let unit: (UnitRef & { reason: 'department_in_area' | 'grid_responsible' | 'department_any' }) | null = null;
  if (department) {
    const areaIds = [chain.gridId, chain.communityId, chain.townId, chain.districtId, chain.cityId].filter((x): x is string => x !== null);
    if (areaIds.length) {
      const candidates = prep(
        db,
        `SELECT id, name, department_id AS departmentId, area_id AS areaId FROM units WHERE department_id = ? AND area_id IN (${placeholders(areaIds.length)})`,
      ).all(department.id, ...areaIds) as UnitRef[];
      // Deepest area first: the order of areaIds.
      candidates.sort((a, b) => areaIds.indexOf(a.areaId ?? '') - areaIds.indexOf(b.areaId ?? ''));
      if (candidates[0]) unit = { ...candidates[0], reason: 'department_in_area' };
    }
    if (!unit && responsibleUnit && responsibleUnit.departmentId === department.id) unit = { ...responsibleUnit, reason: 'grid_responsible' };
    if (!unit) {
      const any = prep(db, 'SELECT id, name, department_id AS departmentId, area_id AS areaId FROM units WHERE department_id = ? ORDER BY id LIMIT 1').get(department.id) as
        | UnitRef
        | undefined;
      if (any) unit = { ...any, reason: 'department_any' };
    }
  } else if (responsibleUnit) unit = { ...responsibleUnit, reason: 'grid_responsible' };

  const openLoad = prep(db, `SELECT COUNT(*) FROM cases WHERE assignee_id = ? AND state IN (${placeholders(OPEN_STATES.length)})`).pluck();
  const toStaff = (r: StaffRow): ProposedStaff => ({
    id: r.id,
    name: r.name,
    role: r.role,
    departmentId: r.department_id,
    unitId: r.unit_id,
    gridId: r.grid_id,
    lon: r.lon,
    lat: r.lat,
    positionAt: r.position_at === null ? null : toShanghaiIso(r.position_at),
    onDuty: r.on_duty === 1,
    distanceM: r.lon === null || r.lat === null ? null : Math.round(distanceM(lon, lat, r.lon, r.lat)),
    positionAgeMin: r.position_at === null ? null : Math.max(0, Math.round((now - r.position_at) / 60_000)),
    openCases: (openLoad.get(r.id, ...OPEN_STATES) as number) ?? 0,
  });

  const STAFF_COLUMNS = 'id, name, role, department_id, unit_id, grid_id, lon, lat, position_at, on_duty';
  const gridWorkers = chain.gridId
    ? (prep(db, `SELECT ${STAFF_COLUMNS} FROM staff WHERE grid_id = ? AND role IN ('grid_worker', 'grid_leader') ORDER BY role DESC, name`).all(chain.gridId) as StaffRow[]).map(
        toStaff,
      )
    : [];

  let nearest: ProposedStaff[] = [];
  for (const radius of RADII_M) {
    const dLat = radius / M_PER_DEG_LAT;
    const dLon = radius / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    const rows = prep(
      db,
      `SELECT ${STAFF_COLUMNS} FROM staff WHERE on_duty = 1 AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?`,
    ).all(lon - dLon, lon + dLon, lat - dLat, lat + dLat) as StaffRow[];
    const within = rows
      .map((r) => ({ r, d: distanceM(lon, lat, r.lon!, r.lat!) }))
      .filter((x) => x.d <= radius)
      .sort((a, b) => a.d - b.d || a.r.id.localeCompare(b.r.id));
    if (within.length >= args.limit || radius === RADII_M[RADII_M.length - 1]) {
      nearest = within.slice(0, args.limit).map((x) => toStaff(x.r));
      break;
    }
  }

  const areaRef = gridRow ? { id: gridRow.id, code: gridRow.code, name: gridRow.name } : null;
  return {
    category: cat ? { code: cat.code, name: cat.name, departmentCode: cat.departmentCode, limit: cat.limit } : null,
    department,
    grid: areaRef,
    chain: { gridId: chain.gridId, communityId: chain.communityId, townId: chain.townId, districtId: chain.districtId },
    unit,
    responsibleUnit,
    gridWorkers,
    nearestStaff: nearest,
  };
}
