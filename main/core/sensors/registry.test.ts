import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from './registry';
import { startTestCore, waitForEvent, type TestCore } from './testkit';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.close();
});

describe('sensor registry', () => {
  it('creates a sensor, resolving the grid from the location and the department from its code', async () => {
    const r = await t.core.registry.invoke('sensors.upsert', { id: 'smoke-9', name: '二号网格烟感', type: 'smoke', lon: 120.012, lat: 30.003, departmentId: 'YJ', intervalS: 60 });
    expect(r.ok && r.value).toMatchObject({ created: true, sensor: { gridId: 'm-g2', departmentId: 'dep-YJ', unit: '%obs/m', status: 'normal', version: 1, thresholds: {} } });
    // it takes readings at once
    const ev = waitForEvent(t.core, 'sensors.readings');
    t.m.handleMessage('v1.1/Datastreams(smoke-9)/Observations', JSON.stringify({ result: 0.1 }));
    expect((await ev).ids).toEqual(['smoke-9']);
  });

  it('edits with optimistic versions, refuses bad references, deletes with readings and open alarms', async () => {
    const bad = await t.core.registry.invoke('sensors.upsert', { id: 'x-1', name: 'x', type: 'gas', lon: 120.001, lat: 30.001, departmentId: 'NOPE' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.departmentId' } });
    const badId = await t.core.registry.invoke('sensors.upsert', { id: 'a b', name: 'x', type: 'gas', lon: 120.001, lat: 30.001 });
    expect(badId).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.id' } });
    const stale = await t.core.registry.invoke('sensors.upsert', { id: 'gas-1', name: '改名', type: 'gas', lon: 120.004, lat: 30.006, expectedVersion: 7 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const edit = await t.core.registry.invoke('sensors.upsert', { id: 'gas-1', name: '改名', type: 'gas', lon: 120.004, lat: 30.006, expectedVersion: 1, thresholds: { warn: 5, alarm: 8 } });
    expect(edit.ok && edit.value.sensor).toMatchObject({ name: '改名', version: 2, rules: { warn: 5, alarm: 8 } });

    const raised = waitForEvent(t.core, 'alarm.raised');
    t.m.handleMessage('v1.1/Datastreams(gas-1)/Observations', JSON.stringify({ result: 9 }));
    await raised;
    const cleared = waitForEvent(t.core, 'alarm.updated', (p) => p.action === 'cleared');
    const del = await t.core.registry.invoke('sensors.delete', { id: 'gas-1', actor: '管理员' });
    expect(del.ok && del.value).toEqual({ id: 'gas-1', deletedReadings: 1 });
    expect((await cleared).alarm).toMatchObject({ clearedBy: '管理员', clearNote: '设备已从台账删除' });
    expect(await t.core.registry.invoke('sensors.get', { id: 'gas-1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    t.m.handleMessage('v1.1/Datastreams(gas-1)/Observations', JSON.stringify({ result: 1 }));
    expect(t.m.ingest.rejectedByReason.unknown_datastream).toBe(1);
  });

  it('imports CSV (quotes, Chinese headers and type names), atomically by default, with errors per row', async () => {
    const csv = [
      '\uFEFF编号,名称,类型,经度,纬度,部门,上报间隔,预警值,告警值,方向',
      'wl-7,"积水点, 七号",水位,120.003,30.003,SW,300,0.1,0.2,above',
      'gas-7,燃气七号,gas,120.013,30.004,YJ,60,,,',
      'bad-7,坏的,unknown_type,120.0,30.0,,60,,,',
      'bad-8,"坏的 ""八""",noise,abc,30.0,,60,,,',
    ].join('\r\n');
    const dry = await t.core.registry.invoke('sensors.import', { format: 'csv', text: csv, dryRun: true });
    expect(dry.ok && dry.value).toMatchObject({ rows: 4, created: 2, stored: false });
    expect(dry.ok && dry.value.errors.map((e) => [e.row, e.id])).toEqual([
      [4, 'bad-7'],
      [5, 'bad-8'],
    ]);
    const atomic = await t.core.registry.invoke('sensors.import', { format: 'csv', text: csv });
    expect(atomic.ok && atomic.value.stored).toBe(false);
    expect(t.core.db.prepare("SELECT COUNT(*) FROM sensors WHERE id = 'wl-7'").pluck().get()).toBe(0);
    const partial = await t.core.registry.invoke('sensors.import', { format: 'csv', text: csv, atomic: false });
    expect(partial.ok && partial.value).toMatchObject({ stored: true, created: 2, updated: 0 });
    const wl7 = await t.core.registry.invoke('sensors.get', { id: 'wl-7' });
    expect(wl7.ok && wl7.value).toMatchObject({ name: '积水点, 七号', type: 'water_level', gridId: 'm-g1', departmentId: 'dep-SW', intervalS: 300, thresholds: { warn: 0.1, alarm: 0.2, dir: 'above' } });
    expect(parseCsv('a,"b\nc",d\n\n1,2,3').map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b\nc', 'd']],
      [4, ['1', '2', '3']],
    ]);
  });

  it('imports GeoJSON points and updates existing sensors', async () => {
    const geo = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'pm-1', geometry: { type: 'Point', coordinates: [120.011, 30.009] }, properties: { name: 'PM2.5 一号', type: 'pm25', department: 'HB', intervalS: 300 } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [120.005, 30.005] }, properties: { id: 'wl-1', name: '文一路积水点（改）', type: 'water_level', thresholds: { warn: 0.12, alarm: 0.2 } } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: { id: 'line-1' } },
      ],
    };
    const r = await t.core.registry.invoke('sensors.import', { format: 'geojson', text: JSON.stringify(geo), atomic: false });
    expect(r.ok && r.value).toMatchObject({ rows: 3, created: 1, updated: 1, stored: true, errors: [{ row: 3, id: 'line-1' }] });
    const wl = await t.core.registry.invoke('sensors.get', { id: 'wl-1' });
    expect(wl.ok && wl.value).toMatchObject({ name: '文一路积水点（改）', rules: { warn: 0.12, alarm: 0.2 } });
    expect(await t.core.registry.invoke('sensors.import', { format: 'geojson', text: '{"type":"Point"}' })).toMatchObject({ ok: true, value: { errors: [{ message: expect.stringMatching(/FeatureCollection/) }] } });
  });

  it('overrides the rules of a whole type, and a sensor override still wins', async () => {
    const r = await t.core.registry.invoke('sensors.setTypeRules', { type: 'noise', thresholds: { warn: 55, alarm: 60 }, actor: '管理员' });
    expect(r.ok && r.value).toMatchObject({ type: 'noise', defaults: { warn: 65 }, overrides: { warn: 55, alarm: 60 }, effective: { warn: 55, alarm: 60, critical: null } });
    const raised = waitForEvent(t.core, 'alarm.raised');
    t.m.handleMessage('v1.1/Datastreams(noise-1)/Observations', JSON.stringify({ result: 61 }));
    expect((await raised).alarm.severity).toBe('alarm');
    const all = await t.core.registry.invoke('sensors.typeRules', {});
    expect(all.ok && all.value.map((x) => x.type)).toContain('strain');
  });
});
