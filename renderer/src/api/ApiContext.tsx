import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient, EventName, EventPayload } from '../../../shared/api';
import type { ConnectionState } from './connection';
import type { Transport } from './transport';

const TransportContext = createContext<Transport | null>(null);

export function ApiProvider({ transport, children }: { transport: Transport; children: ReactNode }) {
  return <TransportContext.Provider value={transport}>{children}</TransportContext.Provider>;
}

export function useTransport(): Transport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('useTransport outside ApiProvider');
  return t;
}

export function useApi(): ApiClient {
  return useTransport().client;
}

export function useConnectionState(): ConnectionState {
  const { connection } = useTransport();
  return useSyncExternalStore(
    (cb) => connection.subscribe(cb),
    () => connection.get(),
  );
}

/** Subscribe to a pushed event for the component's lifetime; the latest listener is always used. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const client = useApi();
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  });
  useEffect(() => client.on(event, (p) => ref.current(p)), [client, event]);
}

/** Run a callback after the link to the host came back. */
export function useOnReconnect(listener: () => void): void {
  const transport = useTransport();
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  });
  useEffect(() => transport.onReconnect(() => ref.current()), [transport]);
}
