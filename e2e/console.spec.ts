/** The operator console at 1920×1080: the case queue from the store, filters, detail, language. */
import type { Page } from '@playwright/test';
import type { BrowserGlobals } from './support/browser';
import { callApi, expect, saveScreenshot, test, useHost, waitForReady } from './support/test';

const host = useHost('console');

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host().url}console?lang=zh-CN`);
  await waitForReady(page);
});

const total = async (page: Page): Promise<number> => Number(await page.getByTestId('case-total').getAttribute('data-total'));
const rows = (page: Page) => page.locator('[data-testid="case-list"] .case-row[data-case-id]');

test('lists the demo cases from the store, rendering only the rows in view', async ({ page, request }) => {
  const listed = await callApi<{ total: number; capped: boolean }>(request, host(), 'cases.list', { limit: 1 });
  expect(listed.total).toBeGreaterThan(1000);
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(listed.total));
  await expect(page.getByTestId('case-total')).toContainText(listed.capped ? `${listed.total}+` : String(listed.total));

  await expect(rows(page).first()).toBeVisible();
  const rendered = await rows(page).count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(80);

  // Default order: urgency first.
  await expect(rows(page).first().locator('.urgency-tag')).toHaveAttribute('data-urgency', 'critical');

  // Scrolling far down fetches the page there from the core.
  await page.getByTestId('case-list').evaluate((el) => {
    (el as unknown as { scrollTop: number }).scrollTop = 40 * 1000;
  });
  await expect(page.locator('[data-testid="case-list"] .case-row[data-index="1005"][data-case-id]')).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(80);
});

test('filtering by a state narrows the list to that state', async ({ page, request }) => {
  const all = await total(page);
  const inProgress = await callApi<{ total: number }>(request, host(), 'cases.list', { states: ['accepted'], limit: 1 });
  expect(inProgress.total).toBeGreaterThan(0);
  expect(inProgress.total).toBeLessThan(all);

  await page.locator('[data-filter="state"] [data-value="accepted"]').click();
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(inProgress.total));
  await expect(rows(page).first()).toBeVisible();
  const states = await rows(page).evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-state')));
  expect(new Set(states)).toEqual(new Set(['accepted']));

  // Another filter on top narrows further; resetting brings everything back.
  await page.getByTestId('filter-overdue').check();
  await expect.poll(() => total(page)).toBeLessThan(inProgress.total);
  await page.getByTestId('filter-reset').click();
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', String(all));
});

test('searching by case number finds that case', async ({ page }) => {
  const code = (await rows(page).nth(3).locator('.case-code').textContent()) ?? '';
  expect(code).not.toBe('');
  await page.getByTestId('filter-text').fill(code);
  await expect(page.getByTestId('case-total')).toHaveAttribute('data-total', '1');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first().locator('.case-code')).toHaveText(code);
});

test('clicking a case shows its details, masked reporter and history', async ({ page }) => {
  const first = rows(page).first();
  const id = await first.getAttribute('data-case-id');
  const title = await first.locator('.case-title-main').textContent();
  await first.click();
  const detail = page.getByTestId('case-detail');
  await expect(detail).toHaveAttribute('data-case-id', id ?? '');
  await expect(page.getByTestId('detail-title')).toHaveText(title ?? '');
  await expect(page.getByTestId('history').locator('li').first()).toBeVisible();
  const phone = page.getByTestId('reporter-phone');
  if ((await phone.count()) > 0) await expect(phone).toContainText('*');

  // Arrow keys move the selection.
  await page.getByTestId('case-list').press('ArrowDown');
  await expect(rows(page).nth(1)).toHaveAttribute('data-selected', '1');
  await expect(detail).toHaveAttribute('data-case-id', (await rows(page).nth(1).getAttribute('data-case-id')) ?? '');
  await saveScreenshot(page, 'console-1920x1080');
});

test('switching to English changes the labels and is remembered', async ({ page }) => {
  const chip = page.locator('[data-filter="state"] [data-value="closed"]');
  await expect(chip).toHaveText('已结案');
  await page.getByTestId('lang-toggle').click();
  await expect(chip).toHaveText('Closed');
  await expect(page.locator('.console-role')).toHaveText('Operator console');
  await expect(page.getByTestId('case-total')).toContainText('cases');

  await page.goto(`${host().url}console`);
  await waitForReady(page);
  await expect(chip).toHaveText('Closed');
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).localStorage.getItem('cityops.lang'))).toBe('en');
  await saveScreenshot(page, 'console-1920x1080-en');
});
