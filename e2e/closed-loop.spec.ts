/**
 * The closed loop end to end (issue 3): a case reported through Open311 appears on the wall and
 * in the console; the seat then runs it through the console UI only — register, dispatch to the
 * proposed unit, accept, handle, fail verification (rework), handle again, pass verification —
 * and the evaluation tab's figures for that unit change accordingly.
 */
import type { Locator, Page } from '@playwright/test';
import { callApi, expect, saveScreenshot, test, useHost, waitForReady } from './support/test';

const host = useHost('closed-loop');

const POINT = { lon: 120.1229, lat: 30.2482 };
const CATEGORY = '0101'; // 暴露垃圾

interface Proposal {
  department: { id: string; name: string } | null;
  unit: { id: string; name: string } | null;
}

/** The unit's figures in the evaluation tab (0 when the unit has no row yet). */
async function unitFigures(page: Page, unitId: string): Promise<{ received: number; closed: number; reworked: number }> {
  const table = page.getByTestId('evaluation');
  await expect(table).toHaveAttribute('data-loaded', '1');
  const row = table.locator(`[data-testid="eval-rows"] .eval-row[data-key="${unitId}"]`);
  if ((await row.count()) === 0) return { received: 0, closed: 0, reworked: 0 };
  const cell = async (col: string): Promise<number> => Number(await row.locator(`[data-col="${col}"]`).getAttribute('data-value'));
  return { received: await cell('received'), closed: await cell('closed'), reworked: await cell('reworked') };
}

async function showUnitsToday(page: Page, departmentId: string): Promise<void> {
  await page.getByTestId('tab-evaluation').click();
  const view = page.getByTestId('evaluation');
  await view.locator('[data-group="unit"]').click();
  await view.locator('[data-period="day"]').click();
  await page.getByTestId('eval-department').selectOption(departmentId);
  await expect(view).toHaveAttribute('data-period', 'day');
}

/** Choose the seat's role and give the keyboard back to the queue. */
async function actAs(page: Page, role: string, expectButton: string): Promise<void> {
  await page.getByTestId('seat-role').selectOption(role);
  await expect(page.getByTestId(`act-${expectButton}`)).toBeEnabled();
  await page.getByTestId('case-list').focus();
}

async function expectState(detail: Locator, state: string): Promise<void> {
  await expect(detail).toHaveAttribute('data-state', state);
}

test('an Open311 report runs the whole loop through the console, with rework, and the evaluation follows', async ({ page, request, context }) => {
  test.setTimeout(420_000);
  const proposal = await callApi<Proposal>(request, host(), 'cases.proposeAssignee', { categoryCode: CATEGORY, ...POINT });
  expect(proposal.unit).not.toBeNull();
  const unitId = proposal.unit!.id;
  const departmentId = proposal.department!.id;

  // --- the wall, before and after the report -------------------------------------------------
  const wall = await context.newPage();
  await wall.setViewportSize({ width: 1920, height: 1080 });
  await wall.goto(`${host().url}?lang=zh-CN`);
  await waitForReady(wall);
  const reportedBefore = Number((await wall.getByTestId('kpi-reportedToday').textContent())?.replace(/\D/g, ''));

  const res = await request.post(`${host().url}open311/v2/requests.json`, {
    form: { service_code: CATEGORY, lat: String(POINT.lat), long: String(POINT.lon), address_string: '灵隐路 8 号', description: '路口垃圾堆积，气味很大', first_name: '三', last_name: '张', phone: '13800001111' },
  });
  expect(res.status()).toBe(201);
  const [{ service_request_id: code }] = (await res.json()) as Array<{ service_request_id: string }>;
  const listed = await callApi<{ items: Array<{ id: string; code: string; source: string }> }>(request, host(), 'cases.list', { text: code });
  expect(listed.items).toHaveLength(1);
  const caseId = listed.items[0]!.id;
  expect(listed.items[0]!.source).toBe('public');

  await expect(wall.locator(`[data-panel="latest"] .latest-row[data-case="${caseId}"]`)).toBeVisible();
  await expect.poll(async () => Number((await wall.getByTestId('kpi-reportedToday').textContent())?.replace(/\D/g, ''))).toBe(reportedBefore + 1);
  await wall.close();

  // --- the console: the evaluation before ----------------------------------------------------
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${host().url}console?lang=zh-CN`);
  await waitForReady(page);
  await page.getByTestId('seat-name').fill('李坐席');
  await showUnitsToday(page, departmentId);
  const before = await unitFigures(page, unitId);

  // --- the case in the queue -----------------------------------------------------------------
  await page.getByTestId('tab-queue').click();
  await page.getByTestId('filter-text').fill(code);
  const row = page.locator(`[data-testid="case-list"] .case-row[data-case-id="${caseId}"]`);
  await expect(row).toHaveAttribute('data-state', 'reported');
  await page.getByTestId('case-list').focus();
  await page.keyboard.press('ArrowDown');
  await expect(row).toHaveAttribute('data-cursor', '1');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('case-detail');
  await expect(detail).toHaveAttribute('data-case-id', caseId);
  await expectState(detail, 'reported');

  // 立案 (R): one click, no dialog.
  await expect(page.getByTestId('act-register')).toContainText('R');
  await page.keyboard.press('r');
  await expectState(detail, 'registered');
  await expect(row).toHaveAttribute('data-state', 'registered');

  // 派遣 (D): the proposal is preselected; the seat accepts it.
  await page.keyboard.press('d');
  const dispatch = page.getByTestId('dialog-dispatch');
  await expect(dispatch.getByTestId('proposed-unit')).toHaveAttribute('data-unit-id', unitId);
  await expect(dispatch.getByTestId('dispatch-unit')).toHaveValue(unitId);
  await expect(dispatch.locator('.staff-row').first()).toBeVisible();
  await saveScreenshot(page, 'console-dispatch-1920x1080');
  await dispatch.getByTestId('dialog-confirm').click();
  await expect(dispatch).toHaveCount(0);
  await expectState(detail, 'dispatched');
  await expect(page.getByTestId('detail-unit')).toHaveAttribute('data-unit-id', unitId);
  await expect(page.getByTestId('deadline-clock')).not.toHaveAttribute('data-clock', 'idle');

  // The unit: 签收 (A), then 处置反馈 (H) with a note and a photo.
  await actAs(page, 'unit', 'accept');
  await page.keyboard.press('a');
  await expectState(detail, 'accepted');
  await page.keyboard.press('h');
  await page.getByTestId('dialog-handle').getByTestId('dialog-note').fill('已清运路口垃圾');
  await page.getByTestId('dialog-handle').getByTestId('dialog-photos').fill('IMG_0001.jpg');
  await page.getByTestId('dialog-confirm').click();
  await expectState(detail, 'handled');
  await expect(page.getByTestId('deadline-clock')).toHaveAttribute('data-clock', 'paused');

  // The inspector: 核查不通过 (F) with a reason → 返工.
  await actAs(page, 'inspector', 'verify_fail');
  await page.keyboard.press('f');
  await page.getByTestId('dialog-verify_fail').getByTestId('dialog-note').fill('地面仍有残留');
  await page.getByTestId('dialog-confirm').click();
  await expectState(detail, 'rework');
  await expect(row).toHaveAttribute('data-state', 'rework');
  await expect(row.getByTestId('case-remaining')).toHaveAttribute('class', /tone-(ok|warning|overdue)/);

  // The whole 待办 queue again, the case still open beside it.
  await page.getByTestId('filter-text').fill('');
  await expect.poll(async () => Number(await page.getByTestId('case-total').getAttribute('data-total'))).toBeGreaterThan(100);
  await expect(detail).toHaveAttribute('data-case-id', caseId);
  await saveScreenshot(page, 'console-queue-1920x1080');

  // The unit handles it again; the inspector passes it (P) → 结案.
  await actAs(page, 'unit', 'handle');
  await page.keyboard.press('h');
  await page.getByTestId('dialog-handle').getByTestId('dialog-note').fill('二次清扫，地面无残留');
  await page.keyboard.press('Control+Enter');
  await expectState(detail, 'handled');
  await actAs(page, 'inspector', 'verify_pass');
  await page.keyboard.press('p');
  await expectState(detail, 'closed');
  await expect(page.getByTestId('action-message')).toContainText('核查通过');

  // The history tells the whole story, with the seat's name and localised roles.
  const history = page.getByTestId('history');
  const actions = await history.locator('li').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-action')));
  expect(actions.filter((a) => a !== 'warning' && a !== 'supervise')).toEqual(['report', 'register', 'dispatch', 'accept', 'handle', 'verify_fail', 'handle', 'verify_pass']);
  await expect(history.locator('li[data-action="verify_fail"] .timeline-actor')).toHaveText('李坐席 · 核查员');
  await expect(history.locator('li[data-action="accept"] .timeline-actor')).toHaveText('李坐席 · 处置单位');

  // The closed case leaves the 待办 queue.
  await expect(page.locator(`[data-testid="case-list"] .case-row[data-case-id="${caseId}"]`)).toHaveCount(0);

  // --- the evaluation after ------------------------------------------------------------------
  await showUnitsToday(page, departmentId);
  await expect.poll(() => unitFigures(page, unitId), { timeout: 30_000 }).toEqual({ received: before.received + 1, closed: before.closed + 1, reworked: before.reworked + 1 });
  await saveScreenshot(page, 'console-evaluation-after-loop-1920x1080');
});
