/**
 * The preload script: exposes one narrow object, `window.cityops` (a CityopsBridge), through
 * contextBridge — never ipcRenderer itself (DESIGN.md convention 4). Sandboxed, so esbuild
 * bundles it into one self-contained file (dist/electron/preload.cjs) with only 'electron'
 * left to require().
 *
 * The bridge is built by createPreloadBridge over any ipcRenderer-like object, so the tests run
 * it against an in-process stand-in; the top level exposes it only inside an isolated Electron
 * renderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
// Only types from shared/api: a value import would bundle the whole contract and zod into the
// preload of every window.
import type { EventMessage } from '../../shared/api';
import type { CityopsBridge, WindowRole } from '../../shared/api/bridge';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, PRELOAD_BRIDGE_VERSION, ROLE_ARG_PREFIX } from './channels';

/** Every role, checked against WindowRole at compile time (a new role must be added here). */
const ROLES = { wall: true, console: true } as const satisfies Record<WindowRole, true>;
const isRole = (value: string): value is WindowRole => Object.prototype.hasOwnProperty.call(ROLES, value);

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: RendererListener): unknown;
  removeListener(channel: string, listener: RendererListener): unknown;
}

/** The window role the main process passed in webPreferences.additionalArguments. */
export function roleFromArgv(argv: readonly string[]): WindowRole | null {
  for (const arg of argv) {
    if (!arg.startsWith(ROLE_ARG_PREFIX)) continue;
    const role = arg.slice(ROLE_ARG_PREFIX.length);
    return isRole(role) ? role : null;
  }
  return null;
}

/**
 * Build the bridge. One ipcRenderer listener is installed while at least one page listener
 * exists, and removed with the last one; each `on` returns its own unsubscribe, so nothing
 * depends on function identity across the context bridge.
 */
export function createPreloadBridge(ipc: IpcRendererLike, windowRole: WindowRole): CityopsBridge {
  const listeners = new Set<{ fn: (message: EventMessage) => void }>();

  const onEvent: RendererListener = (_event, message) => {
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string') return;
    for (const entry of [...listeners]) {
      if (!listeners.has(entry)) continue;
      try {
        // A fresh object per listener: one listener cannot change what the next one sees.
        entry.fn({ event, payload });
      } catch (err) {
        console.error('[cityops] event listener failed', err);
      }
    }
  };

  const bridge: CityopsBridge = {
    version: PRELOAD_BRIDGE_VERSION,
    windowRole,
    call(method: string, input: unknown): Promise<unknown> {
      if (typeof method !== 'string') return Promise.reject(new TypeError('cityops.call: method must be a string'));
      return ipc.invoke(IPC_CALL_CHANNEL, { method, input });
    },
    on(listener: (message: EventMessage) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('cityops.on: listener must be a function');
      const entry = { fn: listener };
      if (listeners.size === 0) ipc.on(IPC_EVENT_CHANNEL, onEvent);
      listeners.add(entry);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners.delete(entry);
        if (listeners.size === 0) ipc.removeListener(IPC_EVENT_CHANNEL, onEvent);
      };
    },
  };
  return Object.freeze(bridge);
}

/** Expose the bridge as `window.cityops`. Refuses to run without context isolation. */
export function exposeBridge(
  bridge: { exposeInMainWorld(key: string, api: CityopsBridge): void },
  ipc: IpcRendererLike,
  proc: { readonly argv: readonly string[]; readonly contextIsolated: boolean },
): boolean {
  if (!proc.contextIsolated) {
    console.error('[cityops] context isolation is off: the API bridge is not exposed');
    return false;
  }
  const role = roleFromArgv(proc.argv);
  if (role === null) {
    console.error('[cityops] this window has no role: the API bridge is not exposed');
    return false;
  }
  bridge.exposeInMainWorld('cityops', createPreloadBridge(ipc, role) satisfies CityopsBridge);
  return true;
}

// Inside Electron's renderer (the only place `process.type` is 'renderer'), expose the bridge.
if (typeof process !== 'undefined' && process.type === 'renderer') {
  exposeBridge(contextBridge, ipcRenderer, process);
}
