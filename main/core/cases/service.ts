import { ApiFailure } from '../../../shared/api';
import { URGENCIES, type CaseState } from '../../../shared/domain/model';
import type { CoreContext } from '../core';
import { buildCaseWhere, getCaseRow, listCases, toDetail } from './queries';
import { overview } from './stats';

export function registerCases(ctx: CoreContext): void {
  const { db, registry } = ctx;

  registry.register('cases.list', (q) => listCases(db, q));

  registry.register('cases.get', ({ id }) => {
    const row = getCaseRow(db, id);
    if (!row) throw new ApiFailure('not_found', `no case with id ${id}`, 'input.id');
    return toDetail(db, row);
  });

  registry.register('cases.points', (q) => {
    const { sql, params } = buildCaseWhere(db, q);
    const rows = db
      .prepare(`SELECT id, lon, lat, state, urgency, overdue FROM cases ${sql} ORDER BY reported_at DESC LIMIT ?`)
      .raw()
      .all(...params, q.limit) as Array<[string, number, number, CaseState, number, number]>;
    const out = { ids: [] as string[], lon: [] as number[], lat: [] as number[], state: [] as CaseState[], urgency: [] as Array<(typeof URGENCIES)[number]>, overdue: [] as boolean[] };
    for (const [id, lon, lat, state, urgency, overdue] of rows) {
      out.ids.push(id);
      out.lon.push(lon);
      out.lat.push(lat);
      out.state.push(state);
      out.urgency.push(URGENCIES[urgency] ?? 'normal');
      out.overdue.push(overdue === 1);
    }
    return out;
  });

  registry.register('stats.overview', ({ areaId, day }) => overview(db, { areaId, day, now: ctx.now() }));
}
