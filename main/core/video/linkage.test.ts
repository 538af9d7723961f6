import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destination, fovContains, type CameraInput, type ViewingCamera } from '../../../shared/domain/video';
import { distanceM } from '../../../shared/geo';
import { toShanghaiIso } from '../../../shared/time';
import { createVideoHarness, insertCase, seedVideoFixture, type VideoHarness } from './testing';
import { prng, seedCameras } from './seed';

const CASE_POINT: [number, number] = [120.05, 30.05];
const T0 = Date.parse('2026-11-21T09:00:00+08:00');

/** A camera `dist` metres from the case point in direction `from`, looking `heading`. */
function cameraAt(id: string, from: number, dist: number, heading: number, over: Partial<CameraInput> = {}): CameraInput {
  const [lon, lat] = destination(CASE_POINT[0], CASE_POINT[1], from, dist);
  return { id, name: `摄像头 ${id}`, lon, lat, heading, fov: 60, kind: 'fixed', streams: [{ kind: 'hls', url: `http://gw.local/${id}.m3u8` }], ...over };
}

describe('linkage (视图联动)', () => {
  let h: VideoHarness;
  const save = async (c: CameraInput): Promise<void> => {
    const r = await h.ctx.registry.invoke('cameras.save', c);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  };

  beforeEach(async () => {
    h = createVideoHarness();
    seedVideoFixture(h.ctx);
    // south of the point, looking north at it
    await save(cameraAt('near-facing', 180, 40, 0));
    // west of the point, looking east at it, further away
    await save(cameraAt('far-facing', 270, 150, 90));
    // north of the point, close, but looking further north: faces away
    await save(cameraAt('faces-away', 0, 20, 0));
    // a dome camera east of the point, looking east (away), but domes turn
    await save(cameraAt('dome-east', 90, 80, 90, { kind: 'dome' }));
    // looking at the point but outside the radius
    await save(cameraAt('too-far', 180, 900, 0));
    // looking at it but offline
    await save(cameraAt('offline', 200, 60, 20, { status: 'offline' }));
    // a recorded clip of the morning, looking at the point
    await save(
      cameraAt('recorder', 135, 100, 315, {
        streams: [
          { kind: 'hls', url: 'http://gw.local/recorder.m3u8' },
          { kind: 'file', url: 'http://nvr.local/recorder-0850.mp4', startAt: toShanghaiIso(T0 - 10 * 60_000), durationS: 1800 },
          { kind: 'file', url: 'http://nvr.local/recorder-0700.mp4', startAt: toShanghaiIso(T0 - 2 * 3600_000), durationS: 600 },
        ],
      }),
    );
    insertCase(h.ctx, { id: 'case-open', lon: CASE_POINT[0], lat: CASE_POINT[1], state: 'dispatched', reportedAt: T0 });
    insertCase(h.ctx, { id: 'case-closed', lon: CASE_POINT[0], lat: CASE_POINT[1], state: 'closed', reportedAt: T0 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('opens the cameras that see an open case, nearest first, and not one facing away', async () => {
    const r = await h.ctx.registry.invoke('video.linkedCameras', { caseId: 'case-open', radiusM: 300 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.active).toBe(true);
    expect(r.value.reason).toBe('open');
    const ids = r.value.cameras.map((c) => c.camera.id);
    expect(ids).toEqual(['near-facing', 'dome-east', 'recorder', 'far-facing']);
    expect(ids).not.toContain('faces-away');
    expect(ids).not.toContain('too-far');
    expect(ids).not.toContain('offline');
    const near = r.value.cameras[0]!;
    expect(near.distanceM).toBeCloseTo(40, 0);
    expect(near.bearingDeg).toBeCloseTo(0, 0);
    expect(near.camera.streams[0]?.kind).toBe('hls');
    expect(r.value.cameras.find((c) => c.camera.id === 'dome-east')?.omni).toBe(true);
  });

  it('stops at the layout size and can include offline cameras', async () => {
    const r = await h.ctx.registry.invoke('video.linkedCameras', { caseId: 'case-open', radiusM: 300, limit: 2, includeOffline: true });
    expect(r.ok && r.value.cameras.map((c) => c.camera.id)).toEqual(['near-facing', 'offline']);
  });

  it('ends for a closed case, with the reason, but still offers the recorded clip from before the case', async () => {
    const r = await h.ctx.registry.invoke('video.linkedCameras', { caseId: 'case-closed' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.active).toBe(false);
    expect(r.value.reason).toBe('case_closed');
    expect(r.value.cameras).toEqual([]);
    expect(r.value.clips).toHaveLength(1);
    const clip = r.value.clips[0]!;
    expect(clip.cameraId).toBe('recorder');
    expect(clip.url).toBe('http://nvr.local/recorder-0850.mp4');
    expect(clip.streamIndex).toBe(1);
    // starts 30 s (preRollS) before the case: 10 min into the clip minus 30 s
    expect(clip.offsetS).toBe(570);
  });

  it('takes a bare point and an explicit moment', async () => {
    const r = await h.ctx.registry.invoke('video.linkedCameras', { point: CASE_POINT, radiusM: 120, at: toShanghaiIso(T0 - 2 * 3600_000 + 60_000) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.reason).toBe('point');
    expect(r.value.cameras.map((c) => c.camera.id)).toEqual(['near-facing', 'dome-east', 'recorder']);
    expect(r.value.clips.map((c) => c.url)).toEqual(['http://nvr.local/recorder-0700.mp4']);
    expect(r.value.clips[0]!.offsetS).toBe(30);
  });

  it('ends when the case is closed: the core says so with an event', () => {
    h.ctx.bus.emit('case.updated', {
      case: {
        id: 'case-open', code: 'C1', title: 't', source: 'grid', categoryCode: '0101', classCode: '01', state: 'closed', urgency: 'normal',
        lon: CASE_POINT[0], lat: CASE_POINT[1], address: '', gridId: null, districtId: null, townId: null, departmentId: null,
        reportedAt: toShanghaiIso(T0), deadlineAt: null, closedAt: toShanghaiIso(T0 + 3600_000), overdue: false, warning: false, supervised: false, supervisionLevel: 0, version: 3,
      },
      action: 'close',
    } as never);
    const ended = h.events.find((e) => e.event === 'video.linkageEnded');
    expect(ended?.payload).toEqual({ caseId: 'case-open', alarmId: null, reason: 'case_closed' });
  });

  it('refuses ambiguous or missing targets', async () => {
    const both = await h.ctx.registry.invoke('video.linkedCameras', { caseId: 'case-open', point: CASE_POINT });
    expect(both).toMatchObject({ ok: false, error: { code: 'validation' } });
    const none = await h.ctx.registry.invoke('video.linkedCameras', { caseId: 'nope' });
    expect(none).toMatchObject({ ok: false, error: { code: 'not_found', field: 'input.caseId' } });
  });

  it('finds over 18,000 cameras exactly what a full scan finds (the R*Tree prefilter loses nothing)', async () => {
    seedCameras(h.ctx.db, { count: 18_000, bbox: [119.9, 29.9, 120.2, 30.2], now: h.ctx.now(), seed: 7 });
    const all = h.ctx.db.prepare("SELECT id, lon, lat, heading, fov, kind FROM cameras WHERE status = 'online'").all() as Array<ViewingCamera & { id: string }>;
    const rnd = prng(3);
    for (let i = 0; i < 40; i++) {
      const p: [number, number] = [119.92 + rnd() * 0.26, 29.92 + rnd() * 0.26];
      const r = await h.ctx.registry.invoke('video.linkedCameras', { point: p, radiusM: 400, limit: 16 });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const expected = all
        .map((c) => ({ id: c.id, d: distanceM(c.lon, c.lat, p[0], p[1]) }))
        .filter((c, k) => c.d <= 400 && fovContains(all[k]!, p[0], p[1]))
        .sort((a, b) => a.d - b.d)
        .slice(0, 16)
        .map((c) => c.id);
      expect(r.value.cameras.map((c) => c.camera.id)).toEqual(expected);
      const d = r.value.cameras.map((c) => c.distanceM);
      expect([...d].sort((a, b) => a - b)).toEqual(d);
    }
  });
});
