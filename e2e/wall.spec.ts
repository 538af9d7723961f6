/** The command wall, as a browser attached to the headless host shows it. */
import type { Locator } from '@playwright/test';
import type { BrowserGlobals } from './support/browser';
import { brightFraction, decodePng, inkFraction, type Image, type Rgb } from './support/png';
import { callApi, expect, expectNoOverflow, saveScreenshot, test, useHost, waitForReady } from './support/test';

const host = useHost('wall');

interface Info {
  centreName: string;
  centreNameEn: string;
}

/** The map element's own background colour: what an undrawn map looks like. */
async function backgroundOf(el: Locator): Promise<Rgb> {
  const css = await el.evaluate((node) => (globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }).getComputedStyle(node).backgroundColor);
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) throw new Error(`unexpected background ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Pixels that only the deck.gl layers produce on this dark-blue map: green, yellow, orange, red. */
function warmFraction(img: Image): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const r = img.rgba[i * 4]!;
    const g = img.rgba[i * 4 + 1]!;
    const b = img.rgba[i * 4 + 2]!;
    if (g > b + 12 || r > b + 12) n++;
  }
  return n / (img.width * img.height);
}

test('at 3840×1080 the wall shows the centre, today’s figures and a drawn five-colour map', async ({ page, request }) => {
  await page.setViewportSize({ width: 3840, height: 1080 });
  await page.goto(host().url);
  await waitForReady(page);

  const info = await callApi<Info>(request, host(), 'system.info', {});
  const title = page.getByTestId('centre-name');
  await expect(title).toHaveText(info.centreName);
  await expect(page.getByTestId('mode-badge')).toHaveText('平时');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-conn', 'open');

  // The clock shows Shanghai time although the browser runs in America/New_York (playwright.config.ts).
  const shown = (await page.locator('.clock-time').textContent()) ?? '';
  const [hh, mm] = shown.split(':').map(Number);
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  const diff = Math.abs(shanghaiNow.getUTCHours() * 60 + shanghaiNow.getUTCMinutes() - (hh! * 60 + mm!));
  expect(Math.min(diff, 1440 - diff)).toBeLessThanOrEqual(1);

  // Chinese text really drew: the title's pixels are lit.
  const titleImg = decodePng(await title.screenshot());
  expect(brightFraction(titleImg, 150)).toBeGreaterThan(0.05);

  // The map: maplibre drew the districts and deck.gl the coloured grids and case markers.
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-map-ready', '1');
  const mapImg = decodePng(await map.screenshot());
  expect(inkFraction(mapImg, await backgroundOf(map))).toBeGreaterThan(0.3);
  expect(warmFraction(mapImg)).toBeGreaterThan(0.05);

  for (const kpi of ['reportedToday', 'closedToday', 'open', 'overdue', 'supervised']) {
    await expect(page.getByTestId(`kpi-${kpi}`)).toHaveText(/^[\d,]+/);
  }
  await expect(page.locator('[data-panel="latest"] .latest-row').first()).toBeVisible();
  await expect(page.locator('[data-panel="by-source"] .bar-list li')).toHaveCount(8);
  await expect(page.getByTestId('hourly-chart').locator('canvas')).toBeVisible();
  await expect(page.locator('[data-stale="1"]')).toHaveCount(0);
  await expectNoOverflow(page);
  await saveScreenshot(page, 'wall-3840x1080');
});

test('at 1920×1080 the same wall fits, and ?lang=en switches it to English', async ({ page, request }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host().url}wall?lang=en`);
  await waitForReady(page);
  const info = await callApi<Info>(request, host(), 'system.info', {});
  await expect(page.getByTestId('centre-name')).toHaveText(info.centreNameEn);
  await expect(page.locator('[data-panel="kpi"] h2')).toHaveText('Today at a glance');
  await expect(page.getByTestId('mode-badge')).toHaveText('NORMAL');
  await expectNoOverflow(page);
  await saveScreenshot(page, 'wall-1920x1080-en');

  // The choice is remembered; the toggle switches back.
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).localStorage.getItem('cityops.lang'))).toBe('en');
  await page.getByTestId('lang-toggle').click();
  await expect(page.locator('[data-panel="kpi"] h2')).toHaveText('今日态势');
  await expect(page.getByTestId('centre-name')).toHaveText(info.centreName);
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.lang)).toBe('zh-CN');
  await saveScreenshot(page, 'wall-1920x1080');
});

test('switching to 战时 turns every attached wall red at once', async ({ page, request }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(host().url);
  const badge = page.getByTestId('mode-badge');
  await expect(badge).toHaveText('平时');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-conn', 'open');

  await callApi(request, host(), 'system.setMode', { mode: 'emergency', actor: 'e2e', reason: 'drill' });
  await expect(badge).toHaveText('战时');
  await expect(page.locator('.wall')).toHaveAttribute('data-mode', 'emergency');
  const headerColour = await page.locator('.wall-header').evaluate((el) => (globalThis as unknown as { getComputedStyle(n: unknown): { backgroundImage: string } }).getComputedStyle(el).backgroundImage);
  expect(headerColour).toContain('rgba(120, 10, 20');

  await callApi(request, host(), 'system.setMode', { mode: 'normal', actor: 'e2e', reason: 'drill over' });
  await expect(badge).toHaveText('平时');
});
