import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../../shared/api';
import { fail, ok, type Result } from '../../../shared/api/contract';
import { COMPOSITE_MODEL, DEFAULT_MODELS, type ModelConfig } from '../../../shared/domain/indicators';
import type { CallContext } from '../registry';
import type { MethodCaller } from './bridge';
import { getModel } from './models';
import { computeRun, ensureRun, levelsOfRun } from './runs';
import { registerConsult, type ConsultService } from './service';
import { SmallCity, testContext, type TestContext } from './testkit';
import { loadTree } from './tree';

const NOW = Date.parse('2026-11-21T09:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TODAY = '2026-11-21';
const YESTERDAY = '2026-11-20';

/**
 * The hand-computed scenario. Model (revision 2 of 综合风险):
 *   load:    cases reported in the last 24 h, per grid, min–max with fixed bounds 0…10, weight 3
 *   overdue: cases open past their deadline, thresholds [1, 3] → [0, 0.5, 1], weight 1
 * Today (as of 09:00):
 *   g1  8 cases today           → 100·(3·0.8 + 0)/4   = 60   orange
 *   g2  2 cases, 3 overdue      → 100·(3·0.2 + 1)/4   = 40   yellow
 *   g3  nothing                 → 0                          green
 *   g4  10 cases (9 today)      → 100·(3·1.0)/4       = 75   red
 *   g5  1 overdue, no population → 100·(0.5)/4       = 12.5 green
 * Roll-up by population (g5 has none, so weighs 0): m1 = (1000·60 + 3000·40)/4000 = 45, m2 = 0,
 * m3 = 75, t1 = (4000·45 + 2000·0)/6000 = 30, t2 = 75, d1 = city = (6000·30 + 4000·75)/10000 = 48.
 * Yesterday (as of 11-21 00:00): g1 0, g2 25 (3 overdue), g3 0, g4 7.5 (one case at 23:00), g5 12.5.
 */
const handModel = (loadWeight = 3): ModelConfig => ({
  ...COMPOSITE_MODEL,
  levels: { thresholds: [20, 35, 50, 65] },
  indicators: [
    {
      id: 'load',
      name: '24小时案件',
      nameEn: 'Cases, 24 h',
      domain: 'general',
      direction: 'increases',
      weight: loadWeight,
      source: { kind: 'case_count', windowHours: 24, event: 'reported' },
      normalise: { per: 'grid', unit: 1, method: { kind: 'minmax', min: 0, max: 10 } },
    },
    {
      id: 'overdue',
      name: '超期案件',
      nameEn: 'Overdue cases',
      domain: 'general',
      direction: 'increases',
      weight: 1,
      source: { kind: 'overdue_cases' },
      normalise: { per: 'grid', unit: 1, method: { kind: 'thresholds', breaks: [1, 3], scores: [0, 0.5, 1] } },
    },
  ],
});

function seedScenario(city: SmallCity): void {
  city.addCases(8, 'g1', NOW);
  city.addCases(2, 'g2', NOW);
  for (let i = 0; i < 3; i++)
    city.addCase({ grid: 'g2', reportedAt: NOW - 3 * DAY, deadlineAt: NOW - 2 * DAY, overdue: true, supervised: i === 0, departmentCode: 'CG', category: '0301' });
  city.addCases(10, 'g4', NOW, { category: '0401' });
  city.addCase({ grid: 'g5', reportedAt: NOW - 2 * DAY, deadlineAt: NOW - DAY, overdue: true, departmentCode: 'SW', category: '0504' });
}

type Call = <M extends MethodName>(method: M, input: unknown) => Promise<MethodOutput<M>>;

describe('the consultation core', () => {
  let ctx: TestContext;
  let city: SmallCity;
  let service: ConsultService;
  let call: Call;

  beforeEach(async () => {
    ctx = testContext(NOW);
    city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
    service = registerConsult(ctx);
    call = async (method, input) => {
      const r = await ctx.registry.invoke(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    seedScenario(city);
    await call('consult.models.update', { id: 'composite', baseRevision: 1, config: handModel(), actor: '张主任', note: '按算例调整' });
  });
  afterEach(() => ctx.close());

  it('seeds the shipped models at revision 1 and records who changed what', async () => {
    const models = await call('consult.models.list', {});
    expect(models.map((m) => m.id)).toEqual(DEFAULT_MODELS.map((m) => m.id));
    expect(models.find((m) => m.id === 'composite')).toMatchObject({ revision: 2, updatedBy: '张主任', primary: true });
    const history = await call('consult.models.history', { id: 'composite' });
    expect(history.map((h) => [h.revision, h.changedBy])).toEqual([
      [2, '张主任'],
      [1, 'system'],
    ]);
    expect(history[0]!.note).toBe('按算例调整');
    expect(history[0]!.changes.map((c) => c.path)).toContain('indicators[load]');
    const stale = await ctx.registry.invoke('consult.models.update', { id: 'composite', baseRevision: 1, config: handModel(2), actor: '李', note: '' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const same = await ctx.registry.invoke('consult.models.update', { id: 'composite', baseRevision: 2, config: handModel(), actor: '李', note: '' });
    expect(same).toMatchObject({ ok: false, error: { code: 'validation' } });
    const bad = await ctx.registry.invoke('consult.models.update', { id: 'composite', baseRevision: 2, config: { ...handModel(), levels: { thresholds: [50, 40, 30, 20] } }, actor: '李', note: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.config.levels.thresholds.1' } });
    const old = await call('consult.models.get', { id: 'composite', revision: 1 });
    expect(old.config.indicators).toHaveLength(6);
    expect(old.summary.revision).toBe(2);
  });

  it('scores grids and rolls them up as computed by hand', async () => {
    const grids = await call('consult.scores', { modelId: 'composite', level: 'grid' });
    const byId = Object.fromEntries(grids.areaIds.map((id, i) => [id, [grids.scores[i], grids.levels[i]]]));
    expect(byId).toEqual({ g1: [60, 3], g2: [40, 2], g3: [0, 0], g4: [75, 4], g5: [12.5, 0] });
    expect(grids.counts).toEqual([2, 0, 1, 1, 1]);
    expect(grids).toMatchObject({ revision: 2, day: TODAY, final: false, asOf: '2026-11-21T09:00:00.000+08:00' });
    const communities = await call('consult.scores', { modelId: 'composite', level: 'community' });
    expect(communities.scores).toEqual([45, 0, 75]);
    const towns = await call('consult.scores', { modelId: 'composite', level: 'town' });
    expect(towns.scores).toEqual([30, 75]);
    expect(towns.levels).toEqual([1, 4]);
    const cityScore = await call('consult.scores', { modelId: 'composite', level: 'city' });
    expect(cityScore.scores).toEqual([48]);
    const west = await call('consult.scores', { modelId: 'composite', level: 'grid', within: 't2' });
    expect(west.areaIds).toEqual(['g4', 'g5']);
  });

  it('writes the primary model’s colours to the areas the wall’s five-colour map reads', async () => {
    await call('consult.scores', { modelId: 'composite' });
    const levels = Object.fromEntries(ctx.db.prepare('SELECT id, risk_level FROM areas').raw().all() as Array<[string, number]>);
    expect(levels).toMatchObject({ g1: 3, g2: 2, g3: 0, g4: 4, g5: 0, m1: 2, m3: 4, t1: 1, t2: 4, c: 2 });
    expect(ctx.events.some((e) => e.event === 'consult.scores' && (e.payload as { primary: boolean }).primary)).toBe(true);
  });

  it("explains a score: raw, normalised, contribution and change since yesterday", async () => {
    const ex = await call('consult.explain', { modelId: 'composite', areaId: 'g1' });
    expect(ex).toMatchObject({ score: 60, level: 3, yesterday: { score: 0, level: 0 }, delta: 60, revision: 2 });
    expect(ex.indicators[0]).toMatchObject({ id: 'load', raw: 8, normalised: 0.8, contribution: 60, share: 1, weightShare: 0.75, yesterday: { raw: 0, contribution: 0 }, delta: 60, source: 'cases' });
    expect(ex.indicators[1]).toMatchObject({ id: 'overdue', raw: 0, normalised: 0, contribution: 0 });
    const g2 = await call('consult.explain', { modelId: 'composite', areaId: 'g2' });
    // today 100·(3·0.2)/4 = 15 + 100·1/4 = 25; yesterday 0 + 25
    expect(g2.indicators.map((i) => [i.contribution, i.delta])).toEqual([
      [15, 15],
      [25, 0],
    ]);
    const town = await call('consult.explain', { modelId: 'composite', areaId: 't1' });
    // t1 = 30: load (4000·(1000·60 + 3000·15)/4000 + 2000·0)/6000 = 17.5, overdue (4000·(3000·25/4000))/6000 = 12.5
    expect(town.score).toBe(30);
    expect(town.indicators.map((i) => [i.raw, i.normalised, i.contribution])).toEqual([
      [10, null, 17.5],
      [3, null, 12.5],
    ]);
    expect(town.children.map((c) => [c.areaId, c.weightShare])).toEqual([
      ['m1', 0.6667],
      ['m2', 0.3333],
    ]);
    const missing = await ctx.registry.invoke('consult.explain', { modelId: 'composite', areaId: 'nowhere' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps old results reproducible when the model changes', async () => {
    const before = await call('consult.scores', { modelId: 'composite', day: YESTERDAY });
    expect(before).toMatchObject({ final: true, revision: 2 });
    expect(before.scores).toEqual([0, 25, 0, 7.5, 12.5]);
    await call('consult.models.update', { id: 'composite', baseRevision: 2, config: handModel(1), actor: '王科长', note: '降低案件量权重' });
    // New data arriving late for yesterday does not rewrite yesterday's snapshot…
    city.addCase({ grid: 'g3', reportedAt: NOW - 12 * HOUR });
    const again = await call('consult.scores', { modelId: 'composite', day: YESTERDAY, revision: 2 });
    expect(again.scores).toEqual(before.scores);
    expect(again.computedAt).toBe(before.computedAt);
    // …and the stored revision 2 still computes the same numbers from the same data.
    ctx.db.prepare("DELETE FROM cases WHERE grid_id = 'g3'").run();
    const recomputed = computeRun(ctx.db, getModel(ctx.db, 'composite', 2), YESTERDAY, Date.parse('2026-11-21T00:00:00+08:00'));
    const tree = loadTree(ctx.db);
    expect(['g1', 'g2', 'g3', 'g4', 'g5'].map((id) => Math.round(recomputed.rolled.score[tree.index.get(id)!]! * 1e4) / 1e4)).toEqual(before.scores);
    // Revision 3 gives new numbers: g1 = 100·(1·0.8)/2 = 40.
    const now3 = await call('consult.scores', { modelId: 'composite' });
    expect(now3.revision).toBe(3);
    expect(now3.scores[0]).toBe(40);
    const old2 = await call('consult.scores', { modelId: 'composite', revision: 2 });
    expect(old2.scores[0]).toBe(60);
  });

  it('computes the six safety indices with trend, composition and movers', async () => {
    // Snapshots of earlier days make the trend real.
    await service.tick();
    const { indices, day } = await call('consult.indices', {});
    expect(day).toBe(TODAY);
    expect(indices.map((i) => i.name)).toEqual(['社会治安指数', '消防安全指数', '生产安全指数', '交通安全指数', '矛盾化解指数', '城市运行指数']);
    for (const idx of indices) {
      expect(idx.value).toBeGreaterThanOrEqual(0);
      expect(idx.value).toBeLessThanOrEqual(100);
      expect(idx.series).toHaveLength(31);
      expect(idx.series.at(-1)).toMatchObject({ day: TODAY, value: idx.value });
      expect(idx.yesterday).not.toBeNull();
      expect(idx.month).not.toBeNull();
      const points = idx.composition.reduce((s, c) => s + c.riskPoints, 0);
      expect(points).toBeCloseTo(100 - idx.value, 0);
    }
    // 城市运行 counts city-appearance cases per km²: yesterday none, today ten in 东一社区, so 东镇 pulls the index down.
    const operation = indices[5]!;
    expect(operation.movers.map((m) => m.areaId)).toEqual(['t1']);
    expect(operation.movers[0]!.effect).toBeLessThan(0);
    expect(operation.value).toBeLessThan(operation.yesterday!);
  });

  it('generates the agenda from the last 24 hours', async () => {
    const agenda = await call('consult.agenda.preview', {});
    expect(agenda.items.map((i) => i.kind)).toEqual(['overview', 'map', 'cases', 'hotspots', 'alarms', 'followup', 'minutes']);
    const [overview, map, cases, hotspots, alarms] = agenda.items;
    if (overview?.kind !== 'overview' || map?.kind !== 'map' || cases?.kind !== 'cases' || hotspots?.kind !== 'hotspots' || alarms?.kind !== 'alarms') throw new Error('agenda order');
    expect(overview.figures).toMatchObject({ reported24h: 20, reportedPrev24h: 1, overdue: 4, supervised: 1 });
    expect(overview.indices).toHaveLength(6);
    expect(map.counts).toEqual([2, 0, 1, 1, 1]);
    expect(map.prevCounts).toEqual([4, 1, 0, 0, 0]);
    expect(map.changed.map((c) => [c.areaId, c.from, c.to])).toEqual([
      ['g4', 0, 4],
      ['g1', 0, 3],
      ['g2', 1, 2],
    ]);
    expect(map.summary).toContain('较昨日变色 3 个');
    expect(cases.overdueTotal).toBe(4);
    expect(cases.overdue[0]).toMatchObject({ overdueHours: 48, departmentName: '城管执法局', areaName: '东一2号网格' });
    expect(cases.byDepartment[0]).toMatchObject({ name: '城管执法局', overdue: 3, supervised: 1 });
    expect(hotspots.categories[0]).toMatchObject({ code: '0101', count: 10 });
    // 西一社区: 10 cases against 1 in the 7 days before (0.14 a day) beats 东一社区: 10 against 3.
    expect(hotspots.places[0]).toMatchObject({ areaId: 'm3', count: 10, baseline: 0.1, delta: 9.9 });
    expect(alarms.sources).toContain('alarms');
  });

  it('runs a session the walls follow: open, step, jump, focus, close', async () => {
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    expect(session).toMatchObject({ state: 'open', currentIndex: 0, itemId: 'overview', day: TODAY, title: '2026年11月21日 每日会商' });
    const again = await call('consult.session.open', { chair: '别人' });
    expect(again.id).toBe(session.id);
    expect((await call('consult.session.current', {}))?.id).toBe(session.id);
    ctx.events.length = 0;
    const next = await call('consult.session.goto', { id: session.id, to: 'next', actor: '陈指挥长' });
    expect(next).toMatchObject({ currentIndex: 1, itemId: 'map', version: 2 });
    await call('consult.session.goto', { id: session.id, to: 'prev', actor: '陈指挥长' });
    await call('consult.session.goto', { id: session.id, to: 'prev', actor: '陈指挥长' }); // already first: no event
    const jump = await call('consult.session.goto', { id: session.id, to: 5, actor: '陈指挥长' });
    expect(jump.itemId).toBe('followup');
    const last = await call('consult.session.goto', { id: session.id, to: 'last', actor: '陈指挥长' });
    expect(last.itemId).toBe('minutes');
    const beyond = await ctx.registry.invoke('consult.session.goto', { id: session.id, to: 9, actor: '陈指挥长' });
    expect(beyond).toMatchObject({ ok: false, error: { code: 'validation' } });
    const focus = await call('consult.session.focus', { id: session.id, focus: { kind: 'area', id: 'g4' }, actor: '陈指挥长' });
    expect(focus.focus).toEqual({ kind: 'area', id: 'g4' });
    const moved = ctx.events.filter((e) => e.event === 'consult.session').map((e) => (e.payload as { currentIndex: number }).currentIndex);
    expect(moved).toEqual([1, 0, 5, 6, 6]);
    // A camera can be opened live too; an unknown one is refused.
    ctx.db.prepare(`INSERT INTO cameras(id, name, grid_id, lon, lat, kind, status, updated_at) VALUES ('cam-1', '西一路口', 'g4', 120.035, 30.005, 'fixed', 'online', 0)`).run();
    expect((await call('consult.session.focus', { id: session.id, focus: { kind: 'camera', id: 'cam-1' }, actor: '陈指挥长' })).focus).toEqual({ kind: 'camera', id: 'cam-1' });
    const unknown = await ctx.registry.invoke('consult.session.focus', { id: session.id, focus: { kind: 'camera', id: 'cam-x' }, actor: '陈指挥长' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', field: 'input.focus.id' } });
    const closed = await call('consult.session.close', { id: session.id, actor: '陈指挥长' });
    expect(closed).toMatchObject({ state: 'closed', focus: null });
    expect(await call('consult.session.current', {})).toBeNull();
    const refused = await ctx.registry.invoke('consult.session.goto', { id: session.id, to: 'next', actor: 'x' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

/** A stand-in for the closed loop (issue 3) that records the calls the bridge makes. */
class FakeClosedLoop implements MethodCaller {
  readonly calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  failDispatch = false;
  private version = new Map<string, number>();

  constructor(private readonly ctx: TestContext) {}

  async call(name: string, raw: unknown, _ctx: CallContext): Promise<Result<unknown>> {
    const input = raw as Record<string, unknown>;
    this.calls.push({ name, input });
    const db = this.ctx.db;
    if (name === 'cases.create') {
      const id = `loop-${this.calls.length}`;
      const code = `HZ-${String(this.calls.length).padStart(4, '0')}`;
      db.prepare(
        `INSERT INTO cases(id, code, source, class_code, category_code, title, description, lon, lat, state, reported_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?)`,
      ).run(id, code, input.source, String(input.categoryCode).slice(0, 2), input.categoryCode, input.title, input.description, input.lon, input.lat, this.ctx.now(), this.ctx.now());
      this.version.set(id, 1);
      return ok({ case: { id, code, state: 'reported', version: 1 } });
    }
    const id = String(input.id);
    const row = db.prepare('SELECT code, state FROM cases WHERE id = ?').get(id) as { code: string; state: string } | undefined;
    if (!row) return fail('not_found', `no case ${id}`);
    const version = this.version.get(id)!;
    if (name === 'cases.get') return ok({ id, code: row.code, state: row.state, version });
    if (name !== 'cases.act') return fail('unknown_method', name);
    if (input.version !== version) return fail('conflict', 'stale');
    if (input.action === 'dispatch' && this.failDispatch) return fail('forbidden', '派遣暂不可用');
    const to = input.action === 'register' ? 'registered' : input.action === 'dispatch' ? 'dispatched' : row.state;
    db.prepare('UPDATE cases SET state = ?, department_id = COALESCE(?, department_id) WHERE id = ?').run(to, (input.departmentId as string | undefined) ?? null, id);
    this.version.set(id, version + 1);
    return ok({ case: { id, code: row.code, state: to, version: version + 1 } });
  }
}

describe('decisions (会商纪要)', () => {
  let ctx: TestContext;
  let city: SmallCity;
  let loop: FakeClosedLoop;
  let call: Call;

  beforeEach(() => {
    ctx = testContext(NOW);
    city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
    loop = new FakeClosedLoop(ctx);
    registerConsult(ctx, { closedLoop: loop });
    call = async (method, input) => {
      const r = await ctx.registry.invoke(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
  });
  afterEach(() => ctx.close());

  const decide = (sessionId: string, over: Record<string, unknown> = {}): Promise<MethodOutput<'consult.decisions.record'>> =>
    call('consult.decisions.record', {
      sessionId,
      itemId: 'map',
      title: '西一1号网格街面秩序专项整治',
      detail: '连续两日占道经营上升，城管执法局牵头整治。',
      departmentId: city.departments.get('CG'),
      areaId: 'g4',
      deadline: '2026-11-23T18:00:00+08:00',
      actor: '陈指挥长',
      ...over,
    });

  it('turn into cases of the closed loop: created, registered, dispatched to the department’s unit in the area', async () => {
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    const d = await decide(session.id);
    expect(d).toMatchObject({ seq: 1, caseCode: 'HZ-0001', caseState: 'dispatched', caseError: null, outcome: 'in_progress', departmentName: '城管执法局', areaName: '西一1号网格' });
    expect(loop.calls.map((c) => [c.name, c.input.action ?? null])).toEqual([
      ['cases.create', null],
      ['cases.act', 'register'],
      ['cases.act', 'dispatch'],
    ]);
    expect(loop.calls[0]!.input).toMatchObject({ source: 'consultation', categoryCode: '0101', lon: expect.closeTo(120.035, 6), lat: expect.closeTo(30.005, 6), role: 'commander' });
    expect(String(loop.calls[0]!.input.description)).toContain('会商要求完成时限：2026-11-23 18:00');
    expect(loop.calls[2]!.input).toMatchObject({ departmentId: city.departments.get('CG'), unitId: 'unit-cg-west' });
    expect(ctx.events.some((e) => e.event === 'consult.decision')).toBe(true);
    const listed = await call('consult.decisions.list', { sessionId: session.id });
    expect(listed.map((x) => x.id)).toEqual([d.id]);
    expect((await call('consult.session.get', { id: session.id })).decisionCount).toBe(1);
  });

  it('keep a failed dispatch visible and resume it on retry', async () => {
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    loop.failDispatch = true;
    const d = await decide(session.id);
    expect(d).toMatchObject({ caseCode: 'HZ-0001', caseState: 'registered', outcome: 'in_progress' });
    expect(d.caseError).toContain('派遣暂不可用');
    loop.failDispatch = false;
    const retried = await call('consult.decisions.retry', { id: d.id, actor: '陈指挥长' });
    expect(retried).toMatchObject({ caseState: 'dispatched', caseError: null });
    expect(loop.calls.filter((c) => c.name === 'cases.create')).toHaveLength(1);
  });

  it('are refused without a future deadline, a known department or an open session', async () => {
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    const past = await ctx.registry.invoke('consult.decisions.record', { sessionId: session.id, title: '过期', departmentId: city.departments.get('CG'), areaId: 'g1', deadline: '2026-11-20T18:00:00+08:00', actor: 'x' });
    expect(past).toMatchObject({ ok: false, error: { code: 'validation', field: 'input.deadline' } });
    const dep = await ctx.registry.invoke('consult.decisions.record', { sessionId: session.id, title: '无部门', departmentId: 'dep-none', areaId: 'g1', deadline: '2026-11-23T18:00:00+08:00', actor: 'x' });
    expect(dep).toMatchObject({ ok: false, error: { code: 'not_found', field: 'input.departmentId' } });
    await call('consult.session.close', { id: session.id, actor: 'x' });
    const closed = await ctx.registry.invoke('consult.decisions.record', { sessionId: session.id, title: '会后', departmentId: city.departments.get('CG'), areaId: 'g1', deadline: '2026-11-23T18:00:00+08:00', actor: 'x' });
    expect(closed).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it("show their outcome on the next morning's agenda", async () => {
    const first = await call('consult.session.open', { chair: '陈指挥长' });
    const done = await decide(first.id, { title: '清理东一1号网格暴露垃圾', areaId: 'g1', deadline: '2026-11-22T12:00:00+08:00' });
    const pending = await decide(first.id, { title: '西镇燃气隐患排查', departmentId: city.departments.get('YJ'), areaId: 't2', deadline: '2026-11-21T20:00:00+08:00' });
    // The first case is closed the same afternoon; the second stays open past its deadline.
    ctx.db.prepare("UPDATE cases SET state = 'closed', closed_at = ? WHERE id = ?").run(NOW + 6 * HOUR, done.caseId);
    ctx.setNow(NOW + DAY);
    const second = await call('consult.session.open', { chair: '周指挥长' });
    expect(second.id).not.toBe(first.id);
    expect((await call('consult.session.get', { id: first.id })).state).toBe('closed');
    const followup = second.agenda.items.find((i) => i.kind === 'followup');
    if (followup?.kind !== 'followup') throw new Error('no follow-up item');
    expect(followup.decisions.map((d) => [d.title, d.outcome])).toEqual(
      expect.arrayContaining([
        ['清理东一1号网格暴露垃圾', 'done'],
        ['西镇燃气隐患排查', 'overdue'],
      ]),
    );
    expect(followup.summary).toContain('已办结 1');
    expect(followup.summary).toContain('超时未办结 1');
    expect(pending.outcome).toBe('in_progress');
  });
});

describe('scoring sources', () => {
  let ctx: TestContext;
  let city: SmallCity;
  beforeEach(() => {
    ctx = testContext(NOW);
    city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
    registerConsult(ctx);
  });
  afterEach(() => ctx.close());

  const raw = (config: ModelConfig, asOf = NOW): number[][] => {
    const run = computeRun(ctx.db, { config, revision: 1, changedBy: 't', changedAt: 0 }, TODAY, asOf);
    return run.raw.map((c) => [...c]);
  };
  const single = (source: ModelConfig['indicators'][number]['source']): ModelConfig => ({
    ...handModel(),
    indicators: [{ ...handModel().indicators[0]!, source }],
  });

  it('count cases in a window by class, category and source, leaving cancelled ones out', () => {
    city.addCase({ grid: 'g1', reportedAt: NOW - HOUR, category: '0505', source: 'hotline' });
    city.addCase({ grid: 'g1', reportedAt: NOW - 2 * HOUR, category: '0506', source: 'police110' });
    city.addCase({ grid: 'g1', reportedAt: NOW - 30 * HOUR, category: '0505' });
    city.addCase({ grid: 'g2', reportedAt: NOW - HOUR, category: '0505', state: 'cancelled' });
    city.addCase({ grid: 'g3', reportedAt: NOW + HOUR, category: '0505' });
    expect(raw(single({ kind: 'case_count', windowHours: 24, event: 'reported' }))[0]).toEqual([2, 0, 0, 0, 0]);
    expect(raw(single({ kind: 'case_count', windowHours: 48, event: 'reported', categoryCodes: ['0505'] }))[0]).toEqual([2, 0, 0, 0, 0]);
    expect(raw(single({ kind: 'case_count', windowHours: 48, event: 'reported', classCodes: ['05'], sources: ['police110'] }))[0]).toEqual([1, 0, 0, 0, 0]);
  });

  it('count closed cases by their closing time', () => {
    city.addCase({ grid: 'g2', reportedAt: NOW - 5 * DAY, state: 'closed', closedAt: NOW - HOUR });
    city.addCase({ grid: 'g2', reportedAt: NOW - 5 * DAY, state: 'closed', closedAt: NOW - 3 * DAY });
    expect(raw(single({ kind: 'case_count', windowHours: 24, event: 'closed' }))[0]).toEqual([0, 1, 0, 0, 0]);
  });

  it('count overdue cases as of the instant, including those closed since', () => {
    city.addCase({ grid: 'g1', reportedAt: NOW - 3 * DAY, deadlineAt: NOW - DAY }); // open, overdue
    city.addCase({ grid: 'g1', reportedAt: NOW - 3 * DAY, deadlineAt: NOW + DAY }); // open, not yet due
    city.addCase({ grid: 'g2', reportedAt: NOW - 3 * DAY, deadlineAt: NOW - 2 * DAY, state: 'closed', closedAt: NOW - DAY }); // overdue until yesterday
    city.addCase({ grid: 'g3', reportedAt: NOW - 3 * DAY, deadlineAt: NOW - 2 * DAY, state: 'suspended' }); // 挂账: not counted
    const model = single({ kind: 'overdue_cases' });
    expect(raw(model)[0]).toEqual([1, 0, 0, 0, 0]);
    // A day and a half ago the first was not yet due, and the closed one was overdue and still open.
    expect(raw(model, NOW - 1.5 * DAY)[0]).toEqual([0, 1, 0, 0, 0]);
  });

  it('read sensor alarms, offline devices, warnings in force and inspection findings', () => {
    const db = ctx.db;
    db.prepare(`INSERT INTO sensors(id, name, type, unit, grid_id, lon, lat, status, updated_at) VALUES ('s1', '烟感1', 'smoke', '', 'g1', 120.005, 30.005, 'offline', 0), ('s2', '燃气1', 'gas', '', 'g2', 120.015, 30.005, 'alarm', 0)`).run();
    db.prepare(`INSERT INTO cameras(id, name, grid_id, lon, lat, kind, status, updated_at) VALUES ('k1', '摄像头1', 'g1', 120.005, 30.005, 'fixed', 'fault', 0), ('k2', '摄像头2', 'g4', 120.035, 30.005, 'fixed', 'online', 0)`).run();
    const alarm = db.prepare(`INSERT INTO alarms(id, sensor_id, sensor_type, kind, severity, state, message, lon, lat, grid_id, raised_at, last_at, updated_at)
      VALUES (?, 's2', ?, ?, 2, ?, '', 120.015, 30.005, 'g2', ?, ?, 0)`);
    alarm.run('a1', 'gas', 'threshold', 'raised', NOW - HOUR, NOW - HOUR);
    alarm.run('a2', 'gas', 'offline', 'raised', NOW - HOUR, NOW - HOUR);
    alarm.run('a3', 'smoke', 'threshold', 'cleared', NOW - 10 * DAY, NOW - 10 * DAY);
    const cap = db.prepare(`INSERT INTO cap_alerts(id, identifier, sender, sent, sent_text, status, msg_type, scope, severity, colour, event, headline, effective, expires, min_x, min_y, max_x, max_y, doc, xml, source, received_at, updated_at)
      VALUES (?, ?, 'qx', 0, '', 'Actual', 'Alert', 'Public', ?, 'orange', '暴雨', '暴雨预警', ?, ?, ?, ?, ?, ?, '{}', '', 'test', 0, 0)`);
    cap.run('w1', 'w1', 'Severe', NOW - DAY, NOW + DAY, 120.031, 30.001, 120.049, 30.009); // over g4, g5
    cap.run('w2', 'w2', 'Minor', NOW - DAY, null, null, null, null, null); // the whole city
    cap.run('w3', 'w3', 'Extreme', NOW - 3 * DAY, NOW - 2 * DAY, null, null, null, null); // expired
    db.prepare(`INSERT INTO site_inspections(id, site_name, grid_id, inspected_at, findings, major_findings, updated_at) VALUES ('i1', '某厂', 'g3', ?, 3, 1, 0), ('i2', '某工地', 'g3', ?, 2, 0, 0)`).run(NOW - DAY, NOW - 40 * DAY);
    const model: ModelConfig = {
      ...handModel(),
      indicators: [
        { ...handModel().indicators[0]!, id: 'alarms', source: { kind: 'sensor_alarms', windowHours: 24 } },
        { ...handModel().indicators[0]!, id: 'smoke', source: { kind: 'sensor_alarms', windowHours: 24 * 30, sensorTypes: ['smoke'] } },
        { ...handModel().indicators[0]!, id: 'off', source: { kind: 'offline_devices', devices: ['sensor', 'camera'] } },
        { ...handModel().indicators[0]!, id: 'warn', source: { kind: 'warnings_in_force', minSeverity: 'minor' } },
        { ...handModel().indicators[0]!, id: 'severe', source: { kind: 'warnings_in_force', minSeverity: 'severe' } },
        { ...handModel().indicators[0]!, id: 'insp', source: { kind: 'inspection_findings', windowHours: 24 * 30, majorOnly: false } },
        { ...handModel().indicators[0]!, id: 'major', source: { kind: 'inspection_findings', windowHours: 24 * 30, majorOnly: true } },
      ],
    };
    expect(raw(model)).toEqual([
      [0, 1, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [2, 0, 0, 0, 0],
      [1, 1, 1, 2, 2],
      [0, 0, 0, 1, 1],
      [0, 0, 3, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
  });
});

describe('runs', () => {
  it('score a precision model with the colours of its based-on model', () => {
    const ctx = testContext(NOW);
    try {
      const city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
      registerConsult(ctx);
      seedScenario(city);
      const opts = { now: NOW, freshMs: 60_000 };
      const base = ensureRun(ctx.db, 'composite', TODAY, opts).run;
      const precision = ensureRun(ctx.db, 'precision', TODAY, opts).run;
      const tree = loadTree(ctx.db);
      const baseLevels = levelsOfRun(ctx.db, base.id, tree);
      const precisionLevels = levelsOfRun(ctx.db, precision.id, tree);
      expect([...precisionLevels]).toEqual([...baseLevels]);
      const rows = ctx.db.prepare('SELECT area_id, score, base, coefficient, level FROM consult_scores WHERE run_id = ? AND area_level = 5 ORDER BY area_id').all(precision.id) as Array<{
        score: number;
        base: number;
        coefficient: number;
        level: number;
      }>;
      const coefficients = [1, 0.95, 0.9, 0.8, 0.7];
      for (const r of rows) {
        expect(r.coefficient).toBe(coefficients[r.level]);
        expect(r.score).toBeCloseTo(r.base * r.coefficient, 3);
      }
    } finally {
      ctx.close();
    }
  });
});
