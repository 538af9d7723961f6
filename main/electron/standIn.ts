/**
 * An in-process stand-in for Electron's IPC, for tests without the Electron binary: ipcMain,
 * per-window web contents with their ipcRenderer, and contextBridge. It keeps the properties the
 * real thing has and our code must cope with:
 *   - every message and result is copied with structuredClone (no shared objects, no functions);
 *   - pushes and replies arrive asynchronously, in order (an event sent while a call runs
 *     arrives before the call's result);
 *   - an invoke handler that throws reaches the renderer as a bare Error (details stripped);
 *   - contextBridge copies objects and wraps functions in a new proxy on every crossing, so a
 *     page can never hand the same function identity back (the cause of Bitwarden's leak).
 */
import { EventEmitter } from 'node:events';
import type { IpcInvokeListener, IpcMainLike, WebContentsLike } from './ipc';
import type { IpcRendererLike } from './preload';
import type { SenderFrameLike } from './security';

export class FakeIpcMain implements IpcMainLike {
  private readonly handlers = new Map<string, IpcInvokeListener>();

  handle(channel: string, listener: IpcInvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  hasHandler(channel: string): boolean {
    return this.handlers.has(channel);
  }

  /** What ipcRenderer.invoke does on the main side. */
  async dispatchInvoke(contents: { readonly id: number; frame(): SenderFrameLike | null }, channel: string, args: readonly unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { sender: { id: contents.id }, senderFrame: contents.frame() };
    let result: unknown;
    try {
      result = await handler(event, ...structuredClone([...args]));
    } catch (err) {
      throw new Error(`Error invoking remote method '${channel}': ${err instanceof Error ? err.name : 'Error'}`);
    }
    return structuredClone(result);
  }
}

let nextContentsId = 1;

/** A window's web contents: the main side of one renderer. */
export class FakeWebContents implements WebContentsLike {
  readonly id = nextContentsId++;
  readonly ipcRenderer: FakeIpcRenderer;
  private destroyed = false;
  /** The top-level frame's URL; `frameParent` non-null makes calls come from a sub-frame. */
  url: string;
  frameParent: unknown = null;
  /** Set to simulate a frame that is gone (navigated away or destroyed). */
  frameGone = false;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];

  constructor(
    readonly ipcMain: FakeIpcMain,
    url = 'app://cityops/',
  ) {
    this.url = url;
    this.ipcRenderer = new FakeIpcRenderer(this);
  }

  frame(): SenderFrameLike | null {
    return this.frameGone || this.destroyed ? null : { url: this.url, parent: this.frameParent };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const copy = structuredClone(args);
    this.sent.push({ channel, args: copy });
    setImmediate(() => {
      if (!this.destroyed) this.ipcRenderer.emit(channel, { sender: this.ipcRenderer }, ...structuredClone(copy));
    });
  }
}

/** The renderer side of one window's IPC. */
export class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  constructor(private readonly contents: FakeWebContents) {
    super();
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    try {
      return await this.contents.ipcMain.dispatchInvoke(this.contents, channel, args);
    } finally {
      // The reply travels the same ordered pipe as pushes: events sent while the call ran
      // arrive before its result.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Copy a value from one JavaScript world to the other as contextBridge does: plain data is
 * copied, functions become new proxies (whose arguments and results cross back the same way),
 * promises resolve to copied values, errors keep only their message.
 */
export function crossWorld(value: unknown): unknown {
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    return (...args: unknown[]): unknown => crossWorld(fn(...args.map(crossWorld)));
  }
  if (value instanceof Promise) {
    return value.then(crossWorld, (err: unknown) => {
      throw new Error(err instanceof Error ? err.message : String(err));
    });
  }
  if (value instanceof Error) return new Error(value.message);
  if (Array.isArray(value)) return value.map(crossWorld);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = crossWorld(v);
    return out;
  }
  return value;
}

/** contextBridge: what the preload exposes lands, copied, in `mainWorld`. */
export class FakeContextBridge {
  readonly mainWorld: Record<string, unknown> = {};

  exposeInMainWorld(key: string, api: unknown): void {
    if (key in this.mainWorld) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.mainWorld[key] = crossWorld(api);
  }
}
