/**
 * Picks the transport at boot: the Electron preload's `window.cityops` when present, otherwise a
 * WebSocket to the host that served the page. The rest of the renderer sees only a Transport.
 */
import type { ApiClient } from '../../../shared/api';
import { BRIDGE_VERSION, createBridgeClient, type CityopsBridge } from '../../../shared/api/bridge';
import { alwaysOpen, type ConnectionSource } from './connection';
import { WsClient, wsUrlFor } from './ws';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser. */
    readonly cityops?: CityopsBridge;
  }
}

export interface Transport {
  readonly kind: 'electron' | 'websocket';
  readonly client: ApiClient;
  readonly connection: ConnectionSource;
  /** Called after a lost link came back, so views can refetch what they missed. */
  onReconnect(listener: () => void): () => void;
}

export function createTransport(win: Window): Transport {
  const bridge = win.cityops;
  if (bridge) {
    if (bridge.version !== BRIDGE_VERSION) {
      console.warn(`CityOps: the preload speaks bridge version ${bridge.version}, this renderer ${BRIDGE_VERSION}`);
    }
    return {
      kind: 'electron',
      client: createBridgeClient(bridge, { onDropped: (_m, reason) => console.warn(`CityOps: dropped event: ${reason}`) }),
      connection: alwaysOpen,
      onReconnect: () => () => undefined,
    };
  }
  const ws = new WsClient({ url: wsUrlFor(win.location) });
  return { kind: 'websocket', client: ws, connection: ws, onReconnect: (l) => ws.onReconnect(l) };
}
