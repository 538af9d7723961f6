import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput, Result } from '../../../shared/api';
import { CATEGORIES, CATEGORY_CLASSES } from '../../../shared/domain/catalogue';
import { DEFAULT_WORK_CALENDAR } from '../../../shared/domain/workclock';
import { shanghaiDateTime } from '../../../shared/time';
import { makeTestCore, type TestCore } from './test-fixture';

const at = (s: string): number => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
let tc: TestCore;
beforeEach(async () => {
  tc = await makeTestCore();
});
afterEach(async () => {
  await tc.close();
});
async function call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await tc.core.registry.invoke(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const attempt = <M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> => tc.core.registry.invoke(method, input);

/** Report, register and dispatch a case of the category at the given time; its deadline. */
async function deadlineOf(categoryCode: string, when: string): Promise<string> {
  tc.clock.t = at(when);
  const { case: c } = await call('cases.create', { source: 'grid', categoryCode, lon: 120.02, lat: 30.22, actor: 'g' });
  await call('cases.act', { id: c.id, version: 1, action: 'register', actor: 'o', role: 'operator' });
  const d = await call('cases.act', { id: c.id, version: 2, action: 'dispatch', actor: 'o', role: 'operator', departmentId: 'dept-CG', unitId: 'unit-CG-t1' });
  return shanghaiDateTime(Date.parse(d.case.deadlineAt!));
}

describe('the category catalogue in the store', () => {
  it('ships the seeded classes and subcategories, version 1', async () => {
    const cat = await call('categories.list', {});
    expect(cat.classes).toHaveLength(CATEGORY_CLASSES.length);
    expect(cat.categories).toHaveLength(CATEGORIES.length);
    expect(cat.categories.find((c) => c.code === '0305')).toMatchObject({
      classCode: '03',
      name: '违法建设',
      departmentCode: 'CG',
      limit: { unit: 'work_days', value: 15 },
      filing: '未取得规划许可建设',
      closing: '拆除或依法处理',
      active: true,
      version: 1,
      updatedBy: 'system:seed',
    });
  });

  it('edits are versioned with who and when, conflicts refused, and the new limit applies to new dispatches', async () => {
    tc.clock.t = at('2026-03-02 08:00');
    const u = await call('categories.update', { code: '0101', version: 1, actor: '管理员', note: '按新标准', changes: { limit: { unit: 'work_days', value: 2 }, filing: '暴露面积大于1平方米' } });
    expect(u).toMatchObject({ version: 2, limit: { unit: 'work_days', value: 2 }, filing: '暴露面积大于1平方米', updatedBy: '管理员', updatedAt: '2026-03-02T08:00:00.000+08:00' });
    const stale = await attempt('categories.update', { code: '0101', version: 1, actor: 'x', changes: { name: '暴露垃圾2' } });
    expect(stale.ok === false && stale.error).toMatchObject({ code: 'conflict', field: 'input.version' });
    const missing = await attempt('categories.update', { code: '7777', version: 1, actor: 'x', changes: {} });
    expect(missing.ok === false && missing.error.code).toBe('not_found');
    const badDept = await attempt('categories.update', { code: '0101', version: 2, actor: 'x', changes: { departmentCode: 'ZZ' } });
    expect(badDept.ok === false && badDept.error.field).toBe('input.changes.departmentCode');
    const h = await call('categories.history', { code: '0101' });
    expect(h.map((x) => [x.version, x.op, x.actor, x.note])).toEqual([
      [1, 'seed', 'system:seed', ''],
      [2, 'update', '管理员', '按新标准'],
    ]);
    expect(h[1]!.snapshot).toMatchObject({ limit: { unit: 'work_days', value: 2 }, version: 2 });
    expect(await deadlineOf('0101', '2026-03-02 09:10')).toBe('2026-03-04 09:10');
    expect(tc.core.db.prepare("SELECT op FROM change_log WHERE entity = 'categories' AND entity_id = '0101' ORDER BY seq DESC LIMIT 1").pluck().get()).toBe('update');
  });

  it('inactive categories are hidden and refused for new cases; new ones can be added', async () => {
    await call('categories.update', { code: '0204', version: 1, actor: 'a', changes: { active: false } });
    expect((await call('categories.list', {})).categories.map((c) => c.code)).not.toContain('0204');
    expect((await call('categories.list', { includeInactive: true })).categories.map((c) => c.code)).toContain('0204');
    const refused = await attempt('cases.create', { source: 'grid', categoryCode: '0204', lon: 120.02, lat: 30.22, actor: 'g' });
    expect(refused.ok === false && refused.error).toMatchObject({ code: 'validation', field: 'input.categoryCode' });
    const created = await call('categories.create', {
      code: '0109',
      classCode: '01',
      name: '乱倒污水',
      nameEn: 'Dumped waste water',
      departmentCode: 'CG',
      limit: { unit: 'work_hours', value: 4 },
      filing: '路面污水倾倒',
      closing: '清理完毕',
      actor: '管理员',
    });
    expect(created).toMatchObject({ code: '0109', version: 1, active: true, updatedBy: '管理员' });
    expect((await call('categories.history', { code: '0109' }))[0]).toMatchObject({ op: 'create', version: 1 });
    const dup = await attempt('categories.create', { ...created, actor: 'x', keywords: [], limit: created.limit });
    expect(dup.ok).toBe(false);
    const wrongClass = await attempt('categories.create', {
      code: '0250',
      classCode: '01',
      name: 'x',
      nameEn: 'x',
      departmentCode: 'CG',
      limit: { unit: 'work_hours', value: 1 },
      filing: 'x',
      closing: 'x',
      actor: 'a',
    });
    expect(wrongClass.ok === false && wrongClass.error.field).toBe('input.code');
    expect(await deadlineOf('0109', '2026-03-02 11:00')).toBe('2026-03-02 16:30');
  });
});

describe('the work calendar', () => {
  it('defaults to the shipped calendar; edits are versioned and apply to new deadlines', async () => {
    const c0 = await call('calendar.get', {});
    expect(c0).toMatchObject({ source: 'default', version: 0, updatedAt: null, updatedBy: null });
    expect(c0.calendar).toEqual(DEFAULT_WORK_CALENDAR);
    // Default: Friday 16:00 + 1 working day → Monday 16:00.
    expect(await deadlineOf('0101', '2026-03-06 16:00')).toBe('2026-03-09 16:00');
    tc.clock.t = at('2026-03-06 17:00');
    const six = { ...DEFAULT_WORK_CALENDAR, weekdays: [1, 2, 3, 4, 5, 6] };
    const c1 = await call('calendar.set', { calendar: six, version: 0, actor: '值班长' });
    expect(c1).toMatchObject({ source: 'store', version: 1, updatedBy: '值班长', updatedAt: '2026-03-06T17:00:00.000+08:00' });
    expect((await call('calendar.get', {})).calendar.weekdays).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await deadlineOf('0101', '2026-03-06 16:00')).toBe('2026-03-07 16:00'); // Saturday now works
    const stale = await attempt('calendar.set', { calendar: DEFAULT_WORK_CALENDAR, version: 0, actor: 'x' });
    expect(stale.ok === false && stale.error.code).toBe('conflict');
    const never = await attempt('calendar.set', { calendar: { periods: [{ start: '09:00', end: '17:00' }], weekdays: [], years: {} }, version: 1, actor: 'x' });
    expect(never.ok === false && never.error).toMatchObject({ code: 'validation', field: 'input.calendar' });
    const overlap = await attempt('calendar.set', {
      calendar: { periods: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }], weekdays: [1], years: {} },
      version: 1,
      actor: 'x',
    });
    expect(overlap.ok === false && overlap.error.code).toBe('validation');
  });
});
