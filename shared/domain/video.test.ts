import { describe, expect, it } from 'vitest';
import { distanceM } from '../geo';
import {
  angleDelta,
  backoffMs,
  capForOrigin,
  DEFAULT_VIDEO_SETTINGS,
  destination,
  fovContains,
  fovWedge,
  guessStreamKind,
  isLiveStream,
  migratePresetData,
  PresetVersionError,
  radiusBbox,
  streamSchema,
  streamUrlProblem,
  type ViewingCamera,
} from './video';
import presetV1 from './fixtures/video-preset.v1.json';

const HERE: [number, number] = [120.05, 30.05];
const cam = (over: Partial<ViewingCamera> = {}): ViewingCamera => ({ lon: HERE[0], lat: HERE[1], heading: 0, fov: 60, kind: 'fixed', ...over });

describe('field-of-view geometry', () => {
  it('measures the smallest angle between bearings, across north', () => {
    expect(angleDelta(10, 350)).toBeCloseTo(20);
    expect(angleDelta(350, 10)).toBeCloseTo(20);
    expect(angleDelta(0, 180)).toBeCloseTo(180);
    expect(angleDelta(-30, 30)).toBeCloseTo(60);
    expect(angleDelta(725, 5)).toBeCloseTo(0);
  });

  it('sees a point straight ahead and not one behind (a camera facing away is excluded)', () => {
    const north = destination(HERE[0], HERE[1], 0, 100);
    const south = destination(HERE[0], HERE[1], 180, 100);
    expect(fovContains(cam({ heading: 0 }), north[0], north[1])).toBe(true);
    expect(fovContains(cam({ heading: 0 }), south[0], south[1])).toBe(false);
    expect(fovContains(cam({ heading: 180 }), south[0], south[1])).toBe(true);
  });

  it('keeps the wedge edges at heading ± fov/2, also across 0°/360°', () => {
    const at = (bearing: number): [number, number] => destination(HERE[0], HERE[1], bearing, 200);
    const c = cam({ heading: 350, fov: 40 }); // 330 … 10
    expect(fovContains(c, ...at(331))).toBe(true);
    expect(fovContains(c, ...at(9))).toBe(true);
    expect(fovContains(c, ...at(329))).toBe(false);
    expect(fovContains(c, ...at(11))).toBe(false);
    expect(fovContains(c, ...at(90))).toBe(false);
  });

  it('counts PTZ and dome cameras and 360° lenses as seeing all around', () => {
    const behind = destination(HERE[0], HERE[1], 180, 100);
    expect(fovContains(cam({ kind: 'ptz' }), ...behind)).toBe(true);
    expect(fovContains(cam({ kind: 'dome' }), ...behind)).toBe(true);
    expect(fovContains(cam({ kind: 'fixed', fov: 360 }), ...behind)).toBe(true);
    expect(fovContains(cam({ kind: 'ptz' }), ...behind, [])).toBe(false);
  });

  it('sees a point it stands on, whatever its heading', () => {
    const near = destination(HERE[0], HERE[1], 180, 1);
    expect(fovContains(cam({ heading: 0 }), ...near)).toBe(true);
  });

  it('bounds the radius: every point of the circle is inside the box', () => {
    for (const lat of [0, 30.05, 60]) {
      const [minX, minY, maxX, maxY] = radiusBbox(120, lat, 500);
      for (let b = 0; b < 360; b += 15) {
        const [x, y] = destination(120, lat, b, 500);
        expect(x).toBeGreaterThanOrEqual(minX);
        expect(x).toBeLessThanOrEqual(maxX);
        expect(y).toBeGreaterThanOrEqual(minY);
        expect(y).toBeLessThanOrEqual(maxY);
      }
    }
  });

  it('goes the distance it is asked to', () => {
    const [x, y] = destination(120, 30, 45, 1234);
    expect(distanceM(120, 30, x, y)).toBeCloseTo(1234, 0);
  });

  it('draws a closed wedge from the camera, or a circle for omni cameras', () => {
    const w = fovWedge(cam({ heading: 90, fov: 60 }), 100, DEFAULT_VIDEO_SETTINGS.omniKinds, 6);
    expect(w[0]).toEqual([HERE[0], HERE[1]]);
    expect(w.at(-1)).toEqual(w[0]);
    expect(w.length).toBe(9);
    const circle = fovWedge(cam({ kind: 'dome' }), 100, DEFAULT_VIDEO_SETTINGS.omniKinds, 12);
    expect(circle.length).toBe(13);
    for (const p of circle.slice(0, -1)) expect(distanceM(HERE[0], HERE[1], p[0], p[1])).toBeCloseTo(100, 0);
  });
});

describe('streams', () => {
  it('refuses RTSP with a pointer to a gateway, and schemes that do not fit the kind', () => {
    expect(streamUrlProblem('hls', 'rtsp://10.0.0.1/ch1')).toMatch(/gateway/);
    expect(streamUrlProblem('hls', 'ws://gw/live.flv')).toMatch(/needs a http: or https: URL/);
    expect(streamUrlProblem('flv', 'ws://gw/live.flv')).toBeNull();
    expect(streamUrlProblem('file', '/media/clip.mp4')).toBeNull();
    expect(streamUrlProblem('file', '//cdn/x.mp4')).toMatch(/not a URL/);
    expect(streamSchema.safeParse({ kind: 'hls', url: 'http://gw/a.m3u8', startAt: '2026-11-21T09:00:00+08:00' }).success).toBe(false);
  });

  it('tells live streams from recorded clips and guesses kinds from URLs', () => {
    expect(isLiveStream({ kind: 'file' })).toBe(true);
    expect(isLiveStream({ kind: 'file', startAt: '2026-11-21T09:00:00+08:00' })).toBe(false);
    expect(guessStreamKind('http://gw/live/cam1.m3u8?token=1')).toBe('hls');
    expect(guessStreamKind('http://gw/live/cam1.flv')).toBe('flv');
    expect(guessStreamKind('ws://gw/live/cam1')).toBe('flv');
    expect(guessStreamKind('http://gw/cam1/whep')).toBe('webrtc');
    expect(guessStreamKind('http://gw/x.webm')).toBe('file');
    expect(guessStreamKind('http://gw/x')).toBeNull();
  });
});

describe('health back-off and settings', () => {
  it('doubles the wait after each consecutive failure, up to the cap', () => {
    expect(backoffMs(0)).toBe(0);
    expect(backoffMs(1)).toBe(2_000);
    expect(backoffMs(2)).toBe(4_000);
    expect(backoffMs(5)).toBe(32_000);
    expect(backoffMs(50)).toBe(120_000);
  });

  it('caps origins at the default unless overridden', () => {
    const s = { ...DEFAULT_VIDEO_SETTINGS, originCaps: { 'https://gw:8443': 16 } };
    expect(capForOrigin(s, 'http://127.0.0.1:8080')).toBe(4);
    expect(capForOrigin(s, 'https://gw:8443')).toBe(16);
  });
});

describe('wall presets are versioned', () => {
  it('reads the version 1 fixture', () => {
    const p = migratePresetData(presetV1);
    expect(p.layout).toBe('1+5');
    expect(p.tiles).toHaveLength(6);
    expect(p.tour?.intervalS).toBe(20);
  });

  it('refuses a newer or unversioned body with a clear error', () => {
    expect(() => migratePresetData({ ...presetV1, v: 99 })).toThrow(PresetVersionError);
    expect(() => migratePresetData({ layout: '4' })).toThrow(/numeric version/);
    expect(() => migratePresetData({ v: 1, layout: '7', tiles: [], tour: null })).toThrow(/malformed/);
  });
});
