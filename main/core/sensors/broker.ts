/**
 * The embedded MQTT broker (aedes) on loopback, so gateways can publish with no other software
 * (`--mqtt-port`, 0 disables it). Ingest subscribes in-process: no extra client, no extra hop.
 */
import net from 'node:net';
import type { Logger } from '../log';

export interface EmbeddedBrokerStatus {
  enabled: boolean;
  listening: boolean;
  host: string | null;
  port: number | null;
  clients: number;
  error: string | null;
}

export interface EmbeddedBroker {
  status(): EmbeddedBrokerStatus;
  /** The port actually bound (useful with port 0 in tests), or null when not listening. */
  readonly port: number | null;
  close(): Promise<void>;
}

/** Topics ingest takes from the embedded broker. */
export const INGEST_TOPICS = ['v1.1/+/Observations', 'v1.0/+/Observations', 'v1.1/Observations', 'v1.0/Observations'];

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 here means "any free port" (tests); the CLI's 0 (disabled) never gets this far. */
  port: number;
  log: Logger;
  onMessage(topic: string, payload: Buffer | string): void;
}

/** Start aedes and listen. Never throws: a port in use is reported in the status. */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const state: EmbeddedBrokerStatus = { enabled: true, listening: false, host: opts.host, port: opts.port, clients: 0, error: null };
  // aedes 1.x is an ES module: a dynamic import works from the bundled CommonJS host too.
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker({ id: 'cityops-embedded' });
  const deliver = (packet: { topic: string; payload: Buffer | string }, done: () => void): void => {
    try {
      opts.onMessage(packet.topic, packet.payload);
    } finally {
      done();
    }
  };
  await Promise.all(INGEST_TOPICS.map((t) => new Promise<void>((resolve) => broker.subscribe(t, deliver, () => resolve()))));
  broker.on('client', () => state.clients++);
  broker.on('clientDisconnect', () => (state.clients = Math.max(0, state.clients - 1)));
  broker.on('clientError', (client, err) => opts.log.debug('mqtt.embedded.client_error', { client: client.id, error: err.message }));

  const server = net.createServer((socket) => broker.handle(socket));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      state.error = err.code === 'EADDRINUSE' ? `port ${opts.port} on ${opts.host} is already in use` : err.message;
      opts.log.error('mqtt.embedded.listen_failed', { host: opts.host, port: opts.port, error: state.error });
      resolve();
    });
    server.listen(opts.port, opts.host, () => {
      const addr = server.address();
      state.port = typeof addr === 'object' && addr ? addr.port : opts.port;
      state.listening = true;
      opts.log.info('mqtt.embedded.listening', { url: `mqtt://${opts.host}:${state.port}` });
      resolve();
    });
  });

  return {
    status: () => ({ ...state }),
    get port() {
      return state.listening ? state.port : null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        const wasListening = server.listening;
        state.listening = false;
        for (const s of sockets) s.destroy();
        const finish = (): void => broker.close(() => resolve());
        if (wasListening) server.close(() => finish());
        else finish();
      }),
  };
}
