/**
 * The Electron transport end to end, without the Electron binary: a real Core bound to an
 * in-process ipcMain stand-in (ipc.ts), the preload's bridge (preload.ts) exposed through a
 * contextBridge stand-in, and the renderer's ApiClient (createBridgeClient) on top. The shared
 * contract suite runs over it, then the checks specific to IPC.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventMessage } from '../../shared/api';
import { BRIDGE_VERSION, createBridgeClient, type BridgeClientOptions, type CityopsBridge, type WindowRole } from '../../shared/api/bridge';
import { createCore, type Core } from '../core/core';
import { silentLogger } from '../core/log';
import type { CallContext } from '../core/registry';
import { defineContractSuite } from '../testing/contractSuite';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './channels';
import { bindIpc, type IpcBinding } from './ipc';
import { exposeBridge } from './preload';
import { FakeContextBridge, FakeIpcMain, FakeWebContents } from './standIn';

// preload.ts imports 'electron' (whose package, outside Electron, tries to download the binary).
vi.mock('electron', () => ({ contextBridge: {}, ipcRenderer: {} }));

interface Harness {
  core: Core;
  ipcMain: FakeIpcMain;
  binding: IpcBinding;
  dataDir: string;
  /** Open a window: web contents attached to the binding, preload run, page-side client. */
  open(role: WindowRole, opts?: { url?: string; clientOptions?: BridgeClientOptions }): Window;
  close(): Promise<void>;
}

interface Window {
  contents: FakeWebContents;
  bridge: CityopsBridge;
  client: ReturnType<typeof createBridgeClient>;
  detach(): void;
}

async function startHarness(): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-ipc-'));
  const core = await createCore({ dataDir, demo: 'none', log: silentLogger, host: 'electron' });
  const ipcMain = new FakeIpcMain();
  const binding = bindIpc({ registry: core.registry, bus: core.bus, ipcMain, log: silentLogger });
  return {
    core,
    ipcMain,
    binding,
    dataDir,
    open(role, opts = {}) {
      const contents = new FakeWebContents(ipcMain, opts.url ?? (role === 'wall' ? 'app://cityops/?window=wall' : 'app://cityops/console'));
      const detach = binding.attach(contents, role);
      const contextBridge = new FakeContextBridge();
      const exposed = exposeBridge(contextBridge, contents.ipcRenderer, { argv: ['/electron', `--cityops-role=${role}`], contextIsolated: true });
      expect(exposed).toBe(true);
      const bridge = contextBridge.mainWorld.cityops as CityopsBridge;
      return { contents, bridge, client: createBridgeClient(bridge, opts.clientOptions), detach };
    },
    async close() {
      binding.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

defineContractSuite('Electron IPC (in-process stand-in)', async () => {
  const h = await startHarness();
  const { client } = h.open('console');
  return { client, core: h.core, teardown: () => h.close() };
});

describe('Electron IPC binding', () => {
  let h: Harness | null = null;
  const harness = async (): Promise<Harness> => (h = await startHarness());
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('exposes a narrow, frozen bridge: no ipcRenderer, no channels', async () => {
    const { bridge } = (await harness()).open('wall');
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on', 'version', 'windowRole']);
    expect(bridge.windowRole).toBe('wall');
    expect(bridge.version).toBe(BRIDGE_VERSION);
  });

  it('answers calls through the whole chain with the core’s envelope', async () => {
    const { client } = (await harness()).open('wall');
    const health = await client.call('system.health', {});
    expect(health).toMatchObject({ ok: true, value: { host: 'electron' } });
  });

  it('tells the core which window called', async () => {
    const ipcMain = new FakeIpcMain();
    const contexts: CallContext[] = [];
    const registry = {
      call: async (_name: string, _input: unknown, ctx: CallContext) => {
        contexts.push(ctx);
        return { ok: true as const, value: null };
      },
    };
    const binding = bindIpc({ registry, bus: { subscribe: () => () => {} }, ipcMain, log: silentLogger });
    const wall = new FakeWebContents(ipcMain, 'app://cityops/');
    const console_ = new FakeWebContents(ipcMain, 'app://cityops/console');
    binding.attach(wall, 'wall');
    binding.attach(console_, 'console');
    await wall.ipcRenderer.invoke(IPC_CALL_CHANNEL, { method: 'system.health', input: {} });
    await console_.ipcRenderer.invoke(IPC_CALL_CHANNEL, { method: 'system.health', input: {} });
    expect(contexts).toEqual([
      { transport: 'ipc', client: 'wall' },
      { transport: 'ipc', client: 'console' },
    ]);
    expect(binding.roleOf(wall.id)).toBe('wall');
    binding.close();
  });

  it('refuses calls from other origins, sub-frames, gone frames and unknown windows', async () => {
    const hh = await harness();
    const call = (contents: FakeWebContents): Promise<unknown> =>
      contents.ipcRenderer.invoke(IPC_CALL_CHANNEL, { method: 'system.health', input: {} });

    const foreign = hh.open('console', { url: 'https://evil.example.com/' });
    await expect(call(foreign.contents)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The same refusal reaches a page-side client as a normal error envelope.
    await expect(foreign.client.call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const framed = hh.open('console');
    framed.contents.frameParent = { url: 'app://cityops/' };
    await expect(call(framed.contents)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const gone = hh.open('console');
    gone.contents.frameGone = true;
    await expect(call(gone.contents)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const stranger = new FakeWebContents(hh.ipcMain, 'app://cityops/');
    await expect(call(stranger)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not one of our windows') } });

    const detached = hh.open('wall');
    detached.detach();
    await expect(call(detached.contents)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses malformed requests before they reach the core', async () => {
    const { contents } = (await harness()).open('console');
    for (const request of [undefined, null, 'system.health', 42, [], {}, { method: 7, input: {} }, { method: '', input: {} }, { method: 'system.health', input: {}, extra: true }, { method: 'x'.repeat(201) }]) {
      await expect(contents.ipcRenderer.invoke(IPC_CALL_CHANNEL, request)).resolves.toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    // A well-formed request for a method outside the contract is the registry's answer.
    await expect(contents.ipcRenderer.invoke(IPC_CALL_CHANNEL, { method: 'fs.readFile', input: '/etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });

  it('answers with an internal envelope if the registry ever throws', async () => {
    const ipcMain = new FakeIpcMain();
    const registry = { call: async (): Promise<never> => Promise.reject(new Error('disk on fire')) };
    const binding = bindIpc({ registry, bus: { subscribe: () => () => {} }, ipcMain, log: silentLogger });
    const contents = new FakeWebContents(ipcMain, 'app://cityops/');
    binding.attach(contents, 'wall');
    const r = await contents.ipcRenderer.invoke(IPC_CALL_CHANNEL, { method: 'system.health', input: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('disk on fire');
    binding.close();
  });

  it('pushes every bus event to every window, in order', async () => {
    const hh = await harness();
    const wall = hh.open('wall');
    const console_ = hh.open('console');
    const wallSeen: string[] = [];
    const consoleSeen: string[] = [];
    wall.client.on('system.mode', (p) => wallSeen.push(p.mode));
    console_.client.on('system.mode', (p) => consoleSeen.push(p.mode));
    await console_.client.call('system.setMode', { mode: 'emergency', actor: '指挥长' });
    await console_.client.call('system.setMode', { mode: 'normal', actor: '指挥长' });
    await wall.client.call('system.health', {});
    expect(consoleSeen).toEqual(['emergency', 'normal']);
    expect(wallSeen).toEqual(['emergency', 'normal']);
  });

  it('stops pushing to detached and destroyed windows', async () => {
    const hh = await harness();
    const a = hh.open('wall');
    const b = hh.open('console');
    const c = hh.open('wall');
    a.detach();
    b.contents.destroy();
    expect(hh.binding.size).toBe(2);
    hh.core.bus.emit('system.mode', { mode: 'emergency', modeSince: new Date().toISOString(), actor: 'x' });
    expect(a.contents.sent).toEqual([]);
    expect(b.contents.sent).toEqual([]);
    expect(c.contents.sent.map((s) => s.channel)).toEqual([IPC_EVENT_CHANNEL]);
    expect(hh.binding.size).toBe(1);
  });

  it('keeps pushing to the others when one window fails to receive', async () => {
    const hh = await harness();
    const broken = hh.open('wall');
    const ok = hh.open('console');
    vi.spyOn(broken.contents, 'send').mockImplementation(() => {
      throw new Error('Render frame was disposed');
    });
    hh.core.bus.emit('system.mode', { mode: 'emergency', modeSince: new Date().toISOString(), actor: 'x' });
    expect(ok.contents.sent).toHaveLength(1);
  });

  it('drops invalid pushed payloads on the page side', async () => {
    const onDropped = vi.fn();
    const { contents, client } = (await harness()).open('wall', { clientOptions: { onDropped } });
    const seen = vi.fn();
    client.on('system.mode', seen);
    contents.send(IPC_EVENT_CHANNEL, { event: 'system.mode', payload: { mode: 'chaos' } });
    contents.send(IPC_EVENT_CHANNEL, { event: 'system.mode', payload: { mode: 'normal', modeSince: new Date().toISOString(), actor: 'a' } });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveBeenCalledTimes(1);
    expect(onDropped).toHaveBeenCalledTimes(1);
  });

  it('does not leak renderer listeners across the context bridge (Bitwarden’s bug)', async () => {
    const { contents, bridge, client } = (await harness()).open('wall');
    const renderer = contents.ipcRenderer;
    const listener = (_m: EventMessage): void => {};
    // Through the bridge directly: the same page function, proxied anew on each crossing.
    const offs = Array.from({ length: 50 }, () => bridge.on(listener));
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    for (const off of offs) off();
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    // Through the client: subscribe and unsubscribe many times.
    for (let i = 0; i < 50; i++) client.on('system.heartbeat', () => {})();
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    const off = client.on('system.mode', () => {});
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    off();
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('answers unavailable once the binding is closed (the app is shutting down)', async () => {
    const hh = await harness();
    const { client } = hh.open('console');
    const subscribers = hh.core.bus.size;
    hh.binding.close();
    hh.binding.close(); // idempotent
    expect(hh.ipcMain.hasHandler(IPC_CALL_CHANNEL)).toBe(false);
    expect(hh.core.bus.size).toBe(subscribers - 1);
    await expect(client.call('system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('refuses a second binding on the same ipcMain (one handler per channel)', async () => {
    const hh = await harness();
    expect(() => bindIpc({ registry: hh.core.registry, bus: hh.core.bus, ipcMain: hh.ipcMain, log: silentLogger })).toThrow(/second handler/);
  });
});
