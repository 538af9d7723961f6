/**
 * The consultation agenda, generated from the 24 hours before `at`: overview and indices; the
 * five-colour map and the grids that changed colour; overdue and supervised cases; hotspots
 * (categories and places that rose most against their 7-day average); alarms and warnings in
 * force; the earlier decisions and what became of them; and this meeting's minutes.
 */
import type { Agenda, AgendaItem, CaseBrief } from '../../../shared/api/consult';
import { categoryByCode } from '../../../shared/domain/catalogue';
import { RISK_LEVEL_ZH } from '../../../shared/domain/indicators';
import { OPEN_STATES, type CaseState } from '../../../shared/domain/model';
import { round } from '../../../shared/domain/scoring';
import { shanghaiDay, shanghaiDayStart, toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { followUps } from './decisions';
import { computeIndices } from './indices';
import { listModels } from './models';
import { ensureRun, previousDay, type EnsureOptions } from './runs';
import { hasTable } from './sources';
import { loadTree } from './tree';

const HOUR = 3_600_000;

const LIST = 12;

/** A grid's full name: its community first, unless the name already starts with it. */
const joinName = (parent: string, name: string): string => (name.startsWith(parent) ? name : `${parent}${name}`);

const placeholders = (n: number): string => new Array<string>(n).fill('?').join(',');

export function generateAgenda(db: Db, at: number, opts: Omit<EnsureOptions, 'now'>): Agenda {
  const from = at - 24 * HOUR;
  const day = shanghaiDay(at);
  const ensure: EnsureOptions = { ...opts, now: at };
  const items: AgendaItem[] = [overview(db, from, at, day, ensure), map(db, day, ensure), cases(db, at), hotspots(db, from, at), alarms(db, from, at), followup(db, day, at)];
  items.push({ kind: 'minutes', id: 'minutes', title: '本次会商纪要', summary: '记录会商决定：责任部门、区域、完成时限，自动转为闭环案件派遣。' });
  return { day, generatedAt: toShanghaiIso(at), from: toShanghaiIso(from), to: toShanghaiIso(at), items };
}

function overview(db: Db, from: number, to: number, day: string, ensure: EnsureOptions): AgendaItem {
  const openList = placeholders(OPEN_STATES.length);
  const count = (sql: string, ...params: unknown[]): number => (db.prepare(sql).pluck().get(...params) as number | null) ?? 0;
  const figures = {
    reported24h: count(`SELECT COUNT(*) FROM cases WHERE reported_at >= ? AND reported_at < ?`, from, to),
    reportedPrev24h: count(`SELECT COUNT(*) FROM cases WHERE reported_at >= ? AND reported_at < ?`, from - 24 * HOUR, from),
    closed24h: count(`SELECT COUNT(*) FROM cases WHERE closed_at >= ? AND closed_at < ?`, from, to),
    open: count(`SELECT COUNT(*) FROM cases WHERE state IN (${openList})`, ...OPEN_STATES),
    overdue: count(`SELECT COUNT(*) FROM cases WHERE overdue = 1 AND state IN (${openList})`, ...OPEN_STATES),
    supervised: count(`SELECT COUNT(*) FROM cases WHERE supervised = 1 AND state IN (${openList})`, ...OPEN_STATES),
  };
  const indices = computeIndices(db, day, ensure);
  const worst = [...indices].sort((a, b) => a.value - b.value)[0];
  const falling = indices.filter((i) => i.yesterday !== null && i.value < i.yesterday).map((i) => i.name);
  const change = figures.reported24h - figures.reportedPrev24h;
  const summary =
    `近24小时上报 ${figures.reported24h} 件（${change >= 0 ? '较前24小时多' : '较前24小时少'} ${Math.abs(change)} 件），结案 ${figures.closed24h} 件；` +
    `在办 ${figures.open} 件，超期 ${figures.overdue} 件，督办 ${figures.supervised} 件。` +
    (worst ? `最低指数：${worst.name} ${worst.value}。` : '') +
    (falling.length ? `较昨日下降：${falling.join('、')}。` : '');
  return { kind: 'overview', id: 'overview', title: '总体态势与平安六指数', summary, figures, indices };
}

function map(db: Db, day: string, ensure: EnsureOptions): AgendaItem {
  const models = listModels(db);
  const primary = models.find((m) => m.config.primary) ?? models.find((m) => m.config.kind === 'risk') ?? models[0]!;
  const today = ensureRun(db, primary.config.id, day, { ...ensure, revision: primary.revision }).run;
  const yesterday = ensureRun(db, primary.config.id, previousDay(day), { ...ensure, revision: primary.revision }).run;
  const tree = loadTree(db);
  const parentName = (id: string): string => {
    const i = tree.index.get(id);
    const p = i === undefined ? -1 : tree.parent[i]!;
    return p >= 0 ? tree.names[p]! : '';
  };
  const nameOf = (id: string): string => tree.names[tree.index.get(id) ?? -1] ?? id;
  const countsOf = (runId: number): number[] => {
    const c = [0, 0, 0, 0, 0];
    for (const [level, n] of db.prepare('SELECT level, COUNT(*) FROM consult_scores WHERE run_id = ? AND area_level = 5 GROUP BY level').raw().all(runId) as Array<[number, number]>)
      c[level] = n;
    return c;
  };
  const changedRows = db
    .prepare(
      `SELECT a.area_id, b.level, a.level, a.score, b.score FROM consult_scores a JOIN consult_scores b ON b.run_id = ? AND b.area_id = a.area_id
       WHERE a.run_id = ? AND a.area_level = 5 AND a.level <> b.level ORDER BY a.level - b.level DESC, a.score DESC`,
    )
    .raw()
    .all(yesterday.id, today.id) as Array<[string, number, number, number, number]>;
  const changed = changedRows.slice(0, 30).map(([id, fromLevel, toLevel, score, prev]) => ({
    areaId: id,
    name: nameOf(id),
    parentName: parentName(id),
    from: fromLevel,
    to: toLevel,
    score: round(score, 1),
    prevScore: round(prev, 1),
  }));
  const worst = (db.prepare('SELECT area_id, score, level FROM consult_scores WHERE run_id = ? AND area_level = 5 ORDER BY score DESC LIMIT 10').raw().all(today.id) as Array<
    [string, number, number]
  >).map(([id, score, level]) => ({ areaId: id, name: nameOf(id), parentName: parentName(id), score: round(score, 1), level }));
  const counts = countsOf(today.id);
  const up = changedRows.filter((r) => r[2] > r[1]).length;
  const summary =
    `${primary.config.name}五色图：红 ${counts[4]}、橙 ${counts[3]}、黄 ${counts[2]}、蓝 ${counts[1]}、绿 ${counts[0]} 个网格；` +
    `较昨日变色 ${changedRows.length} 个（升级 ${up}、降级 ${changedRows.length - up}）。` +
    (worst[0] ? `风险最高：${joinName(worst[0].parentName, worst[0].name)}（${worst[0].score}，${RISK_LEVEL_ZH[worst[0].level]}）。` : '');
  return {
    kind: 'map',
    id: 'map',
    title: '五色图与变色网格',
    summary,
    modelId: primary.config.id,
    modelName: primary.config.name,
    revision: primary.revision,
    day,
    counts,
    prevCounts: countsOf(yesterday.id),
    changedTotal: changedRows.length,
    changed,
    worst,
  };
}

interface BriefRow {
  id: string;
  code: string;
  title: string;
  category_code: string;
  state: string;
  department_name: string | null;
  area_name: string | null;
  reported_at: number;
  deadline_at: number | null;
  supervised: number;
}

function cases(db: Db, at: number): AgendaItem {
  const openList = placeholders(OPEN_STATES.length);
  const select = `SELECT c.id, c.code, c.title, c.category_code, c.state, d.name AS department_name, g.name AS area_name, c.reported_at, c.deadline_at, c.supervised
    FROM cases c LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN areas g ON g.id = c.grid_id`;
  const brief = (r: BriefRow): CaseBrief => ({
    id: r.id,
    code: r.code,
    title: r.title,
    categoryCode: r.category_code,
    state: r.state as CaseState,
    departmentName: r.department_name,
    areaName: r.area_name,
    reportedAt: toShanghaiIso(r.reported_at),
    deadlineAt: r.deadline_at === null ? null : toShanghaiIso(r.deadline_at),
    overdueHours: r.deadline_at !== null && r.deadline_at < at ? round((at - r.deadline_at) / HOUR, 1) : 0,
    supervised: r.supervised === 1,
  });
  const overdue = (db.prepare(`${select} WHERE c.overdue = 1 AND c.state IN (${openList}) ORDER BY c.deadline_at ASC LIMIT ?`).all(...OPEN_STATES, LIST) as BriefRow[]).map(brief);
  const supervised = (db.prepare(`${select} WHERE c.supervised = 1 AND c.state IN (${openList}) ORDER BY c.urgency DESC, c.deadline_at ASC LIMIT ?`).all(...OPEN_STATES, LIST) as BriefRow[]).map(
    brief,
  );
  const byDepartment = (
    db
      .prepare(
        `SELECT c.department_id, d.name, SUM(c.overdue = 1), SUM(c.supervised = 1) FROM cases c LEFT JOIN departments d ON d.id = c.department_id
         WHERE c.state IN (${openList}) AND (c.overdue = 1 OR c.supervised = 1) AND c.department_id IS NOT NULL
         GROUP BY c.department_id ORDER BY SUM(c.overdue = 1) DESC, SUM(c.supervised = 1) DESC LIMIT 10`,
      )
      .raw()
      .all(...OPEN_STATES) as Array<[string, string | null, number, number]>
  ).map(([departmentId, name, o, s]) => ({ departmentId, name: name ?? departmentId, overdue: o, supervised: s }));
  const overdueTotal = (db.prepare(`SELECT COUNT(*) FROM cases WHERE overdue = 1 AND state IN (${openList})`).pluck().get(...OPEN_STATES) as number) ?? 0;
  const supervisedTotal = (db.prepare(`SELECT COUNT(*) FROM cases WHERE supervised = 1 AND state IN (${openList})`).pluck().get(...OPEN_STATES) as number) ?? 0;
  const top = byDepartment[0];
  const summary =
    `超期在办 ${overdueTotal} 件、督办 ${supervisedTotal} 件。` +
    (top ? `超期最多：${top.name}（${top.overdue} 件）。` : '') +
    (overdue[0] ? `超期最久：${overdue[0].code} ${overdue[0].title}（${overdue[0].overdueHours} 小时）。` : '');
  return { kind: 'cases', id: 'cases', title: '超期与督办案件', summary, overdueTotal, supervisedTotal, overdue, supervised, byDepartment };
}

function hotspots(db: Db, from: number, to: number): AgendaItem {
  const baseFrom = from - 7 * 24 * HOUR;
  // Both read the covering window index (migration 005): eight days of cases, no table rows.
  const categories = (
    db
      .prepare(
        `SELECT category_code, SUM(reported_at >= ?) AS recent, SUM(reported_at < ?) AS base FROM cases INDEXED BY cases_consult_window
         WHERE reported_at >= ? AND reported_at < ? GROUP BY category_code`,
      )
      .raw()
      .all(from, from, baseFrom, to) as Array<[string, number, number]>
  )
    .map(([code, recent, base]) => ({ code, name: categoryByCode.get(code)?.name ?? code, count: recent, baseline: round(base / 7, 1), delta: round(recent - base / 7, 1) }))
    .filter((c) => c.delta > 0)
    .sort((a, b) => b.delta - a.delta || b.count - a.count)
    .slice(0, 8);
  const tree = loadTree(db);
  // Grid counts summed into their communities through the area tree.
  const byCommunity = new Map<string, [number, number]>();
  for (const [gridId, recent, base] of db
    .prepare(
      `SELECT grid_id, SUM(reported_at >= ?), SUM(reported_at < ?) FROM cases INDEXED BY cases_consult_window
       WHERE reported_at >= ? AND reported_at < ? AND grid_id IS NOT NULL GROUP BY grid_id`,
    )
    .raw()
    .all(from, from, baseFrom, to) as Array<[string, number, number]>) {
    const g = tree.index.get(gridId);
    const p = g === undefined ? -1 : tree.parent[g]!;
    if (p < 0) continue;
    const key = tree.ids[p]!;
    const acc = byCommunity.get(key) ?? [0, 0];
    acc[0] += recent;
    acc[1] += base;
    byCommunity.set(key, acc);
  }
  const places = [...byCommunity.entries()]
    .map(([id, [recent, base]]) => {
      const i = tree.index.get(id);
      const p = i === undefined ? -1 : tree.parent[i]!;
      return { areaId: id, name: i === undefined ? id : tree.names[i]!, parentName: p >= 0 ? tree.names[p]! : '', count: recent, baseline: round(base / 7, 1), delta: round(recent - base / 7, 1) };
    })
    .filter((c) => c.delta > 0)
    .sort((a, b) => b.delta - a.delta || b.count - a.count)
    .slice(0, 8);
  const summary =
    (categories.length ? `上升最多的类别：${categories.slice(0, 3).map((c) => `${c.name}（${c.count} 件，日均 ${c.baseline}）`).join('、')}。` : '各类别均未高于近7日日均。') +
    (places.length ? `上升最多的社区：${places.slice(0, 3).map((p) => `${p.parentName}${p.name}（${p.count} 件）`).join('、')}。` : '');
  return { kind: 'hotspots', id: 'hotspots', title: '热点：上升的类别与地点', summary, categories, places };
}

function alarms(db: Db, from: number, to: number): AgendaItem {
  const sources: string[] = [];
  let sensorAlarms = 0;
  let byType: Array<{ type: string; count: number }> = [];
  let list: Array<{ id: string; name: string; type: string; areaName: string | null; at: string | null; status: string }> = [];
  if (hasTable(db, 'alarms')) {
    sources.push('alarms');
    const where = `a.raised_at >= ? AND a.raised_at < ? AND a.kind NOT IN ('offline', 'stuck')`;
    sensorAlarms = (db.prepare(`SELECT COUNT(*) FROM alarms a WHERE ${where}`).pluck().get(from, to) as number) ?? 0;
    byType = (db.prepare(`SELECT a.sensor_type, COUNT(*) FROM alarms a WHERE ${where} GROUP BY a.sensor_type ORDER BY COUNT(*) DESC`).raw().all(from, to) as Array<[string, number]>).map(
      ([type, count]) => ({ type, count }),
    );
    list = (
      db
        .prepare(
          `SELECT a.id, COALESCE(s.name, a.sensor_id), a.sensor_type, g.name, a.raised_at, a.state FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id LEFT JOIN areas g ON g.id = a.grid_id
           WHERE ${where} ORDER BY a.severity DESC, a.raised_at DESC LIMIT ?`,
        )
        .raw()
        .all(from, to, LIST) as Array<[string, string, string, string | null, number, string]>
    ).map(([id, name, type, areaName, at, status]) => ({ id, name, type, areaName, at: toShanghaiIso(at), status }));
  } else {
    sources.push('sensors.status（无告警表，列出当前处于告警状态的设备）');
    const rows = db
      .prepare(`SELECT s.id, s.name, s.type, g.name, s.last_at, s.status FROM sensors s LEFT JOIN areas g ON g.id = s.grid_id WHERE s.status IN ('alarm', 'warning') ORDER BY s.status = 'alarm' DESC, s.last_at DESC`)
      .raw()
      .all() as Array<[string, string, string, string | null, number | null, string]>;
    sensorAlarms = rows.filter((r) => r[5] === 'alarm').length;
    const types = new Map<string, number>();
    for (const r of rows) if (r[5] === 'alarm') types.set(r[2], (types.get(r[2]) ?? 0) + 1);
    byType = [...types.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count);
    list = rows.slice(0, LIST).map(([id, name, type, areaName, at, status]) => ({ id, name, type, areaName, at: at === null ? null : toShanghaiIso(at), status }));
  }
  const offline = {
    sensors: (db.prepare(`SELECT COUNT(*) FROM sensors WHERE status = 'offline'`).pluck().get() as number) ?? 0,
    cameras: (db.prepare(`SELECT COUNT(*) FROM cameras WHERE status IN ('offline', 'fault')`).pluck().get() as number) ?? 0,
  };
  sources.push('sensors.status', 'cameras.status');
  let warnings: Array<{ id: string; headline: string; severity: string; areaName: string | null; expires: string | null }> = [];
  if (hasTable(db, 'cap_alerts')) {
    sources.push('cap_alerts');
    warnings = (
      db
        .prepare(
          `SELECT id, COALESCE(headline, event), colour, severity, expires, doc FROM cap_alerts
           WHERE status = 'Actual' AND msg_type <> 'Cancel' AND withdrawn IS NULL AND effective <= ? AND (expires IS NULL OR expires > ?) ORDER BY sent DESC LIMIT ?`,
        )
        .raw()
        .all(to, to, LIST) as Array<[string, string, string, string, number | null, string]>
    ).map(([id, headline, colour, severity, expires, doc]) => ({ id, headline, severity: `${colour}/${severity}`, areaName: areaDescOf(doc), expires: expires === null ? null : toShanghaiIso(expires) }));
  } else {
    sources.push('无预警表');
  }
  const summary =
    `近24小时感知告警 ${sensorAlarms} 起${byType.length ? `（${byType.slice(0, 3).map((t) => `${t.type} ${t.count}`).join('、')}）` : ''}；` +
    `离线设备：传感器 ${offline.sensors}、摄像头 ${offline.cameras}；生效预警 ${warnings.length} 条${warnings[0] ? `（${warnings[0].headline}）` : ''}。`;
  return { kind: 'alarms', id: 'alarms', title: '告警与生效预警', summary, sensorAlarms, byType, alarms: list, offline, warnings, sources };
}

/** The area description of a stored CAP alert (its first info's first area), if any. */
function areaDescOf(doc: string): string | null {
  try {
    const parsed = JSON.parse(doc) as { infos?: Array<{ areas?: Array<{ areaDesc?: unknown }> }> };
    const desc = parsed.infos?.[0]?.areas?.[0]?.areaDesc;
    return typeof desc === 'string' ? desc : null;
  } catch {
    return null;
  }
}

function followup(db: Db, day: string, at: number): AgendaItem {
  const decisions = followUps(db, day, shanghaiDayStart(day), at);
  const count = (o: string): number => decisions.filter((d) => d.outcome === o).length;
  const summary = decisions.length
    ? `此前会商决定 ${decisions.length} 项：已办结 ${count('done') + count('done_late')}（逾期办结 ${count('done_late')}），办理中 ${count('in_progress')}，超时未办结 ${count('overdue')}，未能转办 ${count('failed')}。`
    : '此前会商无待跟踪的决定。';
  return { kind: 'followup', id: 'followup', title: '昨日决定落实情况', summary, decisions };
}
