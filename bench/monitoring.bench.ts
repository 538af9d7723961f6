/**
 * Benchmarks of monitoring (issue 5):
 * - sustained readings/s from MQTT publish to committed in SQLite (target ≥ 20,000/s): a
 *   publisher in another process (mqtt.js) sends as fast as the broker takes it, to the embedded
 *   broker and to Debian's mosquitto, single-observation messages at QoS 0 and 1 and the batch form;
 *   the clock stops when the last reading is committed;
 * - publish-to-wall latency at 1,000 readings/s (target p95 < 1 s): 1,000 sensors each publishing
 *   once a second for 10 s; the latency is measured at a WebSocket client of the host (the wall);
 * - alarm evaluation cost per reading (the rules alone), and the whole ingest pipeline per reading
 *   without MQTT (parse, validate, write with roll-ups, rules).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../main/core/core';
import { silentLogger } from '../main/core/log';
import { evaluateReading, newRuleState } from '../main/core/sensors/rules';
import { monitoringOf } from '../main/core/sensors/service';
import { startMosquitto } from '../main/core/sensors/testkit';
import { startHost } from '../main/host/server';
import { connectWs } from '../main/testing/wsClient';
import { mergeRules, SENSOR_TYPE_INFO, type AlarmKind } from '../shared/domain/monitoring';
import { SENSOR_TYPES } from '../shared/domain/model';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  params: Record<string, unknown>;
}

const root = path.resolve(__dirname, '..');

/**
 * The publisher, run in its own process so it does not share the core's event loop.
 * argv: url, mode (single|batch), count, qos, sensors, rate (per second, 0 = as fast as possible), batchSize.
 * Prints one JSON line {t0, t1, sent} (epoch ms) when every publish was acknowledged (QoS 1) or written.
 */
const PUBLISHER = `
import mqtt from 'mqtt';
const [url, mode, countS, qosS, sensorsS, rateS, batchS] = process.argv.slice(1);
const count = Number(countS), qos = Number(qosS), sensors = Number(sensorsS), rate = Number(rateS), batch = Number(batchS);
const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'bench-pub-' + process.pid });
const id = (i) => 'b-' + String(i % sensors).padStart(5, '0');
// a plausible signal: each sensor near its own level with a little noise (thresholds sit well above)
const value = (i) => 5 + (i % sensors) % 10 + ((i * 7919) % 13) / 1000;
const t0 = Date.now();
let sent = 0;
const pending = [];
const publish = (topic, payload) => {
  const p = client.publishAsync(topic, payload, { qos });
  if (qos > 0) pending.push(p);
  if (pending.length > 5000) return Promise.all(pending.splice(0));
  return null;
};
const base = Date.now() - 60_000;
if (mode === 'single') {
  for (let i = 0; i < count; i++) {
    const t = rate > 0 ? Date.now() : base + Math.floor(i / sensors) * 1;
    const w = publish('v1.1/Datastreams(' + id(i) + ')/Observations', JSON.stringify({ phenomenonTime: new Date(t).toISOString(), result: value(i) }));
    if (w) await w;
    sent++;
    if (rate > 0) {
      const due = t0 + (sent / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if (sent % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
} else {
  for (let i = 0; i < count; i += batch) {
    const items = [];
    for (let k = i; k < Math.min(count, i + batch); k++) items.push({ Datastream: { '@iot.id': id(k) }, phenomenonTime: new Date(base + Math.floor(k / sensors)).toISOString(), result: value(k) });
    const w = publish('v1.1/Observations', JSON.stringify(items));
    if (w) await w;
    sent += items.length;
  }
}
await Promise.all(pending);
const t1 = Date.now();
await client.endAsync();
console.log(JSON.stringify({ t0, t1, sent }));
`;

function runPublisher(args: { url: string; mode: 'single' | 'batch'; count: number; qos: 0 | 1; sensors: number; rate?: number; batch?: number }): { done: Promise<{ t0: number; t1: number; sent: number }>; started: number } {
  const started = Date.now();
  const p = spawn(
    process.execPath,
    ['--input-type=module', '-e', PUBLISHER, args.url, args.mode, String(args.count), String(args.qos), String(args.sensors), String(args.rate ?? 0), String(args.batch ?? 100)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ t0: number; t1: number; sent: number }>((resolve, reject) =>
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as { t0: number; t1: number; sent: number }) : reject(new Error(`publisher failed (${code}): ${err}`)))),
  );
  return { done, started };
}

function seedSensors(core: Core, n: number): void {
  const ins = core.db.prepare(`INSERT INTO sensors(id, name, type, unit, lon, lat, interval_s, thresholds, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`);
  core.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const type = SENSOR_TYPES[i % SENSOR_TYPES.length]!;
      ins.run(`b-${String(i).padStart(5, '0')}`, `测点${i}`, type, SENSOR_TYPE_INFO[type].unit, 120 + (i % 100) / 1000, 30 + Math.floor(i / 100) / 1000, JSON.stringify({ warn: 20, alarm: 30, dir: 'above' }), Date.now());
    }
  })();
  monitoringOf(core).sensors.reload();
}

async function benchCore(mqtt: { port: number; url: string | null }, anyPort: boolean): Promise<{ core: Core; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-mon-'));
  const core = await createCore({
    dataDir: dir,
    demo: 'none',
    log: silentLogger,
    host: 'test',
    mqtt,
    warnings: { inboxDir: null },
    monitoring: { embeddedAnyPort: anyPort, silenceCheckMs: 3_600_000, escalationCheckMs: 3_600_000, retentionMs: 3_600_000 },
  });
  return { core, dir };
}

async function waitStored(core: Core, n: number, timeoutMs: number): Promise<number> {
  const m = monitoringOf(core);
  const deadline = Date.now() + timeoutMs;
  while (m.ingest.totals.stored < n) {
    if (Date.now() > deadline) throw new Error(`only ${m.ingest.totals.stored} of ${n} readings stored after ${timeoutMs} ms (rejected ${m.ingest.totals.rejected})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return Date.now();
}

export async function throughput(label: string, broker: 'embedded' | 'mosquitto', mode: 'single' | 'batch', qos: 0 | 1, count: number): Promise<BenchResult> {
  const mosq = broker === 'mosquitto' ? await startMosquitto() : null;
  const { core, dir } = await benchCore(mosq ? { port: 0, url: mosq.url } : { port: 0, url: null }, !mosq);
  try {
    const m = monitoringOf(core);
    await m.externalReady();
    const SENSORS = 10_000;
    seedSensors(core, SENSORS);
    const url = mosq ? mosq.url : `mqtt://127.0.0.1:${m.embeddedPort()}`;
    const pub = runPublisher({ url, mode, count, qos, sensors: SENSORS, batch: 100 });
    const { t0 } = await pub.done;
    const committed = await waitStored(core, count, 120_000);
    const seconds = (committed - t0) / 1000;
    return {
      name: `monitoring.ingest_${label}`,
      value: Math.round(count / seconds),
      unit: 'readings/s',
      params: { broker, mode, qos, readings: count, sensors: SENSORS, seconds: Number(seconds.toFixed(2)), measured: 'first publish → last reading committed in SQLite', target: 20_000 },
    };
  } finally {
    await core.close();
    await mosq?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function latency(): Promise<BenchResult[]> {
  const { core, dir } = await benchCore({ port: 0, url: null }, true);
  const host = await startHost({ core, port: 0 });
  const ws = await connectWs(host.url);
  try {
    const m = monitoringOf(core);
    const SENSORS = 1000;
    const RATE = 1000;
    const SECONDS = 10;
    seedSensors(core, SENSORS);
    const lat: number[] = [];
    ws.on('sensors.readings', (p) => {
      const now = Date.now();
      for (const t of p.times) if (t !== null) lat.push(now - t);
    });
    const pub = runPublisher({ url: `mqtt://127.0.0.1:${m.embeddedPort()}`, mode: 'single', count: RATE * SECONDS, qos: 1, sensors: SENSORS, rate: RATE });
    await pub.done;
    await waitStored(core, RATE * SECONDS, 30_000);
    // Every stored reading is pushed to the wall: wait for the last pushes in flight (bounded).
    for (const end = Date.now() + 5_000; lat.length < RATE * SECONDS && Date.now() < end; ) await new Promise((r) => setImmediate(r));
    lat.sort((a, b) => a - b);
    const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
    const params = { rate: RATE, seconds: SECONDS, sensors: SENSORS, samples: lat.length, qos: 1, broker: 'embedded', measured: 'phenomenonTime stamped at publish → event at a WebSocket client of the host' };
    return [
      { name: 'monitoring.publish_to_wall_p50', value: q(0.5), unit: 'ms', params },
      { name: 'monitoring.publish_to_wall_p95', value: q(0.95), unit: 'ms', params: { ...params, target: 1000 } },
      { name: 'monitoring.publish_to_wall_p99', value: q(0.99), unit: 'ms', params },
    ];
  } finally {
    await ws.close();
    await host.close();
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ruleCost(): BenchResult {
  const N = 1_000_000;
  const rules = mergeRules(SENSOR_TYPE_INFO.water_level.rules, { warn: 0.15, alarm: 0.25, stuckMinutes: 60 });
  const state = newRuleState();
  const open = new Map<AlarmKind, number>();
  const t0 = Date.parse('2026-11-21T00:00:00+08:00');
  let raised = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const v = 0.05 + 0.3 * Math.abs(Math.sin(i / 500));
    const r = evaluateReading(rules, state, open, t0 + i * 1000, v);
    if (r) for (const o of r.outcomes) {
      if (o.action === 'raise') {
        if (!open.has(o.kind)) raised++;
        open.set(o.kind, 1);
      } else open.delete(o.kind);
    }
  }
  const ns = ((performance.now() - start) * 1e6) / N;
  return { name: 'monitoring.alarm_eval_per_reading', value: Number(ns.toFixed(1)), unit: 'ns', params: { readings: N, rules: 'threshold+rate+stuck', alarmsRaised: raised } };
}

async function pipelineCost(): Promise<BenchResult> {
  const { core, dir } = await benchCore({ port: 0, url: null }, false);
  try {
    const m = monitoringOf(core);
    seedSensors(core, 10_000);
    const N = 200_000;
    const base = Date.now() - 3_600_000;
    const msgs: Array<[string, string]> = [];
    for (let i = 0; i < N; i++) msgs.push([`v1.1/Datastreams(b-${String(i % 10_000).padStart(5, '0')})/Observations`, JSON.stringify({ phenomenonTime: new Date(base + Math.floor(i / 10_000) * 1000).toISOString(), result: 5 + (i % 10) + ((i * 7919) % 13) / 1000 })]);
    const start = performance.now();
    for (const [t, p] of msgs) m.handleMessage(t, p);
    m.ingest.flush();
    const us = ((performance.now() - start) * 1000) / N;
    if (m.ingest.totals.stored !== N) throw new Error(`stored ${m.ingest.totals.stored} of ${N}`);
    return { name: 'monitoring.pipeline_per_reading', value: Number(us.toFixed(2)), unit: 'µs', params: { readings: N, sensors: 10_000, includes: 'JSON parse, validation, batched write with 1-min and 1-h roll-ups, rules, live sensor columns, events' } };
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMonitoring(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push(ruleCost());
  out.push(await pipelineCost());
  out.push(await throughput('embedded_qos0', 'embedded', 'single', 0, 200_000));
  out.push(await throughput('embedded_qos1', 'embedded', 'single', 1, 200_000));
  out.push(await throughput('embedded_batch100_qos1', 'embedded', 'batch', 1, 500_000));
  out.push(await throughput('mosquitto_qos1', 'mosquitto', 'single', 1, 200_000));
  out.push(...(await latency()));
  return out;
}
