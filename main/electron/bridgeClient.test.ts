/** createBridgeClient (shared/api/bridge.ts) against a hand-made bridge. */
import { describe, expect, it, vi } from 'vitest';

// preload.ts imports 'electron' (whose package, outside Electron, tries to download the binary).
vi.mock('electron', () => ({ contextBridge: {}, ipcRenderer: {} }));
import type { EventMessage } from '../../shared/api';
import { BRIDGE_VERSION, createBridgeClient, isWindowRole, WINDOW_ROLES, type CityopsBridge } from '../../shared/api/bridge';
import { PRELOAD_BRIDGE_VERSION } from './channels';
import { roleFromArgv } from './preload';

const T = '2026-11-21T08:00:00.000+08:00';

function fakeBridge(answer: (method: string, input: unknown) => Promise<unknown> = async () => ({ ok: true, value: null })) {
  const listeners = new Set<(m: EventMessage) => void>();
  const bridge: CityopsBridge = {
    version: BRIDGE_VERSION,
    windowRole: 'wall',
    call: vi.fn(answer),
    on: vi.fn((listener: (m: EventMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  const push = (message: unknown): void => {
    for (const l of [...listeners]) l(message as EventMessage);
  };
  return { bridge, push, listeners };
}

describe('createBridgeClient: calls', () => {
  it('returns the parsed envelope', async () => {
    const { bridge } = fakeBridge(async () => ({ ok: true, value: { mode: 'normal', modeSince: T } }));
    const client = createBridgeClient(bridge);
    await expect(client.call('system.setMode', { mode: 'normal', actor: 'a' })).resolves.toEqual({ ok: true, value: { mode: 'normal', modeSince: T } });
    expect(bridge.call).toHaveBeenCalledWith('system.setMode', { mode: 'normal', actor: 'a' });
  });

  it('passes error envelopes through', async () => {
    const { bridge } = fakeBridge(async () => ({ ok: false, error: { code: 'forbidden', message: 'no' } }));
    await expect(createBridgeClient(bridge).call('system.health', {})).resolves.toEqual({ ok: false, error: { code: 'forbidden', message: 'no' } });
  });

  it('turns a malformed envelope into internal, and a rejected call into unavailable', async () => {
    const malformed = fakeBridge(async () => ({ ok: 'yes' }));
    await expect(createBridgeClient(malformed.bridge).call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    const unknownCode = fakeBridge(async () => ({ ok: false, error: { code: 'teapot', message: '' } }));
    await expect(createBridgeClient(unknownCode.bridge).call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    const rejected = fakeBridge(async () => {
      throw new Error("Error invoking remote method 'cityops:call': Error");
    });
    const r = await createBridgeClient(rejected.bridge).call('system.health', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    if (!r.ok) expect(r.error.message).toContain('system.health');
  });
});

describe('createBridgeClient: events', () => {
  const mode = { event: 'system.mode', payload: { mode: 'emergency', modeSince: T, actor: '值班长' } };

  it('delivers valid payloads to the listeners of that event only', () => {
    const { bridge, push } = fakeBridge();
    const client = createBridgeClient(bridge);
    const modes: unknown[] = [];
    const beats: unknown[] = [];
    client.on('system.mode', (p) => modes.push(p));
    client.on('system.heartbeat', (p) => beats.push(p));
    push(mode);
    expect(modes).toEqual([mode.payload]);
    expect(beats).toEqual([]);
  });

  it('drops invalid payloads, unknown events and junk, and says why', () => {
    const { bridge, push } = fakeBridge();
    const onDropped = vi.fn();
    const client = createBridgeClient(bridge, { onDropped });
    const seen = vi.fn();
    client.on('system.mode', seen);
    push({ event: 'system.mode', payload: { mode: 'party', modeSince: T, actor: 'x' } });
    push({ event: 'system.mode', payload: null });
    push({ event: 'no.such.event', payload: {} });
    push({ event: 42 });
    push(null);
    push('system.mode');
    expect(seen).not.toHaveBeenCalled();
    expect(onDropped).toHaveBeenCalledTimes(6);
    expect(onDropped.mock.calls[0]?.[1]).toMatch(/invalid payload for system.mode/);
    expect(onDropped.mock.calls[2]?.[1]).toMatch(/unknown event/);
  });

  it('validates once per message, not once per listener', () => {
    const { bridge, push } = fakeBridge();
    const client = createBridgeClient(bridge);
    const a = vi.fn();
    const b = vi.fn();
    client.on('system.mode', a);
    client.on('system.mode', b);
    push(mode);
    expect(a.mock.calls[0]?.[0]).toBe(b.mock.calls[0]?.[0]);
  });

  it('refuses to subscribe to an event outside the contract', () => {
    const client = createBridgeClient(fakeBridge().bridge);
    expect(() => (client.on as (e: string, l: () => void) => () => void)('no.such.event', () => {})).toThrow(/not an event/);
  });

  it('holds one bridge subscription while it has listeners, and drops it with the last', () => {
    const { bridge, push, listeners } = fakeBridge();
    const client = createBridgeClient(bridge);
    const seen = vi.fn();
    const off1 = client.on('system.mode', seen);
    const off2 = client.on('system.heartbeat', seen);
    expect(bridge.on).toHaveBeenCalledTimes(1);
    off1();
    expect(listeners.size).toBe(1);
    off2();
    expect(listeners.size).toBe(0);
    off2(); // idempotent
    push(mode);
    expect(seen).not.toHaveBeenCalled();
    client.on('system.mode', seen);
    expect(bridge.on).toHaveBeenCalledTimes(2);
    push(mode);
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('treats the same function registered twice as two subscriptions', () => {
    const { bridge, push } = fakeBridge();
    const client = createBridgeClient(bridge);
    const seen = vi.fn();
    const offA = client.on('system.mode', seen);
    client.on('system.mode', seen);
    push(mode);
    expect(seen).toHaveBeenCalledTimes(2);
    offA();
    push(mode);
    expect(seen).toHaveBeenCalledTimes(3);
  });

  it('copes with listeners that unsubscribe others, or throw', () => {
    const { bridge, push } = fakeBridge();
    const onDropped = vi.fn();
    const client = createBridgeClient(bridge, { onDropped });
    const later = vi.fn();
    let offLater: () => void = () => {};
    client.on('system.mode', () => offLater());
    client.on('system.mode', () => {
      throw new Error('boom');
    });
    offLater = client.on('system.mode', later);
    const last = vi.fn();
    client.on('system.mode', last);
    push(mode);
    expect(later).not.toHaveBeenCalled();
    expect(last).toHaveBeenCalledTimes(1);
    expect(onDropped).toHaveBeenCalledWith(mode, 'listener failed: boom');
  });
});

describe('bridge version', () => {
  it('is the same in the preload as in the shared contract', () => {
    expect(PRELOAD_BRIDGE_VERSION).toBe(BRIDGE_VERSION);
  });
});

describe('window roles', () => {
  it('are the same in the preload as in the shared contract', () => {
    for (const role of WINDOW_ROLES) expect(roleFromArgv([`--cityops-role=${role}`])).toBe(role);
  });
  it('knows wall and console only', () => {
    expect(isWindowRole('wall')).toBe(true);
    expect(isWindowRole('console')).toBe(true);
    expect(isWindowRole('admin')).toBe(false);
    expect(isWindowRole(undefined)).toBe(false);
  });
});
