/**
 * The client of an external broker (`--mqtt-url`: Mosquitto, an EMQX cluster…).
 *
 * A persistent session so nothing published while the app is down is lost: a fixed client id
 * (kept in the store), `clean: false`, MQTT 5 with a session expiry (default 7 days, the raw
 * retention window), subscriptions at QoS 1. The broker keeps what arrives meanwhile and
 * delivers it on reconnect. The client acknowledges a message once it is in the ingest buffer,
 * which is written within `flushMs`; on a clean stop the client disconnects first and the
 * buffer is written after, so nothing acknowledged is dropped.
 */
import fs from 'node:fs';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { toShanghaiIso } from '../../../shared/time';
import type { Logger } from '../log';
import { INGEST_TOPICS } from './broker';

export interface ExternalBrokerOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** PEM files for TLS (mqtts://). */
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Accept a server certificate that does not verify (default false). */
  insecure?: boolean | undefined;
  /** 5 (default) or 4 (MQTT 3.1.1, where clean:false sessions never expire on the broker). */
  protocolVersion?: 4 | 5 | undefined;
  sessionExpiryS?: number | undefined;
  reconnectMs?: number | undefined;
}

export type ExternalState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'error';

export interface ExternalBrokerStatus {
  enabled: true;
  url: string;
  clientId: string;
  state: ExternalState;
  lastError: string | null;
  connectedAt: string | null;
  sessionPresent: boolean | null;
}

export interface ExternalBroker {
  status(): ExternalBrokerStatus;
  /** Resolves on the first successful connection (tests wait on it). */
  connected(): Promise<void>;
  close(): Promise<void>;
}

/** The URL without its password, for status and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  }
}

export function connectExternalBroker(opts: ExternalBrokerOptions, log: Logger, onMessage: (topic: string, payload: Buffer) => void): ExternalBroker {
  const shown = redactUrl(opts.url);
  const state: ExternalBrokerStatus = {
    enabled: true,
    url: shown,
    clientId: opts.clientId,
    state: 'connecting',
    lastError: null,
    connectedAt: null,
    sessionPresent: null,
  };
  let resolveFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (resolveFirst = resolve));
  let closing = false;
  let client: MqttClient | null = null;

  const connect = (version: 4 | 5): void => {
    const options: IClientOptions = {
      clientId: opts.clientId,
      clean: false,
      protocolVersion: version,
      rejectUnauthorized: !opts.insecure,
      reconnectPeriod: opts.reconnectMs ?? 2_000,
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: false,
    };
    // MQTT 5 ends a session at disconnect unless it has an expiry; 3.1.1 keeps clean:false sessions.
    if (version === 5) options.properties = { sessionExpiryInterval: opts.sessionExpiryS ?? 7 * 86_400, receiveMaximum: 65_535 };
    if (opts.username !== undefined) options.username = opts.username;
    if (opts.password !== undefined) options.password = opts.password;
    if (opts.caFile) options.ca = fs.readFileSync(opts.caFile);
    if (opts.certFile) options.cert = fs.readFileSync(opts.certFile);
    if (opts.keyFile) options.key = fs.readFileSync(opts.keyFile);
    const c = mqtt.connect(opts.url, options);
    client = c;

    c.on('message', (topic, payload) => onMessage(topic, payload));
    c.on('connect', (connack) => {
      state.state = 'connected';
      state.connectedAt = toShanghaiIso(Date.now());
      state.sessionPresent = connack.sessionPresent;
      state.lastError = null;
      log.info('mqtt.external.connected', { url: shown, clientId: opts.clientId, protocolVersion: version, sessionPresent: connack.sessionPresent });
      // Subscribing again on a resumed session is harmless and repairs a session the broker lost.
      c.subscribe(INGEST_TOPICS, { qos: 1 }, (err, granted) => {
        if (err) {
          state.lastError = `subscribe failed: ${err.message}`;
          log.error('mqtt.external.subscribe_failed', { error: err.message });
        } else if (granted?.some((g) => g.qos !== 1)) {
          state.lastError = 'the broker did not grant QoS 1 on every topic';
          log.warn('mqtt.external.qos_downgraded', { granted });
        }
        resolveFirst();
      });
    });
    c.on('reconnect', () => {
      state.state = 'reconnecting';
    });
    c.on('offline', () => {
      state.state = 'offline';
    });
    c.on('close', () => {
      if (state.state === 'connected') state.state = 'offline';
    });
    c.on('error', (err) => {
      state.lastError = err.message;
      const code = (err as Error & { code?: number }).code;
      // A broker that speaks only MQTT 3.1.1 refuses version 5 (CONNACK 1, or 132 from a v5 broker
      // with it switched off): try again in 3.1.1 unless 5 was asked for explicitly.
      if (version === 5 && opts.protocolVersion === undefined && (code === 1 || code === 132) && !closing) {
        log.warn('mqtt.external.protocol_fallback', { url: shown, to: '3.1.1' });
        c.end(true, () => {
          if (!closing) connect(4);
        });
        return;
      }
      log.warn('mqtt.external.error', { url: shown, error: err.message });
    });
  };

  try {
    connect(opts.protocolVersion ?? 5);
  } catch (err) {
    state.state = 'error';
    state.lastError = err instanceof Error ? err.message : String(err);
    log.error('mqtt.external.invalid', { url: shown, error: state.lastError });
    return { status: () => ({ ...state }), connected: () => Promise.reject(new Error(state.lastError ?? 'invalid')), close: async () => {} };
  }

  return {
    status: () => ({ ...state }),
    connected: () => first,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const c = client;
        if (!c) {
          resolve();
          return;
        }
        // A graceful end waits for our own in-flight packets; a broker that is down would keep it
        // waiting, so it is forced after a few seconds.
        const force = setTimeout(() => c.end(true), 3_000);
        c.end(false, {}, () => {
          clearTimeout(force);
          state.state = 'offline';
          resolve();
        });
      }),
  };
}
