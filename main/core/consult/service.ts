/**
 * The consultation service: registers the consult.* methods, announces sessions, decisions,
 * briefings and new scores, writes the primary model's colours to areas.risk_level (the wall's
 * 五色图 reads them), follows decision cases through the closed loop, and keeps daily snapshots:
 * today's primary colours refreshed when data changes, past days finalised and backfilled.
 */
import { z } from 'zod';
import type { Decision } from '../../../shared/api/consult';
import { shanghaiDay, toShanghaiIso } from '../../../shared/time';
import type { CoreContext } from '../core';
import { generateAgenda } from './agenda';
import { createBriefing, listBriefings, readBriefingFile } from './briefing';
import { decisionIdsForCase, dispatchDecision, getDecision, insertDecision, listDecisions } from './decisions';
import { explainArea, scoresOf } from './explain';
import { computeIndices } from './indices';
import type { MethodCaller } from './bridge';
import { ensureDefaultModels, getModel, history, listModels, revisionInfo, summarise, updateModel } from './models';
import { ensureRun, ensureRunWith, previousDay, pruneDetail, type EnsureOptions, type RunRow } from './runs';
import { offThreadProblem, RunWorker, RunWorkerError, type RunWorkerOptions, type RunWorkerStats } from './runWorker';
import { closeSession, currentSession, getSession, getSessionState, gotoItem, listSessions, openSession, setFocus } from './sessions';

export interface ConsultOptions {
  /** Today's runs older than this are recomputed on request (ms). */
  freshMs?: number;
  /** How often the background job looks for changed data and a new day (ms); 0 disables it. */
  refreshMs?: number;
  /** Days of history the background job fills in (trend of the indices). */
  backfillDays?: number;
  /** Per-indicator detail of runs older than this many days is dropped (scores are kept). */
  detailDays?: number;
  /** Where decisions become cases (default: the registry, i.e. cases.create and cases.act). */
  closedLoop?: MethodCaller;
  /**
   * The background runs are computed in a worker thread (runWorker.ts) unless false, or the store
   * cannot be read by one (in memory, not WAL); then on the main thread, one run per turn of the
   * event loop. An object tunes the worker (tests).
   */
  worker?: boolean | Omit<RunWorkerOptions, 'file' | 'log'>;
}

const casePayload = z.object({ case: z.object({ id: z.string(), source: z.string() }) });

export interface OffThreadStatus extends RunWorkerStats {
  /** Where the background runs are computed: 'worker', 'main' (no worker, or given up), or 'undecided' before the first. */
  mode: 'worker' | 'main' | 'undecided';
  /** Background runs computed on the main thread. */
  mainRuns: number;
  /** A worker thread is running now. */
  running: boolean;
}

export interface ConsultService {
  /** Run the background step once (tests and the timer): refresh today's colours, finalise and backfill past days. */
  tick(): Promise<void>;
  /** Where the background runs were computed (tests, benchmarks). */
  offThread(): OffThreadStatus;
}

export function registerConsult(ctx: CoreContext, options: ConsultOptions = {}): ConsultService {
  const { db, registry, bus, log } = ctx;
  const freshMs = options.freshMs ?? 60_000;
  const refreshMs = options.refreshMs ?? (ctx.host === 'test' ? 0 : 5 * 60_000);
  const backfillDays = options.backfillDays ?? 30;
  const detailDays = options.detailDays ?? 60;
  const closedLoop: MethodCaller = options.closedLoop ?? registry;

  const added = ensureDefaultModels(db, ctx.now());
  if (added.length) log.info('consult.models_seeded', { models: added });

  /** A run was computed: announce it; the primary model's current run of today colours the map. */
  const onComputed = (run: RunRow): void => {
    const today = shanghaiDay(ctx.now());
    let primary = false;
    try {
      const current = getModel(db, run.model_id);
      primary = current.config.primary && current.revision === run.revision;
    } catch {
      primary = false;
    }
    if (primary && run.day === today) {
      const changed = db
        .prepare(
          `UPDATE areas SET risk_level = (SELECT s.level FROM consult_scores s WHERE s.run_id = @run AND s.area_id = areas.id), updated_at = @now, version = version + 1
           WHERE id IN (SELECT s.area_id FROM consult_scores s WHERE s.run_id = @run)
             AND risk_level <> (SELECT s.level FROM consult_scores s WHERE s.run_id = @run AND s.area_id = areas.id)`,
        )
        .run({ run: run.id, now: ctx.now() }).changes;
      if (changed > 0) ctx.touch();
    }
    bus.emit('consult.scores', { modelId: run.model_id, revision: run.revision, day: run.day, computedAt: toShanghaiIso(run.computed_at), primary });
  };
  const ensureOpts = (): EnsureOptions => ({ now: ctx.now(), freshMs, onComputed });
  const today = (): string => shanghaiDay(ctx.now());

  registry.register('consult.models.list', () => listModels(db).map(summarise));
  registry.register('consult.models.get', ({ id, revision }) => {
    const current = getModel(db, id);
    const at = getModel(db, id, revision);
    return { summary: summarise(current), revision: revisionInfo(db, id, at.revision), config: at.config };
  });
  registry.register('consult.models.history', ({ id }) => history(db, id));
  registry.register('consult.models.update', ({ id, baseRevision, config, actor, note }) => {
    const rev = updateModel(db, { id, baseRevision, config, actor, note, now: ctx.now() });
    log.info('consult.model_revised', { model: id, revision: rev.revision, actor, changes: rev.changes.length });
    bus.emit('consult.model', { modelId: id, revision: rev.revision, changedBy: actor });
    // The wall's colours follow a new revision of the primary model at once.
    if (getModel(db, id).config.primary) ensureRun(db, id, today(), ensureOpts());
    return rev;
  });

  registry.register('consult.scores', (input) => scoresOf(db, { ...input, day: input.day ?? today() }, ensureOpts()));
  registry.register('consult.explain', (input) => explainArea(db, { ...input, day: input.day ?? today() }, ensureOpts()));
  registry.register('consult.indices', ({ day }) => {
    const d = day ?? today();
    return { day: d, indices: computeIndices(db, d, ensureOpts()) };
  });
  registry.register('consult.agenda.preview', ({ at }) => generateAgenda(db, at ? Math.min(Date.parse(at), ctx.now()) : ctx.now(), { freshMs, onComputed }));

  const announce = (id: string): void => bus.emit('consult.session', getSessionState(db, id));
  registry.register('consult.session.open', ({ chair, title }) => {
    const now = ctx.now();
    const { session, created, closed } = openSession(db, { chair, title, now, makeAgenda: () => generateAgenda(db, now, { freshMs, onComputed }) });
    for (const s of closed) bus.emit('consult.session', s);
    if (created) {
      log.info('consult.session_opened', { id: session.id, chair, items: session.agenda.items.length });
      ctx.touch(now);
      announce(session.id);
    }
    return session;
  });
  registry.register('consult.session.current', () => currentSession(db));
  registry.register('consult.session.get', ({ id }) => getSession(db, id));
  registry.register('consult.session.list', ({ limit }) => listSessions(db, limit));
  registry.register('consult.session.goto', ({ id, to, actor }) => {
    const { state, changed } = gotoItem(db, id, to, actor, ctx.now());
    if (changed) bus.emit('consult.session', state);
    return state;
  });
  registry.register('consult.session.focus', ({ id, focus, actor }) => {
    const state = setFocus(db, id, focus, actor, ctx.now());
    bus.emit('consult.session', state);
    return state;
  });
  registry.register('consult.session.close', ({ id, actor }) => {
    const state = closeSession(db, id, actor, ctx.now());
    log.info('consult.session_closed', { id, actor });
    bus.emit('consult.session', state);
    return state;
  });

  const announceDecision = (d: Decision): Decision => {
    bus.emit('consult.decision', d);
    return d;
  };
  registry.register('consult.decisions.record', async (input) => {
    const id = insertDecision(db, input, ctx.now());
    const decision = await dispatchDecision(db, closedLoop, id, input.actor, ctx.now);
    log.info('consult.decision_recorded', { id, session: input.sessionId, case: decision.caseCode, error: decision.caseError });
    ctx.touch();
    bus.emit('consult.session', getSessionState(db, input.sessionId));
    return announceDecision(decision);
  });
  registry.register('consult.decisions.list', (input) => listDecisions(db, input, ctx.now()));
  registry.register('consult.decisions.retry', async ({ id, actor }) => announceDecision(await dispatchDecision(db, closedLoop, id, actor, ctx.now)));

  registry.register('consult.briefings.create', ({ sessionId, actor }) => {
    const session = getSession(db, sessionId);
    const decisions = listDecisions(db, { sessionId, openOnly: false, limit: 500 }, ctx.now());
    const briefing = createBriefing({ db, dataDir: ctx.dataDir, session, decisions, actor, now: ctx.now(), ensure: ensureOpts() });
    log.info('consult.briefing_created', { id: briefing.id, session: sessionId, pages: briefing.pages, bytes: briefing.bytes, ms: briefing.ms });
    bus.emit('consult.briefing', briefing);
    return briefing;
  });
  registry.register('consult.briefings.list', ({ limit }) => listBriefings(db, limit));
  registry.register('consult.briefings.content', ({ id }) => {
    const { briefing, pdf } = readBriefingFile(db, ctx.dataDir, id);
    return { briefing, base64: pdf.toString('base64') };
  });

  // Decision cases moving through the closed loop: walls showing the follow-up see it at once.
  const unsubscribe = bus.subscribe((message) => {
    if (message.event !== 'case.updated' && message.event !== 'case.created') return;
    const parsed = casePayload.safeParse(message.payload);
    if (!parsed.success || parsed.data.case.source !== 'consultation') return;
    for (const id of decisionIdsForCase(db, parsed.data.case.id)) bus.emit('consult.decision', getDecision(db, id, ctx.now()));
  });
  ctx.onClose.push(unsubscribe);

  // Background: refresh today's primary colours when the data changed; finalise and backfill past days.
  let lastSeq = -1;
  let closed = false;
  ctx.onClose.push(() => {
    closed = true;
  });
  const watermark = (): number => (db.prepare('SELECT COALESCE(MAX(seq), 0) FROM change_log').pluck().get() as number) ?? 0;
  const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  // Long work off the event loop (DESIGN.md 6): a worker thread computes the background runs over
  // its own read-only connection; this thread plans them and writes them on the one writer.
  let worker: RunWorker | null | undefined;
  let mainRuns = 0;
  const runWorker = (): RunWorker | null => {
    if (worker === undefined) {
      const problem = options.worker === false ? 'turned off by the options' : offThreadProblem(db);
      if (problem) {
        log.info('consult.worker_unavailable', { reason: problem, using: 'the main thread' });
        worker = null;
      } else {
        worker = new RunWorker({ ...(typeof options.worker === 'object' ? options.worker : {}), file: db.name, log });
        // Hooks run in reverse order on core close: stop the background job before dropping its results.
        ctx.onClose.push(() => {
          closed = true;
          return worker?.close();
        });
      }
    }
    return worker?.usable ? worker : null;
  };
  /** Ensure a run in the background: computed by the worker, or here when there is none (or it failed). */
  const ensureInBackground = async (modelId: string, day: string, opts: EnsureOptions): Promise<void> => {
    const w = runWorker();
    if (w) {
      try {
        await ensureRunWith(db, modelId, day, opts, (job) => w.compute(job));
        return;
      } catch (err) {
        if (!(err instanceof RunWorkerError)) throw err;
        // Logged by the worker: this run is computed here.
      }
    }
    if (closed) return;
    if (ensureRun(db, modelId, day, opts).computed) mainRuns++;
    // One run per turn of the event loop, so the host keeps answering while history fills in.
    await yieldToLoop();
  };

  const service: ConsultService = {
    async tick() {
      const t0 = performance.now();
      const before = { worker: worker?.stats.runs ?? 0, main: mainRuns };
      const day = today();
      const models = listModels(db);
      const primary = models.find((m) => m.config.primary);
      const seq = watermark();
      if (primary && seq !== lastSeq) {
        // The colours the new run writes are changes too: they must not trigger the next refresh,
        // but changes made while the run was computed (in the worker) must.
        let seen = seq;
        const opts = ensureOpts();
        await ensureInBackground(primary.config.id, day, {
          ...opts,
          force: true,
          onComputed: (run) => {
            const unchanged = watermark() === seq;
            opts.onComputed?.(run);
            if (run.model_id === primary.config.id) seen = unchanged ? watermark() : seq;
          },
        });
        if (closed) return;
        lastSeq = seen;
      }
      for (let k = 1; k <= backfillDays && !closed; k++) {
        const d = previousDay(day, k);
        for (const m of models) {
          if (closed) return;
          if (!(m.config.primary || m.config.index)) continue;
          const final = db.prepare('SELECT final FROM consult_runs WHERE model_id = ? AND revision = ? AND day = ?').pluck().get(m.config.id, m.revision, d) as number | undefined;
          if (final === 1) continue;
          await ensureInBackground(m.config.id, d, ensureOpts());
        }
      }
      if (closed) return;
      const pruned = pruneDetail(db, previousDay(day, detailDays));
      if (pruned > 0) log.info('consult.detail_pruned', { rows: pruned });
      const inWorker = (worker?.stats.runs ?? 0) - before.worker;
      const onMain = mainRuns - before.main;
      if (inWorker + onMain > 0) log.info('consult.background_runs', { inWorker, onMainThread: onMain, ms: Math.round(performance.now() - t0) });
    },
    offThread() {
      const stats = worker?.stats ?? { starts: 0, runs: 0, computeMs: 0, failures: 0, disabled: null };
      const mode = worker === undefined ? 'undecided' : worker && stats.disabled === null ? 'worker' : 'main';
      return { ...stats, mode, mainRuns, running: worker?.running ?? false };
    },
  };
  if (refreshMs > 0) {
    let running = false;
    const run = (): void => {
      if (running || closed) return;
      running = true;
      service
        .tick()
        .catch((err: unknown) => log.error('consult.tick_failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) }))
        .finally(() => {
          running = false;
        });
    };
    const first = setTimeout(run, 2_000);
    const every = setInterval(run, refreshMs);
    ctx.timers.add(first);
    ctx.timers.add(every);
  }
  return service;
}

