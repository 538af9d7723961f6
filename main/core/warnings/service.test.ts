import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, until, waitForEvent, type TestCore } from '../sensors/testkit';
import { capDoc, capTime, invalidDocs, SENDER } from './capfixtures';
import { warningsOf } from './service';

let t: TestCore | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ingest = (xml: string) => t!.core.registry.invoke('warnings.ingest', { xml });
const stored = (): number => t!.core.db.prepare('SELECT COUNT(*) FROM cap_alerts').pluck().get() as number;

describe('official warnings (CAP)', () => {
  it('stores an alert, answers duplicates, lists it and finds the grids, cameras and sensors inside its areas', async () => {
    t = await startTestCore();
    const now = Date.now() - 60_000;
    const created = waitForEvent(t.core, 'warning.changed', (p) => p.change === 'created');
    const r = await ingest(capDoc({ identifier: 'HZQX-001', sent: now }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ duplicate: false, affected: [], unmatchedReferences: [] });
    expect(r.value.warning).toMatchObject({
      identifier: 'HZQX-001',
      sender: SENDER,
      state: 'active',
      colour: 'orange',
      colourName: '橙色',
      severity: 'Severe',
      event: '暴雨橙色预警',
      language: 'zh-CN',
      languages: ['zh-CN', 'en-US'],
      senderName: '杭州市气象台',
      areaDescs: ['文一路低洼地段', '二号网格周边 300 米'],
      source: 'api',
    });
    expect((await created).warning.id).toBe(r.value.warning.id);

    const again = await ingest(capDoc({ identifier: 'HZQX-001', sent: now }));
    expect(again.ok && again.value).toMatchObject({ duplicate: true, warning: { id: r.value.warning.id } });
    expect(stored()).toBe(1);

    const list = await t.core.registry.invoke('warnings.list', {});
    expect(list.ok && list.value.map((w) => w.id)).toEqual([r.value.warning.id]);

    const detail = await t.core.registry.invoke('warnings.get', { id: r.value.warning.id });
    expect(detail.ok).toBe(true);
    if (!detail.ok) return;
    expect(detail.value.alert.infos).toHaveLength(2);
    expect(detail.value.inside.grids.map((g) => g.id).sort()).toEqual(['m-g1', 'm-g2']);
    expect(detail.value.inside.cameras.map((c) => c.id).sort()).toEqual(['cam-1', 'cam-2']);
    expect(detail.value.inside.sensors.map((s) => s.id).sort()).toEqual(['gas-1', 'noise-1', 'wl-1']);
    expect(detail.value.inside.counts).toEqual({ grids: 2, cameras: 2, sensors: 3 });
    expect(detail.value.features.features.map((f) => f.properties.shape)).toEqual(['polygon', 'circle']);
    const small = await t.core.registry.invoke('warnings.get', { id: r.value.warning.id, limit: 1 });
    expect(small.ok && small.value.inside).toMatchObject({ truncated: true, counts: { sensors: 3 } });
    expect(small.ok && small.value.inside.sensors).toHaveLength(1);

    const map = await t.core.registry.invoke('warnings.features', {});
    expect(map.ok && map.value.features).toHaveLength(2);
    expect(map.ok && map.value.features[0]!.properties).toMatchObject({ warningId: r.value.warning.id, colour: 'orange' });
  });

  it('an Update replaces the alert it references and a Cancel withdraws it', async () => {
    t = await startTestCore();
    const sent = Date.now() - 120_000;
    const first = await ingest(capDoc({ identifier: 'HZQX-010', sent }));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const superseded = waitForEvent(t.core, 'warning.changed', (p) => p.change === 'superseded');
    const upd = await ingest(
      capDoc({ identifier: 'HZQX-011', sent: sent + 60_000, msgType: 'Update', references: `${SENDER},HZQX-010,${capTime(sent)}`, severity: 'Extreme', eventZh: '暴雨红色预警', eventEn: 'Heavy rain red warning' }),
    );
    expect(upd.ok).toBe(true);
    if (!upd.ok) return;
    expect(upd.value.warning).toMatchObject({ state: 'active', colour: 'red', severity: 'Extreme', msgType: 'Update', referencesIds: [first.value.warning.id] });
    expect(upd.value.affected).toEqual([expect.objectContaining({ id: first.value.warning.id, state: 'superseded', replacedBy: upd.value.warning.id })]);
    expect((await superseded).warning.id).toBe(first.value.warning.id);
    const active = await t.core.registry.invoke('warnings.list', {});
    expect(active.ok && active.value.map((w) => w.identifier)).toEqual(['HZQX-011']);

    const cancelled = waitForEvent(t.core, 'warning.changed', (p) => p.change === 'cancelled');
    const cancel = await ingest(capDoc({ identifier: 'HZQX-012', sent: sent + 90_000, msgType: 'Cancel', references: `${SENDER},HZQX-011,${capTime(sent + 60_000)} ${SENDER},NEVER-SEEN,${capTime(sent)}` }));
    expect(cancel.ok && cancel.value).toMatchObject({
      warning: { msgType: 'Cancel', state: 'inactive' },
      affected: [expect.objectContaining({ identifier: 'HZQX-011', state: 'cancelled' })],
      unmatchedReferences: [{ sender: SENDER, identifier: 'NEVER-SEEN', sent: capTime(sent) }],
    });
    expect((await cancelled).warning.identifier).toBe('HZQX-011');
    const none = await t.core.registry.invoke('warnings.list', {});
    expect(none.ok && none.value).toEqual([]);
    const history = await t.core.registry.invoke('warnings.list', { states: ['superseded', 'cancelled', 'inactive'] });
    expect(history.ok && history.value.map((w) => `${w.identifier}:${w.state}`)).toEqual(['HZQX-012:inactive', 'HZQX-011:cancelled', 'HZQX-010:superseded']);
  });

  it('answers the warnings in force at a past moment for replay, as the room knew them then', async () => {
    const t0 = Date.parse('2026-11-21T08:00:00+08:00');
    const clock = { now: t0 };
    t = await startTestCore({ now: () => clock.now });
    const a = await ingest(capDoc({ identifier: 'R-A', sent: t0 }));
    clock.now = t0 + 3_600_000;
    const b = await ingest(capDoc({ identifier: 'R-B', sent: clock.now, msgType: 'Update', references: `${SENDER},R-A,${capTime(t0)}`, severity: 'Extreme' }));
    clock.now = t0 + 2 * 3_600_000;
    await ingest(capDoc({ identifier: 'R-C', sent: clock.now, msgType: 'Cancel', references: `${SENDER},R-B,${capTime(t0 + 3_600_000)}` }));
    // D: received four hours in, in force until ten hours in.
    clock.now = t0 + 4 * 3_600_000;
    const d = await ingest(capDoc({ identifier: 'R-D', sent: clock.now, expires: t0 + 10 * 3_600_000 }));
    clock.now = t0 + 5 * 3_600_000;
    expect(a.ok && b.ok && d.ok).toBe(true);
    if (!a.ok || !b.ok || !d.ok) return;
    const idsAt = async (ms?: number): Promise<string[]> => {
      const r = await t!.core.registry.invoke('warnings.features', ms === undefined ? {} : { at: new Date(ms).toISOString() });
      return r.ok ? [...new Set(r.value.features.map((f) => f.properties.warningId))] : ['error'];
    };
    expect(await idsAt(t0 - 60_000)).toEqual([]);
    expect(await idsAt(t0 + 30 * 60_000)).toEqual([a.value.warning.id]);
    expect(await idsAt(t0 + 90 * 60_000)).toEqual([b.value.warning.id]);
    expect(await idsAt(t0 + 3 * 3_600_000)).toEqual([]);
    expect(await idsAt()).toEqual([d.value.warning.id]);
    // A moment in the future is read as now (D has expired by then, but is in force now).
    expect(await idsAt(t0 + 48 * 3_600_000)).toEqual([d.value.warning.id]);
    const bad = await t.core.registry.invoke('warnings.features', { at: 'yesterday' } as never);
    expect(bad.ok ? null : bad.error.code).toBe('validation');
  });

  it('refuses invalid documents with a clear validation error and stores nothing', async () => {
    t = await startTestCore();
    for (const [what, xml, message] of invalidDocs(Date.now())) {
      const r = await ingest(xml);
      expect(r.ok, what).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, what).toBe('validation');
      expect(r.error.message, what).toMatch(message);
    }
    expect(stored()).toBe(0);
  });

  it('resolves geocodes to areas, and announces warnings coming into force and expiring', async () => {
    const clock = { now: Date.parse('2026-11-21T10:00:00+08:00') };
    t = await startTestCore({ now: () => clock.now });
    const geo = await ingest(
      capDoc({
        identifier: 'GEO-1',
        sent: clock.now,
        areaXml: '<area><areaDesc>二号网格</areaDesc><geocode><valueName>行政区划代码</valueName><value>330110001001002</value></geocode></area>',
      }),
    );
    const bbox = geo.ok ? geo.value.warning.bbox : null;
    expect(bbox?.map((v) => Number(v.toFixed(6)))).toEqual([120.01, 30, 120.02, 30.01]);
    const d = geo.ok ? await t.core.registry.invoke('warnings.get', { id: geo.value.warning.id }) : null;
    expect(d?.ok && d.value.inside.grids.map((g) => g.id)).toEqual(['m-g2']);
    expect(d?.ok && d.value.inside.sensors.map((s) => s.id)).toEqual(['noise-1']);
    expect(d?.ok && d.value.features.features[0]?.properties.shape).toBe('geocode');

    // effective in an hour, expiring an hour later
    const later = capDoc({ identifier: 'LATER-1', sent: clock.now, expires: clock.now + 2 * 3_600_000 }).replace(
      /<effective>[^<]*<\/effective>/g,
      `<effective>${capTime(clock.now + 3_600_000)}</effective>`,
    );
    const p = await ingest(later);
    expect(p.ok && p.value.warning.state).toBe('pending');
    const w = warningsOf(t.core);
    clock.now += 3_600_000 + 1000;
    const activated = waitForEvent(t.core, 'warning.changed', (e) => e.change === 'activated');
    w.checkStates();
    expect((await activated).warning.identifier).toBe('LATER-1');
    clock.now += 3_600_000;
    const expired = waitForEvent(t.core, 'warning.changed', (e) => e.change === 'expired' && e.warning.identifier === 'LATER-1');
    w.checkStates();
    expect((await expired).warning.state).toBe('expired');
  });

  it('takes alerts from the watched folder: accepted ones to processed/, refused ones to rejected/ with the reason', async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-inbox-'));
    dirs.push(inbox);
    t = await startTestCore({ warnings: { inboxDir: inbox, inboxPollMs: 200 } });
    const created = waitForEvent(t.core, 'warning.changed', (p) => p.change === 'created');
    const tmp = path.join(inbox, '.incoming.tmp');
    fs.writeFileSync(tmp, capDoc({ identifier: 'FOLDER-1', sent: Date.now() - 1000 }));
    const past = new Date(Date.now() - 5000);
    fs.utimesSync(tmp, past, past);
    fs.renameSync(tmp, path.join(inbox, 'alert-1.xml'));
    expect((await created).warning).toMatchObject({ identifier: 'FOLDER-1', source: 'folder' });
    await until(() => fs.readdirSync(path.join(inbox, 'processed')).some((f) => f.endsWith('alert-1.xml')), 'the file moved to processed/');

    fs.writeFileSync(path.join(inbox, 'broken.xml'), '<alert>');
    fs.utimesSync(path.join(inbox, 'broken.xml'), past, past);
    await until(() => fs.readdirSync(path.join(inbox, 'rejected')).some((f) => f.endsWith('broken.xml.error.txt')), 'the file moved to rejected/');
    const errFile = fs.readdirSync(path.join(inbox, 'rejected')).find((f) => f.endsWith('.error.txt'))!;
    expect(fs.readFileSync(path.join(inbox, 'rejected', errFile), 'utf8')).toMatch(/CAP: invalid XML/);
    expect(stored()).toBe(1);
  });
});
