/**
 * The situation map's vocabulary (issue 4): layer kinds and their settings, the time selection,
 * the wall's shared map state, saved views and basemap settings. Persisted bodies are versioned
 * (DESIGN.md convention 10): bump the version with a new schema, add a step to the migrate
 * function and a fixture in ./fixtures.
 *
 * Pure TypeScript: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { DAY_MS } from '../time';
import { ALARM_SEVERITIES } from './monitoring';
import { CAMERA_KINDS, SENSOR_TYPES, STAFF_ROLES, URGENCIES, idSchema, isoTimeSchema } from './model';

// ---------------------------------------------------------------- layers

/** Layer kinds, in drawing order (bottom first). One module per kind in renderer/src/map/layers. */
export const MAP_LAYER_KINDS = ['areas', 'grids', 'heat', 'warnings', 'cameras', 'sensors', 'forces', 'arcs', 'alarms', 'cases'] as const;
export type MapLayerKind = (typeof MAP_LAYER_KINDS)[number];

export const CAMERA_STATUSES_ON_MAP = ['online', 'offline', 'fault'] as const;
export const SENSOR_STATUSES_ON_MAP = ['normal', 'warning', 'alarm', 'offline'] as const;

const opacity = z.number().min(0).max(1);
const base = { visible: z.boolean().default(true), opacity: opacity.default(1) };
const hidden = { visible: z.boolean().default(false), opacity: opacity.default(1) };

export const areasLayerSchema = z.object({ ...base, labels: z.boolean().default(true) }).strict();
export const gridsLayerSchema = z
  .object({
    ...base,
    opacity: opacity.default(0.85),
    /** Colour grids by the consultation's risk model ('model', falling back to 'field'), or by the grid's own risk field. */
    colourBy: z.enum(['model', 'field']).default('model'),
    /** The model to colour by; null: the primary model. */
    modelId: idSchema.nullable().default(null),
  })
  .strict();
export const heatLayerSchema = z
  .object({
    ...hidden,
    opacity: opacity.default(0.8),
    mode: z.enum(['heat', 'hex']).default('heat'),
    /** In live mode: the hours before now whose cases are counted (a past window uses its own). */
    windowHours: z.number().int().min(1).max(24 * 30).default(24 * 7),
  })
  .strict();
export const warningsLayerSchema = z.object({ ...base, opacity: opacity.default(0.6) }).strict();
export const camerasLayerSchema = z
  .object({
    ...base,
    /** Empty: every status. */
    statuses: z.array(z.enum(CAMERA_STATUSES_ON_MAP)).max(CAMERA_STATUSES_ON_MAP.length).default([]),
    kinds: z.array(z.enum(CAMERA_KINDS)).max(CAMERA_KINDS.length).default([]),
    /** Field-of-view wedges at high zoom. */
    fov: z.boolean().default(true),
  })
  .strict();
export const sensorsLayerSchema = z
  .object({
    ...base,
    types: z.array(z.enum(SENSOR_TYPES)).max(SENSOR_TYPES.length).default([]),
    statuses: z.array(z.enum(SENSOR_STATUSES_ON_MAP)).max(SENSOR_STATUSES_ON_MAP.length).default([]),
  })
  .strict();
export const forcesLayerSchema = z
  .object({
    ...base,
    roles: z.array(z.enum(STAFF_ROLES)).max(STAFF_ROLES.length).default([]),
    /** Trails of the last hour (TripsLayer). */
    trails: z.boolean().default(true),
  })
  .strict();
export const arcsLayerSchema = z.object({ ...base }).strict();
export const alarmsLayerSchema = z
  .object({ ...base, severities: z.array(z.enum(ALARM_SEVERITIES)).max(ALARM_SEVERITIES.length).default([]) })
  .strict();
export const casesLayerSchema = z
  .object({
    ...base,
    /** 'open': cases open at the chosen time; 'all': also closed and cancelled ones. */
    scope: z.enum(['open', 'all']).default('open'),
    classCodes: z.array(z.string().max(20)).max(50).default([]),
    urgencies: z.array(z.enum(URGENCIES)).max(URGENCIES.length).default([]),
    /** Cluster with counts at low zoom. */
    cluster: z.boolean().default(true),
  })
  .strict();

export const mapLayersSchema = z
  .object({
    areas: areasLayerSchema.prefault({}),
    grids: gridsLayerSchema.prefault({}),
    heat: heatLayerSchema.prefault({}),
    warnings: warningsLayerSchema.prefault({}),
    cameras: camerasLayerSchema.prefault({}),
    sensors: sensorsLayerSchema.prefault({}),
    forces: forcesLayerSchema.prefault({}),
    arcs: arcsLayerSchema.prefault({}),
    alarms: alarmsLayerSchema.prefault({}),
    cases: casesLayerSchema.prefault({}),
  })
  .strict();
export type MapLayers = z.output<typeof mapLayersSchema>;
export type MapLayerSettings<K extends MapLayerKind> = MapLayers[K];
export const DEFAULT_MAP_LAYERS: MapLayers = mapLayersSchema.parse({});

/** A partial change of the layers: any kind, any of its fields. */
export const mapLayersPatchSchema = z
  .object({
    areas: areasLayerSchema.partial().optional(),
    grids: gridsLayerSchema.partial().optional(),
    heat: heatLayerSchema.partial().optional(),
    warnings: warningsLayerSchema.partial().optional(),
    cameras: camerasLayerSchema.partial().optional(),
    sensors: sensorsLayerSchema.partial().optional(),
    forces: forcesLayerSchema.partial().optional(),
    arcs: arcsLayerSchema.partial().optional(),
    alarms: alarmsLayerSchema.partial().optional(),
    cases: casesLayerSchema.partial().optional(),
  })
  .strict();
export type MapLayersPatch = z.input<typeof mapLayersPatchSchema>;

/** Apply a patch (fields not given keep their value). */
export function patchLayers(layers: MapLayers, patch: z.output<typeof mapLayersPatchSchema>): MapLayers {
  const out = { ...layers } as Record<MapLayerKind, unknown>;
  for (const kind of MAP_LAYER_KINDS) {
    const p = patch[kind];
    if (!p) continue;
    const defined = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
    out[kind] = { ...layers[kind], ...defined };
  }
  return mapLayersSchema.parse(out);
}

// ---------------------------------------------------------------- time

/** How far back the time control reaches. */
export const REPLAY_DAYS = 30;

export const timeSelectionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('live') }).strict(),
  /** Everything as it was at one moment (cases open then, alarms open then). */
  z.object({ mode: z.literal('moment'), at: isoTimeSchema }).strict(),
  /** What happened within a window (cases reported in it, alarms raised in it). */
  z.object({ mode: z.literal('window'), from: isoTimeSchema, to: isoTimeSchema }).strict(),
]);
export type TimeSelection = z.output<typeof timeSelectionSchema>;

export interface ResolvedTime {
  mode: TimeSelection['mode'];
  /** The reference instant: now, the moment, or the window's end (epoch ms). */
  at: number;
  /** The window (for a moment and live: the heat window ending at `at`). */
  from: number;
  to: number;
}

export class TimeSelectionError extends Error {}

/**
 * Resolve a selection against the clock. Moments and windows must lie within the last
 * REPLAY_DAYS days and not in the future (a little tolerance for clock skew); a window must be
 * non-empty. `heatHours` is the window used for density in live and moment modes.
 */
export function resolveTime(sel: TimeSelection, now: number, heatHours = 24 * 7): ResolvedTime {
  const earliest = now - REPLAY_DAYS * DAY_MS - 60_000;
  const latest = now + 5 * 60_000;
  const check = (t: number, what: string): number => {
    if (!Number.isFinite(t)) throw new TimeSelectionError(`${what} is not a time`);
    if (t < earliest) throw new TimeSelectionError(`${what} is more than ${REPLAY_DAYS} days ago`);
    if (t > latest) throw new TimeSelectionError(`${what} is in the future`);
    return Math.min(t, now);
  };
  switch (sel.mode) {
    case 'live':
      return { mode: 'live', at: now, from: now - heatHours * 3_600_000, to: now };
    case 'moment': {
      const at = check(Date.parse(sel.at), 'the moment');
      return { mode: 'moment', at, from: at - heatHours * 3_600_000, to: at };
    }
    case 'window': {
      const from = check(Date.parse(sel.from), 'the window start');
      const to = check(Date.parse(sel.to), 'the window end');
      if (to <= from) throw new TimeSelectionError('the window ends before it starts');
      return { mode: 'window', at: to, from, to };
    }
  }
}

// ---------------------------------------------------------------- shared map state

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const zoom = z.number().min(0).max(24);

export const rotationSchema = z
  .object({
    enabled: z.boolean().default(false),
    intervalS: z.number().int().min(10).max(3_600).default(60),
    /** The saved views to rotate through, in order; empty: all of them. */
    viewIds: z.array(idSchema).max(50).default([]),
  })
  .strict();

/** A request to the walls to move their camera (a search result, a saved view, an area). */
export const flyToSchema = z
  .object({
    /** Increases with every request: walls apply each one once. */
    seq: z.number().int().min(0),
    centre: lonLat.nullable(),
    zoom: zoom.nullable(),
    /** Fit this area instead of centre/zoom when those are null. */
    areaId: idSchema.nullable(),
    /** The saved view it came from (its layers apply too). */
    viewId: idSchema.nullable(),
  })
  .strict();
export type FlyTo = z.output<typeof flyToSchema>;

/**
 * What every attached wall shows (the console's layer panel edits it): layers, the time
 * selection, the drilled-down area, saved-view rotation and the last fly-to request.
 */
export const MAP_STATE_VERSION = 1;
export const mapStateV1Schema = z
  .object({
    v: z.literal(1),
    layers: mapLayersSchema.prefault({}),
    time: timeSelectionSchema.default({ mode: 'live' }),
    /** The area drilled into; null: the whole city. */
    areaId: idSchema.nullable().default(null),
    rotation: rotationSchema.prefault({}),
    flyTo: flyToSchema.nullable().default(null),
  })
  .strict();
export type MapState = z.output<typeof mapStateV1Schema>;
export const DEFAULT_MAP_STATE: MapState = mapStateV1Schema.parse({ v: 1 });

export class MapVersionError extends Error {}

const versionOf = (raw: unknown): unknown => (typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined);

/** Bring a stored map state to the current version; throws MapVersionError when impossible. */
export function migrateMapState(raw: unknown): MapState {
  const v = versionOf(raw);
  if (typeof v !== 'number') throw new MapVersionError('a map state needs a numeric version `v`');
  if (v > MAP_STATE_VERSION) throw new MapVersionError(`map state version ${v} is newer than this build knows (${MAP_STATE_VERSION})`);
  const parsed = mapStateV1Schema.safeParse(raw);
  if (!parsed.success) throw new MapVersionError(`map state v${v} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

// ---------------------------------------------------------------- saved views

export const SAVED_VIEW_VERSION = 1;
/** The persisted body of a saved view: where to look and what to show. */
export const savedViewV1Schema = z
  .object({
    v: z.literal(1),
    name: z.string().trim().min(1).max(60),
    /** Centre and zoom; both null: fit `areaId` (or the whole city). */
    centre: lonLat.nullable(),
    zoom: zoom.nullable(),
    areaId: idSchema.nullable(),
    layers: mapLayersSchema.prefault({}),
  })
  .strict();
export type SavedViewData = z.output<typeof savedViewV1Schema>;

/** Bring a stored saved view to the current version; throws MapVersionError when impossible. */
export function migrateSavedView(raw: unknown): SavedViewData {
  const v = versionOf(raw);
  if (typeof v !== 'number') throw new MapVersionError('a saved view needs a numeric version `v`');
  if (v > SAVED_VIEW_VERSION) throw new MapVersionError(`saved view version ${v} is newer than this build knows (${SAVED_VIEW_VERSION})`);
  const parsed = savedViewV1Schema.safeParse(raw);
  if (!parsed.success) throw new MapVersionError(`saved view v${v} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const savedViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  centre: lonLat.nullable(),
  zoom: zoom.nullable(),
  areaId: idSchema.nullable(),
  layers: mapLayersSchema,
  updatedAt: isoTimeSchema,
  version: z.number().int(),
});
export type SavedView = z.output<typeof savedViewSchema>;

// ---------------------------------------------------------------- basemaps

export const BASEMAP_FILE_EXTENSIONS = ['.pmtiles', '.mbtiles'] as const;

export const basemapSettingSchema = z.discriminatedUnion('kind', [
  /** The offline style built from the area boundaries: works with nothing else. */
  z.object({ kind: z.literal('bundled') }).strict(),
  /** A PMTiles or MBTiles file on the host's disk (vector or raster), served under /tiles/. */
  z.object({ kind: z.literal('file'), path: z.string().trim().min(1).max(1_000) }).strict(),
  /** An XYZ/TMS template or a WMTS REST template on the intranet. */
  z
    .object({
      kind: z.literal('url'),
      url: z.string().trim().min(1).max(2_000),
      type: z.enum(['raster', 'vector']).default('raster'),
      tileSize: z.number().int().min(64).max(1_024).default(256),
      minzoom: z.number().int().min(0).max(24).default(0),
      maxzoom: z.number().int().min(0).max(24).default(18),
      attribution: z.string().max(200).default(''),
    })
    .strict(),
]);
export type BasemapSetting = z.output<typeof basemapSettingSchema>;

export const basemapSourceSchema = z.object({
  /** The name it is served under: /tiles/<name>/{z}/{x}/{y}.<ext> and /tiles/<name>.json. */
  name: z.string(),
  type: z.enum(['raster', 'vector']),
  /** png, jpg, webp, pbf… */
  format: z.string(),
  /** Tile URL templates for maplibre (root-relative for files served by the host). */
  tiles: z.array(z.string()).min(1),
  scheme: z.enum(['xyz', 'tms']),
  /** The TileJSON document the host serves, or null for a URL basemap. */
  tileJson: z.string().nullable(),
  tileSize: z.number().int(),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  attribution: z.string().nullable(),
  /** Vector tiles: their layers (OpenMapTiles, Protomaps or any other schema). */
  vectorLayers: z.array(z.object({ id: z.string(), geometry: z.enum(['point', 'line', 'polygon', 'unknown']) })),
});
export type BasemapSource = z.output<typeof basemapSourceSchema>;

export const basemapStatusSchema = z.object({
  setting: basemapSettingSchema,
  /** Where the setting came from: the console (settings) or the command line (--basemap). */
  origin: z.enum(['settings', 'cli']),
  /** False: the chosen basemap cannot be used; the bundled style is shown and `message` says why. */
  ok: z.boolean(),
  message: z.string().nullable(),
  /** What the walls draw under the overlays; null: the bundled style. */
  source: basemapSourceSchema.nullable(),
  /** Increases with every change (cache busting for tile URLs). */
  revision: z.number().int(),
});
export type BasemapStatus = z.output<typeof basemapStatusSchema>;

export class TileUrlError extends Error {}

/**
 * Normalise an intranet tile URL to a maplibre template: XYZ ({z}/{x}/{y}), TMS ({-y}) or a
 * WMTS RESTful template ({TileMatrix}/{TileRow}/{TileCol}, GoogleMapsCompatible/EPSG:3857 grids).
 */
export function normaliseTileUrl(raw: string): { template: string; scheme: 'xyz' | 'tms' } {
  const url = raw.trim();
  if (!/^https?:\/\//i.test(url)) throw new TileUrlError('a tile URL must start with http:// or https://');
  let t = url.replace(/\{TileMatrix\}/gi, '{z}').replace(/\{TileRow\}/gi, '{y}').replace(/\{TileCol\}/gi, '{x}');
  let scheme: 'xyz' | 'tms' = 'xyz';
  if (t.includes('{-y}')) {
    t = t.replace('{-y}', '{y}');
    scheme = 'tms';
  }
  for (const p of ['{z}', '{x}', '{y}']) if (!t.includes(p)) throw new TileUrlError(`a tile URL needs ${p} (or the WMTS {TileMatrix}/{TileRow}/{TileCol})`);
  try {
    new URL(t.replace(/[{}]/g, ''));
  } catch {
    throw new TileUrlError('not a URL');
  }
  return { template: t, scheme };
}

/** A file name turned into a URL-safe tile set name. */
export function tileSetName(fileName: string): string {
  const stem = fileName.replace(/\.(pmtiles|mbtiles)$/i, '');
  const slug = stem
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug.length > 0 ? slug : 'basemap';
}
