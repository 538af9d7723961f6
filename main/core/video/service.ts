/**
 * The video capability: the camera registry (cameras.*), stream health with the host probe and
 * its back-off loop, wall presets, video settings, linkage (视图联动) and the media folder.
 */
import { ApiFailure } from '../../../shared/api/contract';
import { toShanghaiIso } from '../../../shared/time';
import type { StreamHealth, VideoSettings } from '../../../shared/domain/video';
import type { CoreContext } from '../core';
import { areaLocator } from '../areas/service';
import { deleteCamera, getCameraRow, getCamerasByIds, listCameras, parseStreams, saveCamera, searchCameras, streamOrigins, syncCameraIndex, toDetail, type SaveDeps } from './cameras';
import { dueForProbe, getHealthRow, listHealth, nextHealth, toHealth, writeHealth, type HealthRow } from './health';
import { importCameras } from './importer';
import { CLOSED_ALARM_STATES, linkedCameras } from './linkage';
import { attachMedia, mediaDirOf, scanMedia } from './media';
import { deletePreset, listPresets, savePreset } from './presets';
import { probeStream, type ProbeResult } from './probe';
import { readVideoSettings, writeVideoSettings } from './settings';
import { prep } from '../db/sql';

export interface VideoServiceOptions {
  /** How often the probe loop looks for failed streams whose retry is due, ms (0: no loop). */
  probeIntervalMs?: number;
  /** A stream counts as shown for this long after a player last reported on it, ms. */
  shownWindowMs?: number;
  /** Parallel host probes at most. */
  maxConcurrentProbes?: number;
  /** Attach the media folder's clips at start when no camera has a stream yet (default true). */
  autoAttachMedia?: boolean;
}

export interface VideoService {
  /** Probe one stream now and record the result. */
  probe(cameraId: string, streamIndex: number): Promise<StreamHealth>;
  /** One pass of the probe loop (tests call it directly). */
  probeDue(): Promise<number>;
  readonly mediaDir: string;
}

const services = new WeakMap<CoreContext, VideoService>();

/** The video service of a core (for the host's media route and tests). */
export function videoService(ctx: CoreContext): VideoService {
  const s = services.get(ctx);
  if (!s) throw new Error('the video service is not registered');
  return s;
}

export function registerVideo(ctx: CoreContext, opts: VideoServiceOptions = {}): VideoService {
  const { db, registry, bus, log } = ctx;
  const mediaDir = mediaDirOf(ctx.dataDir);
  let settings: VideoSettings = readVideoSettings(db, log);
  const shownWindowMs = opts.shownWindowMs ?? 10 * 60_000;
  const lastShown = new Map<string, number>();
  const key = (cameraId: string, streamIndex: number): string => `${cameraId}#${streamIndex}`;
  const deps: SaveDeps = {
    locateGrid: (lon, lat) => {
      try {
        return areaLocator(ctx).chain(lon, lat).gridId;
      } catch (err) {
        log.warn('video.locate_failed', { error: String(err) });
        return null;
      }
    },
  };

  const index = syncCameraIndex(db);
  if (index.added > 0 || index.removed > 0) log.info('video.camera_index_synced', index);

  if (opts.autoAttachMedia ?? true) {
    const anyStream = prep(db, "SELECT 1 FROM cameras WHERE streams <> '[]' LIMIT 1").get();
    if (!anyStream) {
      const media = scanMedia(mediaDir);
      if (media.length > 0) {
        const ids = attachMedia(db, media, { onlyWithoutStreams: true, limit: 1_000_000, now: ctx.now() });
        log.info('video.media_attached', { media: media.length, cameras: ids.length, mediaDir });
      }
    }
  }

  const record = (cameraId: string, streamIndex: number, o: Parameters<typeof nextHealth>[3]): StreamHealth => {
    const prev = getHealthRow(db, cameraId, streamIndex);
    const next = nextHealth(prev, cameraId, streamIndex, o, ctx.now());
    writeHealth(db, next);
    const health = toHealth(next);
    const changed = !prev || prev.state !== next.state || prev.failures !== next.failures || prev.reachable !== next.reachable;
    if (changed) bus.emit('video.health', { health });
    return health;
  };

  const streamOf = (cameraId: string, streamIndex: number, field: string): ReturnType<typeof parseStreams>[number] => {
    const row = getCameraRow(db, cameraId);
    if (!row) throw new ApiFailure('not_found', `no camera with id ${cameraId}`, 'input.cameraId');
    const stream = parseStreams(row.streams)[streamIndex];
    if (!stream) throw new ApiFailure('validation', `camera ${cameraId} has no stream ${streamIndex}`, field);
    return stream;
  };

  const inFlight = new Map<string, Promise<StreamHealth>>();
  const closing = new AbortController();

  const probe = (cameraId: string, streamIndex: number): Promise<StreamHealth> => {
    const k = key(cameraId, streamIndex);
    const running = inFlight.get(k);
    if (running) return running;
    const stream = streamOf(cameraId, streamIndex, 'input.streamIndex');
    const p = (async (): Promise<StreamHealth> => {
      let result: ProbeResult;
      try {
        result = await probeStream(stream, { mediaDir, signal: closing.signal });
      } catch (err) {
        result = { ok: false, reachable: null, framesAdvancing: null, detail: `probe failed: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (closing.signal.aborted || !getCameraRow(db, cameraId)) throw new ApiFailure('unavailable', 'the camera or the core went away during the probe');
      const prev = getHealthRow(db, cameraId, streamIndex);
      if (!result.ok) {
        return record(cameraId, streamIndex, { state: 'failed', method: 'probe', detail: `host probe: ${result.detail}`, reachable: result.reachable, framesAdvancing: result.framesAdvancing });
      }
      // Reachable: a failed stream is due for another try now; a playing one stays playing.
      const state = prev?.state === 'playing' || prev?.state === 'connecting' ? prev.state : 'unknown';
      const base: HealthRow = nextHealth(prev, cameraId, streamIndex, { state, method: 'probe', detail: `host probe: ${result.detail}`, reachable: true, framesAdvancing: result.framesAdvancing }, ctx.now());
      base.next_retry_at = state === 'unknown' && prev && (prev.state === 'failed' || prev.state === 'stalled') ? ctx.now() : base.next_retry_at;
      writeHealth(db, base);
      const health = toHealth(base);
      if (!prev || prev.state !== base.state || prev.reachable !== base.reachable) bus.emit('video.health', { health });
      return health;
    })().finally(() => inFlight.delete(k));
    inFlight.set(k, p);
    return p;
  };

  const maxConcurrent = opts.maxConcurrentProbes ?? 4;
  const probeDue = async (): Promise<number> => {
    const now = ctx.now();
    const due = dueForProbe(db, now, 200).filter((r) => (lastShown.get(key(r.camera_id, r.stream_index)) ?? 0) >= now - shownWindowMs && !inFlight.has(key(r.camera_id, r.stream_index)));
    const batch = due.slice(0, Math.max(0, maxConcurrent - inFlight.size));
    await Promise.all(batch.map((r) => probe(r.camera_id, r.stream_index).catch(() => undefined)));
    return batch.length;
  };

  const intervalMs = opts.probeIntervalMs ?? 2_000;
  if (intervalMs > 0) {
    const timer = setInterval(() => {
      probeDue().catch((err: unknown) => log.warn('video.probe_loop_failed', { error: String(err) }));
    }, intervalMs);
    timer.unref();
    ctx.timers.add(timer);
  }
  ctx.onClose.push(() => closing.abort());

  // Linkage ends when its case (or alarm) closes.
  const unsubscribe = bus.subscribe((msg) => {
    if (msg.event === 'case.updated') {
      const c = (msg.payload as { case?: { id?: unknown; state?: unknown } }).case;
      if (c && typeof c.id === 'string' && (c.state === 'closed' || c.state === 'cancelled')) {
        bus.emit('video.linkageEnded', { caseId: c.id, alarmId: null, reason: c.state === 'closed' ? 'case_closed' : 'case_cancelled' });
      }
    } else if (msg.event === 'alarm.updated') {
      const a = (msg.payload as { alarm?: { id?: unknown; state?: unknown } }).alarm;
      if (a && typeof a.id === 'string' && typeof a.state === 'string' && CLOSED_ALARM_STATES.has(a.state)) {
        bus.emit('video.linkageEnded', { caseId: null, alarmId: a.id, reason: 'alarm_closed' });
      }
    }
  });
  ctx.onClose.push(unsubscribe);

  // ---- registry
  registry.register('cameras.list', (input) => listCameras(db, input));
  registry.register('cameras.search', (input) => searchCameras(db, input));
  registry.register('cameras.get', ({ id }) => {
    const row = getCameraRow(db, id);
    if (!row) throw new ApiFailure('not_found', `no camera with id ${id}`, 'input.id');
    return toDetail(row);
  });
  registry.register('cameras.getMany', ({ ids }) => getCamerasByIds(db, ids));
  registry.register('cameras.save', (input) => {
    const { camera, created } = db.transaction(() => saveCamera(db, input, ctx.now(), deps)).immediate();
    ctx.touch();
    log.info('video.camera_saved', { id: camera.id, created });
    bus.emit('camera.changed', { ids: [camera.id], op: 'upsert', count: 1 });
    return camera;
  });
  registry.register('cameras.delete', ({ id }) => {
    const gone = db.transaction(() => deleteCamera(db, id)).immediate();
    if (!gone) throw new ApiFailure('not_found', `no camera with id ${id}`, 'input.id');
    ctx.touch();
    log.info('video.camera_deleted', { id });
    bus.emit('camera.changed', { ids: [id], op: 'delete', count: 1 });
    return { id };
  });
  registry.register('cameras.import', (input) => {
    const started = performance.now();
    const r = importCameras(db, { ...input, now: ctx.now() }, deps);
    log.info('video.cameras_imported', { format: input.format, dryRun: input.dryRun, total: r.total, inserted: r.inserted, updated: r.updated, skipped: r.skipped, errors: r.errors.length, ms: Math.round(performance.now() - started) });
    if (!input.dryRun && r.ids.length > 0) {
      ctx.touch();
      bus.emit('camera.changed', { ids: r.ids.slice(0, 1_000), op: 'import', count: r.ids.length });
    }
    const { ids: _ids, ...out } = r;
    return out;
  });

  // ---- health
  registry.register('video.health', (q) => listHealth(db, q));
  registry.register('video.report', (input) => {
    streamOf(input.cameraId, input.streamIndex, 'input.streamIndex');
    lastShown.set(key(input.cameraId, input.streamIndex), ctx.now());
    if (lastShown.size > 50_000) {
      const cutoff = ctx.now() - shownWindowMs;
      for (const [k, t] of lastShown) if (t < cutoff) lastShown.delete(k);
    }
    const detail = input.client ? `${input.detail}${input.detail ? ' ' : ''}(${input.client})` : input.detail;
    return record(input.cameraId, input.streamIndex, { state: input.state, method: 'player', detail, firstFrameMs: input.firstFrameMs });
  });
  registry.register('video.probe', async ({ cameraId, streamIndex }) => {
    const row = getCameraRow(db, cameraId);
    if (!row) throw new ApiFailure('not_found', `no camera with id ${cameraId}`, 'input.cameraId');
    const count = parseStreams(row.streams).length;
    const indexes = streamIndex === undefined ? Array.from({ length: count }, (_, i) => i) : [streamIndex];
    return Promise.all(indexes.map((i) => probe(cameraId, i)));
  });

  // ---- linkage
  registry.register('video.linkedCameras', (input) => linkedCameras(db, input, settings, ctx.now()));

  // ---- presets and settings
  registry.register('video.presets.list', () => listPresets(db, log));
  registry.register('video.presets.save', (input) => {
    const preset = savePreset(db, input, ctx.now());
    bus.emit('video.presetsChanged', { id: preset.id, op: 'save' });
    return preset;
  });
  registry.register('video.presets.delete', ({ id }) => {
    if (!deletePreset(db, id)) throw new ApiFailure('not_found', `no preset with id ${id}`, 'input.id');
    bus.emit('video.presetsChanged', { id, op: 'delete' });
    return { id };
  });
  registry.register('video.settings.get', () => settings);
  registry.register('video.settings.set', (patch) => {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<VideoSettings>;
    settings = writeVideoSettings(db, clean, ctx.now(), log);
    log.info('video.settings_changed', { fields: Object.keys(clean) });
    bus.emit('video.settingsChanged', settings);
    return settings;
  });

  registry.register('video.origins', () => streamOrigins(db));

  // ---- media folder
  registry.register('video.attachMedia', (input) => {
    const media = scanMedia(mediaDir);
    const ids = attachMedia(db, media, { ...input, now: ctx.now() });
    log.info('video.media_attached', { media: media.length, cameras: ids.length, at: toShanghaiIso(ctx.now()) });
    if (ids.length > 0) {
      ctx.touch();
      bus.emit('camera.changed', { ids: ids.slice(0, 1_000), op: 'import', count: ids.length });
    }
    return { media: media.map((m) => m.url), cameras: ids.length };
  });

  const service: VideoService = { probe, probeDue, mediaDir };
  services.set(ctx, service);
  return service;
}
