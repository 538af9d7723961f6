import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, waitForEvent, type TestCore } from './testkit';

const topic = (id: string): string => `v1.1/Datastreams(${id})/Observations`;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** A core whose clock the test moves. */
async function clocked(): Promise<{ t: TestCore; clock: { now: number }; send: (id: string, v: number, dtMs?: number) => void }> {
  const clock = { now: Date.parse('2026-11-21T09:00:00+08:00') };
  const tc = await startTestCore({ now: () => clock.now });
  const send = (id: string, v: number, dtMs = 1000): void => {
    clock.now += dtMs;
    tc.m.handleMessage(topic(id), JSON.stringify({ phenomenonTime: new Date(clock.now).toISOString(), result: v }));
  };
  return { t: tc, clock, send };
}

describe('alarm lifecycle', () => {
  it('raises once, re-triggers without duplicating, rises in severity, is acknowledged, clears automatically past the hysteresis', async () => {
    const c = await clocked();
    t = c.t;
    const { core, m } = c.t;
    // this test is about thresholds: switch the rate rule off for this sensor (through the registry)
    const edit = await core.registry.invoke('sensors.upsert', {
      id: 'wl-1',
      name: '文一路积水点',
      type: 'water_level',
      lon: 120.005,
      lat: 30.005,
      departmentId: 'SW',
      intervalS: 5,
      thresholds: { warn: 0.15, alarm: 0.25, critical: 0.3, dir: 'above', ratePerMin: null },
    });
    expect(edit.ok && edit.value).toMatchObject({ created: false, sensor: { departmentId: 'dep-SW', gridId: 'm-g1', rules: { ratePerMin: null, critical: 0.3 } } });
    const raised = waitForEvent(core, 'alarm.raised');
    c.send('wl-1', 0.27);
    const { alarm } = await raised;
    expect(alarm).toMatchObject({ sensorId: 'wl-1', sensorName: '文一路积水点', kind: 'threshold', severity: 'alarm', state: 'raised', value: 0.27, threshold: 0.25, gridId: 'm-g1' });
    expect(alarm.message).toBe('水位 0.27 m ≥ 告警线 0.25 m');

    for (let i = 0; i < 5; i++) c.send('wl-1', 0.26);
    m.ingest.flush();
    const critical = waitForEvent(core, 'alarm.updated', (p) => p.action === 'severity');
    c.send('wl-1', 0.35);
    expect((await critical).alarm).toMatchObject({ id: alarm.id, severity: 'critical', triggerCount: 7 });
    expect(core.db.prepare("SELECT COUNT(*) FROM alarms WHERE sensor_id = 'wl-1'").pluck().get()).toBe(1);

    const ack = await core.registry.invoke('alarms.acknowledge', { id: alarm.id, actor: '坐席员王五', note: '已通知水务' });
    expect(ack.ok && ack.value).toMatchObject({ state: 'acknowledged', acknowledgedBy: '坐席员王五', ackNote: '已通知水务' });
    expect(await core.registry.invoke('alarms.acknowledge', { id: alarm.id, actor: '坐席员王五' })).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });

    c.send('wl-1', 0.14); // under the warning line, inside the 0.02 hysteresis
    m.ingest.flush();
    expect(m.alarms.hasOpen('wl-1', 'threshold')).toBe(true);
    const cleared = waitForEvent(core, 'alarm.updated', (p) => p.action === 'cleared');
    c.send('wl-1', 0.1);
    expect((await cleared).alarm).toMatchObject({ id: alarm.id, state: 'cleared', autoCleared: true, clearedBy: '系统' });

    const detail = await core.registry.invoke('alarms.get', { id: alarm.id });
    const actions = detail.ok ? detail.value.history.map((h) => h.action) : [];
    expect(actions.filter((a) => a !== 'case')).toEqual(['raised', 'severity', 'acknowledged', 'cleared']);
    expect(actions.filter((a) => a === 'case')).toHaveLength(1); // an alarm-severity alarm files one case (caseBridge.test.ts)
    const sensor = await core.registry.invoke('sensors.get', { id: 'wl-1' });
    expect(sensor.ok && sensor.value).toMatchObject({ status: 'normal', lastValue: 0.1, openAlarms: [], departmentName: '水务集团', gridName: '一号网格' });
    expect(sensor.ok && sensor.value.recentAlarms.map((a) => a.id)).toEqual([alarm.id]);

    // a new excursion after clearing is a new alarm
    const again = waitForEvent(core, 'alarm.raised');
    c.send('wl-1', 0.2);
    expect((await again).alarm.id).not.toBe(alarm.id);
  });

  it('clears by hand with who and why, and refuses to clear twice', async () => {
    const c = await clocked();
    t = c.t;
    const raised = waitForEvent(c.t.core, 'alarm.raised');
    c.send('gas-1', 30);
    const { alarm } = await raised;
    const r = await c.t.core.registry.invoke('alarms.clear', { id: alarm.id, actor: '值班长', note: '现场确认误报' });
    expect(r.ok && r.value).toMatchObject({ state: 'cleared', clearedBy: '值班长', clearNote: '现场确认误报', autoCleared: false });
    expect(await c.t.core.registry.invoke('alarms.clear', { id: alarm.id, actor: '值班长' })).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(await c.t.core.registry.invoke('alarms.clear', { id: 'AL-none', actor: '值班长' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('escalates an unacknowledged alarm after the configured time, and not an acknowledged one', async () => {
    const c = await clocked();
    t = c.t;
    const { core, m } = c.t;
    const set = await core.registry.invoke('monitoring.updateSettings', { escalateAfterMin: 5, actor: 'admin' });
    expect(set.ok && set.value.escalateAfterMin).toBe(5);
    expect(await core.registry.invoke('monitoring.updateSettings', { minuteRetentionDays: 3, actor: 'admin' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    const raised = waitForEvent(core, 'alarm.raised');
    c.send('noise-1', 70); // noise type default: warning at 65
    const { alarm } = await raised;
    expect(alarm.severity).toBe('warning');
    c.clock.now += 4 * 60_000;
    m.escalateNow();
    expect(m.alarms.get(alarm.id).escalation).toBe(0);
    const escalated = waitForEvent(core, 'alarm.updated', (p) => p.action === 'escalated');
    c.clock.now += 2 * 60_000;
    m.escalateNow();
    expect((await escalated).alarm).toMatchObject({ id: alarm.id, severity: 'alarm', escalation: 1 });
    await core.registry.invoke('alarms.acknowledge', { id: alarm.id, actor: '坐席员' });
    c.clock.now += 60 * 60_000;
    m.escalateNow();
    expect(m.alarms.get(alarm.id)).toMatchObject({ escalation: 1, severity: 'alarm' });
  });

  it('marks a silent sensor offline with an alarm, and clears it when readings resume', async () => {
    const c = await clocked();
    t = c.t;
    const { core, m } = c.t;
    c.send('gas-1', 1);
    m.ingest.flush();
    c.clock.now += 14_000; // interval 5 s × 3: not yet
    m.silenceNow();
    expect(m.alarms.hasOpen('gas-1', 'offline')).toBe(false);
    const offline = waitForEvent(core, 'alarm.raised', (p) => p.alarm.kind === 'offline' && p.alarm.sensorId === 'gas-1');
    const statusEvent = waitForEvent(core, 'sensors.readings', (p) => p.ids.includes('gas-1') && p.status[p.ids.indexOf('gas-1')] === 'offline');
    c.clock.now += 2_000;
    m.silenceNow();
    expect((await offline).alarm).toMatchObject({ severity: 'warning', state: 'raised' });
    const st = await statusEvent;
    expect(st.values[st.ids.indexOf('gas-1')]).toBe(1);
    m.silenceNow();
    expect(core.db.prepare("SELECT COUNT(*) FROM alarms WHERE sensor_id = 'gas-1' AND kind = 'offline'").pluck().get()).toBe(1);
    // device-health alarms do not escalate
    await core.registry.invoke('monitoring.updateSettings', { escalateAfterMin: 1, actor: 'admin' });
    c.clock.now += 5 * 60_000;
    m.escalateNow();
    expect(m.alarms.get((await offline).alarm.id)).toMatchObject({ escalation: 0, severity: 'warning' });
    // a reading measured long ago (a gateway replaying its buffer) does not bring the device back
    m.handleMessage(topic('gas-1'), JSON.stringify({ phenomenonTime: new Date(c.clock.now - 60_000).toISOString(), result: 1.2 }));
    m.ingest.flush();
    expect(m.alarms.hasOpen('gas-1', 'offline')).toBe(true);
    expect(core.db.prepare("SELECT status FROM sensors WHERE id = 'gas-1'").pluck().get()).toBe('offline');
    const back = waitForEvent(core, 'alarm.updated', (p) => p.action === 'cleared' && p.alarm.kind === 'offline');
    c.send('gas-1', 1.5);
    expect((await back).alarm.autoCleared).toBe(true);
    expect(core.db.prepare("SELECT status FROM sensors WHERE id = 'gas-1'").pluck().get()).toBe('normal');
  });

  it('lists alarms with filters, counts by severity, area and paging', async () => {
    const c = await clocked();
    t = c.t;
    const { core, m } = c.t;
    c.send('wl-1', 0.2);
    c.send('gas-1', 30);
    c.send('noise-1', 90);
    m.ingest.flush();
    const all = await core.registry.invoke('alarms.list', { open: true });
    expect(all.ok && all.value.total).toBe(3);
    expect(all.ok && all.value.counts).toEqual({ warning: 1, alarm: 1, critical: 1 });
    const inG1 = await core.registry.invoke('alarms.list', { areaId: 'm-g1' });
    expect(inG1.ok && inG1.value.items.map((a) => a.sensorId).sort()).toEqual(['gas-1', 'wl-1']);
    const inTown = await core.registry.invoke('alarms.list', { areaId: 'm-town', severities: ['critical', 'alarm'] });
    expect(inTown.ok && inTown.value.items.map((a) => a.sensorId).sort()).toEqual(['gas-1', 'noise-1']);
    const page = await core.registry.invoke('alarms.list', { limit: 1, offset: 1 });
    expect(page.ok && page.value.items).toHaveLength(1);
    const byType = await core.registry.invoke('alarms.list', { sensorTypes: ['gas'], states: ['raised'] });
    expect(byType.ok && byType.value.items.map((a) => a.sensorId)).toEqual(['gas-1']);
  });
});
