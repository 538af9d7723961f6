/** The wall never goes blank: when the host goes away it keeps its figures, says so, and recovers. */
import { expect, test, useHost, waitForReady } from './support/test';

const host = useHost('resilience');

test('the wall keeps the last good data while the host is down, marks it 数据延迟, and reconnects', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(host().url);
  await waitForReady(page);
  const open = page.getByTestId('kpi-open');
  const shown = await open.textContent();
  await expect(page.locator('.stale-marker')).toHaveCount(0);

  await host().crash();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-conn', 'reconnecting');
  await expect(page.locator('[data-panel="kpi"] .stale-marker')).toHaveText('数据延迟');
  await expect(page.locator('[data-panel="map"]')).toHaveAttribute('data-stale', '1');
  await expect(open).toHaveText(shown ?? '');
  await expect(page.getByTestId('map')).toHaveAttribute('data-map-ready', '1');
  await expect(page.locator('[data-panel="latest"] .latest-row').first()).toBeVisible();

  await host().restart();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-conn', 'open', { timeout: 60_000 });
  await expect(page.locator('.stale-marker')).toHaveCount(0);
  await expect(open).toHaveText(/^[\d,]+/);
});
