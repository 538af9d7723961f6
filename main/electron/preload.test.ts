/** The preload's top level and its guards, with 'electron' replaced by stand-ins. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CityopsBridge } from '../../shared/api/bridge';
import { FakeContextBridge, FakeIpcMain, FakeWebContents } from './standIn';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: (_key: string, _api: unknown): void => {} },
  ipcRenderer: {},
}));
vi.mock('electron', () => electron);

type MutableProcess = { type?: string; contextIsolated?: boolean };

describe('preload top level', () => {
  const proc = process as unknown as MutableProcess;
  const savedArgv = process.argv;
  afterEach(() => {
    delete proc.type;
    delete proc.contextIsolated;
    process.argv = savedArgv;
    vi.resetModules();
  });

  it('exposes nothing outside an Electron renderer', async () => {
    const expose = vi.spyOn(electron.contextBridge, 'exposeInMainWorld');
    await import('./preload');
    expect(expose).not.toHaveBeenCalled();
  });

  it('exposes window.cityops inside an isolated Electron renderer', async () => {
    const contextBridge = new FakeContextBridge();
    const contents = new FakeWebContents(new FakeIpcMain());
    electron.contextBridge = contextBridge;
    electron.ipcRenderer = contents.ipcRenderer;
    proc.type = 'renderer';
    proc.contextIsolated = true;
    process.argv = ['/opt/cityops/electron', '--type=renderer', '--cityops-role=console'];
    await import('./preload');
    expect(Object.keys(contextBridge.mainWorld)).toEqual(['cityops']);
    const bridge = contextBridge.mainWorld.cityops as CityopsBridge;
    expect(bridge.windowRole).toBe('console');
    expect(typeof bridge.call).toBe('function');
  });
});

describe('exposeBridge and roleFromArgv', () => {
  it('reads the role passed by the main process', async () => {
    const { roleFromArgv } = await import('./preload');
    expect(roleFromArgv(['x', '--cityops-role=wall'])).toBe('wall');
    expect(roleFromArgv(['--cityops-role=console'])).toBe('console');
    expect(roleFromArgv(['--cityops-role=admin'])).toBeNull();
    expect(roleFromArgv(['--other'])).toBeNull();
  });

  it('refuses to expose anything without context isolation or a role', async () => {
    const { exposeBridge } = await import('./preload');
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const contents = new FakeWebContents(new FakeIpcMain());
    const noIsolation = new FakeContextBridge();
    expect(exposeBridge(noIsolation, contents.ipcRenderer, { argv: ['--cityops-role=wall'], contextIsolated: false })).toBe(false);
    expect(noIsolation.mainWorld).toEqual({});
    const noRole = new FakeContextBridge();
    expect(exposeBridge(noRole, contents.ipcRenderer, { argv: [], contextIsolated: true })).toBe(false);
    expect(noRole.mainWorld).toEqual({});
    expect(quiet).toHaveBeenCalledTimes(2);
    quiet.mockRestore();
  });

  it('validates what the page passes in', async () => {
    const { createPreloadBridge } = await import('./preload');
    const contents = new FakeWebContents(new FakeIpcMain());
    const bridge = createPreloadBridge(contents.ipcRenderer, 'wall');
    expect(Object.isFrozen(bridge)).toBe(true);
    await expect((bridge.call as (m: unknown, i: unknown) => Promise<unknown>)(42, {})).rejects.toThrow(TypeError);
    expect(() => (bridge.on as (l: unknown) => unknown)('not a function')).toThrow(TypeError);
  });

  it('isolates listeners from each other and from failures', async () => {
    const { createPreloadBridge } = await import('./preload');
    const contents = new FakeWebContents(new FakeIpcMain());
    const bridge = createPreloadBridge(contents.ipcRenderer, 'wall');
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: unknown[] = [];
    bridge.on((m) => {
      (m as { payload: unknown }).payload = 'tampered';
      throw new Error('page bug');
    });
    bridge.on((m) => seen.push(m.payload));
    contents.ipcRenderer.emit('cityops:event', {}, { event: 'system.mode', payload: { mode: 'normal' } });
    contents.ipcRenderer.emit('cityops:event', {}, 'junk');
    expect(seen).toEqual([{ mode: 'normal' }]);
    expect(quiet).toHaveBeenCalledTimes(1);
    quiet.mockRestore();
  });
});

describe('the preload bundle', () => {
  it('is one small self-contained file that requires only electron (a sandboxed preload can require nothing else)', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: ['main/electron/preload.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const requires = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
    expect([...requires]).toEqual(['electron']);
    // Types only from shared/api: the contract's schemas (and zod) stay out of the preload.
    expect(code).not.toContain('zod');
    expect(code.length).toBeLessThan(20_000);
  });
});
