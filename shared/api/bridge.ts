/**
 * The Electron transport, renderer side: the narrow object the preload script exposes as
 * `window.cityops` (DESIGN.md convention 4), and the ApiClient built on it.
 *
 * Pure TypeScript: no DOM, Node or Electron imports. The preload (main/electron/preload.ts)
 * implements CityopsBridge over ipcRenderer; the renderer only ever sees this interface. The
 * preload imports only types from here, so that its bundle stays free of the contract's schemas.
 */
import { fail, parseEnvelope, type Result } from './contract';
import { events, isEventName, type ApiClient, type EventMessage, type EventName, type EventPayload, type MethodName, type MethodOutput } from './index';

/**
 * The bridge protocol version this renderer expects; the preload reports its own as
 * CityopsBridge.version. Bump when CityopsBridge or the IPC messages change. (The preload keeps
 * a copy in main/electron/channels.ts, because importing values from here would bundle the
 * whole contract into it; a test keeps the two equal.)
 */
export const BRIDGE_VERSION = '1';

/** Which kind of window the renderer runs in; the main process decides, per window. */
export const WINDOW_ROLES = ['wall', 'console'] as const;
export type WindowRole = (typeof WINDOW_ROLES)[number];
export const isWindowRole = (value: unknown): value is WindowRole =>
  typeof value === 'string' && (WINDOW_ROLES as readonly string[]).includes(value);

/**
 * What the preload exposes. Everything crosses contextBridge, so: plain data in and out, one
 * generic call (validated by the main process against the API contract), and one listener
 * registration that returns its own unsubscribe function (never an `off(listener)` that depends
 * on function identity, which contextBridge does not preserve).
 */
export interface CityopsBridge {
  /** The preload's bridge protocol version (compare with BRIDGE_VERSION). */
  readonly version: string;
  /** The role the main process gave this window. */
  readonly windowRole: WindowRole;
  /** Call an API method; resolves with the raw `{ok,…}` envelope (parse it with parseEnvelope). */
  call(method: string, input: unknown): Promise<unknown>;
  /** Receive every pushed event; returns the function that removes this listener. */
  on(listener: (message: EventMessage) => void): () => void;
}

export interface BridgeClientOptions {
  /** Told about pushed events that were dropped (unknown name or invalid payload). */
  onDropped?: (message: unknown, reason: string) => void;
}

type AnyListener = (payload: unknown) => void;

/**
 * The renderer-side ApiClient over a CityopsBridge. Call results are parsed as envelopes (a
 * malformed one becomes an `internal` error; a rejected call becomes `unavailable`); pushed
 * events are validated against their schema once per message and invalid ones are dropped.
 * The client subscribes to the bridge only while it has listeners.
 */
export function createBridgeClient(bridge: CityopsBridge, options: BridgeClientOptions = {}): ApiClient {
  const listeners = new Map<EventName, Set<{ fn: AnyListener }>>();
  let unsubscribeBridge: (() => void) | null = null;

  const dispatch = (message: unknown): void => {
    if (typeof message !== 'object' || message === null) {
      options.onDropped?.(message, 'not an event message');
      return;
    }
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string' || !isEventName(event)) {
      options.onDropped?.(message, `unknown event: ${String(event)}`);
      return;
    }
    const subscribers = listeners.get(event);
    if (!subscribers || subscribers.size === 0) return;
    const parsed = events[event].payload.safeParse(payload);
    if (!parsed.success) {
      options.onDropped?.(message, `invalid payload for ${event}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    for (const entry of [...subscribers]) {
      // A listener that was removed by an earlier listener of the same message is skipped.
      if (!subscribers.has(entry)) continue;
      try {
        entry.fn(parsed.data);
      } catch (err) {
        options.onDropped?.(message, `listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  const anyListeners = (): boolean => [...listeners.values()].some((set) => set.size > 0);

  return {
    async call<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
      let raw: unknown;
      try {
        raw = await bridge.call(method, input);
      } catch (err) {
        return fail('unavailable', `the call ${method} did not reach the core: ${err instanceof Error ? err.message : String(err)}`);
      }
      return parseEnvelope(raw) as Result<MethodOutput<M>>;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new Error(`on: ${String(event)} is not an event of the API contract`);
      // A fresh entry per registration: the same function registered twice is two subscriptions.
      const entry = { fn: listener as AnyListener };
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(entry);
      if (unsubscribeBridge === null) unsubscribeBridge = bridge.on(dispatch);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners.get(event)?.delete(entry);
        if (!anyListeners() && unsubscribeBridge !== null) {
          const off = unsubscribeBridge;
          unsubscribeBridge = null;
          off();
        }
      };
    },
  };
}
