/**
 * The morning consultation (issue 7) in Chromium: the chair opens it from the console, steps the
 * agenda with the keys a clicker sends, and the wall (another page, like another display) follows;
 * a decision becomes a dispatched case of the closed loop; the briefing PDF exports and its pages
 * render. Needs the screen mounted at /consult (`?role=chair` for the console).
 * Waits only on what the app shows (data attributes), never on timers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { colourCount, decodePng, inkFraction, parseHex } from './support/png';
import { SCREENSHOT_DIR } from './support/paths';
import { callApi, expect, saveScreenshot, test, useHost } from './support/test';

const host = useHost('consult');

const wallItem = (wall: Page, id: string) => expect(wall.getByTestId('consult-wall')).toHaveAttribute('data-item', id);

test('the consultation: open, step, decide, export', async ({ browser, request }) => {
  const base = host().url;
  const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await wall.goto(`${base}consult`);
  await expect(wall.getByTestId('consult-standby')).toBeVisible();

  const chair = await browser.newPage({ viewport: { width: 1680, height: 1000 } });
  await chair.goto(`${base}consult?role=chair`);
  await expect(chair.getByTestId('chair-console')).toHaveAttribute('data-ready', '1');
  await chair.getByTestId('chair-name').fill('陈指挥长');
  await chair.getByTestId('session-open').click();
  await expect(chair.getByTestId('agenda-item-6')).toBeVisible();

  // The wall follows the session: overview with the six indices.
  await wallItem(wall, 'overview');
  await expect(wall.getByTestId('index-tile')).toHaveCount(6);
  await saveScreenshot(wall, 'consult-wall-overview');

  // → steps to the five-colour map; the map is drawn in colour.
  await chair.keyboard.press('ArrowRight');
  await wallItem(wall, 'map');
  const map = wall.getByTestId('consult-map');
  await expect.poll(async () => Number(await map.getAttribute('data-scored'))).toBeGreaterThan(100);
  await saveScreenshot(wall, 'consult-wall-map');
  const mapImage = decodePng(await map.screenshot());
  expect(mapImage.width).toBeGreaterThan(800);
  // The grids fill a good part of the map box, in several colours (the five levels, outlines, labels).
  expect(inkFraction(mapImage, parseHex('#020c1c'))).toBeGreaterThan(0.2);
  expect(colourCount(mapImage)).toBeGreaterThan(5);

  // PageDown / PageUp like a clicker; a digit jumps.
  await chair.keyboard.press('PageDown');
  await wallItem(wall, 'cases');
  await chair.keyboard.press('PageUp');
  await wallItem(wall, 'map');
  await chair.keyboard.press('7');
  await wallItem(wall, 'minutes');

  // A decision: owner department, area, deadline → a case of the closed loop, dispatched.
  await chair.getByTestId('decision-title').fill('占道经营专项整治');
  await chair.getByTestId('decision-department').selectOption({ label: '城管执法局' });
  const area = chair.getByTestId('decision-area');
  const firstTown = await area.locator('optgroup[label="街道/镇"] option').first().getAttribute('value');
  await area.selectOption(firstTown!);
  await chair.getByTestId('decision-submit').click();
  const row = chair.getByTestId('decision-row').first();
  await expect(row).toHaveAttribute('data-state', 'dispatched');
  const caseCode = await row.getAttribute('data-case');
  expect(caseCode).toMatch(/\S+/);
  await expect(wall.getByTestId('decision-row').first()).toHaveAttribute('data-case', caseCode!);

  const sessionId = (await chair.getByTestId('chair-console').getAttribute('data-session'))!;
  const decisions = await callApi<Array<{ caseId: string }>>(request, host(), 'consult.decisions.list', { sessionId });
  const c = await callApi<{ source: string; state: string; code: string }>(request, host(), 'cases.get', { id: decisions[0]!.caseId });
  expect(c).toMatchObject({ source: 'consultation', state: 'dispatched', code: caseCode });
  await saveScreenshot(wall, 'consult-wall-minutes');

  // The briefing PDF: exported, listed, served, parsed, rendered.
  await chair.getByTestId('export-briefing').click();
  const briefing = chair.getByTestId('briefing-row').first();
  await expect(briefing).toBeVisible({ timeout: 60_000 });
  const url = (await briefing.getAttribute('data-url'))!;
  const res = await request.get(`${base}${url.replace(/^\//, '')}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const pdf = await res.body();
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, 'consult-briefing.pdf');
  fs.writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(4);
  expect(info).toMatch(/595\.28 x 841\.89 pts \(A4\)/);
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', file, path.join(SCREENSHOT_DIR, 'consult-briefing')]);
  const pages = fs.readdirSync(SCREENSHOT_DIR).filter((f) => f.startsWith('consult-briefing-') && f.endsWith('.png'));
  expect(pages).toHaveLength(2);
  for (const p of pages) expect(inkFraction(decodePng(fs.readFileSync(path.join(SCREENSHOT_DIR, p))), parseHex('#ffffff'))).toBeGreaterThan(0.05);
  expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('占道经营专项整治');
});
