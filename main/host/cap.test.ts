import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, waitForEvent, type TestCore } from '../core/sensors/testkit';
import { capDoc } from '../core/warnings/capfixtures';
import { capRoute } from './cap';
import { startHost, type RunningHost } from './server';

let t: TestCore;
let host: RunningHost;
beforeAll(async () => {
  t = await startTestCore();
  host = await startHost({ core: t.core, port: 0, routes: [capRoute(t.core)] });
});
afterAll(async () => {
  await host.close();
  await t.close();
});

const post = (body: string, type = 'application/cap+xml'): Promise<Response> =>
  fetch(new URL('/api/cap', host.url), { method: 'POST', body, headers: { 'content-type': type } });

describe('POST /api/cap', () => {
  it('accepts a CAP 1.2 alert and answers the envelope', async () => {
    const changed = waitForEvent(t.core, 'warning.changed', (p) => p.change === 'created');
    const res = await post(capDoc({ identifier: 'HTTP-1', sent: Date.now() - 1000 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { warning: { identifier: string; source: string; colour: string } } };
    expect(body).toMatchObject({ ok: true, value: { warning: { identifier: 'HTTP-1', source: 'http', colour: 'orange' }, duplicate: false } });
    expect((await changed).warning.identifier).toBe('HTTP-1');
  });

  it('refuses invalid documents (400, a clear message, nothing stored), wrong verbs and non-XML bodies', async () => {
    const before = t.core.db.prepare('SELECT COUNT(*) FROM cap_alerts').pluck().get();
    const bad = await post(capDoc({ identifier: 'HTTP-2', sent: Date.now() }).replace('<severity>Severe</severity>', '<severity>Bad</severity>'), 'text/xml');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/<severity> must be one of/) } });
    const broken = await post('<alert', 'application/xml');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toMatch(/invalid XML/);
    expect((await post('', 'application/xml')).status).toBe(400);
    expect((await post('{"alert":1}', 'application/json')).status).toBe(415);
    expect((await fetch(new URL('/api/cap', host.url))).status).toBe(405);
    expect(t.core.db.prepare('SELECT COUNT(*) FROM cap_alerts').pluck().get()).toBe(before);
  });
});
