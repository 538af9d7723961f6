/**
 * Evaluation figures against hand-computed values. The scenario (week of Mon 2 March 2026;
 * category 0101 暴露垃圾 has a limit of 1 working day = 7.5 working hours; 1001 邻里纠纷):
 *
 *  A G1 Mon 09:00 reported, dispatched CG 09:10, handled 15:00, passed 16:00 (on time; handling 4 h 20 min)
 *  B G1 Mon 09:30 reported, dispatched CG 09:40 (deadline Tue 09:40), handled Tue 10:00 (late → overdue), passed Tue 11:00
 *                 (handling 7 h 50 min)
 *  C G3 Mon 10:00 reported, dispatched JZ 10:10, returned by JZ 11:00, re-dispatched CG 11:30 (deadline Tue 11:30),
 *                 extension of 1 working day approved (deadline Wed 11:30), still open → overdue at the Wed 12:00 scan
 *  D G3 Mon 11:00 reported, settled on the spot 11:05 (closed, no dispatch)
 *  E G1 Mon 13:00 reported, cancelled 13:10
 *  F G3 Mon 14:00 reported, dispatched CG 14:10, handled 16:00, failed Tue 09:00 (rework; deadline moves to Tue 16:10),
 *                 handled Tue 15:00, passed Tue 15:30 (on time, reworked; handling 8 h 20 min)
 *  G G1 Mon 15:00 reported, dispatched CG 15:10 (deadline Tue 15:10), suspended Mon 16:00 (挂账)
 *  H G1 Tue 09:00 reported, dispatched CG 09:10 (deadline Wed 09:10), still open → overdue
 *  I G3 Wed 11:00 reported, dispatched CG 11:10 (deadline Thu 11:10: not yet due on Wed 12:00)
 *
 * Evaluated on Wed 4 March 12:00, after the deadline scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../../shared/api';
import type { EvaluationRow } from '../../../shared/api/evaluation';
import type { WorkflowAction, WorkflowRole } from '../../../shared/domain/workflow';
import { makeTestCore, type TestCore } from './test-fixture';
import { scanDeadlines } from './workflow';
import { evaluate } from './evaluation';
import { syncFacts } from './facts';
import { workClock } from './calendar';

const at = (s: string): number => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
let tc: TestCore;

async function call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await tc.core.registry.invoke(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}
async function report(when: string, where: { lon: number; lat: number }, categoryCode = '0101'): Promise<string> {
  tc.clock.t = at(when);
  return (await call('cases.create', { source: 'grid', categoryCode, ...where, actor: '网格员' })).case.id;
}
async function act(id: string, when: string, action: WorkflowAction, role: WorkflowRole, fields: Record<string, unknown> = {}): Promise<void> {
  tc.clock.t = at(when);
  const cur = await call('cases.get', { id });
  await call('cases.act', { id, version: cur.version, action, actor: `${role}-1`, role, ...fields });
}
const CG = { departmentId: 'dept-CG', unitId: 'unit-CG-t1' };
const JZ = { departmentId: 'dept-JZ', unitId: 'unit-JZ-t1' };
const G1 = { lon: 120.02, lat: 30.22 };
const G3 = { lon: 120.12, lat: 30.22 };
const ids: Record<string, string> = {};

async function dispatched(id: string, day: string, t: string, to = CG): Promise<void> {
  await act(id, `${day} ${t}`, 'register', 'operator');
  await act(id, `${day} ${t}`, 'dispatch', 'operator', to);
}

beforeAll(async () => {
  tc = await makeTestCore();
  ids.A = await report('2026-03-02 09:00', G1);
  await dispatched(ids.A, '2026-03-02', '09:10');
  await act(ids.A, '2026-03-02 09:20', 'accept', 'unit');
  await act(ids.A, '2026-03-02 15:00', 'handle', 'unit', { note: '已清运' });
  await act(ids.A, '2026-03-02 16:00', 'verify_pass', 'inspector');

  ids.B = await report('2026-03-02 09:30', G1);
  await dispatched(ids.B, '2026-03-02', '09:40');
  await act(ids.B, '2026-03-02 09:50', 'accept', 'unit');

  ids.C = await report('2026-03-02 10:00', G3);
  await dispatched(ids.C, '2026-03-02', '10:10', JZ);
  await act(ids.C, '2026-03-02 11:00', 'return', 'unit', { note: '不属于街道' });
  await act(ids.C, '2026-03-02 11:30', 'dispatch', 'commander', CG);
  await act(ids.C, '2026-03-02 11:40', 'accept', 'unit');
  await act(ids.C, '2026-03-02 11:50', 'request_extension', 'unit', { note: '需协调', extension: { unit: 'work_days', value: 1 } });
  await act(ids.C, '2026-03-02 12:00', 'approve_extension', 'commander');

  ids.D = await report('2026-03-02 11:00', G3, '1001');
  await act(ids.D, '2026-03-02 11:05', 'settle_on_spot', 'operator', { note: '当场调解' });

  ids.E = await report('2026-03-02 13:00', G1);
  await act(ids.E, '2026-03-02 13:10', 'cancel', 'operator', { note: '无效上报' });

  ids.F = await report('2026-03-02 14:00', G3);
  await dispatched(ids.F, '2026-03-02', '14:10');
  await act(ids.F, '2026-03-02 14:20', 'accept', 'unit');
  await act(ids.F, '2026-03-02 16:00', 'handle', 'unit', { note: '已清理' });

  ids.G = await report('2026-03-02 15:00', G1);
  await dispatched(ids.G, '2026-03-02', '15:10');
  await act(ids.G, '2026-03-02 16:00', 'suspend', 'commander', { note: '需改造' });

  await act(ids.F, '2026-03-03 09:00', 'verify_fail', 'inspector', { note: '未清理干净' });
  ids.H = await report('2026-03-03 09:00', G1);
  await dispatched(ids.H, '2026-03-03', '09:10');
  await act(ids.B, '2026-03-03 10:00', 'handle', 'unit', { note: '已清运' });
  await act(ids.B, '2026-03-03 11:00', 'verify_pass', 'inspector');
  await act(ids.F, '2026-03-03 15:00', 'handle', 'unit', { note: '再次清理' });
  await act(ids.F, '2026-03-03 15:30', 'verify_pass', 'inspector');

  ids.I = await report('2026-03-04 11:00', G3);
  await dispatched(ids.I, '2026-03-04', '11:10');
  tc.clock.t = at('2026-03-04 12:00');
  scanDeadlines(tc.core);
});
afterAll(async () => {
  await tc.close();
});

const row = (rows: EvaluationRow[], key: string | null): EvaluationRow => {
  const r = rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key}`);
  return r;
};

describe('evaluation.query against hand-computed figures', () => {
  it('the scenario is what the comment says', async () => {
    const states = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, (await call('cases.get', { id })).state])));
    expect(states).toEqual({ A: 'closed', B: 'closed', C: 'accepted', D: 'closed', E: 'cancelled', F: 'closed', G: 'suspended', H: 'dispatched', I: 'dispatched' });
    const flags = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, (await call('cases.get', { id })).overdue])));
    expect(flags).toEqual({ A: false, B: true, C: true, D: false, E: false, F: false, G: false, H: true, I: false });
  });

  it('Monday, by department', async () => {
    const r = await call('evaluation.query', { groupBy: 'department', period: 'day', date: '2026-03-02' });
    expect(r.from).toBe('2026-03-02T00:00:00.000+08:00');
    expect(r.to).toBe('2026-03-03T00:00:00.000+08:00');
    expect(r.asOf).toBe(r.to);
    expect(row(r.rows, 'dept-CG')).toEqual({
      key: 'dept-CG',
      name: '城管执法局',
      received: 5,
      registered: 5,
      dispatched: 5,
      closed: 1,
      due: 1,
      deferred: 0,
      closedDue: 1,
      closedOnTime: 1,
      overdue: 0,
      reworked: 0,
      extended: 1,
      returned: 0,
      closeRate: 1,
      onTimeRate: 1,
      reworkRate: 0,
      extensionRate: 0.2,
      returnRate: 0,
      avgHandlingWorkHours: 4.33,
    });
    expect(row(r.rows, 'dept-JZ')).toMatchObject({ received: 0, dispatched: 0, returned: 1, returnRate: 1 });
    expect(row(r.rows, null)).toMatchObject({ name: '（未指定）', received: 2, registered: 1, closed: 1, due: 1, closedDue: 1, closedOnTime: 1, avgHandlingWorkHours: null });
    expect(r.total).toMatchObject({ name: '合计', received: 7, registered: 6, dispatched: 5, closed: 2, due: 2, closedDue: 2, closedOnTime: 2, returned: 1, extended: 1 });
  });

  it('the running week, by department: due only up to now', async () => {
    const r = await call('evaluation.query', { groupBy: 'department', period: 'week', date: '2026-03-06' });
    expect(r.from).toBe('2026-03-02T00:00:00.000+08:00');
    expect(r.to).toBe('2026-03-09T00:00:00.000+08:00');
    expect(r.asOf).toBe('2026-03-04T12:00:00.000+08:00');
    expect(row(r.rows, 'dept-CG')).toEqual({
      key: 'dept-CG',
      name: '城管执法局',
      received: 7,
      registered: 7,
      dispatched: 7,
      closed: 3,
      due: 6,
      deferred: 1,
      closedDue: 3,
      closedOnTime: 2,
      overdue: 3,
      reworked: 1,
      extended: 1,
      returned: 0,
      closeRate: 0.6,
      onTimeRate: 0.4,
      reworkRate: 0.3333,
      extensionRate: 0.1429,
      returnRate: 0,
      avgHandlingWorkHours: 6.83,
    });
    expect(r.total).toMatchObject({ received: 9, registered: 8, dispatched: 7, closed: 4, due: 7, deferred: 1, closedDue: 4, closedOnTime: 3, overdue: 3, reworked: 1, extended: 1, returned: 1 });
    expect(r.total.closeRate).toBe(0.6667);
    expect(r.total.onTimeRate).toBe(0.5);
  });

  it('the week by grid', async () => {
    const r = await call('evaluation.query', { groupBy: 'grid', period: 'week', date: '2026-03-04' });
    expect(row(r.rows, 'area-g1')).toMatchObject({ name: '一号网格', received: 5, registered: 4, dispatched: 4, closed: 2, due: 4, deferred: 1, closedDue: 2, closedOnTime: 1, overdue: 2, avgHandlingWorkHours: 6.08 });
    expect(row(r.rows, 'area-g3')).toMatchObject({
      received: 4,
      registered: 4,
      dispatched: 3,
      closed: 2,
      due: 3,
      closedDue: 2,
      closedOnTime: 2,
      overdue: 1,
      reworked: 1,
      extended: 1,
      returned: 1,
      avgHandlingWorkHours: 8.33,
    });
    expect(r.rows.map((x) => x.key)).toEqual(['area-g1', 'area-g3']);
  });

  it('the month by town and district, and a district-filtered view by department (computed from the facts) agree with the rollups', async () => {
    const town = await call('evaluation.query', { groupBy: 'town', period: 'month', date: '2026-03-15' });
    expect(town.rows).toHaveLength(1);
    expect(town.rows[0]).toMatchObject({ key: 'area-t1', received: 9, due: 7 });
    const rollup = await call('evaluation.query', { groupBy: 'department', period: 'month', date: '2026-03-15' });
    const facts = await call('evaluation.query', { groupBy: 'department', period: 'month', date: '2026-03-15', areaId: 'area-d1' });
    expect(facts.rows).toEqual(rollup.rows);
    expect(facts.total).toEqual(rollup.total);
    const grids = await call('evaluation.query', { groupBy: 'grid', period: 'week', date: '2026-03-04', areaId: 'area-c1' });
    expect(grids.rows.map((x) => x.key)).toEqual(['area-g1']);
    const units = await call('evaluation.query', { groupBy: 'unit', period: 'week', date: '2026-03-04', departmentId: 'dept-JZ' });
    expect(units.rows).toEqual([expect.objectContaining({ key: 'unit-JZ-t1', returned: 1 })]);
    const gridsOfCg = await call('evaluation.query', { groupBy: 'grid', period: 'week', date: '2026-03-04', departmentId: 'dept-CG' });
    expect(row(gridsOfCg.rows, 'area-g1')).toMatchObject({ received: 4, due: 4 });
  });

  it('an empty window has no rows and null rates', async () => {
    const r = await call('evaluation.query', { groupBy: 'department', period: 'day', date: '2026-02-01' });
    expect(r.rows).toEqual([]);
    expect(r.total).toMatchObject({ received: 0, closeRate: null, onTimeRate: null, avgHandlingWorkHours: null });
  });

  it('incremental updates equal a full rebuild', async () => {
    await act(ids.C, '2026-03-04 12:10', 'handle', 'unit', { note: '已处理' });
    await act(ids.C, '2026-03-04 12:20', 'verify_pass', 'inspector');
    await act(ids.G, '2026-03-04 12:30', 'resume', 'commander');
    const week = await call('evaluation.query', { groupBy: 'department', period: 'week', date: '2026-03-04' });
    expect(row(week.rows, 'dept-CG')).toMatchObject({ closed: 4, closedDue: 4, deferred: 0, overdue: 3, closedOnTime: 2 });
    const dump = (): unknown[] => tc.core.db.prepare('SELECT * FROM eval_rollup WHERE received + registered + dispatched + closed + due + handling_n > 0 ORDER BY period, bucket, kind, key').all();
    const facts = (): unknown[] => tc.core.db.prepare('SELECT * FROM case_facts ORDER BY case_rid').all();
    const before = { rollup: dump(), facts: facts() };
    tc.core.db.prepare("DELETE FROM meta WHERE key = 'facts_version'").run();
    expect(syncFacts(tc.core.db, workClock(tc.core.db)).mode).toBe('rebuild');
    expect(facts()).toEqual(before.facts);
    expect(dump()).toEqual(before.rollup);
    expect(evaluate(tc.core.db, { groupBy: 'department', period: 'week', date: '2026-03-04' }, tc.clock.t)).toEqual(week);
  });

  it('exports CSV with a BOM, Chinese headers and a total row', async () => {
    const r = await call('evaluation.csv', { groupBy: 'department', period: 'day', date: '2026-03-02' });
    expect(r.csv.startsWith('\uFEFF编号,名称,受理数,立案数,派遣数,结案数,应结案数,缓办数,应结已结数,按期结案数,超期数,返工数,延期数,回退数,结案率,按期结案率,返工率,延期率,回退率,平均处置时长(工作小时)\r\n')).toBe(true);
    const lines = r.csv.trim().split('\r\n');
    expect(lines).toHaveLength(r.rows + 2);
    expect(lines.find((l) => l.startsWith('dept-CG,'))).toBe('dept-CG,城管执法局,5,5,5,1,1,0,1,1,0,0,1,0,100.00%,100.00%,0.00%,20.00%,0.00%,4.33');
    expect(lines.at(-1)!.startsWith(',合计,7,6,5,2,2,')).toBe(true);
    expect(r.filename).toBe('综合评价-department-day-2026-03-02.csv');
  });

  it('refuses unknown areas and departments', async () => {
    const a = await tc.core.registry.invoke('evaluation.query', { groupBy: 'grid', period: 'day', areaId: 'area-nope' });
    expect(a.ok === false && a.error.code).toBe('not_found');
    const d = await tc.core.registry.invoke('evaluation.query', { groupBy: 'unit', period: 'day', departmentId: 'dept-nope' });
    expect(d.ok === false && d.error.code).toBe('not_found');
  });
});
