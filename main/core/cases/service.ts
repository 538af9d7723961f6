/**
 * The cases capability: the queue and case reads (queries.ts, stats.ts), the closed loop's writes
 * (workflow.ts), routing, duplicates, CSV import, the catalogue and work calendar, the evaluation,
 * and the periodic deadline scan.
 */
import { ApiFailure } from '../../../shared/api';
import { URGENCIES, type CaseState } from '../../../shared/domain/model';
import type { CoreContext } from '../core';
import { workClock, readCalendar, writeCalendar } from './calendar';
import { categoryHistory, createCategory, listCatalogue, updateCategory } from './catalogue';
import { importCsv } from './csv';
import { findDuplicates, proposeMergeTarget } from './duplicates';
import { evaluate, evaluationCsv } from './evaluation';
import { syncFacts } from './facts';
import { buildCaseWhere, getCaseRow, listCases, toDetail } from './queries';
import { proposeAssignee } from './routing';
import { overview } from './stats';
import { actOnCase, createCase, scanDeadlines, workflowView } from './workflow';

/** How often the deadline scan runs. */
export const SCAN_INTERVAL_MS = 60_000;

export function registerCases(ctx: CoreContext): void {
  const { db, registry, log } = ctx;

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

  // --- the closed loop -------------------------------------------------------------------------

  registry.register('cases.create', (input, call) => {
    const created = createCase(ctx, input, call);
    return {
      case: toDetail(db, created.row),
      workflow: workflowView(db, created.row, ctx.now(), input.role),
      duplicates: created.duplicates,
      proposedMergeTarget: created.proposedMergeTarget,
    };
  });

  registry.register('cases.act', (input, call) => {
    const { id, version, action, actor, role, ...fields } = input;
    const r = actOnCase(ctx, { id, version, action, actor, role, fields }, call);
    return { case: toDetail(db, r.row), workflow: workflowView(db, r.row, ctx.now(), role) };
  });

  registry.register('cases.workflow', ({ id, role }) => {
    const row = getCaseRow(db, id);
    if (!row) throw new ApiFailure('not_found', `no case with id ${id}`, 'input.id');
    return workflowView(db, row, ctx.now(), role);
  });

  registry.register('cases.proposeAssignee', (input) => proposeAssignee(ctx, input));

  registry.register('cases.duplicates', (input) => {
    let q: Parameters<typeof findDuplicates>[1];
    if (input.id !== undefined) {
      const row = getCaseRow(db, input.id);
      if (!row) throw new ApiFailure('not_found', `no case with id ${input.id}`, 'input.id');
      q = { categoryCode: row.category_code, lon: row.lon, lat: row.lat, at: row.reported_at, excludeId: row.id };
    } else {
      const at = input.at !== undefined ? Date.parse(input.at) : ctx.now();
      q = { categoryCode: input.categoryCode!, lon: input.lon!, lat: input.lat!, at };
    }
    const candidates = findDuplicates(db, q);
    return { candidates, proposedMergeTarget: proposeMergeTarget(candidates) };
  });

  registry.register('cases.merge', ({ sourceId, targetId, version, actor, role, note }, call) => {
    const r = actOnCase(ctx, { id: sourceId, version, action: 'merge', actor, role, fields: { targetId, note } }, call);
    const target = r.others[0] ?? getCaseRow(db, targetId);
    if (!target) throw new ApiFailure('not_found', `no case with id ${targetId}`, 'input.targetId');
    return { source: toDetail(db, r.row), target: toDetail(db, target) };
  });

  registry.register('cases.importCsv', (input, call) => importCsv(ctx, input, call));

  // --- catalogue and calendar --------------------------------------------------------------------

  registry.register('categories.list', ({ includeInactive }) => listCatalogue(db, includeInactive));
  registry.register('categories.update', (input) => {
    const updated = updateCategory(db, input, ctx.now());
    ctx.touch();
    return updated;
  });
  registry.register('categories.create', (input) => {
    const created = createCategory(db, input, ctx.now());
    ctx.touch();
    return created;
  });
  registry.register('categories.history', ({ code }) => categoryHistory(db, code));
  registry.register('calendar.get', () => readCalendar(db));
  registry.register('calendar.set', (input) => {
    const state = writeCalendar(db, input, ctx.now());
    ctx.touch();
    log.info('cases.calendar_changed', { actor: input.actor, version: state.version });
    return state;
  });

  // --- evaluation ------------------------------------------------------------------------------

  registry.register('evaluation.query', (input) => {
    syncFacts(db, workClock(db), log);
    return evaluate(db, input, ctx.now());
  });
  registry.register('evaluation.csv', (input) => {
    syncFacts(db, workClock(db), log);
    return evaluationCsv(evaluate(db, input, ctx.now()));
  });

  // --- periodic work ---------------------------------------------------------------------------

  const tick = (): void => {
    try {
      const scan = scanDeadlines(ctx);
      if (scan.warned || scan.overdue || scan.filled) log.info('cases.deadline_scan', { ...scan, ms: Math.round(scan.ms) });
      syncFacts(db, workClock(db), log);
    } catch (err) {
      log.error('cases.deadline_scan_failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  };
  tick();
  const timer = setInterval(tick, SCAN_INTERVAL_MS);
  timer.unref();
  ctx.timers.add(timer);
}
