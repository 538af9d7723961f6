/**
 * The briefing (会商简报) as a PDF: A4, Chinese, the five-colour map and the maps of the index
 * models, the six indices with their trend, the agenda's tables and the meeting's decisions. It
 * is drawn from the session's frozen agenda, so it shows what was discussed; the file is kept in
 * the data directory and listed in consult_briefings.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../../../shared/api/contract';
import type { AgendaItem, Briefing, Decision, IndexSummary, Session } from '../../../shared/api/consult';
import { categoryByCode } from '../../../shared/domain/catalogue';
import { RISK_LEVEL_HEX, RISK_LEVEL_ZH } from '../../../shared/domain/indicators';
import { toShanghaiIso, shanghaiDateTime } from '../../../shared/time';
import { getMeta, type Db } from '../db/store';
import { listModels, type StoredModel } from './models';
import { ensureRun, type EnsureOptions } from './runs';
import { A4, PdfDocument, type PdfPage } from './pdf/document';
import { findCjkFonts, loadFont } from './pdf/font';
import { drawMap, projectionFor, projectShapes, type Projected, type Projection } from './pdf/map';

const M = 40; // page margin
const W = A4.width - 2 * M;
const TOP = 56;
const BOTTOM = A4.height - 46;
const INK = '#1b2433';
const MUTED = '#5b6b80';
const NAVY = '#0d2240';
const LINE = '#c9d3e0';
const ZEBRA = '#f2f5f9';
const OUTCOME_ZH: Record<Decision['outcome'], string> = { failed: '未能转办', in_progress: '办理中', overdue: '超时未办结', done: '已办结', done_late: '逾期办结' };
const STATE_ZH: Record<string, string> = {
  reported: '待立案',
  registered: '已立案',
  cancelled: '不予立案',
  dispatched: '已派遣',
  accepted: '处置中',
  returned: '已回退',
  handled: '待核查',
  rework: '返工',
  suspended: '挂账',
  closed: '已结案',
};

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** A flowing layout over pages: headings, paragraphs and tables, with a running header. */
class Flow {
  page: PdfPage;
  y = TOP;
  constructor(
    readonly doc: PdfDocument,
    private readonly running: string,
  ) {
    this.page = this.newPage();
  }

  newPage(): PdfPage {
    this.page = this.doc.addPage();
    this.page.text(this.running, A4.width - M, 30, { size: 8, color: MUTED, align: 'right' });
    this.page.strokeColor(LINE).lineWidth(0.5).line(M, 36, A4.width - M, 36);
    this.y = TOP;
    return this.page;
  }

  ensure(h: number): void {
    if (this.y + h > BOTTOM) this.newPage();
  }

  heading(text: string, sub?: string): void {
    this.ensure(60);
    if (this.y > TOP) this.y += 12;
    this.page.fillColor(NAVY).rect(M, this.y - 11, 4, 15);
    this.page.text(text, M + 10, this.y + 1, { size: 13, style: 'bold', color: NAVY });
    if (sub) this.page.text(sub, A4.width - M, this.y + 1, { size: 8, color: MUTED, align: 'right' });
    this.y += 16;
  }

  para(text: string, size = 9.5, color = INK): void {
    const lines = this.doc.wrap(text, W, size, 'regular', 1000);
    const lh = size * 1.55;
    for (const line of lines) {
      this.ensure(lh);
      this.page.text(line, M, this.y + size, { size, color });
      this.y += lh;
    }
    this.y += 4;
  }

  table(columns: Column[], rows: string[][], opts: { size?: number; cellColour?: (r: number, c: number) => string | null } = {}): void {
    const size = opts.size ?? 8.5;
    const rh = size * 1.9;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * W);
    const header = (): void => {
      this.page.fillColor(NAVY).rect(M, this.y, W, rh);
      let x = M;
      columns.forEach((c, i) => {
        this.cell(c.title, x, widths[i]!, size, '#ffffff', c.align ?? 'left', 'bold');
        x += widths[i]!;
      });
      this.y += rh;
    };
    this.ensure(rh * Math.min(3, rows.length + 1));
    header();
    if (rows.length === 0) {
      this.page.text('（无）', M + 4, this.y + size * 1.3, { size, color: MUTED });
      this.y += rh + 6;
      return;
    }
    rows.forEach((row, r) => {
      if (this.y + rh > BOTTOM) {
        this.newPage();
        header();
      }
      if (r % 2 === 1) this.page.fillColor(ZEBRA).rect(M, this.y, W, rh);
      let x = M;
      row.forEach((text, c) => {
        const colour = opts.cellColour?.(r, c) ?? null;
        if (colour) this.page.fillColor(colour).rect(x + 2, this.y + 3, 5, rh - 6);
        this.cell(text, x + (colour ? 6 : 0), widths[c]! - (colour ? 6 : 0), size, INK, columns[c]!.align ?? 'left', 'regular');
        x += widths[c]!;
      });
      this.y += rh;
    });
    this.page.strokeColor(LINE).lineWidth(0.5).line(M, this.y, M + W, this.y);
    this.y += 8;
  }

  private cell(text: string, x: number, w: number, size: number, color: string, align: 'left' | 'right' | 'center', style: 'regular' | 'bold'): void {
    const inner = w - 6;
    const [line] = this.doc.wrap(text, inner, size, style, 1);
    const tx = align === 'right' ? x + w - 3 : align === 'center' ? x + w / 2 : x + 3;
    this.page.text(line ?? '', tx, this.y + size * 1.3, { size, color, align, style });
  }
}

const fmt = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));
const signed = (v: number | null, digits = 1): string => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`);
const hhmm = (iso: string | null): string => (iso ? iso.slice(5, 16).replace('T', ' ') : '—');

interface MapData {
  projection: Projection;
  grids: Projected;
  towns: Projected;
  districts: Projected;
  communities: Projected | null;
  townLabels: Array<{ x: number; y: number; text: string }>;
  runLevels: (model: StoredModel, areaLevel: number) => Map<string, number>;
}

function loadMapData(db: Db, day: string, ensure: EnsureOptions): MapData {
  const rows = (level: number): Array<{ id: string; geometry: string }> =>
    db.prepare('SELECT id, geometry FROM areas WHERE level = ? ORDER BY code').all(level) as Array<{ id: string; geometry: string }>;
  const mid = db.prepare('SELECT (MIN(min_y) + MAX(max_y)) / 2 FROM areas WHERE level = 5').pluck().get() as number | null;
  const projection = projectionFor(mid ?? 30);
  const gridRows = rows(5);
  const grids = projectShapes(gridRows, projection);
  const towns = projectShapes(rows(3), projection);
  const districts = projectShapes(rows(2), projection);
  // Small maps of a big city draw communities rather than 20,000 grids.
  const communities = gridRows.length > 4000 ? projectShapes(rows(4), projection) : null;
  const townLabels = (db.prepare('SELECT cx, cy, name FROM areas WHERE level = 3').all() as Array<{ cx: number; cy: number; name: string }>).map((t) => ({ x: t.cx, y: t.cy, text: t.name }));
  return {
    projection,
    grids,
    towns,
    districts,
    communities,
    townLabels,
    runLevels(model, areaLevel) {
      const { run } = ensureRun(db, model.config.id, day, { ...ensure, revision: model.revision });
      return new Map(db.prepare('SELECT area_id, level FROM consult_scores WHERE run_id = ? AND area_level = ?').raw().all(run.id, areaLevel) as Array<[string, number]>);
    },
  };
}

function legend(page: PdfPage, x: number, y: number, counts: readonly number[] | null, size = 8): void {
  let cx = x;
  for (let level = 4; level >= 0; level--) {
    page.fillColor(RISK_LEVEL_HEX[level]!).rect(cx, y - size + 1, size, size);
    const label = counts ? `${RISK_LEVEL_ZH[level]} ${counts[level] ?? 0}` : RISK_LEVEL_ZH[level]!;
    cx += size + 3 + page.text(label, cx + size + 3, y, { size, color: INK }) + 10;
  }
}

function sparkline(page: PdfPage, series: IndexSummary['series'], x: number, y: number, w: number, h: number): void {
  const values = series.map((s) => s.value).filter((v): v is number => v !== null);
  if (values.length < 2) return;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 2) {
    lo -= 1;
    hi += 1;
  }
  const px = (i: number): number => x + (i / (series.length - 1)) * w;
  const py = (v: number): number => y + h - ((v - lo) / (hi - lo)) * h;
  page.strokeColor('#2f80ed').lineWidth(0.8);
  let parts: Array<[number, number]> = [];
  const flush = (): void => {
    for (let i = 1; i < parts.length; i++) page.line(parts[i - 1]![0], parts[i - 1]![1], parts[i]![0], parts[i]![1]);
    parts = [];
  };
  series.forEach((s, i) => {
    if (s.value === null) flush();
    else parts.push([px(i), py(s.value)]);
  });
  flush();
  const last = series[series.length - 1]?.value;
  if (last !== null && last !== undefined) page.fillColor('#2f80ed').rect(px(series.length - 1) - 1.2, py(last) - 1.2, 2.4, 2.4);
}

export interface BriefingInput {
  db: Db;
  dataDir: string;
  session: Session;
  decisions: Decision[];
  actor: string;
  now: number;
  ensure: EnsureOptions;
}

export function buildBriefingPdf(input: BriefingInput): { pdf: Buffer; pages: number } {
  const { db, session } = input;
  const fonts = findCjkFonts();
  if (!fonts) throw new ApiFailure('unavailable', '未找到中文字体（如 fonts-noto-cjk）：安装后重试，或用 CITYOPS_CJK_FONT 指定字体文件');
  const doc = new PdfDocument(
    { regular: loadFont(fonts.regular), bold: fonts.bold ? loadFont(fonts.bold) : null },
    { title: `${session.title} 会商简报`, author: getMeta(db, 'centre_name') ?? '城市运行管理中心', subject: '每日会商简报', created: input.now },
  );
  const centre = getMeta(db, 'centre_name') ?? '城市运行管理中心';
  const agenda = session.agenda;
  const item = <K extends AgendaItem['kind']>(kind: K): Extract<AgendaItem, { kind: K }> | undefined =>
    agenda.items.find((i): i is Extract<AgendaItem, { kind: K }> => i.kind === kind);
  const flow = new Flow(doc, `${centre} · 每日会商简报 · ${session.day}`);

  // Title block.
  const p1 = flow.page;
  p1.fillColor(NAVY).rect(M, TOP - 8, W, 70);
  p1.text('每日会商简报', M + 16, TOP + 24, { size: 22, style: 'bold', color: '#ffffff' });
  p1.text(session.title, M + 16, TOP + 46, { size: 10.5, color: '#d6e2f2' });
  p1.text(centre, A4.width - M - 16, TOP + 22, { size: 10, color: '#d6e2f2', align: 'right' });
  p1.text(`主持：${session.chair}  导出：${shanghaiDateTime(input.now)}`, A4.width - M - 16, TOP + 40, { size: 8.5, color: '#d6e2f2', align: 'right' });
  p1.text(`数据时段：${hhmm(agenda.from)} 至 ${hhmm(agenda.to)}`, A4.width - M - 16, TOP + 54, { size: 8.5, color: '#d6e2f2', align: 'right' });
  flow.y = TOP + 78;

  const ov = item('overview');
  if (ov) {
    flow.heading('一、总体态势', `近24小时 · ${hhmm(agenda.from)}—${hhmm(agenda.to)}`);
    const f = ov.figures;
    const boxes: Array<[string, string]> = [
      ['近24小时上报', String(f.reported24h)],
      ['前24小时上报', String(f.reportedPrev24h)],
      ['近24小时结案', String(f.closed24h)],
      ['在办案件', String(f.open)],
      ['超期案件', String(f.overdue)],
      ['督办案件', String(f.supervised)],
    ];
    const bw = W / boxes.length;
    boxes.forEach(([label, value], i) => {
      const x = M + i * bw;
      flow.page.fillColor(ZEBRA).rect(x + 2, flow.y, bw - 4, 44);
      flow.page.text(value, x + bw / 2, flow.y + 24, { size: 17, style: 'bold', color: i === 4 && f.overdue > 0 ? RISK_LEVEL_HEX[4] : NAVY, align: 'center' });
      flow.page.text(label, x + bw / 2, flow.y + 38, { size: 8, color: MUTED, align: 'center' });
    });
    flow.y += 54;
    flow.para(ov.summary);

    flow.heading('二、平安六指数', '指数 = 100 − 全域风险分；趋势为近31日');
    const cols = [160, 60, 56, 56, 56, 127];
    const titles = ['指数', '今日', '较昨日', '较7日前', '较30日前', '近31日'];
    const rh = 30;
    flow.ensure(rh * (ov.indices.length + 1));
    const xs = cols.map((_, i) => M + cols.slice(0, i).reduce((a, b) => a + b, 0));
    flow.page.fillColor(NAVY).rect(M, flow.y, W, 18);
    titles.forEach((t, i) => flow.page.text(t, xs[i]! + (i === 0 ? 6 : cols[i]! / 2), flow.y + 12.5, { size: 8.5, style: 'bold', color: '#ffffff', align: i === 0 ? 'left' : 'center' }));
    flow.y += 18;
    ov.indices.forEach((idx, r) => {
      const y = flow.y;
      if (r % 2 === 1) flow.page.fillColor(ZEBRA).rect(M, y, W, rh);
      flow.page.fillColor(RISK_LEVEL_HEX[idx.level]!).rect(M + 6, y + 9, 10, 10);
      flow.page.text(idx.name, M + 22, y + 14, { size: 10, style: 'bold', color: INK });
      const top = [...idx.composition].sort((a, b) => b.riskPoints - a.riskPoints)[0];
      if (top && top.riskPoints > 0) flow.page.text(`主要风险：${top.name}`, M + 22, y + 25, { size: 7, color: MUTED });
      flow.page.text(fmt(idx.value), xs[1]! + cols[1]! / 2, y + 19, { size: 13, style: 'bold', color: NAVY, align: 'center' });
      const deltas = [idx.yesterday, idx.week, idx.month].map((v) => (v === null ? null : idx.value - v));
      deltas.forEach((d, k) => {
        const colour = d === null || Math.abs(d) < 0.05 ? MUTED : d > 0 ? '#1f8a4c' : '#c62828';
        flow.page.text(signed(d), xs[2 + k]! + cols[2 + k]! / 2, y + 18, { size: 9.5, color: colour, align: 'center' });
      });
      sparkline(flow.page, idx.series, xs[5]! + 6, y + 5, cols[5]! - 12, rh - 10);
      flow.y += rh;
    });
    flow.page.strokeColor(LINE).lineWidth(0.5).line(M, flow.y, M + W, flow.y);
    flow.y += 10;
    const movers = ov.indices.flatMap((i) => i.movers.slice(0, 2).map((m) => `${i.name}：${m.name} ${signed(m.effect, 2)}`));
    if (movers.length) flow.para(`主要拉动（对全域指数的影响，分）：${movers.join('；')}`, 8.5, MUTED);
  }

  // The five-colour map, and the maps of the index models.
  const mapItem = item('map');
  const models = listModels(db);
  const geo = loadMapData(db, session.day, input.ensure);
  const hasGeo = geo.grids.shapes.length > 0;
  if (mapItem && hasGeo) {
    flow.newPage();
    flow.heading(`三、五色图（${mapItem.modelName}）`, `${mapItem.day} · 模型版本 ${mapItem.revision}`);
    const primary = models.find((m) => m.config.id === mapItem.modelId);
    const levels = primary ? geo.runLevels(primary, 5) : new Map<string, number>();
    const box = { x: M, y: flow.y, w: W, h: 430 };
    flow.page.strokeColor(LINE).lineWidth(0.5).rect(box.x, box.y, box.w, box.h, 'S');
    const many = geo.grids.shapes.length > 3000;
    drawMap(
      flow.page,
      box,
      geo.grids.bounds,
      {
        fill: {
          shapes: geo.grids.shapes,
          colourOf: (id) => RISK_LEVEL_HEX[levels.get(id) ?? -1] ?? '#dfe5ec',
          ...(many ? {} : { stroke: { colour: '#ffffff', width: 0.3 } }),
        },
        outlines: [
          { shapes: geo.towns.shapes, colour: '#3d4a5c', width: 0.7 },
          { shapes: geo.districts.shapes, colour: NAVY, width: 1.4 },
        ],
        labels: geo.townLabels,
        labelSize: 7,
      },
      (lon, lat) => [lon * geo.projection.k, lat],
    );
    flow.y += box.h + 14;
    legend(flow.page, M, flow.y, mapItem.counts, 9);
    flow.y += 14;
    flow.para(mapItem.summary);
    flow.table(
      [
        { title: '网格', width: 150 },
        { title: '所属', width: 120 },
        { title: '昨日', width: 50, align: 'center' },
        { title: '今日', width: 50, align: 'center' },
        { title: '风险分', width: 60, align: 'right' },
        { title: '较昨日', width: 60, align: 'right' },
      ],
      // As many rows as the map page holds: the full list is on the wall and in the agenda.
      mapItem.changed.slice(0, Math.max(1, Math.floor((BOTTOM - flow.y - 12) / (8.5 * 1.9)) - 1)).map((c) => [c.name, c.parentName, RISK_LEVEL_ZH[c.from]!, RISK_LEVEL_ZH[c.to]!, fmt(c.score), signed(c.score - c.prevScore)]),
      { cellColour: (r, c) => (c === 2 ? RISK_LEVEL_HEX[mapItem.changed[r]!.from]! : c === 3 ? RISK_LEVEL_HEX[mapItem.changed[r]!.to]! : null) },
    );

    const small = models.filter((m) => m.config.kind === 'risk' && m.config.index).sort((a, b) => a.config.index!.order - b.config.index!.order);
    if (small.length) {
      flow.newPage();
      flow.heading('四、分领域风险图', geo.communities ? '按社区着色' : '按网格着色');
      const cols = 2;
      const mw = (W - 12) / cols;
      const mh = 205;
      small.forEach((m, i) => {
        const col = i % cols;
        if (col === 0 && i > 0) flow.y += mh + 36;
        flow.ensure(mh + 36);
        const x = M + col * (mw + 12);
        const y = flow.y;
        const shapes = geo.communities ?? geo.grids;
        const lv = geo.runLevels(m, geo.communities ? 4 : 5);
        const counts = [0, 0, 0, 0, 0];
        for (const l of lv.values()) counts[l] = (counts[l] ?? 0) + 1;
        flow.page.text(`${m.config.name}（${m.config.index!.name}）`, x, y + 10, { size: 9.5, style: 'bold', color: NAVY });
        flow.page.strokeColor(LINE).lineWidth(0.5).rect(x, y + 16, mw, mh, 'S');
        drawMap(
          flow.page,
          { x, y: y + 16, w: mw, h: mh },
          geo.grids.bounds,
          {
            fill: { shapes: shapes.shapes, colourOf: (id) => RISK_LEVEL_HEX[lv.get(id) ?? -1] ?? '#dfe5ec' },
            outlines: [{ shapes: geo.towns.shapes, colour: '#3d4a5c', width: 0.4 }],
            labels: [],
            labelSize: 6,
          },
          (lon, lat) => [lon * geo.projection.k, lat],
        );
        legend(flow.page, x, y + mh + 28, counts, 7);
      });
      flow.y += mh + 40;
    }
  }

  const casesItem = item('cases');
  if (casesItem) {
    flow.newPage();
    flow.heading('五、超期与督办案件', `超期 ${casesItem.overdueTotal} 件 · 督办 ${casesItem.supervisedTotal} 件`);
    flow.para(casesItem.summary);
    const caseRows = (list: typeof casesItem.overdue): string[][] =>
      list.map((c) => [c.code, c.title, categoryByCode.get(c.categoryCode)?.name ?? c.categoryCode, c.departmentName ?? '—', c.areaName ?? '—', STATE_ZH[c.state] ?? c.state, c.overdueHours > 0 ? fmt(c.overdueHours) : '—']);
    const caseCols: Column[] = [
      { title: '编号', width: 92 },
      { title: '标题', width: 130 },
      { title: '类别', width: 70 },
      { title: '责任部门', width: 72 },
      { title: '网格', width: 70 },
      { title: '状态', width: 44, align: 'center' },
      { title: '超期(时)', width: 46, align: 'right' },
    ];
    flow.para('超期案件（超期最久者在前）', 9, MUTED);
    flow.table(caseCols, caseRows(casesItem.overdue));
    flow.para('督办案件', 9, MUTED);
    flow.table(caseCols, caseRows(casesItem.supervised));
    flow.table(
      [
        { title: '责任部门', width: 200 },
        { title: '超期', width: 80, align: 'right' },
        { title: '督办', width: 80, align: 'right' },
      ],
      casesItem.byDepartment.map((d) => [d.name, String(d.overdue), String(d.supervised)]),
    );
  }

  const hot = item('hotspots');
  if (hot) {
    flow.heading('六、热点');
    flow.para(hot.summary);
    flow.table(
      [
        { title: '类别', width: 200 },
        { title: '近24小时', width: 80, align: 'right' },
        { title: '近7日日均', width: 80, align: 'right' },
        { title: '增加', width: 80, align: 'right' },
      ],
      hot.categories.map((c) => [c.name, String(c.count), fmt(c.baseline), signed(c.delta)]),
    );
    flow.table(
      [
        { title: '社区', width: 200 },
        { title: '所属', width: 120 },
        { title: '近24小时', width: 70, align: 'right' },
        { title: '近7日日均', width: 70, align: 'right' },
        { title: '增加', width: 60, align: 'right' },
      ],
      hot.places.map((p) => [p.name, p.parentName, String(p.count), fmt(p.baseline), signed(p.delta)]),
    );
  }

  const al = item('alarms');
  if (al) {
    flow.heading('七、告警与生效预警');
    flow.para(al.summary);
    flow.table(
      [
        { title: '设备', width: 170 },
        { title: '类型', width: 80 },
        { title: '网格', width: 110 },
        { title: '时间', width: 90 },
        { title: '状态', width: 60 },
      ],
      al.alarms.map((a) => [a.name, a.type, a.areaName ?? '—', hhmm(a.at), a.status]),
    );
    if (al.warnings.length)
      flow.table(
        [
          { title: '预警', width: 240 },
          { title: '等级', width: 90 },
          { title: '区域', width: 100 },
          { title: '截止', width: 80 },
        ],
        al.warnings.map((w) => [w.headline, w.severity, w.areaName ?? '—', hhmm(w.expires)]),
      );
    flow.para(`数据来源：${al.sources.join('，')}`, 7.5, MUTED);
  }

  const fu = item('followup');
  const decisionCols: Column[] = [
    { title: '#', width: 18, align: 'center' },
    { title: '决定', width: 150 },
    { title: '责任部门', width: 72 },
    { title: '区域', width: 72 },
    { title: '时限', width: 62 },
    { title: '案件', width: 88 },
    { title: '落实', width: 56, align: 'center' },
  ];
  const decisionRows = (list: readonly Decision[], now: (d: Decision) => string): string[][] =>
    list.map((d) => [String(d.seq), d.title, d.departmentName, d.areaName, hhmm(d.deadlineAt), d.caseCode ?? '—', now(d)]);
  if (fu) {
    flow.heading('八、此前决定落实情况');
    flow.para(fu.summary);
    flow.table(decisionCols, decisionRows(fu.decisions, (d) => OUTCOME_ZH[d.outcome]));
  }

  flow.heading('九、本次会商纪要', `${input.decisions.length} 项决定`);
  flow.table(
    decisionCols,
    decisionRows(input.decisions, (d) => (d.caseId ? (d.caseState ? (STATE_ZH[d.caseState] ?? d.caseState) : '—') : '未转办')),
  );
  for (const d of input.decisions) if (d.detail) flow.para(`${d.seq}. ${d.title}：${d.detail}`, 8.5);
  flow.para(`本简报由 ${centre} 城运指挥大屏生成，导出人：${input.actor}。内部资料，注意保密。`, 7.5, MUTED);

  // Footers, now that the page count is known.
  const total = doc.pageCount;
  for (let i = 0; i < total; i++) {
    const page = doc.allPages()[i]!;
    page.strokeColor(LINE).lineWidth(0.5).line(M, A4.height - 34, A4.width - M, A4.height - 34);
    page.text('内部资料 注意保密', M, A4.height - 22, { size: 7.5, color: MUTED });
    page.text(`第 ${i + 1} 页 / 共 ${total} 页`, A4.width - M, A4.height - 22, { size: 7.5, color: MUTED, align: 'right' });
  }
  return { pdf: doc.toBuffer(), pages: total };
}

interface BriefingRow {
  id: string;
  session_id: string | null;
  day: string;
  title: string;
  created_by: string;
  created_at: number;
  file: string;
  bytes: number;
  pages: number;
  sha256: string;
  ms: number;
}

export const briefingUrl = (id: string): string => `/api/briefings/${encodeURIComponent(id)}.pdf`;

function toBriefing(r: BriefingRow): Briefing {
  return {
    id: r.id,
    sessionId: r.session_id,
    day: r.day,
    title: r.title,
    createdBy: r.created_by,
    createdAt: toShanghaiIso(r.created_at),
    bytes: r.bytes,
    pages: r.pages,
    sha256: r.sha256,
    ms: r.ms,
    url: briefingUrl(r.id),
  };
}

export const BRIEFING_DIR = 'briefings';

/** Generate a session's briefing PDF, store it and record it in the history. */
export function createBriefing(input: BriefingInput): Briefing {
  const t0 = performance.now();
  const { pdf, pages: pageCount } = buildBriefingPdf(input);
  const id = randomUUID();
  const rel = path.join(BRIEFING_DIR, `${input.session.day}-${id.slice(0, 8)}.pdf`);
  const abs = path.join(input.dataDir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, pdf);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const ms = Math.round(performance.now() - t0);
  input.db
    .prepare('INSERT INTO consult_briefings(id, session_id, day, title, created_by, created_at, file, bytes, pages, sha256, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, input.session.id, input.session.day, `${input.session.title} 会商简报`, input.actor, input.now, rel, pdf.length, pageCount, sha256, ms);
  return getBriefing(input.db, id);
}

export function getBriefing(db: Db, id: string): Briefing {
  const r = db.prepare('SELECT * FROM consult_briefings WHERE id = ?').get(id) as BriefingRow | undefined;
  if (!r) throw new ApiFailure('not_found', `no briefing ${id}`, 'input.id');
  return toBriefing(r);
}

export function listBriefings(db: Db, limit: number): Briefing[] {
  return (db.prepare('SELECT * FROM consult_briefings ORDER BY created_at DESC LIMIT ?').all(limit) as BriefingRow[]).map(toBriefing);
}

/** The stored PDF of a briefing, checked against its recorded digest. */
export function readBriefingFile(db: Db, dataDir: string, id: string): { briefing: Briefing; pdf: Buffer } {
  const r = db.prepare('SELECT * FROM consult_briefings WHERE id = ?').get(id) as BriefingRow | undefined;
  if (!r) throw new ApiFailure('not_found', `no briefing ${id}`, 'input.id');
  const root = path.resolve(dataDir, BRIEFING_DIR);
  const abs = path.resolve(dataDir, r.file);
  if (!abs.startsWith(root + path.sep)) throw new ApiFailure('internal', `briefing ${id} points outside the briefing folder`);
  let pdf: Buffer;
  try {
    pdf = fs.readFileSync(abs);
  } catch {
    throw new ApiFailure('not_found', `the file of briefing ${id} is missing (${r.file})`, 'input.id');
  }
  if (createHash('sha256').update(pdf).digest('hex') !== r.sha256) throw new ApiFailure('conflict', `the file of briefing ${id} has been altered`);
  return { briefing: toBriefing(r), pdf };
}
