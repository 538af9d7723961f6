/**
 * MQTT ingest end to end: Debian's mosquitto (a broker that is not ours) on a free loopback port,
 * published to with mosquitto_pub and with mqtt.js; and the embedded broker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoPub, startMosquitto, startTestCore, until, waitForEvent, type Mosquitto, type TestCore } from './testkit';

const topic = (id: string): string => `v1.1/Datastreams(${id})/Observations`;
const obs = (t: number, result: unknown): string => JSON.stringify({ phenomenonTime: new Date(t).toISOString(), result });
const readings = (core: TestCore['core']): number => core.db.prepare('SELECT COUNT(*) FROM readings').pluck().get() as number;

let mosq: Mosquitto;
beforeAll(async () => {
  mosq = await startMosquitto();
});
afterAll(async () => {
  await mosq?.stop();
});

const open: TestCore[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function external(dataDir?: string): Promise<TestCore> {
  const t = await startTestCore({ mqtt: { port: 0, url: mosq.url }, ...(dataDir ? { dataDir } : {}) });
  open.push(t);
  await t.m.externalReady();
  return t;
}

describe('ingest from an external broker (mosquitto)', () => {
  it('takes readings published with mosquitto_pub and with mqtt.js, and reports the connection', async () => {
    const t = await external();
    const now = Date.now();
    const first = waitForEvent(t.core, 'sensors.readings', (p) => p.ids.includes('wl-1'));
    await mosquittoPub(mosq.port, topic('wl-1'), { message: obs(now - 2000, 0.05) });
    expect((await first).values).toEqual([0.05]);

    const client = await mqtt.connectAsync(mosq.url, { protocolVersion: 5 });
    const second = waitForEvent(t.core, 'sensors.readings', (p) => p.ids.includes('noise-1'));
    await client.publishAsync(topic('noise-1'), obs(now - 1000, 51.5), { qos: 1 });
    await client.publishAsync('v1.1/Observations', JSON.stringify([{ Datastream: { '@iot.id': 'gas-1' }, phenomenonTime: new Date(now - 500).toISOString(), result: 0.4 }]), { qos: 1 });
    await second;
    await until(() => readings(t.core) === 3, 'three readings are stored');
    await client.endAsync();

    const st = await t.core.registry.invoke('ingest.status', {});
    expect(st.ok && st.value.broker.external).toMatchObject({ enabled: true, state: 'connected', url: expect.stringContaining(`127.0.0.1:${mosq.port}`) });
    expect(st.ok && st.value.broker.external.clientId).toMatch(/^cityops-wall-[0-9a-f]{12}$/);
    expect(st.ok && st.value.broker.embedded.enabled).toBe(false);
  });

  it('raises an alarm from a published value', async () => {
    const t = await external();
    const raised = waitForEvent(t.core, 'alarm.raised');
    await mosquittoPub(mosq.port, topic('gas-1'), { message: obs(Date.now(), 32) });
    const { alarm } = await raised;
    expect(alarm).toMatchObject({ sensorId: 'gas-1', kind: 'threshold', severity: 'alarm', value: 32 });
    const list = await t.core.registry.invoke('alarms.list', { open: true });
    expect(list.ok && list.value.items.map((a) => a.id)).toEqual([alarm.id]);
  });

  it('keeps taking valid readings through a flood of malformed ones (counts exact)', async () => {
    const t = await external();
    const client = await mqtt.connectAsync(mosq.url, { protocolVersion: 5 });
    const base = Date.now() - 120_000;
    const VALID = 600;
    const junk = ['{"result": ', 'null', '[]', '{"phenomenonTime":"soon","result":1}', '{"result":"NaN"}', '\u0000\u0001binary', '{"phenomenonTime":"2999-01-01T00:00:00Z","result":1}'];
    let bad = 0;
    for (let i = 0; i < VALID; i++) {
      for (let k = 0; k < 8; k++) {
        const j = junk[(i + k) % junk.length]!;
        void client.publish(k === 7 ? topic(`ghost-${i}`) : topic('noise-1'), k === 7 ? obs(base, 1) : j, { qos: 0 });
        bad++;
      }
      void client.publish(topic('noise-1'), obs(base + i * 100, 40 + (i % 10)), { qos: 1 });
    }
    await until(() => t.m.ingest.totals.messages >= VALID + bad, 'every message arrived', 30_000);
    t.m.ingest.flush();
    expect(readings(t.core)).toBe(VALID);
    expect(t.m.ingest.totals.stored).toBe(VALID);
    expect(t.m.ingest.totals.rejected).toBe(bad);
    expect(t.m.ingest.rejectedByReason.unknown_datastream).toBe(VALID);
    expect(t.m.ingest.rejectedByReason.malformed_json).toBeGreaterThan(0);
    await client.endAsync();
  });

  it('loses no reading while the app stops and starts again and a QoS 1 publisher keeps sending (count exact)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-restart-'));
    try {
      const seeded = await startTestCore({ dataDir: dir, seed: true });
      await seeded.close();
      let t = await external(dir);
      const publisher = await mqtt.connectAsync(mosq.url, { protocolVersion: 5, clientId: 'test-gateway' });
      const N = 3000;
      const base = Date.now() - 60_000;
      const ids = ['wl-1', 'gas-1', 'noise-1'];
      let sent = 0;
      const sending = (async () => {
        for (let i = 0; i < N; i++) {
          await publisher.publishAsync(topic(ids[i % 3]!), obs(base + i * 10, (i % 7) / 100), { qos: 1 });
          sent++;
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5)); // a steady gateway, not a burst
        }
      })();
      await until(() => sent >= N / 3, 'a third was sent');
      // stop the app while the publisher keeps going
      open.splice(open.indexOf(t), 1);
      await t.close();
      const whileDown = sent;
      const storedBefore = (await startTestCore({ dataDir: dir }).then(async (peek) => {
        const n = readings(peek.core);
        await peek.close();
        return n;
      }));
      expect(storedBefore).toBeLessThan(N);
      await until(() => sent >= whileDown + N / 6, 'more was sent while the app was down');
      t = await external(dir);
      await sending;
      await until(() => readings(t.core) >= N, `all ${N} readings are stored`, 60_000);
      t.m.ingest.flush();
      expect(readings(t.core)).toBe(N);
      expect(t.m.status().broker.external.sessionPresent).toBe(true);
      await publisher.endAsync();
    } finally {
      for (const x of open.splice(0)) await x.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ingest from the embedded broker', () => {
  it('listens on loopback and takes readings from mqtt.js and mosquitto_pub, single and batch', async () => {
    const t = await startTestCore({ mqtt: { port: 0, url: null }, monitoring: { embeddedAnyPort: true } });
    open.push(t);
    const port = t.m.embeddedPort();
    expect(port).toBeGreaterThan(0);
    const now = Date.now();
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
    const batch = Array.from({ length: 50 }, (_, i) => ({ phenomenonTime: new Date(now - 50_000 + i * 1000).toISOString(), result: i / 1000 }));
    await client.publishAsync(topic('wl-1'), JSON.stringify(batch), { qos: 1 });
    await client.publishAsync(topic('gas-1'), obs(now, 1), { qos: 0 });
    await mosquittoPub(port!, topic('noise-1'), { lines: [obs(now - 2000, 45), obs(now - 1000, 46), 'garbage'] });
    await until(() => readings(t.core) === 53 && t.m.ingest.totals.rejected === 1, '53 readings stored and one rejection');
    const st = await t.core.registry.invoke('ingest.status', {});
    expect(st.ok && st.value.broker.embedded).toMatchObject({ enabled: true, listening: true, host: '127.0.0.1', port });
    expect(st.ok && st.value.rejectedByReason.malformed_json).toBe(1);
    await client.endAsync();
  });

  it('falls back to MQTT 3.1.1 for an external broker that does not speak 5 (here: another app\'s embedded aedes)', async () => {
    const a = await startTestCore({ mqtt: { port: 0, url: null }, monitoring: { embeddedAnyPort: true } });
    open.push(a);
    const b = await startTestCore({ mqtt: { port: 0, url: `mqtt://127.0.0.1:${a.m.embeddedPort()}` } });
    open.push(b);
    await b.m.externalReady();
    expect(b.m.status().broker.external.state).toBe('connected');
    const got = waitForEvent(b.core, 'sensors.readings', (p) => p.ids.includes('gas-1'));
    await mosquittoPub(a.m.embeddedPort()!, topic('gas-1'), { message: obs(Date.now(), 2) });
    expect((await got).values).toEqual([2]);
  });

  it('reports a port that is taken instead of failing', async () => {
    const first = await startTestCore({ mqtt: { port: 0, url: null }, monitoring: { embeddedAnyPort: true } });
    open.push(first);
    const taken = first.m.embeddedPort()!;
    const second = await startTestCore({ mqtt: { port: taken, url: null } });
    open.push(second);
    expect(second.m.embeddedPort()).toBeNull();
    expect(second.m.status().broker.embedded).toMatchObject({ enabled: true, listening: false, error: `port ${taken} on 127.0.0.1 is already in use` });
  });
});
