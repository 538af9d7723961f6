import { describe, expect, it } from 'vitest';
import type { BasemapStatus } from '../../shared/domain/map';
import {
  basemapOrigins,
  isIntranetOrigin,
  buildCsp,
  isAllowedNavigation,
  isAppUrl,
  isPermissionAllowed,
  isRequestAllowed,
  liveCsp,
  normalizeOrigin,
  redactUrl,
  secureWebPreferences,
  tileTemplateOrigin,
  validateSenderFrame,
  withBasemapOrigins,
} from './security';

describe('isAppUrl', () => {
  it.each([
    ['app://cityops/', true],
    ['app://cityops/console?window=console', true],
    ['app://CITYOPS/assets/x.js', true],
    ['app://cityops', true],
    ['app://evil/', false],
    ['app://cityops.evil/', false],
    ['app://cityops:8080/', false],
    ['app://user:pw@cityops/', false],
    ['http://cityops/', false],
    ['https://127.0.0.1:4870/', false],
    ['file:///etc/passwd', false],
    ['data:text/html,<script>1</script>', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
    expect(isAllowedNavigation(url)).toBe(expected);
  });
});

describe('validateSenderFrame', () => {
  it('accepts the top-level frame of an app:// page', () => {
    expect(validateSenderFrame({ url: 'app://cityops/console', parent: null })).toEqual({ ok: true });
  });
  it('refuses a missing frame', () => {
    expect(validateSenderFrame(null).ok).toBe(false);
    expect(validateSenderFrame(undefined).ok).toBe(false);
  });
  it('refuses sub-frames, even on our origin', () => {
    const check = validateSenderFrame({ url: 'app://cityops/', parent: { url: 'app://cityops/' } });
    expect(check).toEqual({ ok: false, reason: 'calls from sub-frames are not accepted' });
  });
  it('refuses other origins and names them without the path', () => {
    const check = validateSenderFrame({ url: 'https://evil.example.com/steal?token=1', parent: null });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.reason).toContain('https://evil.example.com');
      expect(check.reason).not.toContain('token');
    }
    expect(validateSenderFrame({ url: 'file:///tmp/x.html', parent: null }).ok).toBe(false);
    expect(validateSenderFrame({ url: 'app://other/', parent: null }).ok).toBe(false);
  });
});

describe('permissions', () => {
  it('allows fullscreen and clipboard writes to our pages only', () => {
    expect(isPermissionAllowed('fullscreen', 'app://cityops/')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://cityops/console')).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'https://evil.example.com/')).toBe(false);
  });
  it.each(['media', 'geolocation', 'notifications', 'display-capture', 'hid', 'usb', 'serial', 'clipboard-read', 'openExternal', 'unknown'])(
    'denies %s',
    (permission) => {
      expect(isPermissionAllowed(permission, 'app://cityops/')).toBe(false);
    },
  );
});

describe('normalizeOrigin', () => {
  it.each([
    ['https://tiles.example.cn', 'https://tiles.example.cn'],
    ['HTTPS://Tiles.Example.CN/', 'https://tiles.example.cn'],
    ['http://10.1.2.3:8080', 'http://10.1.2.3:8080'],
    ['http://gateway:80', 'http://gateway'],
    ['https://gateway:443', 'https://gateway'],
    ['wss://video.example.cn:9443', 'wss://video.example.cn:9443'],
    ['ws://[::1]:9000', 'ws://[::1]:9000'],
    ['https://*.cdn.example.cn', 'https://*.cdn.example.cn'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeOrigin(raw)).toBe(expected);
  });
  it.each([
    'tiles.example.cn',
    'ftp://tiles.example.cn',
    'https://tiles.example.cn/path',
    "https://a.cn; script-src 'unsafe-inline'",
    'https://a.cn https://b.cn',
    "'self'",
    '*',
    'https://*',
    'https://a.cn:0',
    'https://a.cn:70000',
    'https://-bad.cn',
    'javascript:alert(1)',
  ])('refuses %s', (raw) => {
    expect(normalizeOrigin(raw)).toBeNull();
  });
});

describe('buildCsp', () => {
  const directives = (csp: string): Map<string, string[]> =>
    new Map(
      csp.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );

  it('is locked to the app itself by default', () => {
    const csp = directives(buildCsp());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('allows blob: workers (maplibre, video players) but no eval or inline script', () => {
    const text = buildCsp();
    const csp = directives(text);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(text).not.toContain('unsafe-eval');
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('adds tile origins to connect and img, video origins to connect, media and img', () => {
    const csp = directives(buildCsp({ tileOrigins: ['https://tiles.example.cn'], videoOrigins: ['http://10.0.0.5:8080', 'ws://10.0.0.5:9000'] }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.example.cn', 'http://10.0.0.5:8080', 'ws://10.0.0.5:9000']);
    expect(csp.get('img-src')).toContain('https://tiles.example.cn');
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'http://10.0.0.5:8080', 'ws://10.0.0.5:9000']);
    expect(csp.get('media-src')).not.toContain('https://tiles.example.cn');
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });

  it('drops invalid origins instead of letting them inject directives', () => {
    const text = buildCsp({ tileOrigins: ["https://a.cn; script-src 'unsafe-inline'", 'https://ok.cn'], videoOrigins: ['*'] });
    expect(text).not.toContain('a.cn');
    expect(text.split(';').length).toBe(buildCsp().split(';').length);
    expect(directives(text).get('script-src')).toEqual(["'self'"]);
    expect(directives(text).get('connect-src')).toEqual(["'self'", 'data:', 'blob:', 'https://ok.cn']);
  });
});

describe('isRequestAllowed', () => {
  const origins = { tileOrigins: ['https://tiles.example.cn', 'https://*.cdn.example.cn'], videoOrigins: ['http://10.0.0.5:8080'] };
  it.each([
    ['app://cityops/index.html', true],
    ['data:image/png;base64,AA', true],
    ['blob:app://cityops/123', true],
    ['https://tiles.example.cn/12/3/4.pbf', true],
    ['https://a.cdn.example.cn/x', true],
    ['https://cdn.example.cn/x', false],
    ['http://tiles.example.cn/x', false],
    ['https://tiles.example.cn:8443/x', false],
    ['http://10.0.0.5:8080/live/1.flv', true],
    ['http://10.0.0.5/live/1.flv', false],
    ['https://evil.example.com/', false],
    ['https://tiles.example.cn.evil.com/', false],
    ['file:///etc/passwd', false],
  ])('%s → %s', (url, expected) => {
    expect(isRequestAllowed(url, origins)).toBe(expected);
  });
});

describe('the basemap’s origins', () => {
  const urlStatus = (tiles: string[]): BasemapStatus => ({
    setting: { kind: 'url', url: tiles[0] ?? '', type: 'raster', tileSize: 256, minzoom: 0, maxzoom: 18, attribution: '' },
    origin: 'settings',
    ok: true,
    message: null,
    source: { name: 'url', type: 'raster', format: 'png', tiles, scheme: 'xyz', tileJson: null, tileSize: 256, minzoom: 0, maxzoom: 18, bounds: null, attribution: null, vectorLayers: [] },
    revision: 2,
  });
  const bundled: BasemapStatus = { setting: { kind: 'bundled' }, origin: 'settings', ok: true, message: null, source: null, revision: 1 };

  it.each([
    ['http://10.1.2.3:8080/xyz/{z}/{x}/{y}.png', 'http://10.1.2.3:8080'],
    ['HTTPS://Tiles.Intranet.GOV.cn:443/wmts/{z}/{y}/{x}?token=abc', 'https://tiles.intranet.gov.cn'],
    ['http://user:pw@gis.local/{z}/{x}/{y}.png', 'http://gis.local'],
    ['http://[fd00::1]:8000/{z}/{x}/{y}.png', 'http://[fd00::1]:8000'],
    ['ftp://gis.local/{z}/{x}/{y}.png', null],
    ['http://{s}.gis.local/{z}/{x}/{y}.png', null],
    ['/tiles/city/{z}/{x}/{y}.png', null],
    ['not a url', null],
  ])('tileTemplateOrigin(%s) → %s', (template, expected) => {
    expect(tileTemplateOrigin(template)).toBe(expected);
  });

  it('are those of an accepted URL basemap only', () => {
    expect(basemapOrigins(urlStatus(['http://10.1.2.3:8080/a/{z}/{x}/{y}.png', 'http://10.1.2.3:8080/b/{z}/{x}/{y}.png']))).toEqual(['http://10.1.2.3:8080']);
    expect(basemapOrigins(bundled)).toEqual([]);
    expect(basemapOrigins({ ...urlStatus(['http://10.1.2.3/{z}/{x}/{y}.png']), source: null })).toEqual([]);
    expect(basemapOrigins(null)).toEqual([]);
  });

  it('open only intranet origins when chosen through the API; the command line opens any', () => {
    const publicUrl = urlStatus(['https://tiles.example.com/{z}/{x}/{y}.png']);
    expect(basemapOrigins(publicUrl)).toEqual([]);
    expect(basemapOrigins({ ...publicUrl, origin: 'cli' })).toEqual(['https://tiles.example.com']);
    for (const intranet of ['http://192.168.3.4', 'http://172.20.0.9:81', 'http://127.0.0.1:8080', 'http://gisserver', 'https://gis.city.internal', 'http://[fd12::3]'])
      expect(basemapOrigins(urlStatus([`${intranet}/{z}/{x}/{y}.png`])), intranet).toEqual([intranet]);
    for (const outside of ['http://8.8.8.8', 'http://172.32.0.1', 'https://evil.example.cn', 'http://[2001:db8::1]'])
      expect(isIntranetOrigin(outside), outside).toBe(false);
  });

  it('join the configured origins while the URL basemap is active, in the CSP and the request filter', () => {
    let status: BasemapStatus = bundled;
    const configured = { tileOrigins: ['https://tiles.example.cn'], videoOrigins: ['http://10.0.0.5:8080'] };
    const origins = withBasemapOrigins(configured, () => status);
    const csp = liveCsp(origins);
    expect(origins()).toBe(configured);
    expect(csp()).toBe(buildCsp(configured));
    expect(isRequestAllowed('http://10.1.2.3:8080/xyz/1/2/3.png', origins())).toBe(false);

    status = urlStatus(['http://10.1.2.3:8080/xyz/{z}/{x}/{y}.png']);
    expect(origins()).toEqual({ tileOrigins: ['https://tiles.example.cn', 'http://10.1.2.3:8080'], videoOrigins: ['http://10.0.0.5:8080'] });
    expect(origins()).toBe(origins());
    const text = csp();
    const connect = text.split(';').find((d) => d.trim().startsWith('connect-src')) ?? '';
    const img = text.split(';').find((d) => d.trim().startsWith('img-src')) ?? '';
    expect(connect).toContain('http://10.1.2.3:8080');
    expect(img).toContain('http://10.1.2.3:8080');
    expect(text.split(';').find((d) => d.trim().startsWith('media-src'))).not.toContain('10.1.2.3');
    expect(isRequestAllowed('http://10.1.2.3:8080/xyz/1/2/3.png', origins())).toBe(true);

    // An origin already configured is not repeated; switching back removes the basemap's.
    status = urlStatus(['https://TILES.example.cn/{z}/{x}/{y}.png']);
    expect(origins()).toBe(configured);
    status = bundled;
    expect(csp()).toBe(buildCsp(configured));
    expect(isRequestAllowed('http://10.1.2.3:8080/xyz/1/2/3.png', origins())).toBe(false);
  });
});

describe('secureWebPreferences', () => {
  it('applies convention 5 to every window', () => {
    for (const role of ['wall', 'console'] as const) {
      const prefs = secureWebPreferences({ preload: '/app/dist/electron/preload.cjs', role, devTools: false });
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        devTools: false,
        preload: '/app/dist/electron/preload.cjs',
        additionalArguments: [`--cityops-role=${role}`],
      });
    }
  });
  it('keeps the wall animating in the background', () => {
    expect(secureWebPreferences({ preload: 'p', role: 'wall', devTools: true }).backgroundThrottling).toBe(false);
    expect(secureWebPreferences({ preload: 'p', role: 'console', devTools: true }).backgroundThrottling).toBe(true);
  });
});

describe('redactUrl', () => {
  it('keeps origin and path, drops query and credentials', () => {
    expect(redactUrl('https://u:p@x.cn/a/b?token=secret#f')).toBe('https://x.cn/a/b');
    expect(redactUrl('nonsense')).toBe('(unparsable URL)');
  });
});
