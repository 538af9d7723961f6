/** The state of the link between a renderer and its host, whatever the transport. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionSource {
  get(): ConnectionState;
  /** Called on every change; returns its unsubscribe function. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

/** For transports that cannot lose their link (Electron IPC). */
export const alwaysOpen: ConnectionSource = {
  get: () => 'open',
  subscribe: () => () => undefined,
};
