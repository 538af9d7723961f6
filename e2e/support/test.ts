/**
 * The e2e test object: Playwright's, plus an automatic guard that fails any test whose pages
 * made a request (HTTP or WebSocket) to anything but the local host, and helpers shared by specs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import type { BrowserGlobals } from './browser';
import { startHost, type RunningHost } from './host';
import { SCREENSHOT_DIR } from './paths';

/** Only the local host, and in-page data/blob URLs (maplibre's worker), are allowed. */
export function isLocalUrl(raw: string): boolean {
  const u = new URL(raw);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return (u.protocol === 'http:' || u.protocol === 'ws:') && u.hostname === '127.0.0.1';
}

export interface Fixtures {
  outsideRequests: string[];
  /**
   * Another page in a context of its own, as another display or seat would be (the wall beside the
   * console): watched by the outside-requests guard like the test's page, and closed when the test
   * ends, so no page outlives its test and keeps a later test's machine busy.
   */
  openPage(viewport: { width: number; height: number }): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  openPage: async ({ browser, outsideRequests }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (viewport) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      context.on('request', (r) => {
        if (!isLocalUrl(r.url())) outsideRequests.push(r.url());
      });
      const page = await context.newPage();
      page.on('websocket', (ws) => {
        if (!isLocalUrl(ws.url())) outsideRequests.push(ws.url());
      });
      return page;
    });
    for (const c of contexts) await c.close();
  },
  outsideRequests: [
    async ({ context }, use) => {
      const outside: string[] = [];
      const watch = (page: Page): void => {
        page.on('websocket', (ws) => {
          if (!isLocalUrl(ws.url())) outside.push(ws.url());
        });
      };
      context.on('request', (r) => {
        if (!isLocalUrl(r.url())) outside.push(r.url());
      });
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(outside);
      expect(outside, 'requests to hosts other than 127.0.0.1').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** One host for the spec file that calls this (fresh data directory, demo city). */
export function useHost(name: string): () => RunningHost {
  let host: RunningHost | null = null;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    host = await startHost(name);
  });
  test.afterAll(async () => {
    await host?.stop();
    host = null;
  });
  return () => {
    if (!host) throw new Error('the host is not running (useHost must be called at the top of the spec file)');
    return host;
  };
}

/** Call the API contract over HTTP, as an integrator would; returns the envelope's value. */
export async function callApi<T>(request: APIRequestContext, host: RunningHost, method: string, input: unknown): Promise<T> {
  const res = await request.post(`${host.url}api/call/${method}`, { data: input });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method} failed: ${body.error?.message ?? res.status()}`);
  return body.value as T;
}

/** Save a screenshot as a kept artifact under test-results/screenshots/. */
export async function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Wait for the app's own readiness signal (figures loaded and, on the wall, the first map frame drawn). */
export async function waitForReady(page: Page, timeout = 150_000): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1', { timeout });
}

/** Nothing overflows the viewport: no scrollbars, every panel inside the window. */
export async function expectNoOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const g = globalThis as unknown as BrowserGlobals;
    const de = g.document.documentElement;
    const out: string[] = [];
    if (de.scrollWidth > g.innerWidth || de.scrollHeight > g.innerHeight) out.push(`document ${de.scrollWidth}×${de.scrollHeight}`);
    const panels = g.document.querySelectorAll('[data-panel]');
    for (let i = 0; i < panels.length; i++) {
      const el = panels.item(i)!;
      const r = el.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > g.innerWidth + 0.5 || r.bottom > g.innerHeight + 0.5 || r.width < 40 || r.height < 40) {
        out.push(`${el.getAttribute('data-panel')} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
  expect(overflow).toEqual([]);
}
