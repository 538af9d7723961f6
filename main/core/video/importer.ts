/**
 * Camera import from CSV or GeoJSON. Each row is turned into a cameras.save input, validated on
 * its own (errors name the row, the field and the column), and the valid rows are written in one
 * transaction. A dry run takes the same path and rolls back.
 *
 * CSV: a header row; column names in English or Chinese (aliases below); streams either as one
 * column per kind (hls, flv, webrtc/whep, file, mjpeg) or as stream_url (+ stream_kind).
 * GeoJSON: a FeatureCollection of Point features; the same names as properties, or a `streams`
 * array of {kind, url, …}; the feature's `id` when the properties have none.
 */
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { ApiFailure } from '../../../shared/api/contract';
import { CAMERA_KINDS, type CameraKind } from '../../../shared/domain/model';
import { cameraInputSchema, guessStreamKind, STREAM_KINDS, type CameraInputParsed, type ImportError, type StreamKind } from '../../../shared/domain/video';
import { toShanghaiIso } from '../../../shared/time';
import { parseCsv } from './csv';
import { gcj02ToWgs84 } from './gcj02';
import { saveCamera, type SaveDeps } from './cameras';

export const MAX_IMPORT_ERRORS = 1_000;

type Field =
  | 'id'
  | 'name'
  | 'department'
  | 'grid'
  | 'lon'
  | 'lat'
  | 'heading'
  | 'fov'
  | 'heightM'
  | 'kind'
  | 'status'
  | 'streamUrl'
  | 'streamKind'
  | 'hls'
  | 'flv'
  | 'webrtc'
  | 'file'
  | 'fileStart'
  | 'fileDuration'
  | 'mjpeg';

const FIELD_ALIASES: Record<Field, readonly string[]> = {
  id: ['id', 'camera_id', 'cameraid', 'device_id', 'deviceid', 'gb_id', 'gbid', 'channel_id', '编号', '设备编号', '国标编码', '通道编号'],
  name: ['name', 'camera_name', 'title', '名称', '设备名称', '点位名称', '通道名称'],
  department: ['department', 'department_id', 'departmentid', 'dept', 'owner', '部门', '所属部门', '权属单位', '管理单位'],
  grid: ['grid', 'grid_id', 'gridid', '网格', '网格编号'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  heading: ['heading', 'azimuth', 'direction', 'bearing', '朝向', '方位角', '方向角'],
  fov: ['fov', 'field_of_view', 'view_angle', '视场角', '视角', '水平视场角'],
  heightM: ['height', 'height_m', 'heightm', 'mount_height', '高度', '安装高度'],
  kind: ['kind', 'type', 'camera_type', 'camera_kind', '类型', '摄像机类型', '设备类型'],
  status: ['status', 'state', '状态', '在线状态'],
  streamUrl: ['stream_url', 'url', 'video_url', 'play_url', '视频地址', '播放地址', '取流地址'],
  streamKind: ['stream_kind', 'stream_type', 'protocol', '协议', '流类型'],
  hls: ['hls', 'hls_url', 'm3u8'],
  flv: ['flv', 'flv_url', 'http_flv', 'httpflv', 'ws_flv'],
  webrtc: ['webrtc', 'whep', 'whep_url', 'webrtc_url'],
  file: ['file', 'file_url', 'clip', 'clip_url', 'mp4', 'record_url', '录像地址'],
  fileStart: ['file_start', 'clip_start', 'start_at', 'record_start', '录像开始时间'],
  fileDuration: ['file_duration_s', 'clip_duration_s', 'duration_s', '录像时长'],
  mjpeg: ['mjpeg', 'mjpeg_url'],
};

const normaliseHeader = (h: string): string => h.trim().toLowerCase().replace(/[\s\-.]+/g, '_');

const ALIAS_TO_FIELD = new Map<string, Field>();
for (const [field, aliases] of Object.entries(FIELD_ALIASES) as Array<[Field, readonly string[]]>) {
  for (const a of aliases) ALIAS_TO_FIELD.set(normaliseHeader(a), field);
}

const KIND_ALIASES: Record<string, CameraKind> = {
  fixed: 'fixed', bullet: 'fixed', box: 'fixed', 枪机: 'fixed', 固定: 'fixed', 固定枪机: 'fixed', 卡口: 'fixed',
  ptz: 'ptz', 球机: 'ptz', 云台: 'ptz', 高速球: 'ptz',
  dome: 'dome', 半球: 'dome', 半球机: 'dome',
  body: 'body', body_worn: 'body', bodyworn: 'body', 执法记录仪: 'body', 单兵: 'body',
  drone: 'drone', uav: 'drone', 无人机: 'drone',
  highpoint: 'highpoint', high_point: 'highpoint', 高点: 'highpoint', 高空瞭望: 'highpoint',
};
const STATUS_ALIASES: Record<string, 'online' | 'offline' | 'fault'> = {
  online: 'online', offline: 'offline', fault: 'fault', 在线: 'online', 离线: 'offline', 故障: 'fault', '1': 'online', '0': 'offline',
};

/** 'YYYY-MM-DD HH:mm[:ss]' without a zone is Beijing time; ISO with a zone is taken as is. */
export function parseClipTime(s: string): string | null {
  const t = s.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  const ms = local ? Date.parse(`${local[1]}-${local[2]}-${local[3]}T${local[4]}:${local[5]}:${local[6] ?? '00'}+08:00`) : Date.parse(t);
  if (Number.isNaN(ms) || (!local && !/(Z|[+-]\d{2}:?\d{2})$/.test(t))) return null;
  return toShanghaiIso(ms);
}

interface RawRow {
  row: number;
  values: Partial<Record<Field, unknown>>;
  streams?: unknown;
  /** Field → the column or property name it came from, for error messages. */
  source: Partial<Record<Field, string>>;
}

interface Prepared {
  row: number;
  input?: CameraInputParsed;
  errors: ImportError[];
}

function rowsFromCsv(text: string): RawRow[] {
  const rows = parseCsv(text);
  const header = rows[0];
  if (!header) throw new ApiFailure('validation', 'the CSV is empty', 'input.text');
  const fields = header.cells.map((h) => ALIAS_TO_FIELD.get(normaliseHeader(h)) ?? null);
  if (!fields.includes('id') || !fields.includes('lon') || !fields.includes('lat')) {
    throw new ApiFailure('validation', 'the CSV header needs at least id, lon and lat columns (or 编号, 经度, 纬度)', 'input.text');
  }
  return rows.slice(1).map((r, i) => {
    const raw: RawRow = { row: i + 1, values: {}, source: {} };
    fields.forEach((f, c) => {
      const v = r.cells[c]?.trim() ?? '';
      if (f && v !== '') {
        raw.values[f] = v;
        raw.source[f] = header.cells[c]!.trim();
      }
    });
    return raw;
  });
}

function rowsFromGeoJson(text: string): RawRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ApiFailure('validation', `not JSON: ${err instanceof Error ? err.message : String(err)}`, 'input.text');
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new ApiFailure('validation', 'expected a GeoJSON FeatureCollection', 'input.text');
  return (fc.features as unknown[]).map((feature, i) => {
    const raw: RawRow = { row: i + 1, values: {}, source: {} };
    const f = feature as { id?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };
    const props = f?.properties ?? {};
    for (const [k, v] of Object.entries(props)) {
      if (k === 'streams') {
        raw.streams = v;
        continue;
      }
      const field = ALIAS_TO_FIELD.get(normaliseHeader(k));
      if (field && v !== null && v !== '') {
        raw.values[field] = v;
        raw.source[field] = k;
      }
    }
    if (raw.values.id === undefined && (typeof f?.id === 'string' || typeof f?.id === 'number')) {
      raw.values.id = String(f.id);
      raw.source.id = 'id';
    }
    const g = f?.geometry;
    if (g?.type === 'Point' && Array.isArray(g.coordinates)) {
      raw.values.lon = g.coordinates[0];
      raw.values.lat = g.coordinates[1];
      raw.source.lon = 'geometry';
      raw.source.lat = 'geometry';
    } else {
      raw.values.lon = undefined;
      raw.source.lon = `geometry (${typeof g?.type === 'string' ? g.type : 'missing'}, expected Point)`;
    }
    return raw;
  });
}

interface Lookups {
  departments: Map<string, string>;
  crs: 'wgs84' | 'gcj02';
}

function prepareRow(raw: RawRow, lookups: Lookups): Prepared {
  const errors: ImportError[] = [];
  const id = typeof raw.values.id === 'string' || typeof raw.values.id === 'number' ? String(raw.values.id).trim() : null;
  const err = (field: Field | string, message: string): void => {
    const col = raw.source[field as Field];
    errors.push({ row: raw.row, id, field: field, message: col && col !== field ? `${message} (column ${col})` : message });
  };
  const num = (field: Field): number | undefined => {
    const v = raw.values[field];
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n)) {
      err(field, `not a number: ${String(v).slice(0, 40)}`);
      return undefined;
    }
    return n;
  };
  const text = (field: Field): string | undefined => {
    const v = raw.values[field];
    return v === undefined ? undefined : String(v).trim();
  };

  const input: Record<string, unknown> = { id, name: text('name') ?? id };
  let lon = num('lon');
  let lat = num('lat');
  if (raw.values.lon === undefined) err('lon', raw.source.lon?.startsWith('geometry') ? `no point: ${raw.source.lon}` : 'missing longitude');
  else if (raw.values.lat === undefined) err('lat', 'missing latitude');
  if (lon !== undefined && lat !== undefined && lookups.crs === 'gcj02') [lon, lat] = gcj02ToWgs84(lon, lat);
  input.lon = lon;
  input.lat = lat;
  for (const [field, key] of [['heading', 'heading'], ['fov', 'fov'], ['heightM', 'heightM']] as const) {
    const n = num(field);
    if (n !== undefined) input[key] = n;
  }
  const dept = text('department');
  if (dept !== undefined) {
    const depId = lookups.departments.get(dept) ?? lookups.departments.get(dept.toLowerCase());
    if (depId === undefined) err('department', `unknown department: ${dept}`);
    else input.departmentId = depId;
  }
  const grid = text('grid');
  if (grid !== undefined) input.gridId = grid;
  const kind = text('kind');
  if (kind !== undefined) {
    const k = KIND_ALIASES[kind.toLowerCase()] ?? KIND_ALIASES[kind];
    if (!k) err('kind', `unknown camera type: ${kind} (expected ${CAMERA_KINDS.join(', ')} or 枪机/球机/半球/执法记录仪/无人机/高点)`);
    else input.kind = k;
  }
  const status = text('status');
  if (status !== undefined) {
    const s = STATUS_ALIASES[status.toLowerCase()] ?? STATUS_ALIASES[status];
    if (!s) err('status', `unknown status: ${status} (expected online/offline/fault or 在线/离线/故障)`);
    else input.status = s;
  }

  // streams
  const streams: Array<Record<string, unknown>> = [];
  if (raw.streams !== undefined) {
    if (Array.isArray(raw.streams)) streams.push(...(raw.streams as Array<Record<string, unknown>>));
    else err('streams', 'streams must be an array of {kind, url}');
  }
  const url = text('streamUrl');
  if (url !== undefined) {
    const given = text('streamKind')?.toLowerCase();
    const kindOf = given === undefined ? guessStreamKind(url) : (STREAM_KINDS as readonly string[]).includes(given) ? (given as StreamKind) : given === 'whep' ? 'webrtc' : null;
    if (!kindOf) err('streamKind', given === undefined ? `cannot tell the stream kind of ${url.slice(0, 80)}: add a stream_kind column` : `unknown stream kind: ${given}`);
    else streams.push({ kind: kindOf, url });
  }
  for (const k of ['hls', 'flv', 'webrtc', 'mjpeg'] as const) {
    const u = text(k);
    if (u !== undefined) streams.push({ kind: k, url: u });
  }
  const fileUrl = text('file');
  if (fileUrl !== undefined) {
    const s: Record<string, unknown> = { kind: 'file', url: fileUrl };
    const start = text('fileStart');
    if (start !== undefined) {
      const iso = parseClipTime(start);
      if (!iso) err('fileStart', `not a time: ${start} (use 2026-11-21 09:30:00 or ISO-8601 with a zone)`);
      else s.startAt = iso;
    }
    const dur = num('fileDuration');
    if (dur !== undefined) s.durationS = dur;
    streams.push(s);
  }
  input.streams = streams;

  if (errors.length > 0) return { row: raw.row, errors };
  const parsed = cameraInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) err(issue.path.map(String).join('.') || 'row', issue.message);
    return { row: raw.row, errors };
  }
  return { row: raw.row, input: parsed.data, errors };
}

export interface ImportOptions {
  format: 'csv' | 'geojson';
  text: string;
  crs: 'wgs84' | 'gcj02';
  onExisting: 'update' | 'skip' | 'error';
  dryRun: boolean;
  now: number;
}

export interface ImportResult {
  total: number;
  inserted: number;
  updated: number;
  skipped: number;
  errors: ImportError[];
  errorsTruncated: boolean;
  ids: string[];
}

class DryRunRollback extends Error {}

export function importCameras(db: Db, opts: ImportOptions, deps: SaveDeps): ImportResult {
  const raws = opts.format === 'csv' ? rowsFromCsv(opts.text) : rowsFromGeoJson(opts.text);
  const departments = new Map<string, string>();
  for (const d of prep(db, 'SELECT id, code, name, name_en FROM departments').all() as Array<{ id: string; code: string; name: string; name_en: string }>) {
    for (const key of [d.id, d.code, d.name, d.name_en.toLowerCase()]) departments.set(key, d.id);
  }
  const result: ImportResult = { total: raws.length, inserted: 0, updated: 0, skipped: 0, errors: [], errorsTruncated: false, ids: [] };
  const addErrors = (errs: readonly ImportError[]): void => {
    for (const e of errs) {
      if (result.errors.length < MAX_IMPORT_ERRORS) result.errors.push(e);
      else result.errorsTruncated = true;
    }
  };
  const seen = new Map<string, number>();
  const exists = prep(db, 'SELECT 1 FROM cameras WHERE id = ?').pluck();
  const write = db.transaction(() => {
    for (const raw of raws) {
      const p = prepareRow(raw, { departments, crs: opts.crs });
      if (!p.input) {
        addErrors(p.errors);
        continue;
      }
      const id = p.input.id;
      const firstRow = seen.get(id);
      if (firstRow !== undefined) {
        addErrors([{ row: p.row, id, field: 'id', message: `id ${id} appears again (first on row ${firstRow})` }]);
        continue;
      }
      seen.set(id, p.row);
      if (exists.get(id) !== undefined) {
        if (opts.onExisting === 'skip') {
          result.skipped++;
          continue;
        }
        if (opts.onExisting === 'error') {
          addErrors([{ row: p.row, id, field: 'id', message: `camera ${id} exists already` }]);
          continue;
        }
      }
      try {
        const { created } = saveCamera(db, p.input, opts.now, deps);
        if (created) result.inserted++;
        else result.updated++;
        result.ids.push(id);
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e;
        addErrors([{ row: p.row, id, field: e.field?.replace(/^input\./, '') ?? null, message: e.message }]);
      }
    }
    if (opts.dryRun) throw new DryRunRollback();
  });
  try {
    write.immediate();
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return result;
}
