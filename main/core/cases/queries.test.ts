import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATES, type CaseState } from '../../../shared/domain/model';
import type { WorkflowAction, WorkflowRole } from '../../../shared/domain/workflow';
import { makeTestCore, type TestCore } from './test-fixture';
import { listCases, type CaseQueryInput } from './queries';
import { caseQuerySchema } from '../../../shared/api/cases';

let tc: TestCore;
const MIN = 60_000;

/** 60 cases in every state, spread over the grids, with urgencies, deadlines and flags. */
beforeAll(async () => {
  tc = await makeTestCore();
  const points = [
    [120.02, 30.22],
    [120.07, 30.23],
    [120.12, 30.21],
    [120.17, 30.24],
    [120.1, 30.28],
  ] as const;
  const categories = ['0101', '0103', '0401', '0601', '1001'];
  const plans: Array<Array<[WorkflowAction, WorkflowRole, Record<string, unknown>]>> = [
    [],
    [['register', 'operator', {}]],
    [
      ['register', 'operator', {}],
      ['dispatch', 'operator', { departmentId: 'dept-CG', unitId: 'unit-CG-t1' }],
    ],
    [
      ['register', 'operator', {}],
      ['dispatch', 'operator', { departmentId: 'dept-JZ', unitId: 'unit-JZ-t1' }],
      ['accept', 'unit', {}],
    ],
    [
      ['register', 'operator', {}],
      ['dispatch', 'operator', { departmentId: 'dept-CG', unitId: 'unit-CG-t1' }],
      ['accept', 'unit', {}],
      ['handle', 'unit', { note: '已处理' }],
    ],
    [['cancel', 'operator', { note: '无效' }]],
    [['settle_on_spot', 'operator', { note: '已解决' }]],
    [
      ['register', 'operator', {}],
      ['dispatch', 'operator', { departmentId: 'dept-CG', unitId: 'unit-CG-t1' }],
      ['suspend', 'commander', { note: '挂账' }],
    ],
    [
      ['register', 'operator', {}],
      ['supervise', 'supervisor', { note: '督办' }],
    ],
  ];
  for (let i = 0; i < 60; i++) {
    tc.advance(7 * MIN);
    const [lon, lat] = points[i % points.length]!;
    const r = await tc.core.registry.invoke('cases.create', {
      source: i % 3 === 0 ? 'hotline' : 'grid',
      categoryCode: categories[i % categories.length],
      lon: lon + (i % 7) * 0.001,
      lat,
      urgency: (['normal', 'urgent', 'critical'] as const)[i % 3],
      address: i % 4 === 0 ? '古墩路' : '文一路',
      actor: 'g',
    });
    if (!r.ok) throw new Error(r.error.message);
    let version = 1;
    for (const [action, role, fields] of plans[i % plans.length]!) {
      const a = await tc.core.registry.invoke('cases.act', { id: r.value.case.id, version, action, actor: 'x', role, ...fields });
      if (!a.ok) throw new Error(a.error.message);
      version = a.value.case.version;
    }
  }
  tc.advance(24 * 60 * MIN); // make some overdue
  const { scanDeadlines } = await import('./workflow');
  scanDeadlines(tc.core);
});
afterAll(async () => {
  await tc.close();
});

const q = (input: Record<string, unknown>): CaseQueryInput => caseQuerySchema.parse(input);

describe('the queue from case_queue', () => {
  it('holds exactly the active cases', () => {
    const db = tc.core.db;
    const active = db.prepare("SELECT rid FROM cases WHERE state NOT IN ('closed', 'cancelled') ORDER BY rid").pluck().all();
    expect(db.prepare('SELECT case_rid FROM case_queue ORDER BY case_rid').pluck().all()).toEqual(active);
    const mismatched = db
      .prepare(
        `SELECT COUNT(*) FROM case_queue q JOIN cases c ON c.rid = q.case_rid
         WHERE q.state IS NOT c.state OR q.deadline_at IS NOT c.deadline_at OR q.overdue IS NOT c.overdue OR q.supervised IS NOT c.supervised
            OR q.department_id IS NOT c.department_id OR q.urgency IS NOT c.urgency OR q.grid_id IS NOT c.grid_id`,
      )
      .pluck()
      .get();
    expect(mismatched).toBe(0);
  });

  it('answers like the full table for every filter and sort', () => {
    const db = tc.core.db;
    const open = [...OPEN_STATES] as CaseState[];
    const filters: Array<Record<string, unknown>> = [
      { states: open },
      { states: [...open, 'suspended'] },
      { states: open, overdue: true },
      { states: open, supervised: true },
      { states: open, areaId: 'area-c1' },
      { states: open, areaId: 'area-g4' },
      { states: open, departmentId: 'dept-CG' },
      { states: open, categoryCodes: ['0101', '0401'] },
      { states: open, classCodes: ['06'] },
      { states: open, sources: ['hotline'] },
      { states: open, urgencies: ['critical'] },
      { states: open, text: '古墩' },
      { states: ['dispatched', 'accepted'], sort: 'deadline_asc' },
      { states: open, sort: 'reported_asc', offset: 5, limit: 7 },
      { states: open, sort: 'reported_desc', limit: 3, offset: 2 },
    ];
    const key = (r: { reportedAt: string; urgency: string; deadlineAt: string | null }): string => `${r.urgency}|${r.deadlineAt}|${r.reportedAt}`;
    for (const f of filters) {
      const viaQueue = listCases(db, q(f));
      // The same query on cases: a states list that includes a terminal state takes the table path.
      const viaTable = listCases(db, q({ ...f, states: [...(f.states as string[]), 'closed'], limit: 500, offset: 0 }));
      const expected = viaTable.items.filter((c) => (f.states as string[]).includes(c.state));
      const offset = (f.offset as number | undefined) ?? 0;
      const limit = (f.limit as number | undefined) ?? 50;
      expect(viaQueue.total, JSON.stringify(f)).toBe(expected.length);
      expect(viaQueue.items.map(key), JSON.stringify(f)).toEqual(expected.slice(offset, offset + limit).map(key));
      expect(new Set(viaQueue.items.map((c) => c.state)).size).toBeGreaterThan(0);
    }
  });

  it('finds a case by its number through the code index', () => {
    const code = tc.core.db.prepare('SELECT code FROM cases ORDER BY rid LIMIT 1 OFFSET 10').pluck().get() as string;
    expect(listCases(tc.core.db, q({ text: code })).items.map((c) => c.code)).toEqual([code]);
    expect(listCases(tc.core.db, q({ text: code.slice(0, 10).toLowerCase() })).total).toBe(60);
    expect(listCases(tc.core.db, q({ text: '古墩路' })).total).toBe(15);
  });

  it('text search through the bigram index finds exactly the cases whose number, title or address hold the text', () => {
    const db = tc.core.db;
    const rows = db.prepare('SELECT id, code, title, address FROM cases').all() as Array<{ id: string; code: string; title: string; address: string }>;
    const title = rows[7]!.title;
    const address = rows[3]!.address;
    const texts = ['古墩', '古墩路', '路', title, title.slice(1, 3), address, address.slice(-3), rows[0]!.code.slice(-5), 'aj', '，', '不存在的地方'];
    for (const text of texts) {
      const t = text.toLowerCase();
      const expected = rows.filter((r) => [r.code, r.title, r.address].some((v) => v.toLowerCase().includes(t))).map((r) => r.id).sort();
      for (const states of [undefined, [...OPEN_STATES]]) {
        const want = states ? expected.filter((id) => (states as string[]).includes(db.prepare('SELECT state FROM cases WHERE id = ?').pluck().get(id) as string)) : expected;
        const got = listCases(db, q({ text, limit: 500, ...(states ? { states } : {}) })).items.map((c) => c.id).sort();
        expect(got, `${text} ${states ? 'open' : 'all'}`).toEqual(want);
      }
    }
  });
});

describe('the default order over every state', () => {
  it('puts the open cases before the closed and cancelled ones', () => {
    const all = listCases(tc.core.db, q({ limit: 500 }));
    expect(all.total).toBe(60);
    const terminal = all.items.map((c) => c.state === 'closed' || c.state === 'cancelled');
    const firstTerminal = terminal.indexOf(true);
    expect(firstTerminal).toBeGreaterThan(0);
    expect(terminal.slice(firstTerminal).every(Boolean)).toBe(true);
    // Within the open part the queue's order holds: urgency first.
    const rank = { critical: 2, urgent: 1, normal: 0 } as const;
    const open = all.items.slice(0, firstTerminal).map((c) => rank[c.urgency]);
    expect(open).toEqual([...open].sort((a, b) => b - a));
    // The open part is exactly the queue's order; the finished part is newest first.
    expect(all.items.slice(0, firstTerminal).map((c) => c.id)).toEqual(listCases(tc.core.db, q({ states: [...OPEN_STATES, 'suspended'], limit: 500 })).items.map((c) => c.id));
    const done = all.items.slice(firstTerminal).map((c) => c.reportedAt);
    expect(done).toEqual([...done].sort().reverse());
  });

  it('pages straddle the open and finished parts without gaps or repeats, under any filter', () => {
    for (const f of [{}, { sources: ['hotline'] }, { states: ['closed', 'registered'] }, { states: ['closed', 'cancelled'] }, { areaId: 'area-c1' }, { text: '古墩' }]) {
      const whole = listCases(tc.core.db, q({ ...f, limit: 500 }));
      const paged: string[] = [];
      for (let offset = 0; offset < whole.total + 7; offset += 7) paged.push(...listCases(tc.core.db, q({ ...f, limit: 7, offset })).items.map((c) => c.id));
      expect(paged, JSON.stringify(f)).toEqual(whole.items.map((c) => c.id));
      expect(listCases(tc.core.db, q({ ...f, limit: 1 })).total, JSON.stringify(f)).toBe(whole.items.length);
      const brute = tc.core.db.prepare('SELECT COUNT(*) FROM cases').pluck().get() as number;
      expect(whole.total).toBeLessThanOrEqual(brute);
    }
  });

  it('summaries carry the 80 % warning flag and the supervision level', () => {
    const db = tc.core.db;
    const supervised = listCases(db, q({ supervised: true, limit: 500 })).items;
    expect(supervised.length).toBeGreaterThan(0);
    for (const c of supervised) {
      const row = db.prepare('SELECT warning, supervision_level FROM cases WHERE id = ?').get(c.id) as { warning: number; supervision_level: number };
      expect(c.supervisionLevel).toBe(row.supervision_level);
      expect(c.warning).toBe(row.warning === 1);
      expect(c.supervisionLevel).toBeGreaterThanOrEqual(1);
    }
    const warned = db.prepare('SELECT COUNT(*) FROM cases WHERE warning = 1').pluck().get() as number;
    expect(listCases(db, q({ limit: 500 })).items.filter((c) => c.warning)).toHaveLength(warned);
  });
});
