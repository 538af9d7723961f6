/**
 * Video vocabulary shared by core and renderer: stream kinds, the camera registry's detail record,
 * stream health, wall layouts and presets (versioned), video settings, and the pure geometry of
 * linkage (视图联动): whether a camera's field of view contains a point.
 *
 * Pure TypeScript: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { bearingDeg, distanceM, type BBox } from '../geo';
import { cameraSchema, CAMERA_KINDS, idSchema, isoTimeSchema, type CameraKind } from './model';

// ---------------------------------------------------------------- streams

/**
 * How a stream is played in a browser:
 * - hls:    HLS playlist (.m3u8), TS or fMP4 segments (hls.js, or native where the browser has it)
 * - flv:    HTTP-FLV or WebSocket-FLV (what GB/T 28181 platforms and many NVRs hand out; mpegts.js)
 * - webrtc: a WHEP endpoint (the SDP offer is POSTed there; go2rtc, MediaMTX, ZLMediaKit serve it)
 * - file:   an MP4/WebM file; with `startAt` it is a recorded clip of that time
 * - mjpeg:  multipart/x-mixed-replace JPEG (older IP cameras; shown in an <img>)
 */
export const STREAM_KINDS = ['hls', 'flv', 'webrtc', 'file', 'mjpeg'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];
export const streamKindSchema = z.enum(STREAM_KINDS);

const SCHEMES_BY_KIND: Record<StreamKind, readonly string[]> = {
  hls: ['http:', 'https:'],
  flv: ['http:', 'https:', 'ws:', 'wss:'],
  webrtc: ['http:', 'https:'],
  file: ['http:', 'https:'],
  mjpeg: ['http:', 'https:'],
};

/**
 * Why a URL cannot be registered for a stream kind, or null when it can. Root-relative URLs
 * ('/media/…') are resolved against the host that serves the renderer.
 */
export function streamUrlProblem(kind: StreamKind, url: string): string | null {
  if (url.length === 0) return 'empty URL';
  if (/^\/(?!\/)/.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url.slice(0, 80)}`;
  }
  if (parsed.protocol === 'rtsp:' || parsed.protocol === 'rtsps:' || parsed.protocol === 'rtmp:') {
    return `${parsed.protocol.slice(0, -1).toUpperCase()} cannot play in a browser: front it with a media gateway (go2rtc, MediaMTX, ZLMediaKit) and register the gateway's HLS, HTTP-FLV or WHEP URL`;
  }
  if (!SCHEMES_BY_KIND[kind].includes(parsed.protocol)) return `a ${kind} stream needs a ${SCHEMES_BY_KIND[kind].join(' or ')} URL, got ${parsed.protocol}`;
  return null;
}

export const streamSchema = z
  .object({
    kind: streamKindSchema,
    url: z.string().min(1).max(2000),
    /** e.g. 主码流 / 子码流, or the gateway's name. */
    label: z.string().max(60).optional(),
    /** Recorded clips (kind file): when the recording starts. */
    startAt: isoTimeSchema.optional(),
    /** Recorded clips: length in seconds, when known. */
    durationS: z.number().positive().max(7 * 86_400).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = streamUrlProblem(s.kind, s.url);
    if (problem) ctx.addIssue({ code: 'custom', path: ['url'], message: problem });
    if (s.startAt !== undefined && s.kind !== 'file') ctx.addIssue({ code: 'custom', path: ['startAt'], message: 'only file streams (recorded clips) have a start time' });
  });
export type Stream = z.output<typeof streamSchema>;

/** A stream is live unless it is a recorded clip (a file with a start time). */
export const isLiveStream = (s: Pick<Stream, 'kind' | 'startAt'>): boolean => !(s.kind === 'file' && s.startAt !== undefined);

/** Guess a stream's kind from its URL (imports, the media folder); null when unclear. */
export function guessStreamKind(url: string): StreamKind | null {
  const path = url.split(/[?#]/)[0]!.toLowerCase();
  if (path.endsWith('.m3u8')) return 'hls';
  if (path.endsWith('.flv') || /^wss?:/.test(path)) return 'flv';
  if (path.endsWith('.mp4') || path.endsWith('.webm') || path.endsWith('.m4v')) return 'file';
  if (path.endsWith('.mjpeg') || path.endsWith('.mjpg') || path.endsWith('.cgi')) return 'mjpeg';
  if (/\/whep(\/|$)/.test(path)) return 'webrtc';
  return null;
}

// ---------------------------------------------------------------- cameras

export const CAMERA_STATUSES = ['online', 'offline', 'fault'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

export const MAX_STREAMS_PER_CAMERA = 8;

/** A camera with everything needed to play it. */
export const cameraDetailSchema = cameraSchema.extend({
  heightM: z.number().nullable(),
  streams: z.array(streamSchema).max(MAX_STREAMS_PER_CAMERA),
  updatedAt: isoTimeSchema,
  version: z.number().int(),
});
export type CameraDetail = z.output<typeof cameraDetailSchema>;

/** What cameras.save accepts: a new camera, or an update (give `version` to guard against a stale edit). */
export const cameraInputSchema = z
  .object({
    id: idSchema,
    name: z.string().trim().min(1).max(120),
    departmentId: idSchema.nullable().default(null),
    /** Omitted: located from the position. */
    gridId: idSchema.nullable().optional(),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    /** Degrees clockwise from north; normalised to 0–360. */
    heading: z.number().min(-720).max(720).default(0),
    /** Horizontal field of view, degrees (360: sees all around). */
    fov: z.number().gt(0).max(360).default(60),
    heightM: z.number().min(0).max(1000).nullable().default(null),
    kind: z.enum(CAMERA_KINDS).default('fixed'),
    status: z.enum(CAMERA_STATUSES).default('online'),
    streams: z.array(streamSchema).max(MAX_STREAMS_PER_CAMERA).default([]),
    /** For an update: the version the editor saw (conflict when it changed since). */
    version: z.number().int().optional(),
  })
  .strict();
export type CameraInput = z.input<typeof cameraInputSchema>;
export type CameraInputParsed = z.output<typeof cameraInputSchema>;

export const normaliseHeading = (deg: number): number => ((deg % 360) + 360) % 360;

// ---------------------------------------------------------------- import

export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export const importErrorSchema = z.object({
  /** 1-based: the data row of a CSV (the header is row 0) or the feature's position in a GeoJSON. */
  row: z.number().int(),
  id: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

// ---------------------------------------------------------------- stream health

/**
 * A stream's state as the players and the host-side probe see it:
 * connecting (asked for, no frame yet), playing (frames advancing), stalled (was playing, frames
 * stopped), failed (error or no frame within the connect timeout), unknown (never shown).
 */
export const STREAM_STATES = ['unknown', 'connecting', 'playing', 'stalled', 'failed'] as const;
export type StreamState = (typeof STREAM_STATES)[number];
export const streamStateSchema = z.enum(STREAM_STATES);

export const HEALTH_METHODS = ['player', 'probe'] as const;

export const streamHealthSchema = z.object({
  cameraId: idSchema,
  streamIndex: z.number().int().min(0),
  state: streamStateSchema,
  /** Who saw it last: a player in a browser, or the host's HTTP probe. */
  method: z.enum(HEALTH_METHODS),
  detail: z.string(),
  reachable: z.boolean().nullable(),
  framesAdvancing: z.boolean().nullable(),
  failures: z.number().int(),
  consecutiveFailures: z.number().int(),
  lastOkAt: isoTimeSchema.nullable(),
  lastFailAt: isoTimeSchema.nullable(),
  /** When the next attempt is due after a failure (back-off), or null. */
  nextRetryAt: isoTimeSchema.nullable(),
  firstFrameMs: z.number().nullable(),
  updatedAt: isoTimeSchema,
});
export type StreamHealth = z.output<typeof streamHealthSchema>;

/** Exponential back-off after n consecutive failures: base·2^(n−1), capped. */
export function backoffMs(consecutiveFailures: number, baseMs = 2_000, maxMs = 120_000): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, consecutiveFailures - 1));
}

// ---------------------------------------------------------------- wall layouts and presets

export const WALL_LAYOUTS = ['1', '4', '9', '16', '1+5'] as const;
export type WallLayout = (typeof WALL_LAYOUTS)[number];
export const wallLayoutSchema = z.enum(WALL_LAYOUTS);
export const LAYOUT_TILE_COUNT: Readonly<Record<WallLayout, number>> = { '1': 1, '4': 4, '9': 9, '16': 16, '1+5': 6 };
export const MAX_TILES = 16;

export const tourSchema = z
  .object({
    /** The group cycled through the tiles, in order. */
    cameraIds: z.array(idSchema).min(1).max(2_000),
    intervalS: z.number().int().min(3).max(3_600),
  })
  .strict();
export type Tour = z.output<typeof tourSchema>;

/**
 * The persisted body of a wall preset. Versioned (DESIGN.md convention 10): bump
 * PRESET_DATA_VERSION with a new schema and add a step to migratePresetData plus a fixture.
 */
export const PRESET_DATA_VERSION = 1;
export const presetDataV1Schema = z
  .object({
    v: z.literal(1),
    layout: wallLayoutSchema,
    tiles: z.array(idSchema.nullable()).max(MAX_TILES),
    tour: tourSchema.nullable(),
  })
  .strict();
export type PresetData = z.output<typeof presetDataV1Schema>;

export class PresetVersionError extends Error {}

/** Bring a stored preset body to the current version; throws PresetVersionError when impossible. */
export function migratePresetData(raw: unknown): PresetData {
  const v = typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined;
  if (typeof v !== 'number') throw new PresetVersionError('a preset body needs a numeric version `v`');
  if (v > PRESET_DATA_VERSION) throw new PresetVersionError(`preset version ${v} is newer than this build knows (${PRESET_DATA_VERSION})`);
  const parsed = presetDataV1Schema.safeParse(raw);
  if (!parsed.success) throw new PresetVersionError(`preset v${v} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const wallPresetSchema = z.object({
  id: idSchema,
  name: z.string(),
  layout: wallLayoutSchema,
  tiles: z.array(idSchema.nullable()).max(MAX_TILES),
  tour: tourSchema.nullable(),
  updatedAt: isoTimeSchema,
  version: z.number().int(),
});
export type WallPreset = z.output<typeof wallPresetSchema>;

// ---------------------------------------------------------------- settings

export const videoSettingsSchema = z
  .object({
    /** Concurrent live streams per origin on one wall (HTTP/1.1 browsers open ~6 connections per host). */
    maxLivePerOrigin: z.number().int().min(1).max(64).default(4),
    /** Per-origin overrides, e.g. {"https://gw.example:8443": 16} for an HTTP/2 gateway. */
    originCaps: z.record(z.string().max(200), z.number().int().min(1).max(64)).default({}),
    tourIntervalS: z.number().int().min(3).max(3_600).default(20),
    /** Linkage radius, metres. */
    linkRadiusM: z.number().min(10).max(5_000).default(300),
    /** Recorded clips start this long before the case's time. */
    preRollS: z.number().int().min(0).max(3_600).default(30),
    /** Camera kinds that can turn to any direction and count as seeing all around. */
    omniKinds: z.array(z.enum(CAMERA_KINDS)).max(CAMERA_KINDS.length).default(['ptz', 'dome']),
    /** A player with no frame for this long is stalled. */
    stallMs: z.number().int().min(1_000).max(120_000).default(8_000),
    /** A player with no first frame within this long has failed. */
    connectTimeoutMs: z.number().int().min(2_000).max(120_000).default(15_000),
  })
  .strict();
export type VideoSettings = z.output<typeof videoSettingsSchema>;
export const DEFAULT_VIDEO_SETTINGS: VideoSettings = videoSettingsSchema.parse({});

/** The cap for one origin under these settings. */
export const capForOrigin = (s: Pick<VideoSettings, 'maxLivePerOrigin' | 'originCaps'>, origin: string): number => s.originCaps[origin] ?? s.maxLivePerOrigin;

// ---------------------------------------------------------------- linkage (视图联动)

export interface ViewingCamera {
  lon: number;
  lat: number;
  heading: number;
  fov: number;
  kind: CameraKind;
}

/** Smallest absolute difference between two bearings, 0–180. */
export function angleDelta(a: number, b: number): number {
  const d = Math.abs(normaliseHeading(a) - normaliseHeading(b));
  return d > 180 ? 360 - d : d;
}

/** Closer than this, the camera stands on the point and sees it whatever its heading. */
export const SAME_PLACE_M = 3;

/** Whether the camera counts as seeing all around (PTZ/dome by default, or a 360° lens). */
export const isOmni = (cam: Pick<ViewingCamera, 'fov' | 'kind'>, omniKinds: readonly CameraKind[]): boolean =>
  cam.fov >= 360 || omniKinds.includes(cam.kind);

/**
 * Whether the point lies inside the camera's field-of-view wedge: the bearing from the camera to
 * the point is within heading ± fov/2 (omni cameras see every direction). Range is not checked
 * here: the caller limits the distance.
 */
export function fovContains(cam: ViewingCamera, lon: number, lat: number, omniKinds: readonly CameraKind[] = DEFAULT_VIDEO_SETTINGS.omniKinds): boolean {
  if (isOmni(cam, omniKinds)) return true;
  if (distanceM(cam.lon, cam.lat, lon, lat) < SAME_PLACE_M) return true;
  return angleDelta(bearingDeg(cam.lon, cam.lat, lon, lat), cam.heading) <= cam.fov / 2 + 1e-9;
}

const EARTH_RADIUS_M = 6_371_008.8;
const toRad = (d: number): number => (d * Math.PI) / 180;
const toDeg = (r: number): number => (r * 180) / Math.PI;

/** The point reached from (lon, lat) going distM metres along the bearing. */
export function destination(lon: number, lat: number, bearing: number, distM: number): [number, number] {
  const d = distM / EARTH_RADIUS_M;
  const b = toRad(bearing);
  const p1 = toRad(lat);
  const l1 = toRad(lon);
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [((toDeg(l2) + 540) % 360) - 180, toDeg(p2)];
}

/** A bounding box [minLon, minLat, maxLon, maxLat] that contains the circle of radiusM around the point. */
export function radiusBbox(lon: number, lat: number, radiusM: number): BBox {
  const dLat = toDeg(radiusM / EARTH_RADIUS_M) * 1.001;
  const cosLat = Math.max(0.01, Math.cos(toRad(Math.min(89, Math.abs(lat) + dLat))));
  const dLon = dLat / cosLat;
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

/**
 * The field-of-view wedge as a closed lon/lat ring for the map (a full circle for omni cameras).
 * `rangeM` is how far the wedge is drawn.
 */
export function fovWedge(cam: ViewingCamera, rangeM: number, omniKinds: readonly CameraKind[] = DEFAULT_VIDEO_SETTINGS.omniKinds, segments = 24): Array<[number, number]> {
  const ring: Array<[number, number]> = [];
  if (isOmni(cam, omniKinds)) {
    for (let i = 0; i < segments; i++) ring.push(destination(cam.lon, cam.lat, (360 * i) / segments, rangeM));
  } else {
    ring.push([cam.lon, cam.lat]);
    const start = cam.heading - cam.fov / 2;
    for (let i = 0; i <= segments; i++) ring.push(destination(cam.lon, cam.lat, start + (cam.fov * i) / segments, rangeM));
  }
  ring.push(ring[0]!);
  return ring;
}

export const LINK_TARGET_KINDS = ['case', 'alarm', 'point'] as const;

/**
 * Why a linkage is (in)active: `open` (a live case or alarm), `point` (a bare point), or ended
 * because the case/alarm is closed or cancelled.
 */
export const LINK_REASONS = ['open', 'point', 'case_closed', 'case_cancelled', 'alarm_closed'] as const;
export type LinkReason = (typeof LINK_REASONS)[number];

export const linkageInputSchema = z
  .object({
    caseId: idSchema.optional(),
    alarmId: idSchema.optional(),
    point: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).optional(),
    /** The moment of interest for recorded clips (default: the case's or alarm's time; now for a point). */
    at: isoTimeSchema.optional(),
    /** Default: the settings' linkRadiusM. */
    radiusM: z.number().min(10).max(5_000).optional(),
    /** Up to the layout's size. */
    limit: z.number().int().min(1).max(MAX_TILES).default(9),
    includeOffline: z.boolean().default(false),
    /** Offer recorded clips covering the moment (file streams with start times). */
    clips: z.boolean().default(true),
  })
  .strict()
  .refine((i) => [i.caseId, i.alarmId, i.point].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of caseId, alarmId, point',
    path: ['caseId'],
  });
export type LinkageInput = z.input<typeof linkageInputSchema>;

export const linkedCameraSchema = z.object({
  camera: cameraDetailSchema,
  distanceM: z.number(),
  /** From the camera to the point, degrees clockwise from north. */
  bearingDeg: z.number(),
  omni: z.boolean(),
});
export type LinkedCamera = z.output<typeof linkedCameraSchema>;

export const linkedClipSchema = z.object({
  cameraId: idSchema,
  cameraName: z.string(),
  streamIndex: z.number().int(),
  url: z.string(),
  startAt: isoTimeSchema,
  durationS: z.number().nullable(),
  /** Seek here (seconds into the clip) to start `preRollS` before the moment. */
  offsetS: z.number(),
  distanceM: z.number(),
});
export type LinkedClip = z.output<typeof linkedClipSchema>;

export const linkageResultSchema = z.object({
  active: z.boolean(),
  reason: z.enum(LINK_REASONS),
  target: z.object({
    kind: z.enum(LINK_TARGET_KINDS),
    id: z.string().nullable(),
    lon: z.number(),
    lat: z.number(),
    at: isoTimeSchema,
    state: z.string().nullable(),
  }),
  radiusM: z.number(),
  /** Live cameras that see the point, nearest first (empty once the case is closed). */
  cameras: z.array(linkedCameraSchema),
  /** Recorded clips covering the moment, nearest camera first. */
  clips: z.array(linkedClipSchema),
  /** Clips start this long before the moment. */
  preRollS: z.number(),
  tookMs: z.number(),
});
export type LinkageResult = z.output<typeof linkageResultSchema>;

export const cameraSummaryOf = (c: CameraDetail): z.output<typeof cameraSchema> => ({
  id: c.id,
  name: c.name,
  departmentId: c.departmentId,
  gridId: c.gridId,
  lon: c.lon,
  lat: c.lat,
  heading: c.heading,
  fov: c.fov,
  kind: c.kind,
  status: c.status,
});

/** The cameras.save input that writes a camera back as it is (an editor's starting point). */
export const cameraInputOf = (c: CameraDetail): CameraInput => ({
  id: c.id,
  name: c.name,
  departmentId: c.departmentId,
  gridId: c.gridId,
  lon: c.lon,
  lat: c.lat,
  heading: c.heading,
  fov: c.fov,
  heightM: c.heightM,
  kind: c.kind,
  status: c.status,
  streams: c.streams,
  version: c.version,
});
