/**
 * Inserts the demo rows with prepared statements (values always bound, never concatenated).
 * The caller wraps everything in one transaction.
 */
import type { Db } from '../db/store';
import type { AreaRow } from './areas';
import type { CaseEventRow, CaseRow } from './cases';
import type { CameraRow, DepartmentRow, SensorRow, StaffRow, UnitRow } from './resources';

export interface DemoWriter {
  area(row: AreaRow): void;
  department(row: DepartmentRow): void;
  unit(row: UnitRow): void;
  staff(row: StaffRow): void;
  camera(row: CameraRow): void;
  sensor(row: SensorRow): void;
  caseRow(row: CaseRow): void;
  event(row: CaseEventRow): void;
}

const bool = (v: boolean): number => (v ? 1 : 0);

/**
 * Runs a bulk load with the secondary indexes of the given tables dropped, then recreates them
 * from their own definitions in sqlite_master (so the schema stays exactly what the migrations
 * made). Building an index once over sorted keys is much faster than a million random inserts.
 * Must run inside the caller's transaction, which makes the drop and the rebuild atomic.
 */
export function withIndexesDeferred<T>(db: Db, tables: readonly string[], load: () => T): T {
  if (!db.inTransaction) throw new Error('withIndexesDeferred must run inside a transaction');
  const placeholders = tables.map(() => '?').join(', ');
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders}) ORDER BY name`)
    .all(...tables) as Array<{ name: string; sql: string }>;
  const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  for (const ix of indexes) db.exec(`DROP INDEX ${quote(ix.name)}`);
  const result = load();
  for (const ix of indexes) db.exec(ix.sql);
  return result;
}

export function createWriter(db: Db, now: number): DemoWriter {
  const area = db.prepare(
    `INSERT INTO areas (rid, id, parent_id, level, code, name, name_en, cx, cy, min_x, min_y, max_x, max_y, geometry,
       population, area_km2, risk_level, responsible_unit_id, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const areaBox = db.prepare('INSERT INTO areas_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const department = db.prepare('INSERT INTO departments (id, code, name, name_en, kind, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)');
  const unit = db.prepare('INSERT INTO units (id, department_id, name, area_id, phone, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)');
  const staff = db.prepare(
    `INSERT INTO staff (id, name, role, department_id, unit_id, grid_id, phone, lon, lat, position_at, on_duty, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const camera = db.prepare(
    `INSERT INTO cameras (rid, id, name, department_id, grid_id, lon, lat, heading, fov, height_m, kind, status, streams, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, 1)`,
  );
  const cameraBox = db.prepare('INSERT INTO cameras_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const sensor = db.prepare(
    `INSERT INTO sensors (rid, id, name, type, unit, department_id, grid_id, lon, lat, interval_s, thresholds, status, last_value, last_at,
       updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const caseStmt = db.prepare(
    `INSERT INTO cases (rid, id, code, source, class_code, category_code, title, description, address, lon, lat,
       grid_id, community_id, town_id, district_id, urgency, state, reporter_name, reporter_phone,
       department_id, unit_id, assignee_id, reported_at, registered_at, dispatched_at, deadline_at, closed_at,
       overdue, supervised, limit_ms, warn_at, warning, paused_at, supervision_level, data, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const event = db.prepare(
    'INSERT INTO case_events (case_id, at, action, from_state, to_state, actor, role, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  return {
    area(r) {
      area.run(
        r.rid,
        r.id,
        r.parentId,
        r.level,
        r.code,
        r.name,
        r.nameEn,
        r.cx,
        r.cy,
        r.box.minX,
        r.box.minY,
        r.box.maxX,
        r.box.maxY,
        JSON.stringify(r.geometry),
        r.population,
        r.areaKm2,
        r.risk,
        r.responsibleUnitId,
        now,
      );
      areaBox.run(r.rid, r.box.minX, r.box.maxX, r.box.minY, r.box.maxY);
    },
    department(r) {
      department.run(r.id, r.code, r.name, r.nameEn, r.kind, now);
    },
    unit(r) {
      unit.run(r.id, r.departmentId, r.name, r.areaId, r.phone, now);
    },
    staff(r) {
      staff.run(r.id, r.name, r.role, r.departmentId, r.unitId, r.gridId, r.phone, r.lon, r.lat, r.positionAt, bool(r.onDuty), now);
    },
    camera(r) {
      camera.run(r.rid, r.id, r.name, r.departmentId, r.gridId, r.lon, r.lat, r.heading, r.fov, r.heightM, r.kind, r.status, now);
      cameraBox.run(r.rid, r.lon, r.lon, r.lat, r.lat);
    },
    sensor(r) {
      sensor.run(
        r.rid,
        r.id,
        r.name,
        r.type,
        r.unit,
        r.departmentId,
        r.gridId,
        r.lon,
        r.lat,
        r.intervalS,
        JSON.stringify(r.thresholds),
        r.status,
        r.lastValue,
        r.lastAt,
        now,
      );
    },
    caseRow(r) {
      caseStmt.run(
        r.rid,
        r.id,
        r.code,
        r.source,
        r.classCode,
        r.categoryCode,
        r.title,
        r.description,
        r.address,
        r.lon,
        r.lat,
        r.gridId,
        r.communityId,
        r.townId,
        r.districtId,
        r.urgency,
        r.state,
        r.reporterName,
        r.reporterPhone,
        r.departmentId,
        r.unitId,
        r.assigneeId,
        r.reportedAt,
        r.registeredAt,
        r.dispatchedAt,
        r.deadlineAt,
        r.closedAt,
        bool(r.overdue),
        bool(r.supervised),
        r.limitMs,
        r.warnAt,
        bool(r.warning),
        r.pausedAt,
        r.supervisionLevel,
        r.data,
        r.updatedAt,
        r.version,
      );
    },
    event(r) {
      event.run(r.caseId, r.at, r.action, r.fromState, r.toState, r.actor, r.role, r.note, r.data);
    },
  };
}
