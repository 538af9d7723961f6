import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../db/store';
import { createVideoHarness, seedVideoFixture, type VideoHarness } from './testing';
import { parseCsv } from './csv';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02';
import { parseClipTime } from './importer';
import { distanceM } from '../../../shared/geo';
import { cameraInputOf } from '../../../shared/domain/video';

describe('CSV parsing', () => {
  it('handles a BOM, quotes, doubled quotes, commas and newlines in quotes, CRLF and blank lines', () => {
    const rows = parseCsv('\ufeffid,name\r\n"c1","东门, ""北""\n路口"\r\n\r\nc2,西门\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ['id', 'name'],
      ['c1', '东门, "北"\n路口'],
      ['c2', '西门'],
    ]);
    expect(rows[2]!.line).toBe(5);
  });
});

describe('coordinates', () => {
  it('converts GCJ-02 back to WGS84 to well under a metre, and leaves points outside China alone', () => {
    const [gx, gy] = wgs84ToGcj02(120.0552, 30.2795);
    expect(distanceM(120.0552, 30.2795, gx, gy)).toBeGreaterThan(100);
    const [x, y] = gcj02ToWgs84(gx, gy);
    expect(distanceM(120.0552, 30.2795, x, y)).toBeLessThan(0.5);
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });

  it('reads clip times in Beijing time unless a zone is given', () => {
    expect(parseClipTime('2026-11-21 09:30:00')).toBe('2026-11-21T09:30:00.000+08:00');
    expect(parseClipTime('2026-11-21T01:30:00Z')).toBe('2026-11-21T09:30:00.000+08:00');
    expect(parseClipTime('2026-11-21T09:30:00')).toBe('2026-11-21T09:30:00.000+08:00');
    expect(parseClipTime('yesterday')).toBeNull();
  });
});

describe('the camera registry', () => {
  let h: VideoHarness;
  beforeEach(() => {
    h = createVideoHarness();
    seedVideoFixture(h.ctx);
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates, reads, updates with a version guard, lists and deletes a camera', async () => {
    const { registry } = h.ctx;
    const created = await registry.invoke('cameras.save', {
      id: 'cam-1',
      name: '文一路口',
      departmentId: 'dep-police',
      lon: 120.05,
      lat: 30.05,
      heading: -90,
      kind: 'ptz',
      streams: [{ kind: 'flv', url: 'http://gw.local/live/cam-1.flv', label: '主码流' }],
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value).toMatchObject({ heading: 270, fov: 60, gridId: 'g-1', version: 1, status: 'online' });
    expect(h.events.filter((e) => e.event === 'camera.changed')).toHaveLength(1);

    const upd = await registry.invoke('cameras.save', { ...cameraInputOf(created.value), name: '文一路口（东）' });
    expect(upd.ok && upd.value.version).toBe(2);
    const stale = await registry.invoke('cameras.save', { id: 'cam-1', name: 'x', lon: 120.05, lat: 30.05, version: 1 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', field: 'input.version' } });

    const badDep = await registry.invoke('cameras.save', { id: 'cam-2', name: 'x', lon: 120, lat: 30, departmentId: 'nope' });
    expect(badDep).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.departmentId' } });
    const rtsp = await registry.invoke('cameras.save', { id: 'cam-2', name: 'x', lon: 120, lat: 30, streams: [{ kind: 'hls', url: 'rtsp://10.1.1.1/ch1' }] });
    expect(rtsp).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.streams.0.url' } });

    const list = await registry.invoke('cameras.list', { bbox: [120, 30, 120.1, 30.1] });
    expect(list.ok && list.value.map((c) => c.id)).toEqual(['cam-1']);
    const inArea = await registry.invoke('cameras.list', { areaId: 'g-1' });
    expect(inArea.ok && inArea.value).toHaveLength(1);
    const search = await registry.invoke('cameras.search', { text: '文一', playable: true });
    expect(search.ok && search.value.total).toBe(1);
    const many = await registry.invoke('cameras.getMany', { ids: ['nope', 'cam-1'] });
    expect(many.ok && many.value.map((c) => c.id)).toEqual(['cam-1']);

    const linked = await registry.invoke('video.linkedCameras', { point: [120.05, 30.0501] });
    expect(linked.ok && linked.value.cameras.map((c) => c.camera.id)).toEqual(['cam-1']);

    const del = await registry.invoke('cameras.delete', { id: 'cam-1' });
    expect(del.ok).toBe(true);
    expect(h.ctx.db.prepare('SELECT COUNT(*) FROM cameras_rtree').pluck().get()).toBe(0);
    const gone = await registry.invoke('cameras.get', { id: 'cam-1' });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('imports CSV with Chinese headers and reports each bad row with its field', async () => {
    const csv = [
      '编号,名称,所属部门,经度,纬度,朝向,视场角,安装高度,类型,状态,hls,flv,录像地址,录像开始时间',
      'c-1,文三路东,公安,120.051,30.051,90,70,6,球机,在线,http://gw.local/c-1.m3u8,,,',
      'c-2,文三路西,CG,120.052,30.052,270,50,,枪机,离线,,http://gw.local/c-2.flv,http://nvr.local/c-2.mp4,2026-11-21 08:00:00',
      'c-3,没有经度,公安,,30.05,0,60,,枪机,在线,,,,',
      'c-4,坏部门,交通局,120.05,30.05,0,60,,枪机,在线,,,,',
      'c-5,坏类型,公安,120.05,30.05,0,60,,飞艇,在线,,,,',
      'c-6,RTSP,公安,120.05,30.05,0,60,,枪机,在线,rtsp://10.0.0.1/live,,,',
      'c-1,重复,公安,120.05,30.05,0,60,,枪机,在线,,,,',
      'c-7,坏时间,公安,120.05,30.05,0,60,,枪机,在线,,,http://nvr.local/c-7.mp4,昨天',
    ].join('\n');
    const dry = await h.ctx.registry.invoke('cameras.import', { format: 'csv', text: csv, dryRun: true });
    expect(dry.ok).toBe(true);
    expect(h.ctx.db.prepare('SELECT COUNT(*) FROM cameras').pluck().get()).toBe(0);

    const r = await h.ctx.registry.invoke('cameras.import', { format: 'csv', text: csv });
    expect(r.ok).toBe(true);
    if (!r.ok || !dry.ok) return;
    expect(dry.value).toEqual(r.value);
    expect(r.value).toMatchObject({ total: 8, inserted: 2, updated: 0, skipped: 0, errorsTruncated: false });
    const byRow = Object.fromEntries(r.value.errors.map((e) => [e.row, e]));
    expect(byRow[3]).toMatchObject({ id: 'c-3', field: 'lon' });
    expect(byRow[4]).toMatchObject({ id: 'c-4', field: 'department' });
    expect(byRow[4]!.message).toMatch(/交通局.*所属部门/);
    expect(byRow[5]).toMatchObject({ id: 'c-5', field: 'kind' });
    expect(byRow[6]).toMatchObject({ id: 'c-6', field: 'streams.0.url' });
    expect(byRow[6]!.message).toMatch(/gateway/);
    expect(byRow[7]).toMatchObject({ id: 'c-1', field: 'id' });
    expect(byRow[8]).toMatchObject({ id: 'c-7', field: 'fileStart' });

    const c2 = await h.ctx.registry.invoke('cameras.get', { id: 'c-2' });
    expect(c2.ok && c2.value).toMatchObject({
      kind: 'fixed',
      status: 'offline',
      departmentId: 'dep-cg',
      heightM: null,
      streams: [
        { kind: 'flv', url: 'http://gw.local/c-2.flv' },
        { kind: 'file', url: 'http://nvr.local/c-2.mp4', startAt: '2026-11-21T08:00:00.000+08:00' },
      ],
    });
    const origins = await h.ctx.registry.invoke('video.origins', {});
    expect(origins.ok && origins.value).toEqual({ origins: ['http://gw.local', 'http://nvr.local'], relative: false });
    const c1 = await h.ctx.registry.invoke('cameras.get', { id: 'c-1' });
    expect(c1.ok && c1.value).toMatchObject({ kind: 'ptz', fov: 70, heightM: 6, departmentId: 'dep-police', gridId: 'g-1' });

    const again = await h.ctx.registry.invoke('cameras.import', { format: 'csv', text: csv, onExisting: 'skip' });
    expect(again.ok && again.value).toMatchObject({ inserted: 0, skipped: 2 });
  });

  it('refuses a CSV without the columns it needs', async () => {
    const r = await h.ctx.registry.invoke('cameras.import', { format: 'csv', text: 'name,foo\nx,y' });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.text' } });
  });

  it('imports GeoJSON points with stream arrays, GCJ-02 converted, and flags non-points', async () => {
    const [gx, gy] = wgs84ToGcj02(120.06, 30.06);
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'g-cam-1',
          geometry: { type: 'Point', coordinates: [gx, gy] },
          properties: { name: '高点一号', type: 'highpoint', heading: 45, streams: [{ kind: 'webrtc', url: 'http://gw.local:8889/cam1/whep' }] },
        },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[120, 30], [120.1, 30.1]] }, properties: { id: 'g-cam-2', name: '线' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [120.07, 30.07] }, properties: { id: 'g-cam-3', name: '坏流', streams: [{ kind: 'hls', url: 'ftp://x/y.m3u8' }] } },
      ],
    };
    const r = await h.ctx.registry.invoke('cameras.import', { format: 'geojson', text: JSON.stringify(fc), crs: 'gcj02' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.inserted).toBe(1);
    expect(r.value.errors.map((e) => [e.row, e.id, e.field])).toEqual([
      [2, 'g-cam-2', 'lon'],
      [3, 'g-cam-3', 'streams.0.url'],
    ]);
    const cam = await h.ctx.registry.invoke('cameras.get', { id: 'g-cam-1' });
    expect(cam.ok).toBe(true);
    if (!cam.ok) return;
    expect(distanceM(cam.value.lon, cam.value.lat, 120.06, 30.06)).toBeLessThan(0.5);
    expect(cam.value.kind).toBe('highpoint');
    expect(cam.value.streams).toEqual([{ kind: 'webrtc', url: 'http://gw.local:8889/cam1/whep' }]);
  });

  it('saves, lists, guards and deletes wall presets, and keeps settings', async () => {
    const { registry } = h.ctx;
    const p = await registry.invoke('video.presets.save', { name: '早高峰', layout: '4', tiles: ['a', null, 'b'], tour: { cameraIds: ['a', 'b', 'c'], intervalS: 15 } });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const tooMany = await registry.invoke('video.presets.save', { name: 'x', layout: '1', tiles: ['a', 'b'] });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.tiles' } });
    const upd = await registry.invoke('video.presets.save', { id: p.value.id, name: '早高峰', layout: '9', tiles: [], version: 1 });
    expect(upd.ok && upd.value.version).toBe(2);
    const stale = await registry.invoke('video.presets.save', { id: p.value.id, name: 'x', layout: '9', tiles: [], version: 1 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const list = await registry.invoke('video.presets.list', {});
    expect(list.ok && list.value.map((x) => [x.name, x.layout])).toEqual([['早高峰', '9']]);
    expect((await registry.invoke('video.presets.delete', { id: p.value.id })).ok).toBe(true);

    const s = await registry.invoke('video.settings.set', { maxLivePerOrigin: 6, originCaps: { 'https://gw:8443': 16 } });
    expect(s.ok && s.value).toMatchObject({ maxLivePerOrigin: 6, tourIntervalS: 20 });
    const g = await registry.invoke('video.settings.get', {});
    expect(g.ok && g.value.originCaps).toEqual({ 'https://gw:8443': 16 });
    expect(h.events.some((e) => e.event === 'video.settingsChanged')).toBe(true);
  });
});

describe('the media folder', () => {
  const write = (dir: string): void => {
    fs.mkdirSync(path.join(dir, 'media', 'hls-ts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'media', 'hls-ts', 'index.m3u8'), '#EXTM3U\n');
    fs.writeFileSync(path.join(dir, 'media', 'clip.mp4'), 'x');
    fs.writeFileSync(path.join(dir, 'media', 'stream.flv'), 'x');
    fs.writeFileSync(path.join(dir, 'media', 'notes.txt'), 'ignored');
  };

  it('attaches its clips to cameras without streams at start, round-robin, as /media/ URLs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-media-attach-'));
    try {
      const db = openStore(dir);
      const ins = db.prepare("INSERT INTO cameras(id, name, lon, lat, kind, updated_at) VALUES (?, ?, 120, 30, 'fixed', 1)");
      for (let i = 0; i < 4; i++) ins.run(`c${i}`, `摄像头${i}`);
      db.close();
      write(dir);
      const h = createVideoHarness({ dir });
      try {
        const cams = await h.ctx.registry.invoke('cameras.getMany', { ids: ['c0', 'c1', 'c2', 'c3'] });
        expect(cams.ok && cams.value.map((c) => c.streams.map((s) => `${s.kind} ${s.url}`))).toEqual([
          ['file /media/clip.mp4'],
          ['hls /media/hls-ts/index.m3u8'],
          ['flv /media/stream.flv'],
          ['file /media/clip.mp4'],
        ]);
        // The registry's R*Tree holds cameras other writers inserted.
        expect(h.ctx.db.prepare('SELECT COUNT(*) FROM cameras_rtree').pluck().get()).toBe(4);
        // On demand, also for cameras that have streams.
        const r = await h.ctx.registry.invoke('video.attachMedia', { onlyWithoutStreams: false, cameraIds: ['c3'] });
        expect(r.ok && r.value).toEqual({ media: ['/media/clip.mp4', '/media/hls-ts/index.m3u8', '/media/stream.flv'], cameras: 1 });
        const origins = await h.ctx.registry.invoke('video.origins', {});
        expect(origins.ok && origins.value).toEqual({ origins: [], relative: true });
      } finally {
        await h.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
