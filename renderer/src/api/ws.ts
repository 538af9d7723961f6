/**
 * The WebSocket transport of the API contract, for browsers attached to the headless host.
 *
 * Protocol (main/host/server.ts): the client sends `{id, method, input}`; the host answers
 * `{type:'result', id, result}` and pushes `{type:'event', event, payload}` to every client.
 *
 * - Reconnects with exponential back-off (with jitter) for as long as the client lives.
 * - Calls made while the link is down are queued and sent once it is back.
 * - Calls in flight when the link drops: read-only methods are sent again after reconnecting;
 *   methods that change state fail with `unavailable` (they may or may not have been applied,
 *   and sending them twice could apply them twice).
 * - Event listeners outlive reconnections: the host pushes every event to every client, so the
 *   subscriptions are replayed simply by keeping them; `onReconnect` lets screens refetch what
 *   they may have missed while the link was down.
 * - Results are parsed with the method's output schema and events with their payload schema.
 */
import {
  events,
  fail,
  isEventName,
  methods,
  parseEnvelope,
  type ApiClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../../shared/api';
import type { ConnectionSource, ConnectionState } from './connection';

/** The part of the browser's WebSocket this client uses (so tests can pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay, ms (default 500); doubles up to maxDelayMs (default 10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A call without an answer after this long fails with `unavailable` (default 30 s). */
  callTimeoutMs?: number;
  /** Source of randomness for the back-off jitter (tests pass a constant). */
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface PendingCall {
  id: number;
  method: MethodName;
  input: unknown;
  sent: boolean;
  timer: unknown;
  resolve: (r: Result<unknown>) => void;
}

const OPEN = 1;

export class WsClient implements ApiClient, ConnectionSource {
  private socket: SocketLike | null = null;
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private disposed = false;
  private everOpened = false;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly opts: Required<WsClientOptions>;

  constructor(options: WsClientOptions) {
    this.opts = {
      createSocket: (url) => new WebSocket(url),
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      callTimeoutMs: 30_000,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.connect();
  }

  // ---- ConnectionSource
  get(): ConnectionState {
    return this.state;
  }

  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called after the link came back (not on the first connection). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  // ---- ApiClient
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
    if (this.disposed) return Promise.resolve(fail('unavailable', 'the client is closed'));
    return new Promise<Result<unknown>>((resolve) => {
      const id = this.nextId++;
      const call: PendingCall = { id, method, input, sent: false, timer: null, resolve };
      call.timer = this.opts.setTimer(() => this.settle(id, fail('unavailable', `no answer to ${method} within ${this.opts.callTimeoutMs} ms`)), this.opts.callTimeoutMs);
      this.pending.set(id, call);
      if (this.state === 'open') this.send(call);
    }).then((raw) => this.parseOutput(method, raw));
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  /** Close for good: pending calls fail, no more reconnects. */
  close(): void {
    this.disposed = true;
    if (this.reconnectTimer !== null) this.opts.clearTimer(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const id of [...this.pending.keys()]) this.settle(id, fail('unavailable', 'the client was closed'));
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.close(1000, 'client closed');
    }
    this.setState('closed');
  }

  // ---- internals
  private connect(): void {
    if (this.disposed) return;
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const wasReconnect = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.setState('open');
      for (const call of this.pending.values()) if (!call.sent) this.send(call);
      if (wasReconnect) for (const l of [...this.reconnectListeners]) l();
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket && typeof ev.data === 'string') this.receive(ev.data);
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.dropInFlight();
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    this.setState('reconnecting');
    const base = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + 0.5 * this.opts.random()));
    this.attempt++;
    this.reconnectTimer = this.opts.setTimer(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** The link dropped: resend read-only calls later, fail the ones that change state. */
  private dropInFlight(): void {
    for (const call of [...this.pending.values()]) {
      if (!call.sent) continue;
      if (methods[call.method].mutates) {
        this.settle(call.id, fail('unavailable', `the connection was lost during ${call.method}; its outcome is unknown`));
      } else {
        call.sent = false;
      }
    }
  }

  private send(call: PendingCall): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return;
    try {
      socket.send(JSON.stringify({ id: call.id, method: call.method, input: call.input }));
      call.sent = true;
    } catch {
      // The close event will follow and the call stays queued.
    }
  }

  private receive(data: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { type?: unknown; id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (m.type === 'result' && typeof m.id === 'number') {
      this.settle(m.id, parseEnvelope(m.result));
    } else if (m.type === 'event' && typeof m.event === 'string' && isEventName(m.event)) {
      this.dispatch(m.event, m.payload);
    }
  }

  private dispatch(event: EventName, raw: unknown): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    const parsed = events[event].payload.safeParse(raw);
    if (!parsed.success) return;
    for (const l of [...set]) {
      try {
        l(parsed.data);
      } catch (err) {
        console.error(`listener of ${event} failed`, err);
      }
    }
  }

  private settle(id: number, result: Result<unknown>): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.opts.clearTimer(call.timer);
    call.resolve(result);
  }

  private parseOutput<M extends MethodName>(method: M, raw: Result<unknown>): Result<MethodOutput<M>> {
    if (!raw.ok) return raw;
    const parsed = methods[method].output.safeParse(raw.value);
    if (!parsed.success) return fail('internal', `the answer to ${method} does not match its schema`);
    return { ok: true, value: parsed.data as MethodOutput<M> };
  }

  private setState(next: ConnectionState): void {
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.stateListeners]) l(next);
  }
}

/** The host's WebSocket endpoint for a page served by it. */
export function wsUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
}
