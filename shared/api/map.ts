/**
 * The situation map's part of the API contract (issue 4): the walls' shared map state, saved
 * views, basemap settings, and compact map data (cases at a moment, case density, field-force
 * trails, open dispatches, search). Parallel arrays keep large answers small.
 */
import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import { caseStateSchema, idSchema, isoTimeSchema, STAFF_ROLES, urgencySchema } from '../domain/model';
import { alarmSeveritySchema, alarmStateSchema } from '../domain/monitoring';
import {
  basemapSettingSchema,
  basemapStatusSchema,
  flyToSchema,
  mapLayersPatchSchema,
  mapLayersSchema,
  mapStateV1Schema,
  rotationSchema,
  savedViewSchema,
  timeSelectionSchema,
} from '../domain/map';

const actorSchema = z.string().trim().min(1).max(60);
const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

export const mapStateEnvelopeSchema = z.object({
  state: mapStateV1Schema,
  version: z.number().int(),
  updatedAt: isoTimeSchema.nullable(),
  updatedBy: z.string().nullable(),
});
export type MapStateEnvelope = z.output<typeof mapStateEnvelopeSchema>;

export const mapCasesSchema = z.object({
  /** The reference instant (now, the moment, or the window's end). */
  at: isoTimeSchema,
  mode: z.enum(['live', 'moment', 'window']),
  ids: z.array(z.string()),
  codes: z.array(z.string()),
  lon: z.array(z.number()),
  lat: z.array(z.number()),
  /** The state each case had at `at`. */
  state: z.array(caseStateSchema),
  urgency: z.array(urgencySchema),
  /** Past its deadline at `at`. */
  overdue: z.array(z.boolean()),
  /** Reported within the last two hours before `at` (drawn pulsing). */
  fresh: z.array(z.boolean()),
  classCode: z.array(z.string()),
  /** More cases matched than `limit`: the newest are kept. */
  truncated: z.boolean(),
});
export type MapCases = z.output<typeof mapCasesSchema>;

export const mapAlarmsSchema = z.object({
  /** The reference instant (now, the moment, or the window's end). */
  at: isoTimeSchema,
  mode: z.enum(['live', 'moment', 'window']),
  /** How many alarms matched (before `limit`). */
  total: z.number().int(),
  ids: z.array(z.string()),
  sensorIds: z.array(z.string()),
  sensorNames: z.array(z.string()),
  lon: z.array(z.number()),
  lat: z.array(z.number()),
  severity: z.array(alarmSeveritySchema),
  /** The state each alarm had at `at`. */
  state: z.array(alarmStateSchema),
  message: z.array(z.string()),
  raisedAt: z.array(isoTimeSchema),
  /** More alarms matched than `limit`: the most severe, then the newest, are kept. */
  truncated: z.boolean(),
});
export type MapAlarms = z.output<typeof mapAlarmsSchema>;

export const mapTrailsSchema = z.object({
  /** The trail window, epoch ms; point times are seconds after `from`. */
  from: z.number(),
  to: z.number(),
  ids: z.array(z.string()),
  names: z.array(z.string()),
  roles: z.array(z.enum(STAFF_ROLES)),
  unitIds: z.array(z.string().nullable()),
  /** Index of each person's first point in lon/lat/t; the last point is their last position. */
  starts: z.array(z.number().int()),
  lon: z.array(z.number()),
  lat: z.array(z.number()),
  t: z.array(z.number()),
});
export type MapTrails = z.output<typeof mapTrailsSchema>;

export const dispatchArcSchema = z.object({
  caseId: idSchema,
  code: z.string(),
  title: z.string(),
  state: caseStateSchema,
  urgency: urgencySchema,
  overdue: z.boolean(),
  unitId: idSchema,
  unitName: z.string(),
  /** Where the dispatch comes from: the assignee's last position, else the unit's area. */
  from: z.tuple([lon, lat]),
  to: z.tuple([lon, lat]),
  dispatchedAt: isoTimeSchema.nullable(),
});
export type DispatchArc = z.output<typeof dispatchArcSchema>;

export const SEARCH_KINDS = ['area', 'case', 'camera', 'sensor', 'staff', 'address'] as const;
export const searchHitSchema = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: z.string(),
  label: z.string(),
  /** A second line: level, code, address… */
  detail: z.string(),
  lon,
  lat,
  /** Areas: their extent, to fit. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type SearchHit = z.output<typeof searchHitSchema>;

const timeInput = {
  /** Default: live (now). */
  time: timeSelectionSchema.default({ mode: 'live' }),
  /** Any area; matches at every level below it. */
  areaId: idSchema.optional(),
};

export const mapMethods = {
  'map.state.get': defineMethod({
    summary: 'What the walls show: layers (visibility, opacity, filters), time selection, drilled-down area, view rotation, the last fly-to request.',
    input: z.object({}).strict(),
    output: mapStateEnvelopeSchema,
  }),
  'map.state.update': defineMethod({
    summary:
      'Change the walls’ map state (only the fields given; layers merge per kind). A moment or window must lie within the last 30 days. A fly-to request gets the next sequence number. With expectedVersion a stale update is refused (conflict).',
    mutates: true,
    input: z
      .object({
        layers: mapLayersPatchSchema.optional(),
        time: timeSelectionSchema.optional(),
        areaId: idSchema.nullable().optional(),
        rotation: rotationSchema.partial().optional(),
        flyTo: flyToSchema.omit({ seq: true }).partial().optional(),
        actor: actorSchema,
        expectedVersion: z.number().int().optional(),
      })
      .strict(),
    output: mapStateEnvelopeSchema,
  }),
  'map.views.list': defineMethod({
    summary: 'Saved map views (centre, zoom, area, layers and filters), by name.',
    input: z.object({}).strict(),
    output: z.array(savedViewSchema),
  }),
  'map.views.save': defineMethod({
    summary: 'Save a map view (create, or update by id; with `version`, a stale update is refused).',
    mutates: true,
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1).max(60),
        centre: z.tuple([lon, lat]).nullable().default(null),
        zoom: z.number().min(0).max(24).nullable().default(null),
        areaId: idSchema.nullable().default(null),
        layers: mapLayersSchema.prefault({}),
        version: z.number().int().optional(),
        actor: actorSchema,
      })
      .strict(),
    output: savedViewSchema,
  }),
  'map.views.delete': defineMethod({
    summary: 'Delete a saved map view.',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema }).strict(),
    output: z.object({ id: idSchema }),
  }),
  'map.basemap.get': defineMethod({
    summary: 'The basemap setting and what it resolves to (tile URLs served by the host, or the reason the bundled style is shown).',
    input: z.object({}).strict(),
    output: basemapStatusSchema,
  }),
  'map.basemap.set': defineMethod({
    summary:
      'Choose the basemap: bundled, a PMTiles/MBTiles file on the host (vector or raster), or an intranet XYZ/WMTS URL. A file that is missing or unreadable is stored but answered with ok=false and a message; walls keep the bundled style.',
    mutates: true,
    input: z.object({ setting: basemapSettingSchema, actor: actorSchema }).strict(),
    output: basemapStatusSchema,
  }),
  'map.basemap.files': defineMethod({
    summary: 'PMTiles and MBTiles files in the data directory’s basemaps folder, for the settings picker.',
    input: z.object({}).strict(),
    output: z.object({ dir: z.string(), files: z.array(z.object({ name: z.string(), path: z.string(), bytes: z.number().int() })) }),
  }),
  'map.cases': defineMethod({
    summary:
      'Cases for the map at a time selection: live (open now), a moment (open then, in the state they had), or a window (reported in it, in their state at its end); parallel arrays, newest kept up to `limit`.',
    input: z
      .object({
        ...timeInput,
        scope: z.enum(['open', 'all']).default('open'),
        limit: z.number().int().min(1).max(200_000).default(50_000),
      })
      .strict(),
    output: mapCasesSchema,
  }),
  'map.alarms': defineMethod({
    summary:
      'Sensor alarms for the map at a time selection: live (open now), a moment (open then, in the state they had), or a window (raised in it, in their state at its end); parallel arrays, the most severe and newest kept up to `limit`.',
    input: z
      .object({
        ...timeInput,
        severities: z.array(alarmSeveritySchema).max(3).optional(),
        limit: z.number().int().min(1).max(100_000).default(20_000),
      })
      .strict(),
    output: mapAlarmsSchema,
  }),
  'map.heat': defineMethod({
    summary: 'Positions of the cases reported in a window (live/moment: the `hours` before the reference instant), for density layers.',
    input: z
      .object({
        ...timeInput,
        hours: z.number().int().min(1).max(24 * 30).default(24 * 7),
        limit: z.number().int().min(1).max(500_000).default(200_000),
      })
      .strict(),
    output: z.object({ from: isoTimeSchema, to: isoTimeSchema, lon: z.array(z.number()), lat: z.array(z.number()), truncated: z.boolean() }),
  }),
  'map.trails': defineMethod({
    summary: 'Field forces: on-duty staff with a position in the window ending at the reference instant (at most 60 minutes), each with the trail of that window.',
    input: z
      .object({
        ...timeInput,
        minutes: z.number().int().min(1).max(60).default(60),
        limit: z.number().int().min(1).max(50_000).default(20_000),
      })
      .strict(),
    output: mapTrailsSchema,
  }),
  'map.dispatches': defineMethod({
    summary: 'Open dispatches (dispatched, accepted or in rework at the reference instant) as arcs from the unit to the case.',
    input: z.object({ ...timeInput, limit: z.number().int().min(1).max(20_000).default(5_000) }).strict(),
    output: z.array(dispatchArcSchema),
  }),
  'map.search': defineMethod({
    summary: 'Search box: areas (name, grid code), cases (id, code), cameras and sensors (id, name), staff (name), addresses of cases.',
    input: z.object({ text: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).default(12) }).strict(),
    output: z.array(searchHitSchema),
  }),
  'map.positions.report': defineMethod({
    summary: 'Positions of field staff (terminals, the demo): stored for trails; the staff record’s last position follows.',
    mutates: true,
    input: z
      .object({
        positions: z
          .array(z.object({ staffId: idSchema, lon, lat, at: isoTimeSchema.optional() }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
    output: z.object({ stored: z.number().int(), unknown: z.array(z.string()) }),
  }),
} as const;

export const mapEvents = {
  'map.state': defineEvent({ summary: 'The walls’ map state changed (layers, time, area, rotation, fly-to).', payload: mapStateEnvelopeSchema }),
  'map.views': defineEvent({ summary: 'A saved map view was saved or deleted.', payload: z.object({ id: z.string(), op: z.enum(['save', 'delete']) }) }),
  'map.basemap': defineEvent({ summary: 'The basemap changed (or became unusable).', payload: basemapStatusSchema }),
} as const;
