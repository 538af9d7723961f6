/** Alarm → case in the closed loop (issue 3's cases.create / cases.get). */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, waitForEvent, type TestCore } from './testkit';

const topic = (id: string): string => `v1.1/Datastreams(${id})/Observations`;
let t: TestCore | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function clocked(): Promise<{ t: TestCore; clock: { now: number }; send: (id: string, v: number) => void }> {
  const clock = { now: Date.now() - 3_600_000 };
  const tc = await startTestCore({ now: () => clock.now });
  return {
    t: tc,
    clock,
    send: (id, v) => {
      clock.now += 60_000;
      tc.m.handleMessage(topic(id), JSON.stringify({ phenomenonTime: new Date(clock.now).toISOString(), result: v }));
    },
  };
}

describe('alarm → case', () => {
  it('files ONE case (source iot, category by sensor type, location and grid from the sensor) and records the clearing on it', async () => {
    const c = await clocked();
    t = c.t;
    const { core } = c.t;
    const filed = waitForEvent(core, 'alarm.updated', (p) => p.action === 'case');
    const caseCreated = waitForEvent(core, 'case.created');
    c.send('wl-1', 0.3); // alarm line 0.25
    const { alarm } = await filed;
    expect(alarm.caseId).toBeTruthy();
    expect((await caseCreated).case.id).toBe(alarm.caseId);
    const kase = await core.registry.invoke('cases.get', { id: alarm.caseId! });
    expect(kase.ok && kase.value).toMatchObject({ source: 'iot', categoryCode: '0504', urgency: 'urgent', gridId: 'm-g1', lon: 120.005, lat: 30.005, state: 'reported' });
    expect(kase.ok && kase.value.title).toContain('文一路积水点');
    expect(kase.ok && kase.value.description).toContain(alarm.id);

    // repeated triggers and more readings: still one case
    for (let i = 0; i < 5; i++) c.send('wl-1', 0.28);
    c.t.m.ingest.flush();
    const cases = await core.registry.invoke('cases.list', { sources: ['iot'] });
    expect(cases.ok && cases.value.total).toBe(1);

    const noted = waitForEvent(core, 'case.updated', (p) => p.action === 'iot_alarm_cleared');
    c.send('wl-1', 0.05);
    expect((await noted).case.id).toBe(alarm.caseId);
    const after = await core.registry.invoke('cases.get', { id: alarm.caseId! });
    const last = after.ok ? after.value.history[after.value.history.length - 1] : null;
    expect(last).toMatchObject({ action: 'iot_alarm_cleared', actor: '物联感知', fromState: 'reported', toState: 'reported' });
    expect(last?.note).toContain(`告警 ${alarm.id} 已自动解除`);
  });

  it('files no case for a warning, files one when it escalates to alarm, and by hand on request (once)', async () => {
    const c = await clocked();
    t = c.t;
    const { core, m } = c.t;
    await core.registry.invoke('monitoring.updateSettings', { escalateAfterMin: 10, actor: 'admin' });
    const raised = waitForEvent(core, 'alarm.raised');
    c.send('gas-1', 12); // warning line 10
    const { alarm } = await raised;
    m.ingest.flush();
    expect(m.alarms.get(alarm.id).caseId).toBeNull();
    const filed = waitForEvent(core, 'alarm.updated', (p) => p.action === 'case' && p.alarm.id === alarm.id);
    c.clock.now += 11 * 60_000;
    m.escalateNow();
    expect((await filed).alarm).toMatchObject({ severity: 'alarm', escalation: 1, caseId: expect.any(String) });

    const warn = waitForEvent(core, 'alarm.raised', (p) => p.alarm.sensorId === 'noise-1');
    c.send('noise-1', 70);
    const w = (await warn).alarm;
    const byHand = await core.registry.invoke('alarms.createCase', { id: w.id, actor: '坐席员' });
    expect(byHand.ok && byHand.value).toMatchObject({ created: true, alarm: { caseId: expect.any(String) } });
    const again = await core.registry.invoke('alarms.createCase', { id: w.id, actor: '坐席员' });
    expect(again.ok && again.value).toMatchObject({ created: false, caseId: byHand.ok ? byHand.value.caseId : '' });
    const k = await core.registry.invoke('cases.get', { id: byHand.ok ? byHand.value.caseId : '' });
    expect(k.ok && k.value).toMatchObject({ categoryCode: '1002', urgency: 'normal', gridId: 'm-g2' });
  });

  it('never files by itself when the case threshold is "none"', async () => {
    const c = await clocked();
    t = c.t;
    await c.t.core.registry.invoke('monitoring.updateSettings', { caseSeverity: 'none', actor: 'admin' });
    const raised = waitForEvent(c.t.core, 'alarm.raised');
    c.send('gas-1', 60);
    const { alarm } = await raised;
    expect(alarm.severity).toBe('alarm');
    // the bridge decides synchronously when the alarm is announced
    expect(c.t.m.alarms.get(alarm.id).caseId).toBeNull();
    expect(c.t.core.db.prepare("SELECT COUNT(*) FROM cases WHERE source = 'iot'").pluck().get()).toBe(0);
  });
});
