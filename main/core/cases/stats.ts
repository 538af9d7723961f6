/** Today's figures for the wall's side panels. */
import type { Db } from '../db/store';
import { CASE_SOURCES, CASE_STATES, OPEN_STATES, type CaseSource, type CaseState } from '../../../shared/domain/model';
import { DAY_MS, shanghaiDay, shanghaiDayStart, shanghaiHour } from '../../../shared/time';
import { areaFilter, SUMMARY_COLUMNS, toSummary, type CaseRow } from './queries';

export function overview(db: Db, args: { areaId?: string | undefined; day?: string | undefined; now: number }) {
  const day = args.day ?? shanghaiDay(args.now);
  const from = shanghaiDayStart(day);
  const to = from + DAY_MS;
  const f = args.areaId ? areaFilter(db, args.areaId) : null;
  const areaSql = f ? `AND ${f.column} = ?` : '';
  const areaParams = f ? [f.id] : [];

  const todays = db
    .prepare(`SELECT state, source, class_code, reported_at FROM cases WHERE reported_at >= ? AND reported_at < ? ${areaSql}`)
    .all(from, to, ...areaParams) as Array<{ state: CaseState; source: CaseSource; class_code: string; reported_at: number }>;

  const byState = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  const bySource = Object.fromEntries(CASE_SOURCES.map((s) => [s, 0])) as Record<CaseSource, number>;
  const byClassMap = new Map<string, number>();
  const hourly = new Array<number>(24).fill(0);
  for (const c of todays) {
    byState[c.state] = (byState[c.state] ?? 0) + 1;
    bySource[c.source] = (bySource[c.source] ?? 0) + 1;
    byClassMap.set(c.class_code, (byClassMap.get(c.class_code) ?? 0) + 1);
    hourly[shanghaiHour(c.reported_at)]! += 1;
  }

  const openList = OPEN_STATES.map(() => '?').join(',');
  const scalar = (sql: string, ...params: unknown[]): number => (db.prepare(sql).pluck().get(...params) as number | null) ?? 0;
  const open = scalar(`SELECT COUNT(*) FROM cases WHERE state IN (${openList}) ${areaSql}`, ...OPEN_STATES, ...areaParams);
  const overdue = scalar(`SELECT COUNT(*) FROM cases WHERE overdue = 1 AND state IN (${openList}) ${areaSql}`, ...OPEN_STATES, ...areaParams);
  const supervised = scalar(`SELECT COUNT(*) FROM cases WHERE supervised = 1 AND state IN (${openList}) ${areaSql}`, ...OPEN_STATES, ...areaParams);
  const closedToday = scalar(`SELECT COUNT(*) FROM cases WHERE closed_at >= ? AND closed_at < ? ${areaSql}`, from, to, ...areaParams);
  const latest = (
    db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM cases WHERE reported_at < ? ${areaSql} ORDER BY reported_at DESC LIMIT 12`).all(to, ...areaParams) as CaseRow[]
  ).map(toSummary);

  return {
    day,
    reportedToday: todays.length,
    closedToday,
    open,
    overdue,
    supervised,
    byState,
    bySource,
    byClass: [...byClassMap.entries()].map(([classCode, count]) => ({ classCode, count })).sort((a, b) => b.count - a.count),
    hourly,
    latest,
  };
}
