/**
 * Electron hardening (DESIGN.md convention 5): the pure decisions (which URLs are ours, which
 * permissions and network origins are allowed, the CSP, the web preferences) and the small
 * functions that apply them to sessions and web contents. Only type imports from 'electron',
 * so the decisions are unit-tested without the binary.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import type { Logger } from '../core/log';
import type { WindowRole } from '../../shared/api/bridge';
import type { BasemapStatus } from '../../shared/domain/map';
import { APP_HOST, APP_SCHEME, ROLE_ARG_PREFIX } from './channels';

/** True when `url` is on our app://cityops origin (no credentials, no port). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The part of Electron's WebFrameMain the sender check reads. */
export interface SenderFrameLike {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

export type SenderCheck = { ok: true } | { ok: false; reason: string };

/**
 * An IPC call is accepted only from the top-level frame of a page on our app:// origin: not
 * from an iframe, not from a page that navigated elsewhere, not from a destroyed frame.
 */
export function validateSenderFrame(frame: SenderFrameLike | null | undefined): SenderCheck {
  if (!frame) return { ok: false, reason: 'the sending frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'calls from sub-frames are not accepted' };
  if (!isAppUrl(frame.url)) return { ok: false, reason: `calls from ${describeOrigin(frame.url)} are not accepted` };
  return { ok: true };
}

function describeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** Navigation stays inside the app; everything else is blocked. */
export const isAllowedNavigation = (url: string): boolean => isAppUrl(url);

/**
 * Permissions a page of ours may get. Everything else (camera, microphone, geolocation,
 * notifications, HID/USB/serial, display capture, …) is denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

const ORIGIN_RE = /^(https?|wss?):\/\/(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/;

/**
 * Normalise an operator-configured origin (`https://tiles.example.cn`, `http://10.1.2.3:8080`,
 * `https://*.cdn.example.cn`, `ws://gateway:9000`). Returns null for anything else, so that a
 * configuration value can never inject CSP syntax (spaces, quotes, semicolons, paths).
 */
export function normalizeOrigin(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  const match = ORIGIN_RE.exec(value);
  if (!match) return null;
  const [, scheme, wildcard = '', host = '', , , , port] = match;
  const portNumber = port === undefined ? null : Number(port.slice(1));
  if (portNumber !== null && (portNumber < 1 || portNumber > 65535)) return null;
  const defaultPort = scheme === 'https' || scheme === 'wss' ? 443 : 80;
  const portPart = portNumber === null || portNumber === defaultPort ? '' : `:${portNumber}`;
  return `${scheme}://${wildcard}${host}${portPart}`;
}

export interface NetworkOrigins {
  /** Map tile servers: fetched (connect-src) and drawn (img-src). */
  readonly tileOrigins: readonly string[];
  /** Video gateways (HLS, HTTP-FLV, WebSocket-FLV, MP4): fetched, played and posters. */
  readonly videoOrigins: readonly string[];
}

export const NO_ORIGINS: NetworkOrigins = { tileOrigins: [], videoOrigins: [] };

/**
 * The Content-Security-Policy every app:// response carries. Scripts only from the app itself;
 * workers also from blob: (maplibre and the video players start their workers from blob URLs);
 * network access only to the app and the configured tile/video origins (`data:` and `blob:`
 * are in-memory and cannot reach the network).
 */
export function buildCsp(origins: NetworkOrigins = NO_ORIGINS): string {
  const clean = (list: readonly string[]): string[] => [
    ...new Set(list.map(normalizeOrigin).filter((o): o is string => o !== null)),
  ];
  const tiles = clean(origins.tileOrigins);
  const video = clean(origins.videoOrigins);
  const join = (...parts: string[]): string => [...new Set(parts)].join(' ');
  const directives: Array<[string, string]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', join("'self'", 'data:', 'blob:', ...tiles, ...video)],
    ['font-src', "'self' data:"],
    ['connect-src', join("'self'", 'data:', 'blob:', ...tiles, ...video)],
    ['media-src', join("'self'", 'blob:', ...video)],
    ['worker-src', "'self' blob:"],
    ['child-src', "'self' blob:"],
    ['frame-src', "'none'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * The origin of a tile URL template (`http://10.1.2.3:8080/wmts/{z}/{x}/{y}.png` →
 * `http://10.1.2.3:8080`), normalised by normalizeOrigin; null when there is none that can be
 * allowed (not http(s), a placeholder such as {s} in the host, unparsable).
 */
export function tileTemplateOrigin(template: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(template.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return normalizeOrigin(`${parsed.protocol}//${parsed.host}`);
}

/**
 * Whether an origin is on the local network: a private, loopback or link-local address, a
 * single-label host name, or a name under .local/.lan/.internal/.intranet/.corp/.home.arpa.
 */
export function isIntranetOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host === 'localhost' || !host.includes('.')) return true;
  return /\.(local|lan|internal|intranet|corp|home\.arpa)$/.test(host);
}

/**
 * The origins a basemap status needs the renderer to reach: those of an intranet URL basemap
 * (XYZ/TMS/WMTS template) that the core accepted; none for the bundled style, a tile file
 * (served over app://) or a URL the core refused. A URL chosen through the API (any page may call
 * map.basemap.set) opens only intranet origins; one given on the command line (the operator's
 * --basemap) opens its origin whatever it is; others must be listed in network.json.
 */
export function basemapOrigins(status: Pick<BasemapStatus, 'setting' | 'source' | 'origin'> | null | undefined): string[] {
  if (!status || status.setting.kind !== 'url' || !status.source) return [];
  const out: string[] = [];
  for (const template of status.source.tiles) {
    const origin = tileTemplateOrigin(template);
    if (origin === null || out.includes(origin)) continue;
    if (status.origin === 'cli' || isIntranetOrigin(origin)) out.push(origin);
  }
  return out;
}

/**
 * The configured origins plus those of the current basemap, read on every call, so switching
 * the basemap through the API (map.basemap.set) applies to the next response and request. The
 * same object is returned while nothing changes.
 */
export function withBasemapOrigins(configured: NetworkOrigins, basemap: () => Pick<BasemapStatus, 'setting' | 'source' | 'origin'> | null): () => NetworkOrigins {
  let key: string | null = null;
  let value: NetworkOrigins = configured;
  return () => {
    const extra = basemapOrigins(basemap()).filter((o) => !configured.tileOrigins.includes(o));
    const nextKey = extra.join(' ');
    if (nextKey !== key) {
      key = nextKey;
      value = extra.length === 0 ? configured : { tileOrigins: [...configured.tileOrigins, ...extra], videoOrigins: configured.videoOrigins };
    }
    return value;
  };
}

/** buildCsp over origins that may change, rebuilt only when they do (for the app:// handler). */
export function liveCsp(origins: () => NetworkOrigins): () => string {
  let last: NetworkOrigins | null = null;
  let csp = '';
  return () => {
    const current = origins();
    if (current !== last) {
      last = current;
      csp = buildCsp(current);
    }
    return csp;
  };
}

/** Whether a request the renderer makes to the network may leave the machine. */
export function isRequestAllowed(url: string, origins: NetworkOrigins): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme === APP_SCHEME || scheme === 'data' || scheme === 'blob' || scheme === 'devtools') return true;
  if (!['http', 'https', 'ws', 'wss'].includes(scheme)) return false;
  const host = parsed.hostname.toLowerCase();
  const port = parsed.port;
  for (const raw of [...origins.tileOrigins, ...origins.videoOrigins]) {
    const origin = normalizeOrigin(raw);
    if (origin === null) continue;
    const match = ORIGIN_RE.exec(origin);
    if (!match) continue;
    const [, oScheme, wildcard, oHost, , , , oPort] = match;
    if (oScheme !== scheme) continue;
    if ((oPort ?? '').slice(1) !== port) continue;
    if (oHost === undefined) continue;
    if (wildcard ? host.endsWith(`.${oHost}`) : host === oHost) return true;
  }
  return false;
}

/** The web preferences of every window: isolation, sandbox, no Node, no <webview>. */
export function secureWebPreferences(opts: { preload: string; role: WindowRole; devTools: boolean }): WebPreferences {
  return {
    preload: opts.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: opts.devTools,
    // A wall keeps animating when it is not focused (it rarely is).
    backgroundThrottling: opts.role === 'console',
    additionalArguments: [`${ROLE_ARG_PREFIX}${opts.role}`],
  };
}

/**
 * Apply the per-web-contents rules: no new windows, no navigation away from app://, no
 * <webview>. Called for every web contents the app creates (app 'web-contents-created').
 */
export function hardenWebContents(contents: WebContents, log: Logger): void {
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('electron.window_open_denied', { url: redactUrl(url) });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn('electron.navigation_blocked', { url: redactUrl(event.url) });
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn('electron.frame_navigation_blocked', { url: redactUrl(event.url) });
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log.warn('electron.redirect_blocked', { url: redactUrl(event.url) });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('electron.webview_blocked');
  });
}

/**
 * Apply the per-session rules: the permission handlers and the network allow-list (a function:
 * read for every request, so a basemap switched at run time is reachable at once).
 */
export function hardenSession(session: Session, origins: NetworkOrigins | (() => NetworkOrigins), log: Logger): void {
  const current = typeof origins === 'function' ? origins : (): NetworkOrigins => origins;
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl || contents.getURL());
    if (!allowed) log.warn('electron.permission_denied', { permission, url: redactUrl(details.requestingUrl) });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    const allowed = isRequestAllowed(details.url, current());
    if (!allowed) log.warn('electron.request_blocked', { url: redactUrl(details.url) });
    callback({ cancel: !allowed });
  });
}

/** Origin and path only: query strings may carry tokens. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
