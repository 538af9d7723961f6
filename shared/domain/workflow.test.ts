import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTION_FIELDS,
  WORKFLOW_ACTIONS,
  WORKFLOW_ROLES,
  allowedActions,
  apply,
  historyEntry,
  initialSnapshot,
  isValidSnapshot,
  type ActorRole,
  type HistoryEntry,
  type WorkflowAction,
  type WorkflowSnapshot,
} from './workflow';
import { CASE_STATES } from './model';

/** Valid fields for each action (what a careful operator would send). */
const VALID: Record<WorkflowAction, Record<string, unknown>> = {
  register: { note: '核实属实' },
  cancel: { note: '重复上报，不予立案' },
  dispatch: { departmentId: 'dep-CG', unitId: 'unit-1' },
  accept: {},
  return: { note: '不属于本单位职责' },
  handle: { note: '已清理完毕', attachments: [{ kind: 'photo', url: 'att://1.jpg' }] },
  verify_pass: { note: '现场核查通过' },
  verify_fail: { note: '仍有残留' },
  request_extension: { note: '需协调产权单位', extension: { unit: 'work_days', value: 2 } },
  approve_extension: {},
  reject_extension: { note: '理由不充分' },
  suspend: { note: '需纳入年度改造计划' },
  resume: {},
  reopen: { note: '群众反映问题复发' },
  supervise: { note: '请加快处置' },
  settle_on_spot: { note: '当场劝离' },
  merge: { targetId: 'case-2' },
};

/** The model a property test drives: the pure snapshot plus its history. */
interface ModelCase {
  snap: WorkflowSnapshot;
  history: HistoryEntry[];
}

function step(c: ModelCase, action: WorkflowAction, role: ActorRole, fields: unknown, at: number): { c: ModelCase; ok: boolean; code?: string } {
  const r = apply(c.snap, { action, role, fields });
  if (!r.ok) return { c, ok: false, code: r.error.code };
  return { c: { snap: r.next, history: [...c.history, historyEntry(r, `actor-${role}`, role, at)] }, ok: true };
}

describe('the closed loop, step by step', () => {
  it('report → register → dispatch → accept → handle → fail → rework → handle → pass → closed', () => {
    let c: ModelCase = { snap: initialSnapshot(), history: [] };
    const seq: Array<[WorkflowAction, ActorRole]> = [
      ['register', 'operator'],
      ['dispatch', 'operator'],
      ['accept', 'unit'],
      ['handle', 'unit'],
      ['verify_fail', 'inspector'],
      ['handle', 'unit'],
      ['verify_pass', 'inspector'],
    ];
    const states: string[] = [];
    seq.forEach(([a, role], i) => {
      const r = step(c, a, role, VALID[a], 1000 + i);
      expect(r.ok).toBe(true);
      c = r.c;
      states.push(c.snap.state);
    });
    expect(states).toEqual(['registered', 'dispatched', 'accepted', 'handled', 'rework', 'handled', 'closed']);
    expect(c.history.map((h) => h.action)).toEqual(seq.map(([a]) => a));
    expect(allowedActions(c.snap)).toEqual(['reopen']);
  });

  it('clock effects follow the loop', () => {
    const at = (state: WorkflowSnapshot['state'], extra: Partial<WorkflowSnapshot> = {}): WorkflowSnapshot => ({ ...initialSnapshot(), state, ...extra });
    const eff = (s: WorkflowSnapshot, a: WorkflowAction, role: ActorRole): string => {
      const r = apply(s, { action: a, role, fields: VALID[a] });
      if (!r.ok) throw new Error(r.error.message);
      return r.clock;
    };
    expect(eff(at('registered'), 'dispatch', 'operator')).toBe('start');
    expect(eff(at('accepted'), 'handle', 'unit')).toBe('pause');
    expect(eff(at('handled'), 'verify_fail', 'inspector')).toBe('resume');
    expect(eff(at('accepted'), 'return', 'unit')).toBe('clear');
    expect(eff(at('accepted', { extensionPending: true }), 'approve_extension', 'commander')).toBe('extend');
    expect(eff(at('handled'), 'verify_pass', 'inspector')).toBe('stop');
    expect(eff(at('accepted'), 'suspend', 'commander')).toBe('pause');
  });

  it('refuses impossible transitions, naming the state and what is allowed', () => {
    const r = apply({ ...initialSnapshot(), state: 'reported' }, { action: 'handle', role: 'unit', fields: VALID.handle });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_transition');
    expect(r.error.message).toContain('reported');
    expect(r.error.message).toContain('register');
    expect(r.error.message).toContain('settle_on_spot');
    expect(r.error.allowed).toEqual(['register', 'cancel', 'supervise', 'settle_on_spot', 'merge']);
  });

  it('checks roles', () => {
    const r = apply({ ...initialSnapshot(), state: 'dispatched' }, { action: 'accept', role: 'operator', fields: {} });
    expect(r.ok === false && r.error.code).toBe('forbidden');
    const v = apply({ ...initialSnapshot(), state: 'handled' }, { action: 'verify_pass', role: 'unit', fields: {} });
    expect(v.ok === false && v.error.code).toBe('forbidden');
  });

  it('requires the fields of each action', () => {
    const cases: Array<[WorkflowSnapshot['state'], WorkflowAction, ActorRole, string]> = [
      ['reported', 'cancel', 'operator', 'input.note'],
      ['registered', 'dispatch', 'operator', 'input.departmentId'],
      ['accepted', 'handle', 'unit', 'input.note'],
      ['handled', 'verify_fail', 'inspector', 'input.note'],
      ['accepted', 'return', 'unit', 'input.note'],
      ['accepted', 'suspend', 'commander', 'input.note'],
      ['closed', 'reopen', 'commander', 'input.note'],
      ['reported', 'merge', 'operator', 'input.targetId'],
      ['reported', 'settle_on_spot', 'operator', 'input.note'],
    ];
    for (const [state, action, role, field] of cases) {
      const r = apply({ ...initialSnapshot(), state }, { action, role, fields: {} });
      expect(r.ok, `${action} without fields`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('validation');
        expect(r.error.field).toBe(field);
      }
    }
    const noUnit = apply({ ...initialSnapshot(), state: 'registered' }, { action: 'dispatch', role: 'operator', fields: { departmentId: 'd' } });
    expect(noUnit.ok === false && noUnit.error.field).toBe('input.unitId');
    const badPhoto = apply({ ...initialSnapshot(), state: 'accepted' }, { action: 'handle', role: 'unit', fields: { note: '已处理', attachments: [{ kind: 'photo' }] } });
    expect(badPhoto.ok).toBe(false);
    const noExt = apply({ ...initialSnapshot(), state: 'accepted' }, { action: 'request_extension', role: 'unit', fields: { note: '需要更多时间' } });
    expect(noExt.ok === false && noExt.error.field).toBe('input.extension');
  });

  it('extension requests need a decision before the next one', () => {
    const s = { ...initialSnapshot(), state: 'accepted' as const };
    const a = apply(s, { action: 'approve_extension', role: 'commander', fields: {} });
    expect(a.ok === false && a.error.code).toBe('invalid_transition');
    const r1 = apply(s, { action: 'request_extension', role: 'unit', fields: VALID.request_extension });
    if (!r1.ok) throw new Error('request failed');
    expect(r1.next.extensionPending).toBe(true);
    const r2 = apply(r1.next, { action: 'request_extension', role: 'unit', fields: VALID.request_extension });
    expect(r2.ok === false && r2.error.code).toBe('invalid_transition');
    const r3 = apply(r1.next, { action: 'handle', role: 'unit', fields: VALID.handle });
    expect(r3.ok && r3.next.extensionPending).toBe(false);
  });

  it('supervision escalates one level at a time up to the city level; the system only ensures level 1', () => {
    let s: WorkflowSnapshot = { ...initialSnapshot(), state: 'accepted' };
    for (const expected of [1, 2, 3]) {
      const r = apply(s, { action: 'supervise', role: 'supervisor', fields: VALID.supervise });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.next.supervisionLevel).toBe(expected);
      s = r.next;
    }
    const top = apply(s, { action: 'supervise', role: 'supervisor', fields: VALID.supervise });
    expect(top.ok === false && top.error.code).toBe('invalid_transition');
    const sys = apply(s, { action: 'supervise', role: 'system', fields: { note: '超期自动督办' } });
    expect(sys.ok && sys.next.supervisionLevel).toBe(3);
    const jump = apply({ ...initialSnapshot(), state: 'accepted' }, { action: 'supervise', role: 'commander', fields: { note: '直接市级督办', level: 3 } });
    expect(jump.ok && jump.next.supervisionLevel).toBe(3);
    const down = apply({ ...initialSnapshot(), state: 'accepted', supervisionLevel: 2 }, { action: 'supervise', role: 'commander', fields: { note: '降级', level: 1 } });
    expect(down.ok === false && down.error.field).toBe('input.level');
  });

  it('suspension resumes where it was', () => {
    for (const from of ['dispatched', 'accepted', 'rework'] as const) {
      const s1 = apply({ ...initialSnapshot(), state: from }, { action: 'suspend', role: 'commander', fields: VALID.suspend });
      if (!s1.ok) throw new Error(s1.error.message);
      expect(s1.next).toMatchObject({ state: 'suspended', suspendedFrom: from });
      const s2 = apply(s1.next, { action: 'resume', role: 'commander', fields: {} });
      expect(s2.ok && s2.next).toMatchObject({ state: from, suspendedFrom: null });
    }
  });

  it('settle on the spot and reopen', () => {
    const r = apply(initialSnapshot(), { action: 'settle_on_spot', role: 'unit', fields: VALID.settle_on_spot });
    expect(r.ok && r.to).toBe('closed');
    const re = apply({ ...initialSnapshot(), state: 'closed', supervisionLevel: 2 }, { action: 'reopen', role: 'supervisor', fields: VALID.reopen });
    expect(re.ok && re.next).toMatchObject({ state: 'registered', supervisionLevel: 0 });
    const rc = apply({ ...initialSnapshot(), state: 'cancelled' }, { action: 'reopen', role: 'commander', fields: VALID.reopen });
    expect(rc.ok && rc.to).toBe('reported');
  });

  it('every action has a field schema', () => {
    for (const a of WORKFLOW_ACTIONS) expect(ACTION_FIELDS[a]).toBeDefined();
  });
});

describe('properties over random action sequences', () => {
  const roleArb = fc.constantFrom<ActorRole>(...WORKFLOW_ROLES);
  const actionArb = fc.constantFrom<WorkflowAction>(...WORKFLOW_ACTIONS);
  /** Mostly valid fields, sometimes empty, sometimes garbage. */
  const commandArb = fc.tuple(actionArb, roleArb, fc.nat(9)).map(([action, role, k]) => ({
    action,
    role,
    fields: k < 7 ? VALID[action] : k === 7 ? {} : { note: 1, bogus: true },
  }));

  it('never reach an invalid state; history grows by exactly one per applied action; errors change nothing', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 60 }), (cmds) => {
        let c: ModelCase = { snap: initialSnapshot(), history: [] };
        cmds.forEach((cmd, i) => {
          const before = c;
          const beforeJson = JSON.stringify(before);
          const r = step(c, cmd.action, cmd.role, cmd.fields, 10_000 + i);
          if (r.ok) {
            expect(r.c.history.length).toBe(before.history.length + 1);
            const last = r.c.history[r.c.history.length - 1]!;
            expect(last.actor).toBe(`actor-${cmd.role}`);
            expect(last.role).toBe(cmd.role);
            expect(last.at).toBe(10_000 + i);
            expect(typeof last.note).toBe('string');
            expect(last.fromState).toBe(before.snap.state);
            expect(last.toState).toBe(r.c.snap.state);
            // A successful action was allowed for that role in that state.
            expect(allowedActions(before.snap, cmd.role)).toContain(cmd.action);
          } else {
            expect(JSON.stringify(r.c)).toBe(beforeJson);
            expect(r.c).toBe(before);
          }
          c = r.c;
          expect(isValidSnapshot(c.snap)).toBe(true);
          expect(CASE_STATES).toContain(c.snap.state);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('terminal states only reopen', () => {
    fc.assert(
      fc.property(fc.constantFrom('closed' as const, 'cancelled' as const), fc.nat(3), actionArb, roleArb, (state, level, action, role) => {
        const s: WorkflowSnapshot = { state, suspendedFrom: null, extensionPending: false, supervisionLevel: level };
        expect(allowedActions(s)).toEqual(['reopen']);
        const r = apply(s, { action, role, fields: VALID[action] });
        if (action !== 'reopen') expect(r.ok === false && r.error.code).toBe('invalid_transition');
      }),
    );
  });

  it('every state is reachable from reported, and every non-terminal state can still reach closed', () => {
    // Breadth-first over the snapshots the machine can produce with valid fields and the right roles.
    const key = (s: WorkflowSnapshot): string => JSON.stringify(s);
    const seen = new Map<string, WorkflowSnapshot>([[key(initialSnapshot()), initialSnapshot()]]);
    const edges = new Map<string, string[]>();
    const queue = [initialSnapshot()];
    while (queue.length) {
      const s = queue.shift()!;
      const out: string[] = [];
      for (const a of WORKFLOW_ACTIONS) {
        for (const role of WORKFLOW_ROLES) {
          const r = apply(s, { action: a, role, fields: VALID[a] });
          if (!r.ok) continue;
          const k = key(r.next);
          out.push(k);
          if (!seen.has(k)) {
            seen.set(k, r.next);
            queue.push(r.next);
          }
        }
      }
      edges.set(key(s), out);
    }
    const states = new Set([...seen.values()].map((s) => s.state));
    expect([...states].sort()).toEqual([...CASE_STATES].sort());
    for (const [k, s] of seen) {
      expect(isValidSnapshot(s)).toBe(true);
      // closed is reachable from k
      const stack = [k];
      const visited = new Set<string>();
      let found = false;
      while (stack.length && !found) {
        const cur = stack.pop()!;
        if (visited.has(cur)) continue;
        visited.add(cur);
        if (seen.get(cur)!.state === 'closed') found = true;
        stack.push(...(edges.get(cur) ?? []));
      }
      expect(found, `closed unreachable from ${k}`).toBe(true);
    }
  });

  it('supervision never decreases except by reopening', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 50 }), (cmds) => {
        let s = initialSnapshot();
        for (const cmd of cmds) {
          const r = apply(s, cmd);
          if (!r.ok) continue;
          if (cmd.action !== 'reopen') expect(r.next.supervisionLevel).toBeGreaterThanOrEqual(s.supervisionLevel);
          s = r.next;
        }
      }),
      { numRuns: 300 },
    );
  });
});
