/** Read side of the registries: departments/units, sensors, field staff (cameras: main/core/video). */
import type { CoreContext } from '../core';
import { DESCENDANTS } from '../db/sql';
import { toShanghaiIso } from '../../../shared/time';
import type { Sensor, Staff } from '../../../shared/domain/model';


type Bbox = [number, number, number, number];

function spatialWhere(args: { bbox?: Bbox | undefined; areaId?: string | undefined }, alias: string): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (args.bbox) {
    where.push(`${alias}.lon BETWEEN @minX AND @maxX AND ${alias}.lat BETWEEN @minY AND @maxY`);
    Object.assign(params, { minX: args.bbox[0], minY: args.bbox[1], maxX: args.bbox[2], maxY: args.bbox[3] });
  }
  if (args.areaId) {
    where.push(`${alias}.grid_id IN (SELECT id FROM sub)`);
    params.areaId = args.areaId;
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function registerResources(ctx: CoreContext): void {
  const { db, registry } = ctx;

  registry.register('departments.list', () => {
    const departments = db.prepare('SELECT id, code, name, name_en AS nameEn, kind FROM departments ORDER BY code').all() as Array<{
      id: string;
      code: string;
      name: string;
      nameEn: string;
      kind: string;
    }>;
    const units = db.prepare('SELECT id, department_id AS departmentId, name, area_id AS areaId, phone FROM units ORDER BY department_id, name').all() as Array<{
      id: string;
      departmentId: string;
      name: string;
      areaId: string | null;
      phone: string | null;
    }>;
    return { departments, units };
  });

  registry.register('sensors.list', (input) => {
    const w = spatialWhere(input, 's');
    const rows = db
      .prepare(
        `${input.areaId ? DESCENDANTS : ''} SELECT s.id, s.name, s.type, s.unit, s.department_id, s.grid_id, s.lon, s.lat, s.interval_s, s.status, s.last_value, s.last_at
         FROM sensors s ${w.sql} ORDER BY s.rid LIMIT @limit`,
      )
      .all({ ...w.params, limit: input.limit }) as Array<Record<string, unknown>>;
    return rows.map(
      (r): Sensor => ({
        id: r.id as string,
        name: r.name as string,
        type: r.type as Sensor['type'],
        unit: r.unit as string,
        departmentId: (r.department_id as string | null) ?? null,
        gridId: (r.grid_id as string | null) ?? null,
        lon: r.lon as number,
        lat: r.lat as number,
        intervalS: r.interval_s as number,
        status: r.status as Sensor['status'],
        lastValue: (r.last_value as number | null) ?? null,
        lastAt: r.last_at == null ? null : toShanghaiIso(r.last_at as number),
      }),
    );
  });

  registry.register('staff.list', (input) => {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: input.limit };
    if (input.areaId) {
      where.push('s.grid_id IN (SELECT id FROM sub)');
      params.areaId = input.areaId;
    }
    if (input.onDuty !== undefined) {
      where.push('s.on_duty = @onDuty');
      params.onDuty = input.onDuty ? 1 : 0;
    }
    const rows = db
      .prepare(
        `${input.areaId ? DESCENDANTS : ''} SELECT s.id, s.name, s.role, s.department_id, s.unit_id, s.grid_id, s.lon, s.lat, s.position_at, s.on_duty
         FROM staff s ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY s.id LIMIT @limit`,
      )
      .all(params) as Array<Record<string, unknown>>;
    return rows.map(
      (r): Staff => ({
        id: r.id as string,
        name: r.name as string,
        role: r.role as Staff['role'],
        departmentId: (r.department_id as string | null) ?? null,
        unitId: (r.unit_id as string | null) ?? null,
        gridId: (r.grid_id as string | null) ?? null,
        lon: (r.lon as number | null) ?? null,
        lat: (r.lat as number | null) ?? null,
        positionAt: r.position_at == null ? null : toShanghaiIso(r.position_at as number),
        onDuty: r.on_duty === 1,
      }),
    );
  });
}
