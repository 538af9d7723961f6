/**
 * The API contract over Electron IPC, main side: one invoke channel for calls and one push
 * channel for events (DESIGN.md conventions 2–3). Every call is checked for its sender (the
 * top-level frame of one of our windows, on app://cityops) and its shape before it reaches the
 * core's registry, which validates the input against the method's schema.
 *
 * Written against the small IpcMainLike / WebContentsLike interfaces: Electron's ipcMain and
 * WebContents satisfy them, and the tests pass an in-process stand-in.
 */
import { z } from 'zod';
import { fail, type EventMessage, type Result } from '../../shared/api';
import type { WindowRole } from '../../shared/api/bridge';
import type { EventBus, HandlerRegistry } from '../core/registry';
import type { Logger } from '../core/log';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from './channels';
import { validateSenderFrame, type SenderCheck, type SenderFrameLike } from './security';

/** The part of an IpcMainInvokeEvent that is read. */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrameLike | null;
}

export type IpcInvokeListener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

/** The part of Electron's ipcMain that is used. */
export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeListener): void;
  removeHandler(channel: string): void;
}

/** The part of Electron's WebContents that is used. */
export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** What a renderer sends on the call channel. */
export const ipcCallRequestSchema = z
  .object({
    method: z.string().min(1).max(200),
    input: z.unknown(),
  })
  .strict();
export type IpcCallRequest = z.infer<typeof ipcCallRequestSchema>;

export interface IpcBinding {
  /** Accept calls from, and push events to, this window's web contents. Returns detach. */
  attach(contents: WebContentsLike, role: WindowRole): () => void;
  /** The role of an attached web contents. */
  roleOf(contentsId: number): WindowRole | undefined;
  /** How many web contents are attached. */
  readonly size: number;
  /** Remove the IPC handler and the bus subscription. */
  close(): void;
}

export interface IpcBindingOptions {
  registry: Pick<HandlerRegistry, 'call'>;
  bus: Pick<EventBus, 'subscribe'>;
  ipcMain: IpcMainLike;
  log: Logger;
}

export function bindIpc(opts: IpcBindingOptions): IpcBinding {
  const { registry, bus, ipcMain, log } = opts;
  const attached = new Map<number, { contents: WebContentsLike; role: WindowRole }>();

  const handleCall = async (event: IpcInvokeEventLike, request: unknown): Promise<Result<unknown>> => {
    const window = attached.get(event.sender.id);
    const senderCheck: SenderCheck = window ? validateSenderFrame(event.senderFrame) : { ok: false, reason: 'the sender is not one of our windows' };
    if (!window || !senderCheck.ok) {
      const reason = senderCheck.ok ? 'the sender is not one of our windows' : senderCheck.reason;
      log.warn('electron.ipc_forbidden', { contentsId: event.sender.id, reason });
      return fail('forbidden', `IPC call refused: ${reason}`);
    }
    const parsed = ipcCallRequestSchema.safeParse(request);
    if (!parsed.success) return fail('validation', 'malformed IPC request: expected {method: string, input}');
    try {
      return await registry.call(parsed.data.method, parsed.data.input, { transport: 'ipc', client: window.role });
    } catch (err) {
      // registry.call never throws; this guards the envelope promise of convention 3 anyway.
      log.error('electron.ipc_call_failed', { method: parsed.data.method, error: err instanceof Error ? err.message : String(err) });
      return fail('internal', `${parsed.data.method} failed in the main process (logged)`);
    }
  };

  ipcMain.handle(IPC_CALL_CHANNEL, (event, ...args) => handleCall(event, args[0]));

  const push = (message: EventMessage): void => {
    for (const [id, { contents }] of attached) {
      if (contents.isDestroyed()) {
        attached.delete(id);
        continue;
      }
      try {
        contents.send(IPC_EVENT_CHANNEL, message);
      } catch (err) {
        // A renderer that is reloading or gone: it catches up on the next event.
        log.debug('electron.ipc_push_failed', { contentsId: id, event: message.event, error: String(err) });
      }
    }
  };
  const unsubscribe = bus.subscribe(push);

  let closed = false;
  return {
    attach(contents, role) {
      attached.set(contents.id, { contents, role });
      return () => {
        if (attached.get(contents.id)?.contents === contents) attached.delete(contents.id);
      };
    },
    roleOf: (id) => attached.get(id)?.role,
    get size() {
      return attached.size;
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      ipcMain.removeHandler(IPC_CALL_CHANNEL);
      attached.clear();
    },
  };
}
