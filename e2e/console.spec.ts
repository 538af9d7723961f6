/**
 * The operator console at 1920×1080: the case queue from the store (待办 by default, paged by the
 * core), filters, keyboard, detail, the seat's role deciding the actions, the new-case dialog
 * with duplicates, the evaluation export and the sensor registry.
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import type { BrowserGlobals } from './support/browser';
import { callApi, expect, saveScreenshot, test, useHost, waitForReady } from './support/test';

const host = useHost('console');
const OPEN_STATES = ['reported', 'registered', 'dispatched', 'accepted', 'returned', 'handled', 'rework'];

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host().url}console?lang=zh-CN`);
  await waitForReady(page);
});

const total = async (page: Page): Promise<number> => Number(await page.getByTestId('case-total').getAttribute('data-total'));
const rows = (page: Page) => page.locator('[data-testid="case-list"] .case-row[data-case-id]');
const attrs = (page: Page, name: string) => rows(page).evaluateAll((els, n) => els.map((e) => (e as unknown as { getAttribute(x: string): string | null }).getAttribute(n)), name);

test('shows the open cases (待办) by default and all of them in one click, rendering only the rows in view', async ({ page, request }) => {
  const open = await callApi<{ total: number }>(request, host(), 'cases.list', { states: OPEN_STATES, limit: 1 });
  expect(open.total).toBeGreaterThan(100);
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(open.total));
  await expect(page.locator('[data-preset="open"]')).toHaveAttribute('aria-checked', 'true');
  await expect(rows(page).first()).toBeVisible();
  expect(new Set(await attrs(page, 'data-state')).has('closed')).toBe(false);

  // Sorted by urgency, then the nearest deadline; every row says how much time is left.
  const urgencies = await rows(page).evaluateAll((els) => els.map((e) => (e as unknown as { querySelector(s: string): { getAttribute(n: string): string | null } | null }).querySelector('.urgency-tag')?.getAttribute('data-urgency')));
  const rank = (u: string | null | undefined): number => ['normal', 'urgent', 'critical'].indexOf(u ?? '');
  expect(urgencies.map(rank)).toEqual([...urgencies.map(rank)].sort((a, b) => b - a));
  await expect(rows(page).first().getByTestId('case-remaining')).not.toBeEmpty();

  // 全部: every case, open ones first, paged by the core as the list scrolls.
  const all = await callApi<{ total: number; capped: boolean }>(request, host(), 'cases.list', { limit: 1 });
  await page.locator('[data-preset="all"]').click();
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(all.total));
  await expect(page.getByTestId('case-total')).toContainText(all.capped ? `${all.total}+` : String(all.total));
  expect(await attrs(page, 'data-state')).not.toContain('closed');
  const rendered = await rows(page).count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(80);
  await page.getByTestId('case-list').evaluate((el) => {
    (el as unknown as { scrollTop: number }).scrollTop = 40 * 1000;
  });
  await expect(page.locator('[data-testid="case-list"] .case-row[data-index="1005"][data-case-id]')).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(80);
  expect(await attrs(page, 'data-state')).toContain('closed');
});

test('filtering by a state narrows the list to that state; reset returns to 待办', async ({ page, request }) => {
  const open = await total(page);
  const inProgress = await callApi<{ total: number }>(request, host(), 'cases.list', { states: ['accepted'], limit: 1 });
  expect(inProgress.total).toBeGreaterThan(0);
  expect(inProgress.total).toBeLessThan(open);

  await page.locator('[data-preset="all"]').click();
  await page.locator('[data-filter="state"] [data-value="accepted"]').click();
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(inProgress.total));
  await expect(rows(page).first()).toBeVisible();
  expect(new Set(await attrs(page, 'data-state'))).toEqual(new Set(['accepted']));

  // Another filter on top narrows further; resetting brings the open queue back.
  await page.getByTestId('filter-overdue').check();
  await expect.poll(() => total(page)).toBeLessThan(inProgress.total);
  await page.getByTestId('filter-reset').click();
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(open));
});

test('searching by case number finds that case', async ({ page }) => {
  const code = (await rows(page).nth(3).locator('.case-code').textContent()) ?? '';
  expect(code).not.toBe('');
  await page.getByTestId('filter-text').fill(code);
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', '1');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first().locator('.case-code')).toHaveText(code);
});

test('a click or Enter opens a case: details, clock, location, masked reporter and history', async ({ page }) => {
  const first = rows(page).first();
  const id = await first.getAttribute('data-case-id');
  const title = await first.locator('.case-title-main').textContent();
  await first.click();
  const detail = page.getByTestId('case-detail');
  await expect(detail).toHaveAttribute('data-case-id', id ?? '');
  await expect(page.getByTestId('detail-title')).toHaveText(title ?? '');
  await expect(page.getByTestId('history').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('deadline-clock')).toBeVisible();
  await expect(page.getByTestId('map-inset').locator('.inset-case')).toHaveCount(1);
  await expect(page.getByTestId('linked-cameras')).toHaveAttribute('data-state', /active|ended/);
  const phone = page.getByTestId('reporter-phone');
  if ((await phone.count()) > 0) await expect(phone).toContainText('*');
  // Roles and actions in the timeline are in Chinese.
  await expect(page.getByTestId('history')).not.toContainText('operator');

  // ↓ moves the cursor only; Enter opens the case under it.
  await page.getByTestId('case-list').press('ArrowDown');
  await expect(rows(page).nth(1)).toHaveAttribute('data-cursor', '1');
  await expect(detail).toHaveAttribute('data-case-id', id ?? '');
  await page.getByTestId('case-list').press('Enter');
  await expect(rows(page).nth(1)).toHaveAttribute('data-selected', '1');
  await expect(detail).toHaveAttribute('data-case-id', (await rows(page).nth(1).getAttribute('data-case-id')) ?? '');
  await saveScreenshot(page, 'console-1920x1080');
});

test('the seat’s role decides the actions; a supervisor escalates a case with a level and a note', async ({ page, request }) => {
  await page.locator('[data-preset="all"]').click();
  await page.locator('[data-filter="state"] [data-value="accepted"]').click();
  const row = rows(page).first();
  const id = (await row.getAttribute('data-case-id')) ?? '';
  await row.click();
  const bar = page.getByTestId('action-bar');

  // Without a name nothing can be done; as 坐席员 an accepted case has no action.
  await expect(bar).toContainText('请先在右上角填写坐席人员姓名');
  await page.getByTestId('seat-name').fill('赵督办');
  await expect(bar.locator('.act-btn')).toHaveCount(0);
  await expect(bar).toContainText('坐席员');

  // 处置单位 sees 处置反馈 / 申请延期 / 回退 with their keys.
  await page.getByTestId('seat-role').selectOption('unit');
  await expect(page.getByTestId('act-handle')).toContainText('H');
  await expect(page.getByTestId('act-request_extension')).toContainText('E');
  await expect(page.getByTestId('act-return')).toContainText('B');

  // 督办员: S opens the supervision dialog; the level and the note are recorded.
  await page.getByTestId('seat-role').selectOption('supervisor');
  await expect(page.getByTestId('act-supervise')).toBeEnabled();
  const before = await callApi<{ supervision: { level: number } }>(request, host(), 'cases.workflow', { id });
  await page.getByTestId('case-list').focus();
  await page.keyboard.press('s');
  const dialog = page.getByTestId('dialog-supervise');
  const level = Math.min(3, before.supervision.level + 1);
  await dialog.locator(`[data-level="${level}"]`).click();
  await dialog.getByTestId('dialog-note').fill('请于今日内处置完毕并反馈');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('deadline-clock').locator(`.flag-supervised[data-level="${level}"]`)).toBeVisible();
  await expect(row.locator('.flag-supervised')).toHaveAttribute('data-level', String(level));
  const history = page.getByTestId('history');
  await expect(history.locator('li[data-action="supervise"]').last().locator('.timeline-actor')).toHaveText('赵督办 · 督办员');

  // The name and role are remembered for the next shift.
  await page.reload();
  await waitForReady(page);
  await expect(page.getByTestId('seat-name')).toHaveValue('赵督办');
  await expect(page.getByTestId('seat-role')).toHaveValue('supervisor');
});

test('a new case from the dialog warns of a duplicate nearby and merges into it', async ({ page, request }) => {
  const point = { lon: 120.1462, lat: 30.2791 };
  const first = await callApi<{ case: { id: string; code: string } }>(request, host(), 'cases.create', { source: 'grid', categoryCode: '0103', ...point, address: '体育场路 1 号', actor: '网格员甲' });
  await page.getByTestId('seat-name').fill('钱坐席');
  await page.getByTestId('case-list').focus();
  await page.keyboard.press('n');
  const dialog = page.getByTestId('dialog-new-case');
  await dialog.getByTestId('new-case-source').selectOption('hotline');
  await dialog.getByTestId('new-case-class').selectOption('01');
  await dialog.getByTestId('new-case-category').selectOption('0103');
  await expect(dialog.getByTestId('new-case-category-info')).toContainText('立案条件');
  await dialog.getByTestId('new-case-lon').fill(String(point.lon + 0.0001));
  await dialog.getByTestId('new-case-lat').fill(String(point.lat));
  await expect(dialog.getByTestId('new-case-grid')).toContainText('网格');
  await dialog.getByTestId('new-case-address').fill('体育场路 3 号');
  await dialog.getByTestId('new-case-description').fill('市民来电反映同一处问题');
  await dialog.getByTestId('dialog-confirm').click();

  const warning = dialog.getByTestId('new-case-duplicates');
  await expect(warning).toBeVisible();
  const candidate = warning.locator(`[data-case-id="${first.case.id}"]`);
  await expect(candidate).toContainText(first.case.code);
  const created = (await dialog.getByTestId('new-case-result').getAttribute('data-case-id')) ?? '';
  expect(created).not.toBe('');
  await saveScreenshot(page, 'console-new-case-1920x1080');
  await candidate.locator('[data-action="merge"]').click();
  await expect(candidate).toContainText('已合并');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toHaveCount(0);

  const merged = await callApi<{ state: string; history: Array<{ action: string; actor: string }> }>(request, host(), 'cases.get', { id: created });
  expect(merged.state).toBe('cancelled');
  expect(merged.history.map((h) => h.action)).toContain('merge');
  await expect(page.getByTestId('case-detail')).toHaveAttribute('data-case-id', first.case.id);
});

test('cases import from CSV: a dry run reports bad rows by line, a clean file imports whole', async ({ page }) => {
  await page.getByTestId('seat-name').fill('孙坐席');
  const before = await total(page);
  await page.getByTestId('import-cases').click();
  const dialog = page.getByTestId('dialog-import-cases');
  const header = 'source,category_code,lon,lat,urgency,address,description';
  const good = ['hotline,0101,120.1301,30.2601,urgent,文三路 10 号,垃圾堆放', 'grid,0601,120.1402,30.2702,normal,教工路 20 号,井盖松动'];
  await dialog.getByTestId('import-cases-text').fill([header, ...good, 'fax,9999,120.1,95,soon,,'].join('\n'));
  await dialog.getByTestId('dialog-confirm').click();
  const result = dialog.getByTestId('import-cases-result');
  await expect(result).toHaveAttribute('data-dry', '1');
  await expect(result.locator('tr[data-line="4"]').first()).toBeVisible();
  await expect(result).toHaveAttribute('data-imported', '0');

  await dialog.getByTestId('import-cases-text').fill([header, ...good].join('\n'));
  await dialog.getByTestId('dialog-confirm').click();
  await expect(result).toHaveAttribute('data-errors', '0');
  await expect(dialog.getByTestId('dialog-confirm')).toContainText('2');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(result).toHaveAttribute('data-dry', '0');
  await expect(result).toHaveAttribute('data-imported', '2');
  await dialog.getByTestId('dialog-cancel').click();
  await expect.poll(() => total(page)).toBe(before + 2);
});

test('the evaluation tab exports its table as CSV with a BOM', async ({ page }) => {
  await page.getByTestId('tab-evaluation').click();
  const view = page.getByTestId('evaluation');
  await expect(view).toHaveAttribute('data-loaded', '1');
  await expect(page.getByTestId('eval-total').locator('[data-col="received"]')).not.toHaveAttribute('data-value', '');
  await expect(view.locator('[data-testid="eval-rows"] .eval-row').first()).toBeVisible();
  await saveScreenshot(page, 'console-evaluation-1920x1080');
  const download = page.waitForEvent('download');
  await page.getByTestId('eval-export').click();
  const file = await (await download).path();
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('结案率');
});

test('the sensor registry edits a sensor and dry-runs an import with per-row errors', async ({ page, request }) => {
  await page.getByTestId('tab-sensors').click();
  const list = page.getByTestId('sensor-rows');
  await expect(list.locator('.sensor-row').first()).toBeVisible();
  await page.getByTestId('sensor-search').fill('积水');
  const first = list.locator('.sensor-row').first();
  const id = (await first.getAttribute('data-sensor-id')) ?? '';
  await first.click();
  const form = page.getByTestId('sensor-form');
  await expect(form).toHaveAttribute('data-sensor-id', id);
  const before = await callApi<{ version: number }>(request, host(), 'sensors.get', { id });

  await form.getByTestId('sensor-own-ladder').check();
  await form.getByTestId('sensor-warn').fill('0.12');
  await form.getByTestId('sensor-alarm').fill('0.2');
  await form.getByTestId('sensor-critical').fill('0.35');
  await form.getByTestId('sensor-save').click();
  await expect(form.getByTestId('sensor-result')).toContainText(`版本 ${before.version + 1}`);
  const after = await callApi<{ version: number; rules: { warn: number; alarm: number; critical: number } }>(request, host(), 'sensors.get', { id });
  expect(after.rules).toMatchObject({ warn: 0.12, alarm: 0.2, critical: 0.35 });

  const csv = ['id,name,type,unit,lon,lat,department,grid,interval_s,warn,alarm,critical,dir', 'e2e-import-1,导入积水点,water_level,m,120.12,30.25,SW,,300,0.1,0.2,0.3,above', 'bad id,坏行,nope,m,200,30,SW,,300,,,,above'].join('\n');
  await page.getByTestId('sensor-import-text').fill(csv);
  await page.getByTestId('sensor-import-dry').click();
  const result = page.getByTestId('sensor-import-result');
  await expect(result).toHaveAttribute('data-stored', '0');
  await expect(result.locator('tr[data-row="3"]')).toBeVisible();
  await expect(page.getByTestId('sensor-import-run')).toBeDisabled();
  await saveScreenshot(page, 'console-sensors-1920x1080');
  await expect(callApi(request, host(), 'sensors.get', { id: 'e2e-import-1' })).rejects.toThrow(/not_found|no sensor/i);
});

test('switching to English changes the labels and is remembered', async ({ page }) => {
  const chip = page.locator('[data-filter="state"] [data-value="closed"]');
  await expect(chip).toHaveText('已结案');
  await page.getByTestId('lang-toggle').click();
  await expect(chip).toHaveText('Closed');
  await expect(page.locator('.console-role')).toHaveText('Operator console');
  await expect(page.getByTestId('case-total')).toContainText('cases');
  await expect(page.getByTestId('tab-evaluation')).toHaveText('Evaluation');

  await page.goto(`${host().url}console`);
  await waitForReady(page);
  await expect(chip).toHaveText('Closed');
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).localStorage.getItem('cityops.lang'))).toBe('en');
  await saveScreenshot(page, 'console-1920x1080-en');
});
