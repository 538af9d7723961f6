/**
 * The handler registry and event bus: the core's side of the API contract.
 * Transports (HTTP/WS host, Electron IPC) are generic over it: they hand in a method name and raw
 * input and get back a Result envelope; they subscribe to validated events.
 */
import {
  ApiFailure,
  events,
  fail,
  isEventName,
  isMethodName,
  methods,
  ok,
  validationError,
  type EventMessage,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
  type Result,
} from '../../shared/api';
import type { Logger } from './log';

export interface CallContext {
  /** Which transport the call came through. */
  readonly transport: 'http' | 'ws' | 'ipc' | 'internal';
  /** The seat or window that called, for the audit trail. */
  readonly client?: string;
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

type AnyHandler = (input: unknown, ctx: CallContext) => unknown;

export class HandlerRegistry {
  private readonly handlers = new Map<MethodName, AnyHandler>();

  constructor(private readonly log: Logger) {}

  register<M extends MethodName>(name: M, handler: Handler<M>): void {
    if (!isMethodName(name)) throw new Error(`register: ${String(name)} is not in the API contract`);
    if (this.handlers.has(name)) throw new Error(`register: a handler for ${name} is already registered`);
    this.handlers.set(name, handler as AnyHandler);
  }

  has(name: string): boolean {
    return isMethodName(name) && this.handlers.has(name);
  }

  /** Names in the contract that have no handler yet (a startup check). */
  missing(): MethodName[] {
    return (Object.keys(methods) as MethodName[]).filter((m) => !this.handlers.has(m));
  }

  /** Call a method with untrusted input. Never throws. */
  async call(name: string, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isMethodName(name)) return fail('unknown_method', `unknown method: ${name}`);
    const handler = this.handlers.get(name);
    if (!handler) return fail('unavailable', `method ${name} is not available in this build`);
    const def = methods[name];
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) return validationError(parsed.error);
    const started = performance.now();
    try {
      const value = await handler(parsed.data, ctx);
      const out = def.output.safeParse(value);
      if (!out.success) {
        this.log.error('api.output_invalid', { method: name, issue: out.error.issues[0] });
        return fail('internal', `${name} produced an invalid result (logged on the host)`);
      }
      const ms = performance.now() - started;
      if (ms > 200) this.log.warn('api.slow_call', { method: name, ms: Math.round(ms) });
      return ok(out.data);
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err.code, err.message, err.field);
      this.log.error('api.handler_failed', { method: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return fail('internal', `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Typed call for code inside the process (tests, other services). */
  async invoke<M extends MethodName>(name: M, input: unknown, ctx: CallContext = { transport: 'internal' }): Promise<Result<MethodOutput<M>>> {
    return (await this.call(name, input, ctx)) as Result<MethodOutput<M>>;
  }
}

export type EventListener = (message: EventMessage) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) throw new Error(`emit: ${String(name)} is not in the API contract`);
    const parsed = events[name].payload.safeParse(payload);
    if (!parsed.success) {
      this.log.error('api.event_invalid', { event: name, issue: parsed.error.issues[0] });
      return;
    }
    const message: EventMessage = { event: name, payload: parsed.data };
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (err) {
        this.log.error('api.listener_failed', { event: name, error: String(err) });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get size(): number {
    return this.listeners.size;
  }
}
