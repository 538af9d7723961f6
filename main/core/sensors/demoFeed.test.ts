import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, waitForEvent, type TestCore } from './testkit';

let t: TestCore | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('the demo feed', () => {
  it('publishes the demo sensors over MQTT to the embedded broker, with excursions that raise alarms', async () => {
    t = await startTestCore({ mqtt: { port: 0, url: null }, monitoring: { embeddedAnyPort: true, demoFeed: true, demoExcursionEveryMs: 100 } });
    const raised = waitForEvent(t.core, 'alarm.raised', () => true, 20_000);
    const readings = waitForEvent(t.core, 'sensors.readings', (p) => p.ids.length > 0, 20_000);
    expect((await readings).status.every((s) => s !== 'offline')).toBe(true);
    const { alarm } = await raised;
    expect(alarm).toMatchObject({ kind: 'threshold', severity: 'warning' });
    expect(t.m.status().broker.embedded.clients).toBeGreaterThanOrEqual(1);
    expect(t.m.ingest.totals.rejected).toBe(0);
  });
});
