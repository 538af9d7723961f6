import { describe, expect, it } from 'vitest';
import type { Stream } from '../../../shared/domain/video';
import { originOf, pickEngine, pickStream, resolveStreamUrl } from './engines/pick';
import type { EngineCaps } from './engines/types';
import { PlaybackMonitor, type MonitorStatus } from './monitor';
import { admit } from './wall/cap';
import { dropOnTile, parseCameraDragData } from './wall/drag';
import { fitTiles, layoutFor, layoutGeometry } from './wall/layout';
import { tourPage, tourPages } from './wall/tour';

const CHROMIUM: EngineCaps = { mse: true, nativeHls: true, webrtc: true };
const IOS: EngineCaps = { mse: false, nativeHls: true, webrtc: true };

describe('engine choice', () => {
  it('picks an engine per stream kind and browser', () => {
    expect(pickEngine({ kind: 'file', url: 'x.mp4' }, CHROMIUM)).toBe('native');
    expect(pickEngine({ kind: 'hls', url: 'x.m3u8' }, CHROMIUM)).toBe('hlsjs');
    expect(pickEngine({ kind: 'hls', url: 'x.m3u8' }, CHROMIUM, 'native')).toBe('native');
    expect(pickEngine({ kind: 'hls', url: 'x.m3u8' }, IOS)).toBe('native');
    expect(pickEngine({ kind: 'flv', url: 'x.flv' }, CHROMIUM)).toBe('mpegts');
    expect(pickEngine({ kind: 'flv', url: 'x.flv' }, IOS)).toBeNull();
    expect(pickEngine({ kind: 'webrtc', url: 'http://gw/whep' }, CHROMIUM)).toBe('whep');
    expect(pickEngine({ kind: 'mjpeg', url: 'x.mjpeg' }, CHROMIUM)).toBe('mjpeg');
  });

  it('picks the first playable live stream, leaving recorded clips out', () => {
    const streams: Stream[] = [
      { kind: 'file', url: 'http://nvr/rec.mp4', startAt: '2026-11-21T09:00:00.000+08:00' },
      { kind: 'flv', url: 'http://gw/a.flv' },
      { kind: 'hls', url: 'http://gw/a.m3u8' },
    ];
    expect(pickStream(streams, CHROMIUM)?.index).toBe(1);
    expect(pickStream(streams, IOS)?.index).toBe(2);
    expect(pickStream(streams, CHROMIUM, 'auto', false)?.index).toBe(0);
    expect(pickStream([], CHROMIUM)).toBeNull();
  });

  it('resolves root-relative URLs against the host and names origins', () => {
    expect(resolveStreamUrl('/media/a.flv', 'http://127.0.0.1:4870/wall')).toBe('http://127.0.0.1:4870/media/a.flv');
    expect(resolveStreamUrl('http://gw:8080/a.flv', 'http://127.0.0.1:4870/')).toBe('http://gw:8080/a.flv');
    expect(originOf('http://gw:8080/live/a.flv?x=1')).toBe('http://gw:8080');
    expect(originOf('ws://gw:8080/live/a.flv')).toBe('http://gw:8080');
  });
});

describe('the per-origin cap', () => {
  const flv = (host: string, i: number) => ({ stream: { kind: 'flv' as const, url: `http://${host}/${i}.flv` }, url: `http://${host}/${i}.flv` });
  it('admits tiles in order up to the cap per origin; WHEP, WS and empty tiles do not count', () => {
    const tiles = [
      ...Array.from({ length: 6 }, (_, i) => flv('a:8080', i)),
      { stream: { kind: 'webrtc' as const, url: 'http://a:8080/cam/whep' }, url: 'http://a:8080/cam/whep' },
      { stream: { kind: 'flv' as const, url: 'ws://a:8080/ws.flv' }, url: 'ws://a:8080/ws.flv' },
      { stream: null, url: null },
      flv('b:8080', 0),
    ];
    const a = admit(tiles, (o) => (o === 'http://b:8080' ? 1 : 4));
    expect(a.admitted).toEqual([true, true, true, true, false, false, true, true, true, true]);
    expect(a.inUse.get('http://a:8080')).toBe(4);
    expect(a.inUse.get('http://b:8080')).toBe(1);
  });
});

describe('layouts, tours, drops', () => {
  it('lays out 1, 4, 9, 16 and 1+5', () => {
    expect(layoutGeometry('9')).toMatchObject({ columns: 3, rows: 3 });
    expect(layoutGeometry('16').tiles).toHaveLength(16);
    const focus = layoutGeometry('1+5');
    expect(focus.tiles).toHaveLength(6);
    expect(focus.tiles[0]).toEqual({ col: 1, row: 1, colSpan: 2, rowSpan: 2 });
    // the six tiles cover the 3×3 grid exactly once
    const cells = new Set<string>();
    for (const t of focus.tiles) for (let c = 0; c < t.colSpan; c++) for (let r = 0; r < t.rowSpan; r++) cells.add(`${t.col + c},${t.row + r}`);
    expect(cells.size).toBe(9);
    expect(fitTiles(['a', 'b'], '4')).toEqual(['a', 'b', null, null]);
    expect(fitTiles(['a', 'b', 'c', 'd', 'e'], '1')).toEqual(['a']);
    expect([1, 3, 5, 7, 12].map(layoutFor)).toEqual(['1', '4', '1+5', '9', '16']);
  });

  it('cycles a group through the tiles page by page, wrapping', () => {
    const group = Array.from({ length: 10 }, (_, i) => `c${i}`);
    expect(tourPages(10, 4)).toBe(3);
    expect(tourPage(group, 4, 0)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(tourPage(group, 4, 1)).toEqual(['c4', 'c5', 'c6', 'c7']);
    expect(tourPage(group, 4, 2)).toEqual(['c8', 'c9', 'c0', 'c1']);
    expect(tourPage(group, 4, 3)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(tourPage(['a', 'b'], 4, 7)).toEqual(['a', 'b', null, null]);
    expect(tourPage([], 4, 0)).toEqual([null, null, null, null]);
  });

  it('drops cameras onto tiles: place, swap between tiles, never twice', () => {
    expect(dropOnTile([null, 'a', null, null], 0, { cameraId: 'b' })).toEqual(['b', 'a', null, null]);
    expect(dropOnTile(['b', 'a', null, null], 0, { cameraId: 'a', fromTile: 1 })).toEqual(['a', 'b', null, null]);
    expect(dropOnTile(['b', 'a', null, null], 3, { cameraId: 'a' })).toEqual(['b', null, null, 'a']);
    expect(parseCameraDragData('{"cameraId":"c1","fromTile":2}')).toEqual({ cameraId: 'c1', fromTile: 2 });
    expect(parseCameraDragData('{"cameraId":""}')).toBeNull();
    expect(parseCameraDragData('nope')).toBeNull();
  });
});

describe('the playback monitor', () => {
  const make = () => {
    let now = 0;
    const seen: MonitorStatus[] = [];
    const m = new PlaybackMonitor({ stallMs: 5_000, connectTimeoutMs: 10_000, now: () => now, onChange: (s) => seen.push(s) });
    return { m, seen, at: (t: number) => (now = t) };
  };

  it('goes connecting → playing on the first frame, with the time to it', () => {
    const { m, at } = make();
    m.start();
    at(700);
    m.frame();
    expect(m.current).toMatchObject({ state: 'playing', firstFrameMs: 700, failures: 0 });
  });

  it('stalls when frames stop, recovers when they return, fails when they do not', () => {
    const { m, at } = make();
    m.start();
    m.frame();
    at(4_000);
    m.tick();
    expect(m.current.state).toBe('playing');
    at(5_000);
    m.tick();
    expect(m.current.state).toBe('stalled');
    m.frame();
    expect(m.current.state).toBe('playing');
    at(10_000);
    m.tick();
    expect(m.current.state).toBe('stalled');
    at(20_000);
    m.tick();
    expect(m.current).toMatchObject({ state: 'failed', failures: 1, retryAt: 22_000 });
  });

  it('fails on a connect timeout or a fatal error and backs off more each time', () => {
    const { m, at } = make();
    m.start();
    at(10_000);
    m.tick();
    expect(m.current).toMatchObject({ state: 'failed', failures: 1, retryAt: 12_000 });
    expect(m.retryDue()).toBe(false);
    at(12_000);
    expect(m.retryDue()).toBe(true);
    m.start();
    m.fail('networkError: manifestLoadError');
    expect(m.current).toMatchObject({ state: 'failed', failures: 2, retryAt: 16_000, detail: 'networkError: manifestLoadError' });
    m.start();
    m.frame();
    expect(m.current.failures).toBe(0);
  });
});
