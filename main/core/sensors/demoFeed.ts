/**
 * The demo city's sensor feed: a gateway that publishes plausible readings for the demo sensors
 * over MQTT to the embedded broker, in the SensorThings batch form, i.e. exactly the path a real
 * gateway takes (no demo-only shortcut into the store). Each sensor reports at its interval near
 * its own level; every few minutes one sensor has an excursion past its warning or alarm line
 * (reporting every 15 s meanwhile, as devices do in alarm) and comes back, so the wall shows the
 * whole loop: alarm, sound, case, automatic clearing. Sensors the demo marks offline stay silent.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../log';
import type { SensorCache, SensorRuntime } from './runtime';

export interface DemoFeedOptions {
  url: string;
  log: Logger;
  /** One excursion this often (default 5 min). */
  excursionEveryMs?: number;
  tickMs?: number;
  random?: () => number;
}

export interface DemoFeed {
  close(): Promise<void>;
}

interface Plan {
  s: SensorRuntime;
  level: number;
  /** Where the level drifts to: the sensor's normal band (a demo sensor in alarm recovers slowly). */
  target: number;
  noise: number;
  next: number;
  /** Readings left in an excursion, and its value. */
  excursion: { left: number; value: number } | null;
}

export function startDemoFeed(sensors: SensorCache, opts: DemoFeedOptions): DemoFeed {
  const random = opts.random ?? Math.random;
  const tickMs = opts.tickMs ?? 1_000;
  const every = opts.excursionEveryMs ?? 300_000;
  const now = Date.now();
  const plans: Plan[] = [];
  const planned = new Set<string>();
  /** Take in sensors not planned yet (the registry may grow); the demo's offline ones stay silent. */
  const plan = (): void => {
    const at = Date.now();
    for (const s of sensors.all()) {
      if (planned.has(s.id)) continue;
      planned.add(s.id);
      if (s.status === 'offline') continue;
      const limit = s.rules.warn ?? s.rules.alarm;
      const above = s.rules.dir === 'above';
      const level = s.rule.lastV ?? (limit === null ? 1 : limit * 0.5);
      const target = limit !== null && (above ? level >= limit * 0.9 : level <= limit * 1.1) ? (above ? limit * 0.6 : limit * 1.6) : level;
      const noise = Math.max(Math.abs(limit ?? level) * 0.01, 1e-3);
      plans.push({ s, level, target, noise, next: at + random() * Math.min(s.intervalS, 60) * 1000, excursion: null });
    }
  };
  let lastPlan = 0;
  const client: MqttClient = mqtt.connect(opts.url, { protocolVersion: 4, clientId: `cityops-demo-gateway-${process.pid}`, reconnectPeriod: 2_000 });
  client.on('error', (err) => opts.log.debug('demo_feed.error', { error: err.message }));
  let excursions = 0;
  let lastExcursion = now;

  const startExcursion = (): void => {
    const candidates = plans.filter((p) => p.excursion === null && p.s.intervalS <= 300 && (p.s.rules.alarm ?? p.s.rules.warn) !== null);
    if (candidates.length === 0) return;
    const p = candidates[Math.floor(random() * candidates.length)]!;
    const toAlarm = excursions % 3 === 2; // two warnings, then an alarm (which files a case)
    const r = p.s.rules;
    const line = toAlarm ? (r.alarm ?? r.warn!) : (r.warn ?? r.alarm!);
    const value = r.dir === 'above' ? line + Math.max(Math.abs(line) * 0.1, p.noise * 2) : line - Math.max(Math.abs(line) * 0.1, p.noise * 2);
    p.excursion = { left: 6, value };
    p.next = Date.now();
    excursions++;
    opts.log.info('demo_feed.excursion', { sensor: p.s.id, value: Number(value.toFixed(3)), severity: toAlarm ? 'alarm' : 'warning' });
  };

  const timer = setInterval(() => {
    if (!client.connected) return;
    const t = Date.now();
    if (t - lastPlan >= 60_000) {
      lastPlan = t;
      plan();
    }
    if (t - lastExcursion >= every) {
      lastExcursion = t;
      startExcursion();
    }
    const batch: Array<{ Datastream: { '@iot.id': string }; phenomenonTime: string; result: number }> = [];
    for (const p of plans) {
      if (p.next > t) continue;
      let v: number;
      if (p.excursion) {
        v = p.excursion.value + (random() - 0.5) * p.noise;
        p.excursion.left--;
        if (p.excursion.left <= 0) p.excursion = null;
        p.next = t + 15_000;
      } else {
        // drift towards the normal band no faster than half the rate-of-change limit
        const minutes = Math.max(1, p.s.intervalS / 60);
        const maxStep = p.s.rules.ratePerMin === null ? Infinity : p.s.rules.ratePerMin * 0.5 * minutes;
        const step = Math.max(-maxStep, Math.min(maxStep, (p.target - p.level) * 0.2));
        p.level += step + (random() - 0.5) * p.noise;
        v = p.level;
        p.next = t + p.s.intervalS * 1000;
      }
      batch.push({ Datastream: { '@iot.id': p.s.id }, phenomenonTime: new Date(t).toISOString(), result: Number(v.toFixed(3)) });
      if (batch.length >= 5_000) break;
    }
    if (batch.length > 0) client.publish('v1.1/Observations', JSON.stringify(batch), { qos: 1 });
  }, tickMs);
  timer.unref();
  opts.log.info('demo_feed.started', { sensors: sensors.size, url: opts.url });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        client.end(true, {}, () => resolve());
      }),
  };
}
