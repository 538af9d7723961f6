import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Retention } from './retention';
import { startTestCore, waitForEvent, type TestCore } from './testkit';

const topic = (id: string): string => `v1.1/Datastreams(${id})/Observations`;
const iso = (ms: number): string => new Date(ms).toISOString();

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.close();
});

const count = (sql: string, ...params: unknown[]): number => t.core.db.prepare(sql).pluck().get(...params) as number;

describe('ingest: topics and payloads', () => {
  it('stores single observations, the batch form, the gateway form and quoted ids; emits one compact event per write', async () => {
    const now = Date.now();
    const event = waitForEvent(t.core, 'sensors.readings', (p) => p.ids.length === 3);
    t.m.handleMessage(topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now - 3000), result: 0.05 }));
    t.m.handleMessage(
      topic("'gas-1'"),
      JSON.stringify([
        { phenomenonTime: iso(now - 2000), result: 1 },
        { phenomenonTime: iso(now - 1000), result: 2 },
      ]),
    );
    t.m.handleMessage('v1.1/Observations', JSON.stringify([{ Datastream: { '@iot.id': 'noise-1' }, phenomenonTime: iso(now - 500), result: 48.5 }]));
    const e = await event;
    expect([...e.ids].sort()).toEqual(['gas-1', 'noise-1', 'wl-1']);
    expect(e.values[e.ids.indexOf('gas-1')]).toBe(2); // the latest of the batch
    expect(count('SELECT COUNT(*) FROM readings')).toBe(4);
    expect(t.m.ingest.totals).toMatchObject({ messages: 3, readings: 4, stored: 4, rejected: 0 });
    const s = t.core.db.prepare("SELECT last_value, last_at, status FROM sensors WHERE id = 'gas-1'").get();
    expect(s).toEqual({ last_value: 2, last_at: now - 1000, status: 'normal' });
  });

  it('rejects bad messages per reason, keeps samples, stores no bad value, and never throws', async () => {
    const now = Date.now();
    const bad: Array<[string, string]> = [
      [topic('nope'), JSON.stringify({ phenomenonTime: iso(now), result: 1 })],
      [topic('wl-1'), '{"phenomenonTime": "2026-11-21T08:00:00Z", "result": '],
      [topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now), result: 'high' })],
      [topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now), result: null })],
      [topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now + 3_600_000), result: 1 })],
      [topic('wl-1'), JSON.stringify({ phenomenonTime: 'yesterday', result: 1 })],
      [topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now - 30 * 86_400_000), result: 1 })],
      [topic('wl-1'), JSON.stringify([])],
      [topic('wl-1'), '42'],
      ['sensors/wl-1', JSON.stringify({ result: 1 })],
      ['v1.1/Observations', JSON.stringify({ phenomenonTime: iso(now), result: 1 })],
      [topic('wl-1'), 'x'.repeat(2 * 1024 * 1024)],
    ];
    for (const [tp, payload] of bad) expect(() => t.m.handleMessage(tp, payload)).not.toThrow();
    // a valid reading after all that still gets through
    const ok = waitForEvent(t.core, 'sensors.readings');
    t.m.handleMessage(topic('wl-1'), JSON.stringify({ phenomenonTime: iso(now), result: 0.02 }));
    await ok;
    expect(t.m.ingest.rejectedByReason).toMatchObject({
      unknown_datastream: 1,
      malformed_json: 1,
      non_numeric_result: 2,
      future_time: 1,
      bad_time: 1,
      too_old: 1,
      invalid_payload: 3,
      bad_topic: 1,
      too_large: 1,
    });
    expect(t.m.ingest.totals.rejected).toBe(12);
    expect(count('SELECT COUNT(*) FROM readings')).toBe(1);
    const status = await t.core.registry.invoke('ingest.status', {});
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.value.lastRejected[0]).toMatchObject({ reason: 'too_large', topic: topic('wl-1') });
    expect(status.value.lastRejected.map((r) => r.reason)).toContain('non_numeric_result');
    expect(status.value.lastRejected.find((r) => r.reason === 'malformed_json')?.payload).toContain('"result": ');
  });

  it('accepts a missing phenomenonTime (now), an interval (its end) and the v1.0 topic', async () => {
    const ev = waitForEvent(t.core, 'sensors.readings', (p) => p.ids.includes('noise-1'));
    const now = Date.now();
    t.m.handleMessage(topic('wl-1'), JSON.stringify({ result: 0.01 }));
    t.m.handleMessage(`v1.0/Datastreams(gas-1)/Observations`, JSON.stringify({ phenomenonTime: `${iso(now - 60_000)}/${iso(now - 1000)}`, result: 3 }));
    // an offset instead of Z, with milliseconds
    const local = new Date(now - 5 + 8 * 3_600_000).toISOString().slice(0, 23) + '+08:00';
    t.m.handleMessage(topic('noise-1'), JSON.stringify({ phenomenonTime: local, result: 50 }));
    await ev;
    expect(count("SELECT t FROM readings r JOIN sensors s ON s.rid = r.sensor_rid WHERE s.id = 'gas-1'")).toBe(now - 1000);
    expect(count('SELECT COUNT(*) FROM readings')).toBe(3);
  });

  it('stores a redelivered reading once and keeps roll-ups exact', async () => {
    t.core.db.prepare("UPDATE sensors SET last_at = NULL WHERE id = 'noise-1'").run();
    const msgs = [0, 10, 20, 70].map((s, i) => JSON.stringify({ phenomenonTime: iso(Date.now() - 3_600_000 + s * 1000), result: 40 + i }));
    for (const m of msgs) t.m.handleMessage(topic('noise-1'), m);
    t.m.ingest.flush();
    for (const m of msgs) t.m.handleMessage(topic('noise-1'), m); // QoS 1 redelivery
    t.m.ingest.flush();
    expect(t.m.ingest.totals).toMatchObject({ readings: 8, stored: 4, duplicates: 4 });
    const rows = t.core.db.prepare('SELECT n, sum, min, max, last FROM readings_1m ORDER BY t').all() as Array<{ n: number; sum: number; min: number; max: number; last: number }>;
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(4);
    expect(rows.reduce((a, r) => a + r.sum, 0)).toBe(40 + 41 + 42 + 43);
    expect(Math.max(...rows.map((r) => r.max))).toBe(43);
    const hours = t.core.db.prepare('SELECT SUM(n) AS n, SUM(sum) AS sum FROM readings_1h').get();
    expect(hours).toEqual({ n: 4, sum: 166 });
  });

  it('serves a 24 h series: raw when few points, roll-ups when many, with the rules for the bands', async () => {
    const now = Date.now();
    const batch = Array.from({ length: 600 }, (_, i) => ({ phenomenonTime: iso(now - (600 - i) * 60_000), result: (i % 50) / 100 }));
    t.m.handleMessage(topic('wl-1'), JSON.stringify(batch));
    t.m.ingest.flush();
    const raw = await t.core.registry.invoke('readings.series', { sensorId: 'wl-1' });
    expect(raw.ok && raw.value.resolution).toBe('raw');
    expect(raw.ok && raw.value.t.length).toBe(600);
    expect(raw.ok && raw.value.rules).toMatchObject({ warn: 0.15, alarm: 0.25, dir: 'above' });
    const few = await t.core.registry.invoke('readings.series', { sensorId: 'wl-1', maxPoints: 100 });
    expect(few.ok && few.value.resolution).toBe('1h');
    expect(few.ok && few.value.min?.length).toBe(few.ok ? few.value.t.length : -1);
    const oneMin = await t.core.registry.invoke('readings.series', { sensorId: 'wl-1', resolution: '1m' });
    expect(oneMin.ok && oneMin.value.t.length).toBe(600);
    expect(oneMin.ok && oneMin.value.alarms.length).toBeGreaterThan(0);
    const missing = await t.core.registry.invoke('readings.series', { sensorId: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('retention deletes expired rows from the front of each table in small chunks, roll-ups kept longer', async () => {
    const db = t.core.db;
    const rid = db.prepare("SELECT rid FROM sensors WHERE id = 'wl-1'").pluck().get() as number;
    const old = Date.now() - 8 * 86_400_000;
    const ins = db.prepare('INSERT INTO readings(b, sensor_rid, t, v) VALUES (?, ?, ?, ?)');
    const ins1m = db.prepare('INSERT INTO readings_1m(t, sensor_rid, n, sum, min, max, last, last_t) VALUES (?, ?, 1, 1, 1, 1, 1, ?)');
    db.transaction(() => {
      for (let i = 0; i < 12_345; i++) {
        const tt = old + Math.floor(i / 3) * 1000;
        ins.run(Math.floor(tt / 10_000), rid + (i % 3), tt, 1);
      }
      ins1m.run(old - (old % 60_000), rid, old);
      const recent = Date.now() - 1000;
      ins.run(Math.floor(recent / 10_000), rid, recent, 2);
    })();
    const r = new Retention(db, t.m.settings, Date.now, { chunk: 1000 });
    const deleted = await r.run();
    expect(deleted).toBe(12_345);
    expect(count('SELECT COUNT(*) FROM readings')).toBe(1);
    expect(count('SELECT COUNT(*) FROM readings_1m')).toBe(1);
    expect(r.lastDeleted).toBe(12_345);
  });

  it('removes the readings of a deleted sensor only', async () => {
    const now = Date.now();
    t.m.handleMessage(topic('wl-1'), JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ phenomenonTime: iso(now - i * 60_000), result: 0.01 }))));
    t.m.handleMessage(topic('gas-1'), JSON.stringify({ phenomenonTime: iso(now), result: 1 }));
    t.m.ingest.flush();
    const r = await t.core.registry.invoke('sensors.delete', { id: 'wl-1', actor: '管理员' });
    expect(r.ok && r.value.deletedReadings).toBe(30);
    expect(count('SELECT COUNT(*) FROM readings')).toBe(1);
    expect(count('SELECT COUNT(*) FROM readings_1m')).toBe(1);
    expect(count('SELECT COUNT(*) FROM readings_1h')).toBe(1);
  });
});
