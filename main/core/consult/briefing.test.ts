import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../../shared/api';
import { ok, type Result } from '../../../shared/api/contract';
import type { MethodCaller } from './bridge';
import { briefingHttp } from './http';
import { registerConsult } from './service';
import { SmallCity, testContext, type TestContext } from './testkit';

const NOW = Date.parse('2026-11-21T09:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A closed loop that accepts everything (the bridge itself is tested in consult.test.ts). */
const acceptingLoop = (ctx: TestContext): MethodCaller => {
  let n = 0;
  return {
    async call(name: string, raw: unknown): Promise<Result<unknown>> {
      const input = raw as Record<string, unknown>;
      if (name === 'cases.create') {
        n++;
        ctx.db
          .prepare(`INSERT INTO cases(id, code, source, class_code, category_code, title, lon, lat, state, reported_at, updated_at) VALUES (?, ?, 'consultation', '01', ?, ?, 120, 30, 'reported', ?, ?)`)
          .run(`d${n}`, `HZ-D${n}`, input.categoryCode, input.title, ctx.now(), ctx.now());
        return ok({ case: { id: `d${n}`, code: `HZ-D${n}`, state: 'reported', version: 1 } });
      }
      const to = input.action === 'register' ? 'registered' : 'dispatched';
      ctx.db.prepare('UPDATE cases SET state = ? WHERE id = ?').run(to, input.id);
      return ok({ case: { id: input.id, code: `HZ-${String(input.id).toUpperCase()}`, state: to, version: Number(input.version) + 1 } });
    },
  };
};

const pdftotext = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('the briefing PDF', () => {
  let ctx: TestContext;
  let call: <M extends MethodName>(method: M, input: unknown) => Promise<MethodOutput<M>>;
  let briefing: MethodOutput<'consult.briefings.create'>;
  let file: string;

  beforeAll(async () => {
    ctx = testContext(NOW);
    const city = new SmallCity(ctx.db).build(NOW - 40 * DAY);
    const service = registerConsult(ctx, { closedLoop: acceptingLoop(ctx) });
    call = async (method, input) => {
      const r = await ctx.registry.invoke(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    city.addCases(8, 'g1', NOW);
    city.addCases(12, 'g4', NOW, { category: '0401', source: 'police110' });
    for (let d = 1; d < 30; d++) city.addCases(d % 4, d % 2 ? 'g2' : 'g3', NOW - d * DAY, { category: '1102' });
    city.addCase({ grid: 'g2', reportedAt: NOW - 3 * DAY, deadlineAt: NOW - 2 * DAY, overdue: true, supervised: true, departmentCode: 'CG', category: '0301' });
    await service.tick();
    const session = await call('consult.session.open', { chair: '陈指挥长' });
    await call('consult.decisions.record', {
      sessionId: session.id,
      title: '西一1号网格街面秩序专项整治',
      detail: '占道经营连续上升，城管执法局牵头，三日内完成整治并反馈。',
      departmentId: city.departments.get('CG'),
      areaId: 'g4',
      deadline: '2026-11-23T18:00:00+08:00',
      actor: '陈指挥长',
    });
    const t0 = performance.now();
    briefing = await call('consult.briefings.create', { sessionId: session.id, actor: '值班员小李' });
    expect(performance.now() - t0).toBeLessThan(10_000);
    file = path.join(ctx.dataDir, 'briefings', fs.readdirSync(path.join(ctx.dataDir, 'briefings'))[0]!);
  });
  afterAll(() => ctx.close());

  it('is an A4 PDF that poppler parses, with several pages', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(briefing.pages).toBe(pages);
    expect(briefing.bytes).toBe(fs.statSync(file).size);
    expect(info).toContain('每日会商');
  });

  it('carries the Chinese text of indices, tables and decisions (searchable)', () => {
    const text = pdftotext(file);
    for (const s of ['每日会商简报', '总体态势', '平安六指数', '社会治安指数', '城市运行指数', '五色图', '超期与督办案件', '本次会商纪要', '西一1号网格街面秩序专项整治', '城管执法局', '内部资料 注意保密'])
      expect(text).toContain(s);
  });

  it('renders: the map page has colour', () => {
    const out = path.join(ctx.dataDir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '3', file, out]);
    const pngs = fs.readdirSync(ctx.dataDir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pngs.length).toBe(3);
    for (const p of pngs) expect(fs.statSync(path.join(ctx.dataDir, p)).size).toBeGreaterThan(5_000);
  });

  it('is kept in the history and can be reopened, by method and over HTTP', async () => {
    const list = await call('consult.briefings.list', {});
    expect(list.map((b) => b.id)).toEqual([briefing.id]);
    expect(briefing.url).toBe(`/api/briefings/${briefing.id}.pdf`);
    const content = await call('consult.briefings.content', { id: briefing.id });
    expect(Buffer.from(content.base64, 'base64').equals(fs.readFileSync(file))).toBe(true);
    const answer = briefingHttp(ctx.db, ctx.dataDir, 'GET', briefing.url);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(Buffer.isBuffer(answer.body) && answer.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(briefingHttp(ctx.db, ctx.dataDir, 'GET', '/api/briefings/nope.pdf').status).toBe(404);
    expect(briefingHttp(ctx.db, ctx.dataDir, 'GET', '/api/briefings/../../etc/passwd').status).toBe(404);
    expect(briefingHttp(ctx.db, ctx.dataDir, 'POST', briefing.url).status).toBe(405);
    expect(ctx.events.some((e) => e.event === 'consult.briefing')).toBe(true);
  });

  it('refuses a file that was altered after export', () => {
    const copy = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([copy, Buffer.from('%tampered')]));
    try {
      expect(briefingHttp(ctx.db, ctx.dataDir, 'GET', briefing.url).status).toBe(500);
    } finally {
      fs.writeFileSync(file, copy);
    }
  });
});
