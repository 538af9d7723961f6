/**
 * The situation map (issue 4) in Chromium against the headless host: it draws with no request
 * leaving 127.0.0.1, drills down from the city to a grid and back (the side panels follow), the
 * time control changes what is drawn, a PMTiles basemap written here is shown, and a corrupt one
 * falls back to the bundled style with a message.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { writeTestPmtiles } from '../main/testing/tiles';
import type { BrowserGlobals } from './support/browser';
import { decodePng, inkFraction, type Image } from './support/png';
import { callApi, expect, isLocalUrl, saveScreenshot, test, useHost, waitForReady } from './support/test';

const host = useHost('map');

interface Area {
  id: string;
  name: string;
  level: string;
  centroid: [number, number];
  bbox: [number, number, number, number];
}
interface CaseItem {
  gridId: string | null;
}

/** Every layer but the areas and grids off (clicks then land on the areas), or all back on. */
const POINT_LAYERS = ['cases', 'cameras', 'sensors', 'forces', 'alarms', 'arcs', 'warnings', 'heat'] as const;
async function pointLayers(page: Page, visible: boolean): Promise<void> {
  const layers = Object.fromEntries(POINT_LAYERS.map((k) => [k, { visible: visible && k !== 'heat' }]));
  await callApi(page.request, host(), 'map.state.update', { layers, actor: 'e2e' });
}

const mercX = (lon: number, zoom: number): number => ((lon + 180) / 360) * 512 * 2 ** zoom;
const mercY = (lat: number, zoom: number): number => {
  const phi = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2) * 512 * 2 ** zoom;
};

/** Where a lon/lat is on the page, from the map's own data-view (centre and zoom, no rotation or pitch). */
async function pagePoint(map: Locator, lon: number, lat: number): Promise<{ x: number; y: number }> {
  const view = (await map.getAttribute('data-view')) ?? '';
  const [clon, clat, zoom] = view.split(',').map(Number);
  const box = await map.boundingBox();
  if (!box || zoom === undefined || clon === undefined || clat === undefined) throw new Error(`no map view (${view})`);
  return { x: box.x + box.width / 2 + (mercX(lon, zoom) - mercX(clon, zoom)), y: box.y + box.height / 2 + (mercY(lat, zoom) - mercY(clat, zoom)) };
}

/** Wait until the map has moved (data-view changed) and settled (no movement, frame drawn). */
async function settled(map: Locator, previousView: string | null): Promise<void> {
  if (previousView !== null) await expect(map).not.toHaveAttribute('data-view', previousView);
  await expect(map).toHaveAttribute('data-moving', '0');
}

/** The scene for the current time selection is drawn (the drawn key caught up with the data's key). */
async function drawn(page: Page): Promise<void> {
  const frame = page.getByTestId('situation-map');
  await expect
    .poll(async () => {
      const key = await frame.getAttribute('data-frame-key');
      return key !== null && (await page.getByTestId('map').getAttribute('data-drawn-key')) === key;
    })
    .toBe(true);
}

function magentaFraction(img: Image): number {
  let n = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const r = img.rgba[i * 4]!;
    const g = img.rgba[i * 4 + 1]!;
    const b = img.rgba[i * 4 + 2]!;
    if (r > 120 && b > 120 && g < 90) n++;
  }
  return n / (img.width * img.height);
}

const BACKGROUND: [number, number, number] = [3, 12, 28];

test('the map draws with every request on 127.0.0.1, then drills down from the city to a grid and back', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.setViewportSize({ width: 3840, height: 1080 });
  await page.goto(host().url);
  await waitForReady(page);
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-map-ready', '1');
  await drawn(page);

  // The request log: the page, its scripts, the API (HTTP and WebSocket), nothing else; no glyphs or sprites.
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((u) => !isLocalUrl(u))).toEqual([]);
  expect(requests.filter((u) => /glyph|sprite|\.pbf/.test(u))).toEqual([]);

  const img = decodePng(await map.screenshot());
  expect(inkFraction(img, BACKGROUND)).toBeGreaterThan(0.3);
  await expect(page.getByTestId('map-legend')).toBeVisible();
  await saveScreenshot(page, 'map-wall-3840x1080');

  // A grid with cases, near the middle of its district (so no overlay covers it at any level), and the areas above it.
  const { items } = await callApi<{ items: CaseItem[] }>(page.request, host(), 'cases.list', { limit: 40, states: ['accepted'] });
  let best: { chain: Area[]; score: number } | null = null;
  for (const gridId of [...new Set(items.map((c) => c.gridId).filter((g): g is string => g !== null))].slice(0, 12)) {
    const { area: grid, ancestors } = await callApi<{ area: Area; ancestors: Area[] }>(page.request, host(), 'areas.get', { id: gridId });
    const district = ancestors.find((a) => a.level === 'district')!;
    const [w, s, e, n] = district.bbox;
    const score = Math.hypot((grid.centroid[0] - (w + e) / 2) / (e - w), (grid.centroid[1] - (s + n) / 2) / (n - s));
    if (!best || score < best.score) best = { chain: [...ancestors.filter((a) => a.level !== 'city'), grid], score };
  }
  const chain = best!.chain;
  expect(chain.map((a) => a.level)).toEqual(['district', 'town', 'community', 'grid']);
  const target = { lon: chain[3]!.centroid[0], lat: chain[3]!.centroid[1] };

  await pointLayers(page, false);
  await drawn(page);
  const frame = page.getByTestId('situation-map');
  for (const area of chain) {
    const before = await map.getAttribute('data-view');
    const p = await pagePoint(map, target.lon, target.lat);
    await page.mouse.click(p.x, p.y);
    await expect(frame).toHaveAttribute('data-area', area.id);
    await expect(frame).toHaveAttribute('data-area-level', area.level);
    await settled(map, before);
    await drawn(page);
    // The side panels follow the area.
    await expect(page.getByTestId('kpi-scope')).toHaveText(area.name);
    await expect(page.getByTestId(`crumb-${area.level}`)).toHaveText(area.name);
  }
  await expect(page.getByTestId('map-card')).toHaveAttribute('data-kind', 'area');
  await drawn(page);
  await saveScreenshot(page, 'map-wall-grid');

  // One level up, then back to the city.
  let before = await map.getAttribute('data-view');
  await page.getByTestId('crumb-up').click();
  await expect(frame).toHaveAttribute('data-area', chain[2]!.id);
  await settled(map, before);
  before = await map.getAttribute('data-view');
  await page.getByTestId('crumb-city').click();
  await expect(frame).toHaveAttribute('data-area', '');
  await expect(frame).toHaveAttribute('data-area-level', 'city');
  await settled(map, before);
  await expect(page.getByTestId('kpi-scope')).toHaveCount(0);
  await pointLayers(page, true);
});

test('the time control changes what is drawn: a past moment, a window, and back to live', async ({ page }) => {
  await page.setViewportSize({ width: 3840, height: 1080 });
  await page.goto(host().url);
  await waitForReady(page);
  await callApi(page.request, host(), 'map.state.update', { layers: { heat: { visible: true } }, time: { mode: 'live' }, actor: 'e2e' });
  const frame = page.getByTestId('situation-map');
  const map = page.getByTestId('map');
  await expect(frame).toHaveAttribute('data-heat-count', /\d+/);
  await drawn(page);
  const live = { digest: await frame.getAttribute('data-case-digest'), heat: Number(await frame.getAttribute('data-heat-count')), img: decodePng(await map.screenshot()) };
  expect(live.digest).toMatch(/^\d+-/);

  // A moment about four weeks ago, from the slider (Home = 30 days back, PageUp = 3 days later).
  const slider = page.getByTestId('time-slider');
  await slider.press('Home');
  await expect(slider).toHaveValue('0');
  await slider.press('PageUp');
  await expect(slider).not.toHaveValue('0');
  await expect(frame).toHaveAttribute('data-time-mode', 'moment');
  await expect(page.getByTestId('time-label')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(frame).not.toHaveAttribute('data-case-digest', live.digest!);
  await drawn(page);
  const past = { digest: await frame.getAttribute('data-case-digest'), img: decodePng(await map.screenshot()) };
  expect(past.digest).not.toBe(live.digest);
  // The pixels changed too (other cases, other density).
  let diff = 0;
  for (let i = 0; i < past.img.rgba.length; i += 4) if (Math.abs(past.img.rgba[i]! - live.img.rgba[i]!) + Math.abs(past.img.rgba[i + 1]! - live.img.rgba[i + 1]!) > 40) diff++;
  expect(diff / (past.img.width * past.img.height)).toBeGreaterThan(0.002);
  await saveScreenshot(page, 'map-wall-moment');

  // A window: the last 24 hours (density of that window, not of the last 7 days).
  await page.getByTestId('time-window-24h').click();
  await expect(frame).toHaveAttribute('data-time-mode', 'window');
  await expect.poll(async () => Number(await frame.getAttribute('data-heat-count'))).toBeLessThan(live.heat);
  await drawn(page);

  await page.getByTestId('time-live').click();
  await expect(frame).toHaveAttribute('data-time-mode', 'live');
  await expect(frame).toHaveAttribute('data-case-digest', live.digest!);
  await callApi(page.request, host(), 'map.state.update', { layers: { heat: { visible: false } }, actor: 'e2e' });
});

test('a PMTiles basemap written here is shown under the overlays; a corrupt one falls back with a message', async ({ page }) => {
  const dir = path.join(host().dataDir, 'basemaps');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'e2e-raster.pmtiles');
  writeTestPmtiles(file, { bounds: [119.6, 29.9, 120.7, 30.7], minzoom: 6, maxzoom: 11, name: 'e2e raster' });

  await page.setViewportSize({ width: 3840, height: 1080 });
  await page.goto(host().url);
  await waitForReady(page);
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-basemap', 'bundled');
  expect(magentaFraction(decodePng(await map.screenshot()))).toBeLessThan(0.001);

  const status = await callApi<{ ok: boolean; source: { name: string; tileJson: string } }>(page.request, host(), 'map.basemap.set', { setting: { kind: 'file', path: file }, actor: 'e2e' });
  expect(status.ok).toBe(true);
  const tj = await page.request.get(new URL(status.source.tileJson, host().url).href);
  expect(tj.status()).toBe(200);
  expect(((await tj.json()) as { tiles: string[] }).tiles[0]).toContain('/tiles/e2e-raster/');

  await expect(map).toHaveAttribute('data-basemap', 'e2e-raster');
  await expect(map).toHaveAttribute('data-basemap-loaded', '1');
  const withTiles = decodePng(await map.screenshot());
  expect(magentaFraction(withTiles)).toBeGreaterThan(0.03);
  // The overlays stay: the five-colour grids and the case markers are still drawn over the tiles.
  await expect(page.getByTestId('situation-map')).toHaveAttribute('data-case-count', /\d+/);
  await saveScreenshot(page, 'map-wall-pmtiles');

  const broken = path.join(dir, 'broken.pmtiles');
  fs.writeFileSync(broken, Buffer.concat([Buffer.from('PMTiles'), Buffer.from([3]), Buffer.alloc(60, 0xff)]));
  const bad = await callApi<{ ok: boolean; message: string }>(page.request, host(), 'map.basemap.set', { setting: { kind: 'file', path: broken }, actor: 'e2e' });
  expect(bad.ok).toBe(false);
  await expect(page.getByTestId('basemap-message')).toContainText('broken.pmtiles');
  await expect(map).toHaveAttribute('data-basemap', 'bundled');
  await expect.poll(async () => magentaFraction(decodePng(await map.screenshot()))).toBeLessThan(0.001);
  expect(inkFraction(decodePng(await map.screenshot()), BACKGROUND)).toBeGreaterThan(0.3);
  await saveScreenshot(page, 'map-wall-basemap-fallback');

  await callApi(page.request, host(), 'map.basemap.set', { setting: { kind: 'bundled' }, actor: 'e2e' });
  await expect(page.getByTestId('basemap-message')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('[data-testid="map"]').length)).toBe(1);
});

test("the console's map tab: the layer panel and the preview drive every wall", async ({ page, openPage }) => {
  // The wall, in its own page, as on the video wall.
  const wall = await openPage({ width: 3840, height: 1080 });
  await wall.goto(host().url);
  await waitForReady(wall);
  const wallFrame = wall.getByTestId('situation-map');
  await expect(wallFrame).toHaveAttribute('data-layers', /\bcameras\b/);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host().url}console#map`);
  const tab = page.getByTestId('map-tab');
  await expect(tab).toBeVisible();
  const panel = tab.getByTestId('layer-panel');
  const preview = tab.getByTestId('situation-map');
  await expect(preview).toHaveAttribute('data-layers', /\bcameras\b/);

  // A layer switched off in the panel goes off on the wall and in the preview.
  // (The checkbox shows the shared state: it changes once the host has taken the change.)
  await panel.getByTestId('toggle-cameras').click();
  await expect(panel.getByTestId('toggle-cameras')).not.toBeChecked();
  await expect(wallFrame).not.toHaveAttribute('data-layers', /\bcameras\b/);
  await expect(preview).not.toHaveAttribute('data-layers', /\bcameras\b/);
  const state = await callApi<{ state: { layers: { cameras: { visible: boolean } } } }>(page.request, host(), 'map.state.get', {});
  expect(state.state.layers.cameras.visible).toBe(false);

  // The panel's time control: a 24-hour window on the wall, then live again.
  await panel.getByTestId('lp-time').getByTestId('time-window-24h').click();
  await expect(wallFrame).toHaveAttribute('data-time-mode', 'window');
  await expect(preview).toHaveAttribute('data-time-mode', 'window');
  await panel.getByTestId('lp-time').getByTestId('time-live').click();
  await expect(wallFrame).toHaveAttribute('data-time-mode', 'live');

  // The panel's search flies every wall to an area: 余杭区 picked here is the wall's area.
  await panel.getByTestId('map-search').locator('input').fill('余杭');
  await panel.getByTestId('map-search').locator('li[data-kind="area"]').first().click();
  await expect(wallFrame).toHaveAttribute('data-area-level', 'district');
  await expect(preview).toHaveAttribute('data-area', (await wallFrame.getAttribute('data-area'))!);
  await expect(panel.getByTestId('lp-area')).toContainText('余杭');
  await expect(tab.getByTestId('map')).toHaveAttribute('data-map-ready', '1', { timeout: 60_000 });
  await saveScreenshot(page, 'console-map-tab');

  await panel.getByTestId('toggle-cameras').click();
  await expect(panel.getByTestId('toggle-cameras')).toBeChecked();
  await expect(wallFrame).toHaveAttribute('data-layers', /\bcameras\b/);
  await callApi(page.request, host(), 'map.state.update', { areaId: null, actor: 'e2e' });
  await expect(wallFrame).toHaveAttribute('data-area-level', 'city');
  await wall.close();
});
