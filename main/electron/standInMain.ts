/**
 * A stand-in for the parts of Electron's main-process API that main.ts, windows.ts and
 * security.ts use: app, BrowserWindow (with its webContents), screen, protocol, session, ipcMain
 * (the IPC stand-in), dialog, Menu and powerSaveBlocker. Tests mock the 'electron' module with
 * it to run the real main process wiring without the binary. It records what the code asked
 * for and lets the test fire the events Electron would.
 */
import { EventEmitter } from 'node:events';
import type { DisplayInfo, Rect } from './displays';
import { FakeIpcMain } from './standIn';

export interface FakeDisplay extends DisplayInfo {
  scaleFactor: number;
}

export const fakeDisplay = (id: number, x: number, width: number, height: number, label = `display-${id}`): FakeDisplay => ({
  id,
  label,
  scaleFactor: 1,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
});

let nextId = 100;

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeMainWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly loads: string[] = [];
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  crashes = 0;
  private destroyed = false;
  private url = '';

  constructor(private readonly owner: FakeBrowserWindow | null) {
    super();
  }

  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.url = url;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.destroyed) return;
    this.emit('did-finish-load');
    this.owner?.emit('ready-to-show');
  }

  getURL(): string {
    return this.url;
  }

  /** Like Electron: load the current URL again. */
  reload(): void {
    void this.loadURL(this.url);
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args: structuredClone(args) });
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  forcefullyCrashRenderer(): void {
    this.crashes += 1;
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents: FakeMainWebContents;
  bounds: Rect;
  fullScreen = false;
  maximized = false;
  shown = false;
  focused = false;
  private destroyed = false;

  constructor(readonly options: { x: number; y: number; width: number; height: number; webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height };
    this.webContents = new FakeMainWebContents(this);
    FakeBrowserWindow.all.push(this);
    fakeElectron.app.emit('web-contents-created', {}, this.webContents);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  setFullScreen(on: boolean): void {
    this.fullScreen = on;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(bounds: Rect): void {
    this.bounds = { ...bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
    // Like Electron: once, when the last window has closed (not again for nested closes).
    if (FakeBrowserWindow.getAllWindows().length === 0 && !fakeElectron.app.allClosedEmitted) {
      fakeElectron.app.allClosedEmitted = true;
      fakeElectron.app.emit('window-all-closed');
    }
  }
}

class FakeScreen extends EventEmitter {
  displays: FakeDisplay[] = [fakeDisplay(1, 0, 1920, 1080, 'Primary')];
  primaryId = 1;

  getAllDisplays(): FakeDisplay[] {
    return this.displays;
  }
  getPrimaryDisplay(): FakeDisplay {
    const primary = this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0];
    if (!primary) throw new Error('no display');
    return primary;
  }
  getDisplayMatching(rect: Rect): FakeDisplay {
    let best = this.getPrimaryDisplay();
    let bestArea = 0;
    for (const d of this.displays) {
      const w = Math.min(rect.x + rect.width, d.bounds.x + d.bounds.width) - Math.max(rect.x, d.bounds.x);
      const h = Math.min(rect.y + rect.height, d.bounds.y + d.bounds.height) - Math.max(rect.y, d.bounds.y);
      if (w > 0 && h > 0 && w * h > bestArea) {
        best = d;
        bestArea = w * h;
      }
    }
    return best;
  }
}

type ProtocolHandler = (request: Request) => Promise<Response>;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string) => boolean;
type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

class FakeApp extends EventEmitter {
  paths: Record<string, string> = {};
  appPath = '/app';
  ready = false;
  exitCode: number | null = null;
  quitCalls = 0;
  /** Set when 'quit' was emitted: the app really quits. */
  quitted = false;
  allClosedEmitted = false;
  singleInstance = true;
  readonly isPackaged = false;

  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`no path ${name}`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value;
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.1.0';
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  /** Like Electron: before-quit, then will-quit (which may be prevented), then quit. */
  quit(): void {
    this.quitCalls += 1;
    this.emit('before-quit', { preventDefault() {} });
    let prevented = false;
    this.emit('will-quit', {
      preventDefault() {
        prevented = true;
      },
    });
    if (prevented) return;
    this.quitted = true;
    this.emit('quit');
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const fakeElectron = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  screen: new FakeScreen(),
  ipcMain: new FakeIpcMain(),
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, ProtocolHandler>(),
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, handler: ProtocolHandler): void {
      this.handlers.set(scheme, handler);
    },
  },
  session: {
    defaultSession: {
      permissionRequest: null as PermissionRequestHandler | null,
      permissionCheck: null as PermissionCheckHandler | null,
      devicePermission: null as (() => boolean) | null,
      beforeRequest: null as BeforeRequest | null,
      setPermissionRequestHandler(handler: PermissionRequestHandler): void {
        this.permissionRequest = handler;
      },
      setPermissionCheckHandler(handler: PermissionCheckHandler): void {
        this.permissionCheck = handler;
      },
      setDevicePermissionHandler(handler: () => boolean): void {
        this.devicePermission = handler;
      },
      webRequest: {
        filterUrls: [] as string[],
        onBeforeRequest(filter: { urls: string[] }, handler: BeforeRequest): void {
          this.filterUrls = filter.urls;
          fakeElectron.session.defaultSession.beforeRequest = handler;
        },
      },
    },
  },
  dialog: {
    errors: [] as string[],
    showErrorBox(title: string, content: string): void {
      this.errors.push(`${title}: ${content}`);
    },
  },
  Menu: {
    menu: 'default' as unknown,
    setApplicationMenu(menu: unknown): void {
      this.menu = menu;
    },
  },
  powerSaveBlocker: {
    blockers: [] as string[],
    start(type: string): number {
      this.blockers.push(type);
      return this.blockers.length;
    },
  },
};

export type FakeElectron = typeof fakeElectron;
