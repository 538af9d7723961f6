/**
 * The windows: one BrowserWindow per planned window (displays.ts decides where), hardened web
 * preferences (security.ts), attached to the IPC binding, reloaded with back-off when the
 * renderer crashes, hangs or fails to load (recovery.ts), re-placed when displays come and go,
 * and their placement saved when an operator moves a windowed one.
 */
import { BrowserWindow, screen } from 'electron';
import type { Logger } from '../core/log';
import type { WindowRole } from '../../shared/api/bridge';
import { APP_ORIGIN, ROLE_PATHS } from './channels';
import { placementFor, validatePlacement, type Placement, type WindowPlan } from './displays';
import type { IpcBinding } from './ipc';
import { HANG_GRACE_MS, ReloadBackoff } from './recovery';
import { secureWebPreferences } from './security';

const TITLES: Record<WindowRole, string> = {
  wall: 'CityOps Wall 城运指挥大屏',
  console: 'CityOps Console 城运指挥操作台',
};

/** The URL a window loads: the role's page, and which configured window it is. */
export const windowUrl = (plan: Pick<WindowPlan, 'id' | 'role'>): string =>
  `${APP_ORIGIN}${ROLE_PATHS[plan.role]}?window=${encodeURIComponent(plan.id)}`;

export interface WindowManagerOptions {
  preload: string;
  binding: IpcBinding;
  log: Logger;
  devTools: boolean;
  /** Called (debounced) when an operator moved or resized a windowed window. */
  onPlacement: (windowId: string, placement: Placement) => void;
}

interface ManagedWindow {
  plan: WindowPlan;
  win: BrowserWindow;
  closing: boolean;
}

export class WindowManager {
  private readonly windows = new Map<string, ManagedWindow>();
  private quitting = false;

  constructor(private readonly opts: WindowManagerOptions) {}

  /** Create the planned windows that do not exist yet and move the others where planned. */
  apply(plans: readonly WindowPlan[]): void {
    for (const plan of plans) {
      for (const note of plan.notes) this.opts.log.warn('electron.display_fallback', { window: plan.id, note });
      const existing = this.windows.get(plan.id);
      if (existing && !existing.win.isDestroyed()) this.reposition(existing, plan);
      else if (!existing) this.create(plan);
    }
  }

  /** The app is quitting: no more reloads, and closing the console no longer matters. */
  markQuitting(): void {
    this.quitting = true;
  }

  /** Bring the console (else any window) to the front: a second launch does this. */
  focus(): void {
    const all = [...this.windows.values()].filter((w) => !w.win.isDestroyed());
    const target = all.find((w) => w.plan.role === 'console') ?? all[0];
    if (!target) return;
    if (target.win.isMinimized()) target.win.restore();
    target.win.show();
    target.win.focus();
  }

  /**
   * Load the pages of these roles again (the walls: display-only, they come back with the core's
   * state). Used when the network origins change, as a page keeps the CSP it was loaded with.
   */
  reloadRoles(roles: readonly WindowPlan['role'][], reason: string): number {
    let n = 0;
    for (const managed of this.windows.values()) {
      if (managed.win.isDestroyed() || managed.closing || !roles.includes(managed.plan.role)) continue;
      this.opts.log.info('electron.window_reloading', { window: managed.plan.id, reason });
      // reload(), not loadURL(): the page comes back where it was (the console on its tab).
      managed.win.webContents.reload();
      n++;
    }
    return n;
  }

  get count(): number {
    return [...this.windows.values()].filter((w) => !w.win.isDestroyed()).length;
  }

  private create(plan: WindowPlan): void {
    const { log } = this.opts;
    const win = new BrowserWindow({
      x: plan.bounds.x,
      y: plan.bounds.y,
      width: plan.bounds.width,
      height: plan.bounds.height,
      show: false,
      title: TITLES[plan.role],
      backgroundColor: '#06101f',
      autoHideMenuBar: true,
      fullscreenable: true,
      webPreferences: secureWebPreferences({ preload: this.opts.preload, role: plan.role, devTools: this.opts.devTools }),
    });
    const managed: ManagedWindow = { plan, win, closing: false };
    this.windows.set(plan.id, managed);
    const contents = win.webContents;
    const detach = this.opts.binding.attach(contents, plan.role);

    let shown = false;
    const show = (): void => {
      if (shown || win.isDestroyed()) return;
      shown = true;
      if (managed.plan.maximized && !managed.plan.fullscreen) win.maximize();
      win.show();
      if (managed.plan.fullscreen) win.setFullScreen(true);
    };
    win.once('ready-to-show', show);
    // A renderer that never paints must not leave the window hidden (the wall stays visible).
    const showTimer = setTimeout(show, 5_000);

    this.installRecovery(managed);
    this.installPlacementTracking(managed);

    win.on('close', () => {
      managed.closing = true;
    });
    win.on('closed', () => {
      clearTimeout(showTimer);
      detach();
      this.windows.delete(plan.id);
      log.info('electron.window_closed', { window: plan.id });
      // Closing the console ends the session (the walls have no controls of their own).
      if (plan.role === 'console' && !this.quitting) {
        for (const other of this.windows.values()) if (!other.win.isDestroyed()) other.win.close();
      }
    });

    log.info('electron.window_created', { window: plan.id, role: plan.role, display: plan.displayId, fullscreen: plan.fullscreen });
    void win.loadURL(windowUrl(plan)).catch((err: unknown) => {
      // did-fail-load schedules the retry; this only keeps the rejection from going unhandled.
      log.warn('electron.load_failed', { window: plan.id, error: err instanceof Error ? err.message : String(err) });
    });
  }

  private installRecovery(managed: ManagedWindow): void {
    const { win, plan } = managed;
    const { log } = this.opts;
    const contents = win.webContents;
    const backoff = new ReloadBackoff();
    let reloadTimer: NodeJS.Timeout | null = null;
    let hangTimer: NodeJS.Timeout | null = null;

    const stopped = (): boolean => this.quitting || managed.closing || win.isDestroyed();
    const scheduleReload = (why: string, fields: Record<string, unknown>): void => {
      if (stopped()) return;
      const delay = backoff.failure(Date.now());
      log.error(`electron.renderer_${why}`, { window: plan.id, ...fields, reloadInMs: delay, failuresInARow: backoff.consecutiveFailures });
      if (reloadTimer) clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        if (stopped()) return;
        log.info('electron.renderer_reloading', { window: plan.id });
        void win.loadURL(windowUrl(managed.plan)).catch(() => undefined);
      }, delay);
    };
    const clearHang = (): void => {
      if (hangTimer) clearTimeout(hangTimer);
      hangTimer = null;
    };

    contents.on('did-finish-load', () => backoff.loaded(Date.now()));
    contents.on('render-process-gone', (_event, details) => {
      clearHang();
      scheduleReload('gone', { reason: details.reason, exitCode: details.exitCode });
    });
    contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
      // -3 is ERR_ABORTED: a navigation replaced by another, not a failure.
      if (!isMainFrame || errorCode === -3) return;
      scheduleReload('load_failed', { errorCode, errorDescription, url: validatedURL });
    });
    contents.on('preload-error', (_event, preloadPath, error) => {
      log.error('electron.preload_error', { window: plan.id, preloadPath, error: error.message });
    });
    contents.on('unresponsive', () => {
      if (stopped() || hangTimer) return;
      log.warn('electron.renderer_unresponsive', { window: plan.id, killInMs: HANG_GRACE_MS });
      hangTimer = setTimeout(() => {
        hangTimer = null;
        if (stopped()) return;
        log.error('electron.renderer_hung', { window: plan.id });
        // The 'render-process-gone' that follows (reason 'killed') schedules the reload.
        contents.forcefullyCrashRenderer();
      }, HANG_GRACE_MS);
    });
    contents.on('responsive', () => {
      if (!hangTimer) return;
      clearHang();
      log.info('electron.renderer_responsive', { window: plan.id });
    });
    win.on('closed', () => {
      clearHang();
      if (reloadTimer) clearTimeout(reloadTimer);
    });
  }

  private installPlacementTracking(managed: ManagedWindow): void {
    const { win } = managed;
    let timer: NodeJS.Timeout | null = null;
    const save = (): void => {
      timer = null;
      if (win.isDestroyed() || managed.plan.fullscreen || win.isFullScreen()) return;
      const placement = placementFor(win.getNormalBounds(), win.isMaximized(), screen.getAllDisplays());
      if (placement) this.opts.onPlacement(managed.plan.id, placement);
    };
    const schedule = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 1_000);
    };
    win.on('moved', schedule);
    win.on('resized', schedule);
    win.on('maximize', schedule);
    win.on('unmaximize', schedule);
    win.on('closed', () => {
      if (timer) clearTimeout(timer);
    });
  }

  /** After a display change: full-screen windows follow their planned display; a windowed one
   * moves only when it is no longer on any connected display. */
  private reposition(managed: ManagedWindow, plan: WindowPlan): void {
    const { win } = managed;
    managed.plan = plan;
    const displays = screen.getAllDisplays();
    const current = screen.getDisplayMatching(win.getBounds());
    if (plan.fullscreen) {
      if (current.id === plan.displayId && win.isFullScreen()) return;
      this.opts.log.info('electron.window_moved', { window: plan.id, display: plan.displayId });
      if (win.isFullScreen()) win.setFullScreen(false);
      win.setBounds(plan.bounds);
      win.setFullScreen(true);
      return;
    }
    if (win.isFullScreen()) {
      // A wall that lost its display and now shares the primary with the console.
      this.opts.log.info('electron.window_moved', { window: plan.id, display: plan.displayId });
      win.setFullScreen(false);
      win.setBounds(plan.bounds);
      if (plan.maximized) win.maximize();
      return;
    }
    const stillVisible = validatePlacement({ displayId: current.id, bounds: win.getNormalBounds() }, displays);
    if (stillVisible) return;
    this.opts.log.info('electron.window_moved', { window: plan.id, display: plan.displayId });
    win.setBounds(plan.bounds);
    if (plan.maximized) win.maximize();
  }
}
