/**
 * The sensor registry: detail, create/edit, delete, and import from CSV or GeoJSON.
 * Departments may be given by id or code; the grid is resolved from the location unless given.
 */
import { ApiFailure } from '../../../shared/api';
import { sensorInputSchema, type SensorDetail, type SensorInput } from '../../../shared/api/monitoring';
import { SENSOR_TYPES, type SensorType } from '../../../shared/domain/model';
import { SENSOR_TYPE_INFO, mergeRules, parseThresholds, sensorThresholdsSchema, type SensorThresholds } from '../../../shared/domain/monitoring';
import { toShanghaiIso } from '../../../shared/time';
import { areaLocator } from '../areas/service';
import type { CoreContext } from '../core';
import type { AlarmBook } from './alarms';
import { statusOf, type SensorCache, type SensorRow } from './runtime';
import { deleteSensorReadings } from './series';
import { readMonitoringSettings } from './settings';

interface FullSensorRow extends SensorRow {
  updated_at: number;
  version: number;
  department_name: string | null;
  grid_name: string | null;
}

type ParsedInput = ReturnType<typeof sensorInputSchema.parse>;

/** Chinese names accepted for the type column of an import. */
const TYPE_ALIASES: Record<string, SensorType> = Object.fromEntries(
  SENSOR_TYPES.flatMap((t) => [
    [t, t],
    [SENSOR_TYPE_INFO[t].name, t],
    [SENSOR_TYPE_INFO[t].nameEn.toLowerCase(), t],
  ]),
) as Record<string, SensorType>;
Object.assign(TYPE_ALIASES, { 井盖: 'manhole', 烟雾: 'smoke', 燃气: 'gas', 应变: 'strain', 积水: 'water_level' });

/** CSV header names (lower-cased) → field. */
const COLUMN_ALIASES: Record<string, string> = {
  id: 'id', 编号: 'id', 设备编号: 'id', datastream: 'id',
  name: 'name', 名称: 'name', 设备名称: 'name',
  type: 'type', 类型: 'type', 设备类型: 'type',
  unit: 'unit', 单位: 'unit',
  lon: 'lon', lng: 'lon', longitude: 'lon', 经度: 'lon',
  lat: 'lat', latitude: 'lat', 纬度: 'lat',
  department: 'department', department_id: 'department', department_code: 'department', 部门: 'department', 权属部门: 'department',
  grid: 'grid', grid_id: 'grid', 网格: 'grid',
  interval_s: 'interval', interval: 'interval', intervals: 'interval', 上报间隔: 'interval',
  warn: 'warn', 预警值: 'warn', alarm: 'alarm', 告警值: 'alarm', critical: 'critical', 严重值: 'critical',
  dir: 'dir', direction: 'dir', 方向: 'dir',
  thresholds: 'thresholds',
};

/** RFC 4180 CSV: quoted fields, doubled quotes, CR/LF, a leading BOM. Returns rows with their line numbers. */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell.length === 0) quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  cells.push(cell);
  if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

export class SensorRegistry {
  private readonly stmt;

  constructor(
    private readonly ctx: CoreContext,
    private readonly cache: SensorCache,
    private readonly alarms: AlarmBook,
  ) {
    const db = ctx.db;
    this.stmt = {
      full: db.prepare(`SELECT s.*, d.name AS department_name, g.name AS grid_name FROM sensors s
        LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN areas g ON g.id = s.grid_id WHERE s.id = ?`),
      version: db.prepare('SELECT rid, version, thresholds FROM sensors WHERE id = ?'),
      insert: db.prepare(`INSERT INTO sensors(id, name, type, unit, department_id, grid_id, lon, lat, interval_s, thresholds, status, updated_at)
        VALUES (@id, @name, @type, @unit, @departmentId, @gridId, @lon, @lat, @intervalS, @thresholds, 'normal', @now)`),
      update: db.prepare(`UPDATE sensors SET name = @name, type = @type, unit = @unit, department_id = @departmentId, grid_id = @gridId,
        lon = @lon, lat = @lat, interval_s = @intervalS, thresholds = @thresholds, updated_at = @now, version = version + 1 WHERE id = @id`),
      deptById: db.prepare('SELECT id FROM departments WHERE id = ?').pluck(),
      deptByCode: db.prepare('SELECT id FROM departments WHERE code = ?').pluck(),
      area: db.prepare('SELECT id FROM areas WHERE id = ?').pluck(),
    };
  }

  detail(id: string): SensorDetail {
    const r = this.stmt.full.get(id) as FullSensorRow | undefined;
    if (!r) throw new ApiFailure('not_found', `no sensor with id ${id}`, 'input.id');
    const type = (SENSOR_TYPES as readonly string[]).includes(r.type) ? (r.type as SensorType) : 'temperature';
    const thresholds = parseThresholds(r.thresholds);
    const runtime = this.cache.get(id, this.ctx.now());
    const { open, recent } = this.alarms.ofSensor(id, 20);
    return {
      id: r.id,
      name: r.name,
      type,
      unit: r.unit,
      departmentId: r.department_id,
      gridId: r.grid_id,
      lon: r.lon,
      lat: r.lat,
      intervalS: r.interval_s,
      status: runtime?.status ?? statusOf(r.status),
      lastValue: r.last_value,
      lastAt: r.last_at === null ? null : toShanghaiIso(r.last_at),
      thresholds,
      rules: runtime?.rules ?? mergeRules(this.cache.typeRulesOf(type), thresholds),
      departmentName: r.department_name,
      gridName: r.grid_name,
      version: r.version,
      updatedAt: toShanghaiIso(r.updated_at),
      openAlarms: open,
      recentAlarms: recent,
    };
  }

  /** Resolve department (id or code) and grid; throws a validation error naming the field. */
  private resolve(input: ParsedInput, field: (name: string) => string): { departmentId: string | null; gridId: string | null } {
    let departmentId: string | null = null;
    if (input.departmentId) {
      departmentId = (this.stmt.deptById.get(input.departmentId) as string | undefined) ?? (this.stmt.deptByCode.get(input.departmentId) as string | undefined) ?? null;
      if (!departmentId) throw new ApiFailure('validation', `no department with id or code ${input.departmentId}`, field('departmentId'));
    }
    let gridId: string | null;
    if (input.gridId) {
      if (!this.stmt.area.get(input.gridId)) throw new ApiFailure('validation', `no area with id ${input.gridId}`, field('gridId'));
      gridId = input.gridId;
    } else gridId = areaLocator(this.ctx).chain(input.lon, input.lat).gridId;
    return { departmentId, gridId };
  }

  private write(input: ParsedInput, resolved: { departmentId: string | null; gridId: string | null }, now: number, expectedVersion?: number): boolean {
    const existing = this.stmt.version.get(input.id) as { rid: number; version: number; thresholds: string } | undefined;
    if (existing && expectedVersion !== undefined && existing.version !== expectedVersion)
      throw new ApiFailure('conflict', `sensor ${input.id} has changed (version ${existing.version}, expected ${expectedVersion}); reload and try again`);
    const thresholds: SensorThresholds = input.thresholds ?? (existing ? parseThresholds(existing.thresholds) : {});
    const params = {
      id: input.id,
      name: input.name,
      type: input.type,
      unit: input.unit ?? SENSOR_TYPE_INFO[input.type].unit,
      departmentId: resolved.departmentId,
      gridId: resolved.gridId,
      lon: input.lon,
      lat: input.lat,
      intervalS: input.intervalS,
      thresholds: JSON.stringify(thresholds),
      now,
    };
    if (existing) this.stmt.update.run(params);
    else this.stmt.insert.run(params);
    return !existing;
  }

  upsert(raw: SensorInput & { expectedVersion?: number | undefined }): { sensor: SensorDetail; created: boolean } {
    const { expectedVersion, ...rest } = raw;
    const input = sensorInputSchema.parse(rest);
    const resolved = this.resolve(input, (f) => `input.${f}`);
    const created = this.ctx.db.transaction(() => this.write(input, resolved, this.ctx.now(), expectedVersion))();
    this.cache.refresh(input.id);
    this.ctx.touch();
    return { sensor: this.detail(input.id), created };
  }

  /** Delete a sensor, its readings and roll-ups; its open alarms are cleared first. Returns the cleared alarm ids. */
  delete(id: string, actor: string): { deletedReadings: number; cleared: string[] } {
    const row = this.stmt.version.get(id) as { rid: number } | undefined;
    if (!row) throw new ApiFailure('not_found', `no sensor with id ${id}`, 'input.id');
    const now = this.ctx.now();
    const cleared: string[] = [];
    for (const a of this.alarms.ofSensor(id, 0).open) {
      this.alarms.clearById(a.id, actor, '设备已从台账删除', now);
      cleared.push(a.id);
    }
    const db = this.ctx.db;
    const s = readMonitoringSettings(db);
    const deleted = db.transaction(() => {
      const n = deleteSensorReadings(db, row.rid, now, { rawDays: s.rawRetentionDays, minuteDays: s.minuteRetentionDays, hourDays: s.hourRetentionDays });
      db.prepare('DELETE FROM sensors WHERE id = ?').run(id);
      return n;
    })();
    this.cache.remove(id);
    this.ctx.touch(now);
    return { deletedReadings: deleted, cleared };
  }

  /** Import sensors from CSV or GeoJSON. */
  import(format: 'csv' | 'geojson', text: string, dryRun: boolean, atomic: boolean): { created: number; updated: number; rows: number; stored: boolean; errors: Array<{ row: number; id: string | null; message: string }> } {
    const errors: Array<{ row: number; id: string | null; message: string }> = [];
    const { items: candidates, total } = format === 'csv' ? this.fromCsv(text, errors) : this.fromGeoJson(text, errors);
    const valid: Array<{ row: number; input: ParsedInput; resolved: { departmentId: string | null; gridId: string | null } }> = [];
    const seen = new Map<string, number>();
    for (const c of candidates) {
      const parsed = sensorInputSchema.safeParse(c.raw);
      const id = typeof c.raw.id === 'string' ? c.raw.id : null;
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        errors.push({ row: c.row, id, message: issue ? `${issue.path.join('.') || 'row'}: ${issue.message}` : 'invalid' });
        continue;
      }
      const dup = seen.get(parsed.data.id);
      if (dup !== undefined) {
        errors.push({ row: c.row, id, message: `id ${parsed.data.id} already appears on row ${dup}` });
        continue;
      }
      seen.set(parsed.data.id, c.row);
      try {
        valid.push({ row: c.row, input: parsed.data, resolved: this.resolve(parsed.data, (f) => f) });
      } catch (err) {
        errors.push({ row: c.row, id, message: err instanceof Error ? err.message : String(err) });
      }
    }
    errors.sort((a, b) => a.row - b.row);
    const rows = total;
    let created = 0;
    let updated = 0;
    const store = !dryRun && valid.length > 0 && !(atomic && errors.length > 0);
    if (store) {
      const now = this.ctx.now();
      this.ctx.db.transaction(() => {
        for (const v of valid) {
          if (this.write(v.input, v.resolved, now)) created++;
          else updated++;
        }
      })();
      this.cache.reload();
      this.ctx.touch(now);
    } else {
      for (const v of valid) if (this.stmt.version.get(v.input.id)) updated++;
      created = valid.length - updated;
    }
    return { created, updated, rows, stored: store, errors: errors.slice(0, 1000) };
  }

  private fromCsv(text: string, errors: Array<{ row: number; id: string | null; message: string }>): { items: Array<{ row: number; raw: Record<string, unknown> }>; total: number } {
    const table = parseCsv(text);
    const header = table.shift();
    if (!header) {
      errors.push({ row: 1, id: null, message: 'the file is empty' });
      return { items: [], total: 0 };
    }
    const fields = header.cells.map((h) => COLUMN_ALIASES[h.trim().toLowerCase()] ?? null);
    const missing = ['id', 'name', 'type', 'lon', 'lat'].filter((f) => !fields.includes(f));
    if (missing.length > 0) {
      errors.push({ row: header.line, id: null, message: `missing column(s): ${missing.join(', ')}` });
      return { items: [], total: table.length };
    }
    const out: Array<{ row: number; raw: Record<string, unknown> }> = [];
    for (const { line, cells } of table) {
      const get = (f: string): string | undefined => {
        const i = fields.indexOf(f);
        const v = i >= 0 ? cells[i]?.trim() : undefined;
        return v === undefined || v === '' ? undefined : v;
      };
      try {
        out.push({ row: line, raw: this.rawFromFields(get) });
      } catch (err) {
        errors.push({ row: line, id: get('id') ?? null, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return { items: out, total: table.length };
  }

  private fromGeoJson(text: string, errors: Array<{ row: number; id: string | null; message: string }>): { items: Array<{ row: number; raw: Record<string, unknown> }>; total: number } {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      errors.push({ row: 0, id: null, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
      return { items: [], total: 0 };
    }
    const d = doc as { type?: unknown; features?: unknown };
    if (typeof doc !== 'object' || doc === null || d.type !== 'FeatureCollection' || !Array.isArray(d.features)) {
      errors.push({ row: 0, id: null, message: 'expected a GeoJSON FeatureCollection' });
      return { items: [], total: 0 };
    }
    const out: Array<{ row: number; raw: Record<string, unknown> }> = [];
    d.features.forEach((f: unknown, i: number) => {
      const row = i + 1;
      const feat = f as { id?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: unknown };
      const props = (typeof feat?.properties === 'object' && feat.properties !== null ? feat.properties : {}) as Record<string, unknown>;
      const coords = feat?.geometry?.coordinates;
      if (feat?.geometry?.type !== 'Point' || !Array.isArray(coords) || typeof coords[0] !== 'number' || typeof coords[1] !== 'number') {
        errors.push({ row, id: typeof props.id === 'string' ? props.id : null, message: 'each feature needs a Point geometry' });
        return;
      }
      const get = (f2: string): string | undefined => {
        for (const [k, v] of Object.entries(props)) {
          if (COLUMN_ALIASES[k.toLowerCase()] !== f2 && !(f2 === 'interval' && k === 'intervalS') && !(f2 === 'department' && k === 'departmentId') && !(f2 === 'grid' && k === 'gridId')) continue;
          if (v === null || v === undefined || v === '') return undefined;
          return typeof v === 'string' ? v : JSON.stringify(v);
        }
        if (f2 === 'id' && (typeof feat.id === 'string' || typeof feat.id === 'number')) return String(feat.id);
        if (f2 === 'lon') return String(coords[0]);
        if (f2 === 'lat') return String(coords[1]);
        return undefined;
      };
      try {
        out.push({ row, raw: this.rawFromFields(get) });
      } catch (err) {
        errors.push({ row, id: get('id') ?? null, message: err instanceof Error ? err.message : String(err) });
      }
    });
    return { items: out, total: d.features.length };
  }

  /** One import row (field getter) → the raw input of sensorInputSchema. */
  private rawFromFields(get: (field: string) => string | undefined): Record<string, unknown> {
    const num = (f: string): number | undefined => {
      const v = get(f);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`${f}: not a number: ${v}`);
      return n;
    };
    const typeText = get('type');
    const type = typeText === undefined ? undefined : (TYPE_ALIASES[typeText] ?? TYPE_ALIASES[typeText.toLowerCase()] ?? typeText);
    let thresholds: SensorThresholds = {};
    const json = get('thresholds');
    if (json !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        throw new Error('thresholds: not JSON');
      }
      const t = sensorThresholdsSchema.safeParse(parsed);
      if (!t.success) throw new Error(`thresholds: ${t.error.issues[0]?.message ?? 'invalid'}`);
      thresholds = t.data;
    }
    const dirText = get('dir');
    const dir = dirText === undefined ? undefined : ({ above: 'above', below: 'below', 高于: 'above', 低于: 'below', 上限: 'above', 下限: 'below' } as Record<string, 'above' | 'below'>)[dirText];
    if (dirText !== undefined && dir === undefined) throw new Error(`dir: expected above or below, got ${dirText}`);
    const warn = num('warn'),
      alarm = num('alarm'),
      critical = num('critical');
    if (dir !== undefined) thresholds = { ...thresholds, dir };
    if (warn !== undefined) thresholds = { ...thresholds, warn };
    if (alarm !== undefined) thresholds = { ...thresholds, alarm };
    if (critical !== undefined) thresholds = { ...thresholds, critical };
    const raw: Record<string, unknown> = { id: get('id'), name: get('name'), type, lon: num('lon'), lat: num('lat'), thresholds };
    const unit = get('unit');
    if (unit !== undefined) raw.unit = unit;
    const dep = get('department');
    if (dep !== undefined) raw.departmentId = dep;
    const grid = get('grid');
    if (grid !== undefined) raw.gridId = grid;
    const interval = num('interval');
    if (interval !== undefined) raw.intervalS = interval;
    return raw;
  }
}
