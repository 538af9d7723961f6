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

test('the consultation: open, step, decide, export', async ({ openPage, request }) => {
  const base = host().url;
  const wall = await openPage({ width: 1920, height: 1080 });
  await wall.goto(`${base}consult`);
  await expect(wall.getByTestId('consult-standby')).toBeVisible();

  const chair = await openPage({ width: 1680, height: 1000 });
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

test('the consultation in English: the toggle switches the wall, the chair’s console follows ?lang=en', async ({ openPage, request }) => {
  const base = host().url;
  // Open (or reuse) today's session through the API, so this test stands alone.
  await callApi(request, host(), 'consult.session.open', { chair: 'Chen' });

  const wall = await openPage({ width: 1920, height: 1080 });
  await wall.goto(`${base}consult`);
  await expect(wall.getByTestId('consult-wall')).toHaveAttribute('data-ready', '1');
  await expect(wall.getByTestId('consult-wall')).not.toHaveAttribute('data-session', '');
  await wall.getByTestId('lang-toggle').click();
  await expect(wall.getByTestId('lang-toggle')).toHaveAttribute('data-locale', 'en');

  const chair = await openPage({ width: 1680, height: 1000 });
  await chair.goto(`${base}consult?role=chair&lang=en`);
  await expect(chair.getByTestId('chair-console')).toHaveAttribute('data-ready', '1');
  await expect(chair.getByTestId('agenda-item-1')).toContainText('Five-colour risk map');
  await expect(chair.getByTestId('step-next')).toHaveText('Next');
  await chair.keyboard.press('Home');

  // The wall shows the overview in English: heading, summary built from the figures, index names.
  await wallItem(wall, 'overview');
  const title = wall.getByTestId('consult-item-title');
  await expect(title).toHaveText('1. Overview and the Six Safety Indices');
  await expect(wall.getByTestId('consult-item-summary')).toContainText('Last 24 h:');
  await expect(wall.locator('.cw-meta')).toContainText('Item 1 of 7');
  await expect(wall.getByTestId('index-tile').first()).toContainText('vs yesterday');
  await saveScreenshot(wall, 'consult-en-wall-overview');

  await chair.keyboard.press('ArrowRight');
  await wallItem(wall, 'map');
  await expect(title).toHaveText('2. Five-colour risk map and grids that changed colour');
  const map = wall.getByTestId('consult-map');
  await expect.poll(async () => Number(await map.getAttribute('data-scored'))).toBeGreaterThan(100);
  await saveScreenshot(wall, 'consult-en-wall-map');
  // An area opened live: its score explained, in English.
  await chair.getByTestId('cc-preview').getByRole('button', { name: 'On wall' }).first().click();
  await expect(wall.getByTestId('explain-table')).toContainText('Contribution');
  await saveScreenshot(wall, 'consult-en-wall-focus');
  await saveScreenshot(chair, 'consult-en-chair-map');
  await chair.keyboard.press('Escape');
  await expect(wall.getByTestId('focus-panel')).toHaveCount(0);

  const steps: Array<[string, string, string]> = [
    ['3', 'cases', '3. Overdue and supervised cases'],
    ['4', 'hotspots', '4. Hotspots: rising categories and places'],
    ['5', 'alarms', '5. Alarms and warnings in force'],
    ['6', 'followup', '6. Follow-up of earlier decisions'],
    ['7', 'minutes', '7. Minutes of this consultation'],
  ];
  for (const [key, id, text] of steps) {
    await chair.keyboard.press(key);
    await wallItem(wall, id);
    await expect(title).toHaveText(text);
    await saveScreenshot(wall, `consult-en-wall-${id}`);
  }
  await saveScreenshot(chair, 'consult-en-chair-minutes');

  // The wide wall (3840×1080).
  await wall.setViewportSize({ width: 3840, height: 1080 });
  for (const [key, id] of [['1', 'overview'], ['2', 'map'], ['3', 'cases'], ['7', 'minutes']] as const) {
    await chair.keyboard.press(key);
    await wallItem(wall, id);
    if (id === 'map') await expect.poll(async () => (await map.boundingBox())?.width ?? 0).toBeGreaterThan(1800);
    await saveScreenshot(wall, `consult-en-wall-${id}-3840x1080`);
  }

  // And back to Chinese with the same toggle.
  await wall.getByTestId('lang-toggle').click();
  await expect(title).toHaveText('7. 本次会商纪要');
  await wall.close();
  await chair.close();
});
