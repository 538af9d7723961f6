/** An ApiClient over the host's WebSocket, for Node-side tests and tools. */
import WebSocket from 'ws';
import {
  events,
  isEventName,
  parseEnvelope,
  type ApiClient,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../shared/api';

export interface NodeWsClient extends ApiClient {
  close(): Promise<void>;
}

export async function connectWs(baseUrl: string): Promise<NodeWsClient> {
  const url = new URL('/api/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: unknown; event?: string; payload?: unknown };
    if (msg.type === 'result' && typeof msg.id === 'number') {
      pending.get(msg.id)?.(parseEnvelope(msg.result));
      pending.delete(msg.id);
    } else if (msg.type === 'event' && typeof msg.event === 'string' && isEventName(msg.event)) {
      const parsed = events[msg.event].payload.safeParse(msg.payload);
      if (!parsed.success) return;
      for (const l of listeners.get(msg.event) ?? []) l(parsed.data);
    }
  });
  return {
    call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
