/**
 * The real main process (main.ts → windows.ts, protocol.ts, security.ts, ipc.ts and a real Core)
 * against the main-process stand-in: a machine with an operator monitor and a video-wall output.
 * Timers are faked only where back-off and debounce delays are checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRasterTiles, writeTestPmtiles } from '../testing/tiles';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './channels';
import { HANG_GRACE_MS } from './recovery';
import { fakeDisplay, fakeElectron, FakeBrowserWindow, type FakeMainWebContents } from './standInMain';

vi.mock('electron', async () => (await import('./standInMain')).fakeElectron);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-main-'));
const appDir = path.join(tmp, 'app');
const dataDir = path.join(tmp, 'data');
const primary = fakeDisplay(1, 0, 1920, 1080, 'Operator monitor');
const wallDisplay = fakeDisplay(2, 1920, 3840, 1080, 'Video wall controller');

const saved = { argv: process.argv, env: { ...process.env } };

function windowFor(role: 'wall' | 'console'): FakeBrowserWindow {
  const win = FakeBrowserWindow.all.find((w) => (w.options.webPreferences?.additionalArguments as string[] | undefined)?.includes(`--cityops-role=${role}`));
  if (!win) throw new Error(`no ${role} window`);
  return win;
}

function call(contents: FakeMainWebContents, url: string, method: string, input: unknown): Promise<unknown> {
  return fakeElectron.ipcMain.dispatchInvoke({ id: contents.id, frame: () => ({ url, parent: null }) }, IPC_CALL_CHANNEL, [{ method, input }]);
}

const readDisplays = (): { version: number; placements?: Record<string, unknown> } =>
  JSON.parse(fs.readFileSync(path.join(dataDir, 'displays.json'), 'utf8')) as { version: number; placements?: Record<string, unknown> };

beforeAll(async () => {
  fs.mkdirSync(path.join(appDir, 'dist', 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(appDir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>城运指挥大屏</title>');
  fakeElectron.app.paths.userData = path.join(tmp, 'default-user-data');
  fakeElectron.app.appPath = appDir;
  fakeElectron.screen.displays = [primary, wallDisplay];
  fakeElectron.screen.primaryId = 1;
  process.env.CITYOPS_DATA_DIR = dataDir;
  process.env.CITYOPS_LOG_LEVEL = 'warn';
  delete process.env.CITYOPS_SQLITE_BINDING;
  delete process.env.CITYOPS_TILE_ORIGINS;
  delete process.env.CITYOPS_VIDEO_ORIGINS;
  process.argv = [process.argv[0] ?? 'electron', '.', '--demo', 'none'];
  await import('./main');
  await vi.waitFor(
    () => {
      expect(fakeElectron.dialog.errors).toEqual([]);
      expect(FakeBrowserWindow.all).toHaveLength(2);
      expect(FakeBrowserWindow.all.every((w) => w.shown)).toBe(true);
    },
    { timeout: 30_000, interval: 20 },
  );
});

afterAll(() => {
  process.argv = saved.argv;
  process.env = saved.env;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('main process (with the Electron stand-in)', () => {
  it('keeps Chromium’s profile, and the single-instance lock, inside the data directory', () => {
    expect(fakeElectron.app.paths.userData).toBe(path.join(dataDir, 'electron'));
  });

  it('registers app:// as a privileged scheme that does not bypass the CSP', () => {
    expect(fakeElectron.protocol.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false }) }),
    ]);
  });

  it('serves the renderer over app:// with the CSP, the console route included', async () => {
    const handle = fakeElectron.protocol.handlers.get('app');
    if (!handle) throw new Error('no app:// handler');
    const res = await handle(new Request('app://cityops/console'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('城运指挥大屏');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self';/);
    expect((await handle(new Request('app://cityops/..%2f..%2fdata%2fcityops.sqlite'))).status).toBe(403);
  });

  it('puts the wall full-screen on the video-wall display and the console on the primary', () => {
    const wall = windowFor('wall');
    const console_ = windowFor('console');
    expect(wall.bounds).toEqual(wallDisplay.bounds);
    expect(wall.fullScreen).toBe(true);
    expect(wall.webContents.loads).toEqual(['app://cityops/?window=wall']);
    expect(console_.fullScreen).toBe(false);
    expect(console_.maximized).toBe(true);
    expect(console_.webContents.loads).toEqual(['app://cityops/console?window=console']);
    // The console is created last and so has the focus.
    expect(FakeBrowserWindow.all.at(-1)).toBe(console_);
  });

  it('hardens every window', () => {
    for (const win of FakeBrowserWindow.all) {
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        preload: expect.stringMatching(/preload\.cjs$/),
      });
      expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example.com/' })).toEqual({ action: 'deny' });
      const blocked = { url: 'https://evil.example.com/', preventDefault: vi.fn() };
      win.webContents.emit('will-navigate', blocked);
      win.webContents.emit('will-redirect', blocked);
      expect(blocked.preventDefault).toHaveBeenCalledTimes(2);
      const inside = { url: 'app://cityops/console', preventDefault: vi.fn() };
      win.webContents.emit('will-navigate', inside);
      expect(inside.preventDefault).not.toHaveBeenCalled();
      const webview = { preventDefault: vi.fn() };
      win.webContents.emit('will-attach-webview', webview);
      expect(webview.preventDefault).toHaveBeenCalled();
    }
    expect(fakeElectron.Menu.menu).toBeNull();
    expect(fakeElectron.powerSaveBlocker.blockers).toEqual(['prevent-display-sleep']);
  });

  it('denies every permission but full screen and clipboard writes, and blocks foreign requests', () => {
    const ses = fakeElectron.session.defaultSession;
    const ask = (permission: string, url: string): boolean => {
      let granted: boolean | null = null;
      ses.permissionRequest?.(null, permission, (g) => (granted = g), { requestingUrl: url });
      return granted === true;
    };
    expect(ask('fullscreen', 'app://cityops/')).toBe(true);
    expect(ask('media', 'app://cityops/')).toBe(false);
    expect(ask('geolocation', 'app://cityops/')).toBe(false);
    expect(ask('fullscreen', 'https://evil.example.com/')).toBe(false);
    expect(ses.permissionCheck?.(null, 'notifications', 'app://cityops')).toBe(false);
    expect(ses.devicePermission?.()).toBe(false);
    let cancelled: boolean | null = null;
    ses.beforeRequest?.({ url: 'https://tiles.example.com/1/2/3.png' }, (r) => (cancelled = r.cancel));
    expect(cancelled).toBe(true);
  });

  it('serves the file basemap over app:// and lets an intranet URL basemap through the CSP and the request filter', async () => {
    const handle = fakeElectron.protocol.handlers.get('app');
    if (!handle) throw new Error('no app:// handler');
    const console_ = windowFor('console').webContents;
    const box: [number, number, number, number] = [120.0, 30.1, 120.3, 30.4];
    fs.mkdirSync(path.join(dataDir, 'basemaps'), { recursive: true });
    writeTestPmtiles(path.join(dataDir, 'basemaps', 'city.pmtiles'), { bounds: box, minzoom: 8, maxzoom: 8 });
    const setBasemap = (setting: unknown): Promise<unknown> => call(console_, 'app://cityops/console', 'map.basemap.set', { setting, actor: '值班员' });

    await expect(setBasemap({ kind: 'file', path: 'basemaps/city.pmtiles' })).resolves.toMatchObject({ ok: true, value: { ok: true } });
    const tj = await handle(new Request('app://cityops/tiles/city.json'));
    expect(tj.status).toBe(200);
    expect(((await tj.json()) as { tiles: string[] }).tiles[0]).toMatch(/^app:\/\/cityops\/tiles\/city\/\{z\}/);
    const tile = testRasterTiles({ bounds: box, minzoom: 8, maxzoom: 8 })[0]!;
    const res = await handle(new Request(`app://cityops/tiles/city/${tile.z}/${tile.x}/${tile.y}.png`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(Buffer.from(await res.arrayBuffer()).equals(tile.data)).toBe(true);

    const ses = fakeElectron.session.defaultSession;
    const cancelled = (url: string): boolean | null => {
      let result: boolean | null = null;
      ses.beforeRequest?.({ url }, (r) => (result = r.cancel));
      return result;
    };
    const cspNow = async (): Promise<string> => (await handle(new Request('app://cityops/'))).headers.get('content-security-policy') ?? '';
    expect(await cspNow()).not.toContain('http://10.1.2.3:8080');
    expect(cancelled('http://10.1.2.3:8080/xyz/8/1/2.png')).toBe(true);

    const wallLoads = windowFor('wall').webContents.loads.length;
    const consoleLoads = console_.loads.length;
    await expect(setBasemap({ kind: 'url', url: 'http://10.1.2.3:8080/xyz/{z}/{x}/{y}.png' })).resolves.toMatchObject({ ok: true, value: { ok: true } });
    // Every window loads again to get the new CSP.
    await vi.waitFor(() => expect(windowFor('wall').webContents.loads.length).toBe(wallLoads + 1));
    expect(windowFor('wall').webContents.loads.at(-1)).toBe('app://cityops/?window=wall');
    expect(console_.loads.at(-1)).toBe(console_.loads.at(-2));
    expect(console_.loads.length).toBe(consoleLoads + 1);
    expect(await cspNow()).toMatch(/img-src [^;]*http:\/\/10\.1\.2\.3:8080/);
    expect(await cspNow()).toMatch(/connect-src [^;]*http:\/\/10\.1\.2\.3:8080/);
    expect(cancelled('http://10.1.2.3:8080/xyz/8/1/2.png')).toBe(false);
    expect(cancelled('https://tiles.example.com/1/2/3.png')).toBe(true);
    expect((await handle(new Request('app://cityops/tiles/city.json'))).status).toBe(404);

    await expect(setBasemap({ kind: 'bundled' })).resolves.toMatchObject({ ok: true });
    expect(await cspNow()).not.toContain('10.1.2.3');
    expect(cancelled('http://10.1.2.3:8080/xyz/8/1/2.png')).toBe(true);
  });

  it('writes displays.json on the first start', () => {
    expect(readDisplays()).toEqual({ version: 1 });
  });

  it('answers IPC from its windows with the in-process core, and refuses strangers', async () => {
    const wall = windowFor('wall');
    await expect(call(wall.webContents, 'app://cityops/?window=wall', 'system.health', {})).resolves.toMatchObject({ ok: true, value: { host: 'electron' } });
    await expect(call(wall.webContents, 'https://evil.example.com/', 'system.health', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stranger = { id: 99_999, frame: () => ({ url: 'app://cityops/', parent: null }) };
    await expect(fakeElectron.ipcMain.dispatchInvoke(stranger, IPC_CALL_CHANNEL, [{ method: 'system.health', input: {} }])).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('pushes core events to every window', async () => {
    const console_ = windowFor('console');
    const result = await call(console_.webContents, 'app://cityops/console', 'system.setMode', { mode: 'emergency', actor: '值班指挥长' });
    expect(result).toMatchObject({ ok: true });
    for (const win of FakeBrowserWindow.all) {
      const modes = win.webContents.sent.filter((s) => s.channel === IPC_EVENT_CHANNEL && (s.args[0] as { event: string }).event === 'system.mode');
      expect(modes.at(-1)?.args[0]).toMatchObject({ payload: { mode: 'emergency', actor: '值班指挥长' } });
    }
  });

  it('reloads a crashed renderer after a back-off delay that grows', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const contents = windowFor('wall').webContents;
      const before = contents.loads.length;
      contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      vi.advanceTimersByTime(999);
      expect(contents.loads).toHaveLength(before);
      vi.advanceTimersByTime(1);
      expect(contents.loads).toHaveLength(before + 1);
      expect(contents.loads.at(-1)).toBe('app://cityops/?window=wall');
      // Crashing again straight away: the next delay is longer.
      contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
      vi.advanceTimersByTime(1_000);
      expect(contents.loads).toHaveLength(before + 1);
      vi.advanceTimersByTime(1_000);
      expect(contents.loads).toHaveLength(before + 2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('kills and reloads a hung renderer, unless it recovers within the grace period', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const contents = windowFor('console').webContents;
      contents.emit('unresponsive');
      vi.advanceTimersByTime(HANG_GRACE_MS / 2);
      contents.emit('responsive');
      vi.advanceTimersByTime(HANG_GRACE_MS);
      expect(contents.crashes).toBe(0);

      const before = contents.loads.length;
      contents.emit('unresponsive');
      vi.advanceTimersByTime(HANG_GRACE_MS);
      expect(contents.crashes).toBe(1);
      vi.advanceTimersByTime(60_000);
      expect(contents.loads.length).toBeGreaterThan(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('moves the wall to the primary when its display goes, and back when it returns', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const wall = windowFor('wall');
      fakeElectron.screen.displays = [primary];
      fakeElectron.screen.emit('display-removed');
      vi.advanceTimersByTime(500);
      expect(wall.fullScreen).toBe(false);
      expect(fakeElectron.screen.getDisplayMatching(wall.bounds).id).toBe(1);

      fakeElectron.screen.displays = [primary, wallDisplay];
      fakeElectron.screen.emit('display-added');
      vi.advanceTimersByTime(500);
      expect(wall.bounds).toEqual(wallDisplay.bounds);
      expect(wall.fullScreen).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('remembers where the operator moved the console', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const console_ = windowFor('console');
      console_.maximized = false;
      console_.setBounds({ x: 2000, y: 100, width: 1200, height: 800 });
      console_.emit('moved');
      vi.advanceTimersByTime(1_000);
      expect(readDisplays().placements?.console).toEqual({
        displayId: 2,
        displayLabel: 'Video wall controller',
        bounds: { x: 2000, y: 100, width: 1200, height: 800 },
        maximized: false,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('brings the console to the front when the app is started again', () => {
    const console_ = windowFor('console');
    console_.focused = false;
    fakeElectron.app.emit('second-instance', {}, [], '/');
    expect(console_.focused).toBe(true);
  });

  it('closing the console closes the walls and quits, closing the core cleanly', async () => {
    windowFor('console').close();
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(0);
    await vi.waitFor(() => expect(fakeElectron.app.quitted).toBe(true), { timeout: 10_000, interval: 10 });
    // The first quit was held back (will-quit) until the core had closed, then quit again.
    expect(fakeElectron.app.quitCalls).toBe(2);
    expect(fakeElectron.ipcMain.hasHandler(IPC_CALL_CHANNEL)).toBe(false);
    // SQLite removes the WAL file when the last connection closes.
    expect(fs.existsSync(path.join(dataDir, 'cityops.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'cityops.sqlite-wal'))).toBe(false);
    expect(fakeElectron.app.exitCode).toBeNull();
    expect(fakeElectron.dialog.errors).toEqual([]);
  });
});
