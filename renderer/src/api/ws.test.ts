import { describe, expect, it } from 'vitest';
import { WsClient, wsUrlFor, type SocketLike } from './ws';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<{ id: number; method: string; input: unknown }> = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { id: number; method: string; input: unknown });
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  push(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
}

/** A manual clock: timers run only when the test advances time. */
function manualTimers() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimer: (fn: () => void, ms: number): unknown => {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (h: unknown): void => {
      timers.delete(h as number);
    },
    advance(ms: number): void {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
    delays: (): number[] => [...timers.values()].map((t) => t.at - now),
  };
}

const info = {
  centreName: '城市运行管理中心',
  centreNameEn: 'City Operations Centre',
  mode: 'normal',
  modeSince: '2026-11-21T08:00:00.000+08:00',
  demo: null,
  rootAreaId: null,
  lastChangeAt: null,
  counts: { areas: 0, grids: 0, cases: 0, cameras: 0, sensors: 0, staff: 0, departments: 0 },
};

function setup() {
  const sockets: FakeSocket[] = [];
  const clock = manualTimers();
  const client = new WsClient({
    url: 'ws://127.0.0.1:1/api/ws',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  return { client, sockets, clock, last: () => sockets[sockets.length - 1]! };
}

describe('WsClient', () => {
  it('queues calls until the socket opens, then resolves them with parsed results', async () => {
    const { client, last } = setup();
    expect(client.get()).toBe('connecting');
    const p = client.call('system.info', {});
    expect(last().sent).toHaveLength(0);
    last().open();
    expect(client.get()).toBe('open');
    expect(last().sent).toEqual([{ id: 1, method: 'system.info', input: {} }]);
    last().push({ type: 'result', id: 1, result: { ok: true, value: info } });
    const r = await p;
    expect(r.ok && r.value.centreName).toBe('城市运行管理中心');
  });

  it('turns an answer that breaks the output schema into an internal error', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.call('system.info', {});
    last().push({ type: 'result', id: 1, result: { ok: true, value: { centreName: 3 } } });
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('internal');
  });

  it('passes error envelopes through', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.call('cases.get', { id: 'x' });
    last().push({ type: 'result', id: 1, result: { ok: false, error: { code: 'not_found', message: 'no case', field: 'input.id' } } });
    expect(await p).toEqual({ ok: false, error: { code: 'not_found', message: 'no case', field: 'input.id' } });
  });

  it('reconnects with growing back-off, resends read-only calls and fails mutating ones', async () => {
    const { client, sockets, clock, last } = setup();
    const states: string[] = [];
    client.subscribe((s) => states.push(s));
    let reconnects = 0;
    client.onReconnect(() => reconnects++);
    last().open();
    const read = client.call('system.info', {});
    const write = client.call('system.setMode', { mode: 'emergency', actor: 'tester' });
    expect(last().sent.map((m) => m.method)).toEqual(['system.info', 'system.setMode']);

    last().drop();
    expect(client.get()).toBe('reconnecting');
    const w = await write;
    expect(!w.ok && w.error.code).toBe('unavailable');
    expect(clock.delays()).toContain(500);

    clock.advance(500);
    expect(sockets).toHaveLength(2);
    last().drop(); // the host is still down
    expect(clock.delays()).toContain(1000);
    clock.advance(1000);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(reconnects).toBe(1);
    expect(last().sent).toEqual([{ id: 1, method: 'system.info', input: {} }]);
    last().push({ type: 'result', id: 1, result: { ok: true, value: info } });
    expect((await read).ok).toBe(true);
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('keeps event listeners across reconnections, validates payloads, and unsubscribes', () => {
    const { client, clock, last } = setup();
    const got: string[] = [];
    const off = client.on('system.mode', (p) => got.push(p.mode));
    last().open();
    last().push({ type: 'event', event: 'system.mode', payload: { mode: 'emergency', modeSince: '2026-11-21T08:00:00.000+08:00', actor: 'a' } });
    last().push({ type: 'event', event: 'system.mode', payload: { mode: 'party' } });
    last().drop();
    clock.advance(500);
    last().open();
    last().push({ type: 'event', event: 'system.mode', payload: { mode: 'normal', modeSince: '2026-11-21T09:00:00.000+08:00', actor: 'a' } });
    off();
    last().push({ type: 'event', event: 'system.mode', payload: { mode: 'emergency', modeSince: '2026-11-21T10:00:00.000+08:00', actor: 'a' } });
    expect(got).toEqual(['emergency', 'normal']);
  });

  it('times calls out and fails everything on close', async () => {
    const { client, clock, last } = setup();
    last().open();
    const slow = client.call('system.health', {});
    clock.advance(30_000);
    const r = await slow;
    expect(!r.ok && r.error.code).toBe('unavailable');
    const late = client.call('system.health', {});
    client.close();
    const r2 = await late;
    expect(!r2.ok && r2.error.code).toBe('unavailable');
    expect(client.get()).toBe('closed');
  });

  it('derives the endpoint from the page location', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:4870' })).toBe('ws://127.0.0.1:4870/api/ws');
    expect(wsUrlFor({ protocol: 'https:', host: 'wall.local' })).toBe('wss://wall.local/api/ws');
  });
});
