import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MethodName, MethodOutput, Result } from '../../../shared/api';
import { WORKFLOW_ACTIONS, WORKFLOW_ROLES, isValidSnapshot, type WorkflowAction, type WorkflowRole } from '../../../shared/domain/workflow';
import { CASE_STATES } from '../../../shared/domain/model';
import { shanghaiDateTime } from '../../../shared/time';
import { makeTestCore, T0, type TestCore } from './test-fixture';
import { scanDeadlines, snapshotOf } from './workflow';
import { getCaseRow } from './queries';
import { parseCaseData } from './data';

const MIN = 60_000;
const H = 60 * MIN;
const at = (s: string): number => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
const show = (iso: string | null): string | null => (iso === null ? null : shanghaiDateTime(Date.parse(iso)));

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
async function attempt<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
  return tc.core.registry.invoke(method, input);
}

const G1 = { lon: 120.02, lat: 30.22 };

async function newCase(extra: Record<string, unknown> = {}) {
  return call('cases.create', { source: 'public', categoryCode: '0101', ...G1, description: '路边堆放垃圾', address: '文一路 100 号', actor: '市民', ...extra });
}

async function act(id: string, action: WorkflowAction, role: WorkflowRole, fields: Record<string, unknown> = {}) {
  const cur = await call('cases.get', { id });
  return call('cases.act', { id, version: cur.version, action, actor: `${role}-1`, role, ...fields });
}

const DISPATCH = { departmentId: 'dept-CG', unitId: 'unit-CG-t1' };
const historyCount = (id: string): number => tc.core.db.prepare('SELECT COUNT(*) FROM case_events WHERE case_id = ?').pluck().get(id) as number;

describe('cases.create', () => {
  it('creates a reported case located in its grid and every level above, reporter masked', async () => {
    const r = await newCase({ reporter: { name: '张三丰', phone: '13812345678', email: 'zhang@example.com' }, urgency: 'urgent' });
    const c = r.case;
    expect(c).toMatchObject({
      state: 'reported',
      source: 'public',
      categoryCode: '0101',
      classCode: '01',
      urgency: 'urgent',
      gridId: 'area-g1',
      communityId: 'area-c1',
      townId: 'area-t1',
      districtId: 'area-d1',
      title: '文一路 100 号 暴露垃圾',
      reporterName: '张**',
      reporterPhone: '138****5678',
      version: 1,
    });
    expect(c.code).toBe('AJ20260302-00001');
    expect(c.history).toHaveLength(1);
    expect(c.history[0]).toMatchObject({ action: 'report', fromState: null, toState: 'reported', actor: '市民', role: 'operator' });
    expect(r.workflow.reporterEmail).toBe('z***@example.com');
    expect(r.workflow.allowedActions).toEqual(['register', 'cancel', 'settle_on_spot', 'merge']);
    expect(r.duplicates).toEqual([]);
    // Stored in clear, output masked.
    expect(tc.core.db.prepare('SELECT reporter_phone FROM cases WHERE id = ?').pluck().get(c.id)).toBe('13812345678');
    const second = await newCase({ lon: 120.17, lat: 30.21, categoryCode: '0601' });
    expect(second.case.code).toBe('AJ20260302-00002');
    expect(second.case.gridId).toBe('area-g4');
  });

  it('refuses unknown categories, points outside the city and future reports', async () => {
    const bad = await attempt('cases.create', { source: 'public', categoryCode: '9999', ...G1, actor: 'x' });
    expect(bad.ok === false && bad.error).toMatchObject({ code: 'validation', field: 'input.categoryCode' });
    const outside = await attempt('cases.create', { source: 'public', categoryCode: '0101', lon: 116.4, lat: 39.9, actor: 'x' });
    expect(outside.ok === false && outside.error).toMatchObject({ code: 'validation', field: 'input.lon' });
    const future = await attempt('cases.create', { source: 'public', categoryCode: '0101', ...G1, actor: 'x', reportedAt: '2026-03-03T09:00:00+08:00' });
    expect(future.ok === false && future.error.field).toBe('input.reportedAt');
    expect(tc.core.db.prepare('SELECT COUNT(*) FROM cases').pluck().get()).toBe(0);
  });

  it('emits case.created and touches the data clock', async () => {
    const seen: string[] = [];
    const off = tc.core.bus.subscribe((m) => seen.push(m.event));
    await newCase();
    off();
    expect(seen).toContain('case.created');
    expect(tc.core.lastChangeAt()).toBe(T0);
  });
});

describe('the closed loop with the working clock', () => {
  it('dispatch starts the deadline, 80 % warns, handle pauses, rework resumes with what was left, pass closes on time', async () => {
    const { case: c } = await newCase();
    tc.clock.t = at('2026-03-02 09:05');
    await act(c.id, 'register', 'operator', { note: '核实属实' });
    tc.clock.t = at('2026-03-02 09:10');
    const d = await act(c.id, 'dispatch', 'operator', DISPATCH);
    expect(d.case).toMatchObject({ state: 'dispatched', departmentId: 'dept-CG', unitId: 'unit-CG-t1' });
    expect(show(d.case.deadlineAt)).toBe('2026-03-03 09:10'); // 暴露垃圾: 1 working day
    expect(d.workflow.clock).toMatchObject({ running: true, allottedWorkMs: 7.5 * H, remainingWorkMs: 7.5 * H, fractionUsed: 0, warning: false, overdue: false });
    expect(show(d.workflow.clock.warnAt)).toBe('2026-03-02 16:40'); // 6 working hours later

    tc.clock.t = at('2026-03-02 09:20');
    await act(c.id, 'accept', 'unit');
    tc.clock.t = at('2026-03-02 16:39');
    expect(scanDeadlines(tc.core).warned).toBe(0);
    tc.clock.t = at('2026-03-02 16:40');
    const events: string[] = [];
    const off = tc.core.bus.subscribe((m) => {
      if (m.event === 'case.updated') events.push((m.payload as { action: string }).action);
    });
    expect(scanDeadlines(tc.core)).toMatchObject({ warned: 1, overdue: 0 });
    off();
    expect(events).toEqual(['warning']);
    let w = await call('cases.workflow', { id: c.id });
    expect(w.clock.warning).toBe(true);
    expect(w.clock.fractionUsed).toBeCloseTo(0.8, 4);

    tc.clock.t = at('2026-03-02 16:50');
    const h = await act(c.id, 'handle', 'unit', { note: '已清运', attachments: [{ kind: 'photo', url: 'att://after-1.jpg' }] });
    expect(h.case.state).toBe('handled');
    expect(show(h.workflow.clock.pausedAt)).toBe('2026-03-02 16:50');
    expect(h.workflow.clock.remainingWorkMs).toBe(80 * MIN); // 16:50–17:30 and 08:30–09:10
    expect(h.workflow.attachments).toMatchObject([{ kind: 'photo', url: 'att://after-1.jpg', action: 'handle', actor: 'unit-1' }]);

    tc.clock.t = at('2026-03-03 10:00'); // after the original deadline, but the clock was paused
    expect(scanDeadlines(tc.core).overdue).toBe(0);
    const f = await act(c.id, 'verify_fail', 'inspector', { note: '仍有残留' });
    expect(f.case.state).toBe('rework');
    expect(show(f.case.deadlineAt)).toBe('2026-03-03 11:20'); // 80 minutes left
    expect(f.workflow.clock.warning).toBe(true);

    tc.clock.t = at('2026-03-03 11:00');
    await act(c.id, 'handle', 'unit', { note: '二次清理' });
    tc.clock.t = at('2026-03-03 14:00');
    const p = await act(c.id, 'verify_pass', 'inspector');
    expect(p.case).toMatchObject({ state: 'closed', overdue: false });
    expect(show(p.case.closedAt)).toBe('2026-03-03 14:00');
    expect(p.workflow.allowedActions).toEqual([]); // for the inspector who acted
    expect((await call('cases.workflow', { id: c.id })).allowedActions).toEqual(['reopen']);
    expect((await call('cases.workflow', { id: c.id, role: 'commander' })).allowedActions).toEqual(['reopen']);
    expect(p.case.history.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'warning', 'handle', 'verify_fail', 'handle', 'verify_pass']);
    for (const e of p.case.history) {
      expect(e.actor.length).toBeGreaterThan(0);
      expect(e.role.length).toBeGreaterThan(0);
    }
    w = await call('cases.workflow', { id: c.id });
    expect(w.clock.running).toBe(false);
  });

  it('overdue cases are supervised automatically; a supervisor escalates level by level', async () => {
    const { case: c } = await newCase({ categoryCode: '0103' }); // 道路不洁: 5 working hours
    await act(c.id, 'register', 'operator');
    await act(c.id, 'dispatch', 'operator', DISPATCH);
    const r0 = getCaseRow(tc.core.db, c.id)!;
    expect(shanghaiDateTime(r0.deadline_at!)).toBe('2026-03-02 15:30');
    tc.clock.t = at('2026-03-02 15:31');
    const seen: string[] = [];
    const off = tc.core.bus.subscribe((m) => {
      if (m.event === 'case.updated') seen.push((m.payload as { action: string }).action);
    });
    expect(scanDeadlines(tc.core)).toMatchObject({ overdue: 1 });
    off();
    expect(seen).toEqual(['overdue']);
    let cur = await call('cases.get', { id: c.id });
    expect(cur).toMatchObject({ overdue: true, supervised: true });
    expect(cur.history.at(-1)).toMatchObject({ action: 'supervise', actor: 'system', role: 'system', note: '超过处置时限，自动督办' });
    let w = await call('cases.workflow', { id: c.id });
    expect(w.supervision).toEqual({ level: 1, name: '中心督办', supervised: true });
    expect(w.clock.remainingWorkMs).toBe(-1 * MIN);
    expect(scanDeadlines(tc.core).overdue).toBe(0); // only once

    await act(c.id, 'supervise', 'supervisor', { note: '请区级督办' });
    w = await call('cases.workflow', { id: c.id });
    expect(w.supervision.level).toBe(2);
    await act(c.id, 'supervise', 'supervisor', { note: '市级督办' });
    cur = await call('cases.get', { id: c.id });
    const top = await attempt('cases.act', { id: c.id, version: cur.version, action: 'supervise', actor: 's', role: 'supervisor', note: '再督办' });
    expect(top.ok === false && top.error.code).toBe('invalid_transition');
  });

  it('an approved extension moves the deadline and clears overdue', async () => {
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    tc.clock.t = at('2026-03-02 09:10');
    await act(c.id, 'dispatch', 'operator', DISPATCH);
    await act(c.id, 'accept', 'unit');
    await act(c.id, 'request_extension', 'unit', { note: '需协调物业', extension: { unit: 'work_hours', value: 2 } });
    const w = await call('cases.workflow', { id: c.id });
    expect(w.extensionRequest).toMatchObject({ extension: { unit: 'work_hours', value: 2 }, note: '需协调物业', actor: 'unit-1' });
    expect(w.allowedActions).toContain('approve_extension');
    tc.clock.t = at('2026-03-03 09:30'); // already 20 minutes overdue
    scanDeadlines(tc.core);
    expect((await call('cases.get', { id: c.id })).overdue).toBe(true);
    const a = await act(c.id, 'approve_extension', 'commander', { note: '同意' });
    expect(show(a.case.deadlineAt)).toBe('2026-03-03 11:10');
    expect(a.case.overdue).toBe(false);
    expect(a.workflow.clock.allottedWorkMs).toBe(9.5 * H);
    expect(a.workflow.extensionRequest).toBeNull();
    const again = await attempt('cases.act', { id: c.id, version: a.case.version, action: 'approve_extension', actor: 'c', role: 'commander' });
    expect(again.ok === false && again.error.code).toBe('invalid_transition');
  });

  it('suspension pauses the clock and resume restores the time that was left', async () => {
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    tc.clock.t = at('2026-03-02 09:10');
    await act(c.id, 'dispatch', 'operator', DISPATCH);
    tc.clock.t = at('2026-03-02 11:00');
    const s = await act(c.id, 'suspend', 'commander', { note: '需纳入改造计划' });
    expect(s.case.state).toBe('suspended');
    expect(s.workflow.suspendedFrom).toBe('dispatched');
    tc.clock.t = at('2026-03-04 09:00');
    expect(scanDeadlines(tc.core).overdue).toBe(0);
    const r = await act(c.id, 'resume', 'commander');
    expect(r.case.state).toBe('dispatched');
    expect(show(r.case.deadlineAt)).toBe('2026-03-04 16:10'); // 5 h 40 min were left
  });

  it('return clears the clock; re-dispatch starts a new one', async () => {
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    await act(c.id, 'dispatch', 'operator', DISPATCH);
    tc.clock.t = at('2026-03-02 10:00');
    const r = await act(c.id, 'return', 'unit', { note: '属于物业管理范围' });
    expect(r.case).toMatchObject({ state: 'returned', deadlineAt: null, unitId: null });
    const ev = tc.core.db.prepare("SELECT data FROM case_events WHERE case_id = ? AND action = 'return'").pluck().get(c.id) as string;
    expect(JSON.parse(ev)).toMatchObject({ departmentId: 'dept-CG', unitId: 'unit-CG-t1' });
    const d = await act(c.id, 'dispatch', 'commander', { departmentId: 'dept-JZ', unitId: 'unit-JZ-t1' });
    expect(show(d.case.deadlineAt)).toBe('2026-03-03 10:00');
  });

  it('settle on the spot registers and closes in one recorded step; reopen brings it back', async () => {
    const { case: c } = await newCase({ categoryCode: '1001' });
    const s = await act(c.id, 'settle_on_spot', 'operator', { note: '双方当场和解' });
    expect(s.case).toMatchObject({ state: 'closed' });
    expect(s.case.registeredAt).toBe(s.case.closedAt);
    expect(s.case.history.map((e) => e.action)).toEqual(['report', 'settle_on_spot']);
    const r = await act(c.id, 'reopen', 'commander', { note: '纠纷再起' });
    expect(r.case).toMatchObject({ state: 'registered', closedAt: null });
  });
});

describe('refusals change nothing', () => {
  it('stale version → conflict', async () => {
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    const before = getCaseRow(tc.core.db, c.id)!;
    const r = await attempt('cases.act', { id: c.id, version: 1, action: 'cancel', actor: 'x', role: 'operator', note: '重复' });
    expect(r.ok === false && r.error).toMatchObject({ code: 'conflict', field: 'input.version' });
    expect(getCaseRow(tc.core.db, c.id)).toEqual(before);
    expect(historyCount(c.id)).toBe(2);
  });

  it('impossible transitions name the state and what is allowed', async () => {
    const { case: c } = await newCase();
    const r = await attempt('cases.act', { id: c.id, version: 1, action: 'handle', actor: 'x', role: 'unit', note: '处理了' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_transition');
    expect(r.error.message).toContain('state reported');
    expect(r.error.message).toContain('allowed: register, cancel, supervise, settle_on_spot, merge');
    expect(historyCount(c.id)).toBe(1);
  });

  it('roles, fields and references are checked', async () => {
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    const v = getCaseRow(tc.core.db, c.id)!.version;
    const wrongRole = await attempt('cases.act', { id: c.id, version: v, action: 'dispatch', actor: 'x', role: 'unit', ...DISPATCH });
    expect(wrongRole.ok === false && wrongRole.error.code).toBe('forbidden');
    const noUnit = await attempt('cases.act', { id: c.id, version: v, action: 'dispatch', actor: 'x', role: 'operator', departmentId: 'dept-CG' });
    expect(noUnit.ok === false && noUnit.error).toMatchObject({ code: 'validation', field: 'input.unitId' });
    const mismatch = await attempt('cases.act', { id: c.id, version: v, action: 'dispatch', actor: 'x', role: 'operator', departmentId: 'dept-CG', unitId: 'unit-JJ-d1' });
    expect(mismatch.ok === false && mismatch.error).toMatchObject({ code: 'validation', field: 'input.unitId' });
    const noReason = await attempt('cases.act', { id: c.id, version: v, action: 'cancel', actor: 'x', role: 'operator' });
    expect(noReason.ok === false && noReason.error.field).toBe('input.note');
    const unknown = await attempt('cases.act', { id: 'case-nope', version: 1, action: 'register', actor: 'x', role: 'operator' });
    expect(unknown.ok === false && unknown.error.code).toBe('not_found');
    expect(getCaseRow(tc.core.db, c.id)!.version).toBe(v);
    expect(historyCount(c.id)).toBe(2);
  });

  it('random action sequences against the store: one history row per applied action, none otherwise (property)', async () => {
    const target = (await newCase({ lon: 120.17, lat: 30.21 })).case.id;
    const fieldsFor: Record<WorkflowAction, Record<string, unknown>> = {
      register: { note: '立案' },
      cancel: { note: '无效上报' },
      dispatch: DISPATCH,
      accept: {},
      return: { note: '非本单位' },
      handle: { note: '已处理' },
      verify_pass: {},
      verify_fail: { note: '未达标' },
      request_extension: { note: '需延期', extension: { unit: 'work_hours', value: 1 } },
      approve_extension: {},
      reject_extension: { note: '不同意' },
      suspend: { note: '挂账' },
      resume: {},
      reopen: { note: '重开' },
      supervise: { note: '督办' },
      settle_on_spot: { note: '当场解决' },
      merge: { targetId: target },
    };
    const cmd = fc.record({
      action: fc.constantFrom(...WORKFLOW_ACTIONS),
      role: fc.constantFrom(...WORKFLOW_ROLES),
      stale: fc.boolean(),
      minutes: fc.integer({ min: 0, max: 600 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), async (cmds) => {
        const { case: c } = await newCase();
        for (const k of cmds) {
          tc.advance(k.minutes * MIN);
          const before = getCaseRow(tc.core.db, c.id)!;
          const n = historyCount(c.id);
          const r = await attempt('cases.act', {
            id: c.id,
            version: k.stale ? before.version - 1 : before.version,
            action: k.action,
            actor: 'p',
            role: k.role,
            ...fieldsFor[k.action],
          });
          const after = getCaseRow(tc.core.db, c.id)!;
          if (r.ok) {
            expect(after.version).toBe(before.version + 1);
            expect(historyCount(c.id)).toBe(n + 1);
            const last = tc.core.db.prepare('SELECT action, actor, role, at, to_state FROM case_events WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(c.id);
            expect(last).toMatchObject({ action: k.action, actor: 'p', role: k.role, at: tc.clock.t, to_state: after.state });
          } else {
            expect(after).toEqual(before);
            expect(historyCount(c.id)).toBe(n);
          }
          expect(CASE_STATES).toContain(after.state);
          expect(isValidSnapshot(snapshotOf(after, parseCaseData(after.data)))).toBe(true);
          if (after.state === 'closed' || after.state === 'cancelled') expect(after.deadline_at === null || after.paused_at === null).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('duplicates and merging', () => {
  it('flags a case of the same category within 50 m and 2 h of an open case', async () => {
    const a = await newCase();
    tc.advance(60 * MIN);
    const b = await newCase({ lon: G1.lon + 0.0003 }); // ≈ 29 m east
    expect(b.duplicates).toHaveLength(1);
    expect(b.duplicates[0]).toMatchObject({ id: a.case.id, minutesApart: 60 });
    expect(b.duplicates[0]!.distanceM).toBeGreaterThan(25);
    expect(b.duplicates[0]!.distanceM).toBeLessThan(35);
    expect(b.proposedMergeTarget).toBe(a.case.id);
    expect(b.workflow.possibleDuplicateOf).toBe(a.case.id);
    expect((await newCase({ lon: G1.lon + 0.0006 })).duplicates.map((d) => d.id)).not.toContain(a.case.id); // ≈ 58 m
    expect((await newCase({ categoryCode: '0201' })).duplicates).toEqual([]);
    tc.advance(2 * H);
    const late = await newCase();
    expect(late.duplicates.map((d) => d.id)).not.toContain(a.case.id);
    const listed = await call('cases.duplicates', { id: b.case.id });
    expect(listed.candidates.map((d) => d.id)).toContain(a.case.id);
    // Closed cases are not merge targets.
    await act(a.case.id, 'settle_on_spot', 'operator', { note: '已处理' });
    expect((await call('cases.duplicates', { id: b.case.id })).candidates.map((d) => d.id)).not.toContain(a.case.id);
  });

  it('merging cancels the duplicate with links both ways and keeps both histories', async () => {
    const a = await newCase();
    await act(a.case.id, 'register', 'operator');
    const b = await newCase({ lon: G1.lon + 0.0002 });
    const m = await call('cases.merge', { sourceId: b.case.id, targetId: a.case.id, version: b.case.version, actor: '坐席1', role: 'operator', note: '同一堆垃圾' });
    expect(m.source.state).toBe('cancelled');
    expect(m.target.state).toBe('registered');
    expect(m.source.history.map((e) => e.action)).toEqual(['report', 'merge']);
    expect(m.target.history.map((e) => e.action)).toEqual(['report', 'register', 'merge']);
    expect(m.target.history.at(-1)!.note).toContain(b.case.code);
    const wa = await call('cases.workflow', { id: a.case.id });
    const wb = await call('cases.workflow', { id: b.case.id });
    expect(wa.links).toContainEqual({ caseId: b.case.id, kind: 'merged_from' });
    expect(wb.links).toContainEqual({ caseId: a.case.id, kind: 'merged_into' });
    expect(wb.mergedInto).toBe(a.case.id);
    const self = await attempt('cases.merge', { sourceId: a.case.id, targetId: a.case.id, version: m.target.version, actor: 'x', role: 'operator' });
    expect(self.ok === false && self.error.code).toBe('validation');
    const intoClosed = await attempt('cases.merge', { sourceId: a.case.id, targetId: b.case.id, version: m.target.version, actor: 'x', role: 'operator' });
    expect(intoClosed.ok === false && intoClosed.error.code).toBe('invalid_transition');
  });
});

describe('routing proposals', () => {
  it('category → department; point → grid → responsible unit, grid workers; nearest on-duty staff', async () => {
    const p = await call('cases.proposeAssignee', { categoryCode: '0101', ...G1, limit: 3 });
    expect(p.department).toMatchObject({ id: 'dept-CG', code: 'CG' });
    expect(p.grid).toMatchObject({ id: 'area-g1', name: '一号网格' });
    expect(p.chain).toEqual({ gridId: 'area-g1', communityId: 'area-c1', townId: 'area-t1', districtId: 'area-d1' });
    expect(p.responsibleUnit).toMatchObject({ id: 'unit-JZ-t1' });
    expect(p.unit).toMatchObject({ id: 'unit-CG-t1', reason: 'department_in_area' });
    expect(p.gridWorkers.map((s) => s.id).sort()).toEqual(['s-gl1', 's-gw1']);
    expect(p.nearestStaff.map((s) => s.id)).toEqual(['s-cg1', 's-gw1', 's-gl1']);
    expect(p.nearestStaff[0]).toMatchObject({ onDuty: true, positionAgeMin: 2 });
    expect(p.nearestStaff[0]!.distanceM).toBeLessThan(100);
    expect(p.nearestStaff.map((s) => s.id)).not.toContain('s-cg3'); // off duty
    // The deepest unit of the department wins; a department without a local unit falls back.
    expect((await call('cases.proposeAssignee', { categoryCode: '0101', lon: 120.17, lat: 30.21 })).unit).toMatchObject({ id: 'unit-CG-g4', reason: 'department_in_area' });
    expect((await call('cases.proposeAssignee', { categoryCode: '0107', ...G1 })).unit).toMatchObject({ id: 'unit-HB-any', reason: 'department_any' });
    // By case, with the open load of the nearest staff.
    const { case: c } = await newCase();
    await act(c.id, 'register', 'operator');
    await act(c.id, 'dispatch', 'operator', { ...DISPATCH, assigneeId: 's-cg1' });
    const byCase = await call('cases.proposeAssignee', { caseId: c.id, limit: 1 });
    expect(byCase.nearestStaff[0]).toMatchObject({ id: 's-cg1', openCases: 1 });
  });
});
