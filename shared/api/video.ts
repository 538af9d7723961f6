/**
 * The video capability's part of the API contract: the camera registry (cameras.*), stream
 * health, wall presets, video settings and linkage (video.*).
 */
import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import { cameraSchema, CAMERA_KINDS, idSchema } from '../domain/model';
import {
  CAMERA_STATUSES,
  cameraDetailSchema,
  cameraInputSchema,
  IMPORT_FORMATS,
  importErrorSchema,
  linkageInputSchema,
  linkageResultSchema,
  MAX_TILES,
  streamHealthSchema,
  streamStateSchema,
  tourSchema,
  videoSettingsSchema,
  wallLayoutSchema,
  wallPresetSchema,
} from '../domain/video';

const bboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const videoMethods = {
  'cameras.list': defineMethod({
    summary: 'Cameras, optionally inside a bounding box [minLon, minLat, maxLon, maxLat] or an area.',
    input: z
      .object({ bbox: bboxSchema.optional(), areaId: idSchema.optional(), limit: z.number().int().min(1).max(50_000).default(20_000) })
      .strict(),
    output: z.array(cameraSchema),
  }),
  'cameras.search': defineMethod({
    summary: 'Cameras for a pick list: by name/id text, department, kind, status; paged.',
    input: z
      .object({
        text: z.string().min(1).max(100).optional(),
        departmentId: idSchema.optional(),
        kinds: z.array(z.enum(CAMERA_KINDS)).max(CAMERA_KINDS.length).optional(),
        statuses: z.array(z.enum(CAMERA_STATUSES)).max(CAMERA_STATUSES.length).optional(),
        /** Only cameras with at least one stream. */
        playable: z.boolean().optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict(),
    output: z.object({ total: z.number().int(), items: z.array(cameraSchema) }),
  }),
  'cameras.get': defineMethod({
    summary: 'One camera with its streams, mount height and version.',
    input: z.object({ id: idSchema }).strict(),
    output: cameraDetailSchema,
  }),
  'cameras.getMany': defineMethod({
    summary: 'Several cameras with their streams, in the order asked (unknown ids are left out).',
    input: z.object({ ids: z.array(idSchema).max(2_000) }).strict(),
    output: z.array(cameraDetailSchema),
  }),
  'cameras.save': defineMethod({
    summary: 'Create or replace a camera (the whole record: omitted fields take their defaults). With `version`, the update is refused (conflict) when the camera changed since.',
    mutates: true,
    input: cameraInputSchema,
    output: cameraDetailSchema,
  }),
  'cameras.delete': defineMethod({
    summary: 'Remove a camera from the registry (with its health records).',
    mutates: true,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ id: idSchema }),
  }),
  'cameras.import': defineMethod({
    summary:
      'Import cameras from CSV (header row; English or Chinese column names) or a GeoJSON FeatureCollection of points. Rows are checked one by one; errors name the row and field. Nothing is written on dryRun.',
    mutates: true,
    input: z
      .object({
        format: z.enum(IMPORT_FORMATS),
        text: z.string().min(1).max(50_000_000),
        /** Coordinates of the file: WGS84 (default) or GCJ-02 (Chinese web maps), converted to WGS84. */
        crs: z.enum(['wgs84', 'gcj02']).default('wgs84'),
        /** An id that exists already: update it, skip the row, or report an error. */
        onExisting: z.enum(['update', 'skip', 'error']).default('update'),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      total: z.number().int(),
      inserted: z.number().int(),
      updated: z.number().int(),
      skipped: z.number().int(),
      errors: z.array(importErrorSchema),
      /** More errors than the list holds were found. */
      errorsTruncated: z.boolean(),
    }),
  }),
  'video.health': defineMethod({
    summary: 'Stream health (state, failures, back-off) per camera stream, optionally for some cameras or states.',
    input: z
      .object({
        cameraIds: z.array(idSchema).max(2_000).optional(),
        states: z.array(streamStateSchema).max(5).optional(),
        limit: z.number().int().min(1).max(20_000).default(2_000),
      })
      .strict(),
    output: z.array(streamHealthSchema),
  }),
  'video.report': defineMethod({
    summary: "A player's report of a stream's state (connecting, playing, stalled, failed); failures are counted and the back-off returned.",
    mutates: true,
    input: z
      .object({
        cameraId: idSchema,
        streamIndex: z.number().int().min(0).max(7).default(0),
        state: streamStateSchema,
        detail: z.string().max(300).default(''),
        /** Time from asking for the stream to its first frame, ms. */
        firstFrameMs: z.number().min(0).max(600_000).optional(),
        client: z.string().max(80).optional(),
      })
      .strict(),
    output: streamHealthSchema,
  }),
  'video.probe': defineMethod({
    summary: "Probe a camera's streams from the host (reachable, the right format, live playlists advancing) and record the result.",
    mutates: true,
    input: z.object({ cameraId: idSchema, streamIndex: z.number().int().min(0).max(7).optional() }).strict(),
    output: z.array(streamHealthSchema),
  }),
  'video.linkedCameras': defineMethod({
    summary:
      '视图联动: the cameras within the radius whose field of view contains a case, alarm or point, nearest first, up to `limit`; empty with a reason once the case is closed; plus recorded clips covering the moment.',
    input: linkageInputSchema,
    output: linkageResultSchema,
  }),
  'video.presets.list': defineMethod({
    summary: 'Saved video wall presets (layout, tiles, tour).',
    input: z.object({}).strict(),
    output: z.array(wallPresetSchema),
  }),
  'video.presets.save': defineMethod({
    summary: 'Save a video wall preset (create, or update by id; with `version`, a stale update is refused).',
    mutates: true,
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1).max(60),
        layout: wallLayoutSchema,
        tiles: z.array(idSchema.nullable()).max(MAX_TILES),
        tour: tourSchema.nullable().default(null),
        version: z.number().int().optional(),
      })
      .strict(),
    output: wallPresetSchema,
  }),
  'video.presets.delete': defineMethod({
    summary: 'Delete a video wall preset.',
    mutates: true,
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ id: idSchema }),
  }),
  'video.settings.get': defineMethod({
    summary: 'Video settings: per-origin live-stream cap, tour interval, linkage radius, clip pre-roll, player timeouts.',
    input: z.object({}).strict(),
    output: videoSettingsSchema,
  }),
  'video.settings.set': defineMethod({
    summary: 'Change video settings (the fields given); every wall follows.',
    mutates: true,
    input: videoSettingsSchema.partial().strict(),
    output: videoSettingsSchema,
  }),
  'video.origins': defineMethod({
    summary:
      "The distinct origins of every registered stream URL (for the Electron shell's CSP and request filter: media-src, connect-src, img-src); `relative` says whether some URLs are served by the host itself (/media/…).",
    input: z.object({}).strict(),
    output: z.object({ origins: z.array(z.string()), relative: z.boolean() }),
  }),
  'video.attachMedia': defineMethod({
    summary:
      'Attach the clips in the data directory\'s media folder (served by the host under /media/) to cameras, round-robin: HLS folders, .flv, .mp4/.webm, .mjpeg. By default only cameras without streams.',
    mutates: true,
    input: z
      .object({
        onlyWithoutStreams: z.boolean().default(true),
        cameraIds: z.array(idSchema).max(20_000).optional(),
        limit: z.number().int().min(1).max(50_000).default(50_000),
      })
      .strict(),
    output: z.object({ media: z.array(z.string()), cameras: z.number().int() }),
  }),
} as const;

export const videoEvents = {
  'camera.changed': defineEvent({
    summary: 'Cameras were created, updated or deleted (registry edits, imports).',
    payload: z.object({ ids: z.array(z.string()), op: z.enum(['upsert', 'delete', 'import']), count: z.number().int() }),
  }),
  'video.health': defineEvent({
    summary: "A stream's health changed state (reported by a player or the host probe).",
    payload: z.object({ health: streamHealthSchema }),
  }),
  'video.linkageEnded': defineEvent({
    summary: 'A case or alarm with camera linkage closed: walls showing its cameras end the linkage.',
    payload: z.object({ caseId: z.string().nullable(), alarmId: z.string().nullable(), reason: z.enum(['case_closed', 'case_cancelled', 'alarm_closed']) }),
  }),
  'video.presetsChanged': defineEvent({
    summary: 'A wall preset was saved or deleted.',
    payload: z.object({ id: z.string(), op: z.enum(['save', 'delete']) }),
  }),
  'video.settingsChanged': defineEvent({
    summary: 'Video settings changed.',
    payload: videoSettingsSchema,
  }),
} as const;
