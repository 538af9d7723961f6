/**
 * Monitoring in the operator console: a reading published over MQTT to the host's embedded broker
 * crosses a sensor's alarm threshold → the alarm appears in the console's alarm strip and list, a
 * case is filed for it (source: IoT), and the seat acknowledges it in the UI.
 *
 * This spec needs the embedded broker, so it starts its own host with a free --mqtt-port (the
 * shared fixture starts hosts with the broker off); it waits for the host's "serving at" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import mqtt from 'mqtt';
import { HOST_ENTRY, HOST_LOG_DIR, RENDERER_DIR } from './support/paths';
import { callApi, expect, saveScreenshot, test, waitForReady } from './support/test';
import type { RunningHost } from './support/host';

interface MqttHost {
  host: RunningHost;
  mqttPort: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The host with the demo city and the embedded MQTT broker on a free loopback port. */
async function startMqttHost(name: string): Promise<MqttHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cityops-e2e-${name}-`));
  fs.mkdirSync(HOST_LOG_DIR, { recursive: true });
  const logFile = path.join(HOST_LOG_DIR, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const mqttPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [HOST_ENTRY, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--demo', 'hangzhou', '--mqtt-port', String(mqttPort), '--static-dir', RENDERER_DIR],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CITYOPS_DATA_DIR: dataDir } },
  );
  child.stderr?.pipe(log, { end: false });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const onExit = (code: number | null): void => reject(new Error(`the host exited before serving (code ${code}); log: ${logFile}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      log.write(line + '\n');
      const m = /serving at (http:\/\/\S+)/.exec(line);
      if (m) {
        child.off('exit', onExit);
        resolve(m[1]!);
      }
    });
  });
  const stop = (signal: NodeJS.Signals): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          child.once('exit', () => resolve());
          child.kill(signal);
        });
  return {
    mqttPort,
    host: {
      url,
      dataDir,
      logFile,
      crash: () => stop('SIGKILL'),
      restart: () => Promise.reject(new Error('not supported by this spec')),
      async stop() {
        await stop('SIGTERM');
        log.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    },
  };
}

let running: MqttHost | null = null;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  running = await startMqttHost('monitoring');
});
test.afterAll(async () => {
  await running?.host.stop();
  running = null;
});
const current = (): MqttHost => {
  if (!running) throw new Error('the host is not running');
  return running;
};

interface Alarm {
  id: string;
  sensorId: string;
  severity: string;
  state: string;
  caseId: string | null;
}

test('an MQTT reading over the threshold raises an alarm in the console, files a case, and is acknowledged there', async ({ page, request }) => {
  test.setTimeout(240_000);
  const { host, mqttPort } = current();
  const status = await callApi<{ broker: { embedded: { listening: boolean; port: number | null } } }>(request, host, 'ingest.status', {});
  expect(status.broker.embedded).toMatchObject({ listening: true, port: mqttPort });

  // A water-level sensor the demo keeps offline: its gateway publishes nothing for it, so only our
  // reading moves it (the demo feed's readings would bring any live sensor back under its lines).
  const sensors = await callApi<Array<{ id: string; name: string; type: string; status: string }>>(request, host, 'sensors.list', { limit: 50_000 });
  const sensor = sensors.find((x) => x.type === 'water_level' && x.status === 'offline');
  expect(sensor, 'an offline water-level sensor in the demo city').toBeDefined();
  const sensorId = sensor!.id;
  const { rules } = await callApi<{ rules: { dir: string; alarm: number | null; critical: number | null } }>(request, host, 'sensors.get', { id: sensorId });
  expect(rules.dir).toBe('above');
  const top = rules.critical ?? rules.alarm;
  expect(top).not.toBeNull();
  const severity = rules.critical !== null ? 'critical' : 'alarm';
  const value = Number((top! * 1.5).toFixed(3));

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host.url}console?lang=zh-CN#monitoring`);
  await waitForReady(page);
  await page.getByTestId('seat-name').fill('陈坐席');
  await expect(page.getByTestId('ingest-status')).toBeVisible();
  await expect(page.locator('[data-broker="embedded"]')).toHaveAttribute('data-state', 'connected');

  // Publish a level half again above its highest line, in the SensorThings MQTT form.
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'e2e-monitoring', reconnectPeriod: 0 });
  try {
    await client.publishAsync(`v1.1/Datastreams(${sensorId})/Observations`, JSON.stringify({ phenomenonTime: new Date().toISOString(), result: value }), { qos: 1 });
  } finally {
    await client.endAsync();
  }

  // The alarm comes up in the strip (most severe first, newest first) and in the list, with a case
  // filed (the centre files cases from severity 告警 up).
  const strip = page.getByTestId('alarm-strip');
  const stripItem = strip.locator(`.mon-strip-item[data-severity="${severity}"]`).filter({ hasText: sensor!.name });
  await expect(stripItem).toBeVisible();
  const alarmId = (await stripItem.getAttribute('data-alarm-id')) ?? '';
  expect(alarmId).not.toBe('');
  await expect(stripItem).toHaveAttribute('data-state', 'raised');

  const list = page.getByTestId('alarm-list');
  await list.locator('select').first().selectOption(severity);
  const row = list.locator(`tr[data-alarm-id="${alarmId}"]`);
  await expect(row).toHaveAttribute('data-state', 'raised');
  await expect.poll(async () => (await callApi<{ alarm: Alarm }>(request, host, 'alarms.get', { id: alarmId })).alarm.caseId).not.toBeNull();
  const { alarm } = await callApi<{ alarm: Alarm }>(request, host, 'alarms.get', { id: alarmId });
  expect(alarm).toMatchObject({ sensorId, severity });
  await expect(row.locator('td').nth(5)).toHaveText(alarm.caseId ?? '');
  const filed = await callApi<{ source: string; state: string; lon: number; lat: number }>(request, host, 'cases.get', { id: alarm.caseId });
  expect(filed).toMatchObject({ source: 'iot', state: 'reported' });

  // The selected alarm shows its sensor card (live value, chart) and the case it filed.
  await row.click();
  const selected = page.getByTestId('selected-alarm');
  await expect(selected).toHaveAttribute('data-alarm-id', alarmId);
  await expect(selected.getByTestId('sensor-chart')).toBeVisible();

  // Acknowledge it in the list: recorded with the seat's name, and it stops calling for attention.
  await row.locator('[data-action="ack"]').click();
  await expect(row).toHaveAttribute('data-state', 'acknowledged');
  await expect(row).toContainText('陈坐席');
  await expect(row.locator('[data-action="ack"]')).toHaveCount(0);
  const after = await callApi<{ alarm: Alarm & { acknowledgedBy: string | null } }>(request, host, 'alarms.get', { id: alarmId });
  expect(after.alarm).toMatchObject({ state: 'acknowledged', acknowledgedBy: '陈坐席' });
  await expect(selected).toHaveAttribute('data-state', 'acknowledged');
  await list.locator('select').first().selectOption('');
  await expect(list.locator('tr[data-alarm-id]').nth(1)).toBeVisible();
  await saveScreenshot(page, 'console-monitoring-1920x1080');

  // From the alarm to its case in the queue's detail panel.
  await selected.getByTestId('alarm-open-case').click();
  await expect(page.getByTestId('tab-queue')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('case-detail')).toHaveAttribute('data-case-id', alarm.caseId ?? '');
  await expect(page.getByTestId('case-detail')).toHaveAttribute('data-state', 'reported');
});

test('an MQTT reading over the threshold appears in the wall’s alarm strip, which cannot be muted', async ({ page, request }) => {
  test.setTimeout(240_000);
  const { host, mqttPort } = current();
  const sensors = await callApi<Array<{ id: string; name: string; type: string; status: string }>>(request, host, 'sensors.list', { limit: 50_000 });
  const offline = sensors.filter((x) => x.type === 'water_level' && x.status === 'offline');
  // Another offline sensor than the console test's (which may have taken the first).
  const sensor = offline.at(-1);
  expect(sensor, 'an offline water-level sensor in the demo city').toBeDefined();
  const { rules } = await callApi<{ rules: { alarm: number | null; critical: number | null } }>(request, host, 'sensors.get', { id: sensor!.id });
  const top = rules.critical ?? rules.alarm;
  expect(top).not.toBeNull();

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host.url}wall?lang=zh-CN`);
  await waitForReady(page);
  const strip = page.getByTestId('alarm-strip');
  await expect(strip).toBeVisible();
  await expect(strip.getByTestId('alarm-mute')).toHaveCount(0);

  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'e2e-monitoring-wall', reconnectPeriod: 0 });
  try {
    await client.publishAsync(`v1.1/Datastreams(${sensor!.id})/Observations`, JSON.stringify({ phenomenonTime: new Date().toISOString(), result: Number((top! * 1.5).toFixed(3)) }), {
      qos: 1,
    });
  } finally {
    await client.endAsync();
  }
  const item = strip.locator('.mon-strip-item').filter({ hasText: sensor!.name });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute('data-state', 'raised');
  await saveScreenshot(page, 'wall-alarm-1920x1080');
});
