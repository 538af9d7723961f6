/**
 * The morning consultation (每日会商) in the API contract: indicator models, scores and their
 * explanation, the safety indices, the consultation session the wall follows, decisions that
 * become closed-loop cases, and the briefing history.
 */
import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import { areaLevelSchema, caseStateSchema, idSchema, isoTimeSchema, urgencySchema } from '../domain/model';
import { INDICATOR_DOMAINS, MODEL_KINDS, modelConfigSchema } from '../domain/indicators';

export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
const actorSchema = z.string().min(1).max(60);
const levelSchema = z.number().int().min(0).max(4);

export const modelSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  description: z.string(),
  kind: z.enum(MODEL_KINDS),
  primary: z.boolean(),
  revision: z.number().int(),
  updatedAt: isoTimeSchema,
  updatedBy: z.string(),
  indicatorCount: z.number().int(),
  thresholds: z.array(z.number()).length(4),
  index: z.object({ id: z.string(), name: z.string(), nameEn: z.string(), order: z.number().int() }).nullable(),
  basedOn: z.string().nullable(),
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const modelChangeSchema = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() });

export const modelRevisionSchema = z.object({
  modelId: z.string(),
  revision: z.number().int(),
  changedBy: z.string(),
  changedAt: isoTimeSchema,
  note: z.string(),
  changes: z.array(modelChangeSchema),
});
export type ModelRevision = z.infer<typeof modelRevisionSchema>;

export const scoresSchema = z.object({
  modelId: z.string(),
  revision: z.number().int(),
  day: daySchema,
  asOf: isoTimeSchema,
  computedAt: isoTimeSchema,
  final: z.boolean(),
  kind: z.enum(MODEL_KINDS),
  thresholds: z.array(z.number()).length(4),
  level: areaLevelSchema,
  /** Parallel arrays, one entry per area of the level. */
  areaIds: z.array(z.string()),
  scores: z.array(z.number()),
  levels: z.array(levelSchema),
  /** How many areas of the level have each colour, green … red. */
  counts: z.array(z.number().int()).length(5),
});
export type Scores = z.infer<typeof scoresSchema>;

const areaRefSchema = z.object({ id: z.string(), name: z.string(), level: areaLevelSchema });

export const explanationSchema = z.object({
  modelId: z.string(),
  modelName: z.string(),
  kind: z.enum(MODEL_KINDS),
  revision: z.number().int(),
  day: daySchema,
  asOf: isoTimeSchema,
  area: areaRefSchema,
  score: z.number(),
  level: levelSchema,
  base: z.number(),
  coefficient: z.number(),
  yesterday: z.object({ score: z.number(), level: levelSchema }).nullable(),
  delta: z.number().nullable(),
  indicators: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      domain: z.enum(INDICATOR_DOMAINS),
      direction: z.enum(['increases', 'decreases']),
      weight: z.number(),
      weightShare: z.number(),
      raw: z.number(),
      normalised: z.number().nullable(),
      contribution: z.number(),
      share: z.number(),
      yesterday: z.object({ raw: z.number(), contribution: z.number() }).nullable(),
      delta: z.number().nullable(),
      /** What the indicator read (table, or the fallback used while a source is missing). */
      source: z.string(),
    }),
  ),
  /** Areas above grids: the children that weigh most in the score. */
  children: z.array(
    z.object({ areaId: z.string(), name: z.string(), score: z.number(), level: levelSchema, weightShare: z.number(), delta: z.number().nullable() }),
  ),
});
export type ScoreExplanation = z.infer<typeof explanationSchema>;

export const indexSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  modelId: z.string(),
  revision: z.number().int(),
  value: z.number(),
  /** Five-colour level of the underlying risk score. */
  level: levelSchema,
  yesterday: z.number().nullable(),
  week: z.number().nullable(),
  month: z.number().nullable(),
  /** Daily values of the last 31 days, oldest first (null: no snapshot that day). */
  series: z.array(z.object({ day: daySchema, value: z.number().nullable(), revision: z.number().int().nullable() })),
  composition: z.array(z.object({ indicatorId: z.string(), name: z.string(), weight: z.number(), riskPoints: z.number(), share: z.number() })),
  /** The areas that moved the index most since yesterday (effect in index points). */
  movers: z.array(z.object({ areaId: z.string(), name: z.string(), value: z.number(), delta: z.number(), effect: z.number() })),
});
export type IndexSummary = z.infer<typeof indexSummarySchema>;

export const caseBriefSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  categoryCode: z.string(),
  state: caseStateSchema,
  departmentName: z.string().nullable(),
  areaName: z.string().nullable(),
  reportedAt: isoTimeSchema,
  deadlineAt: isoTimeSchema.nullable(),
  /** Hours past the deadline (0 when not overdue). */
  overdueHours: z.number(),
  supervised: z.boolean(),
});
export type CaseBrief = z.infer<typeof caseBriefSchema>;

export const DECISION_OUTCOMES = ['failed', 'in_progress', 'overdue', 'done', 'done_late'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const decisionSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  sessionDay: daySchema,
  seq: z.number().int(),
  itemId: z.string().nullable(),
  title: z.string(),
  detail: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  areaId: z.string(),
  areaName: z.string(),
  categoryCode: z.string(),
  urgency: urgencySchema,
  deadlineAt: isoTimeSchema,
  recordedBy: z.string(),
  recordedAt: isoTimeSchema,
  caseId: z.string().nullable(),
  caseCode: z.string().nullable(),
  caseState: caseStateSchema.nullable(),
  caseClosedAt: isoTimeSchema.nullable(),
  caseError: z.string().nullable(),
  /** failed: no case yet (see caseError) · in_progress · overdue · done (by the deadline) · done_late. */
  outcome: z.enum(DECISION_OUTCOMES),
});
export type Decision = z.infer<typeof decisionSchema>;

const itemBase = { id: z.string(), title: z.string(), summary: z.string() };
const colourChangeSchema = z.object({
  areaId: z.string(),
  name: z.string(),
  parentName: z.string(),
  from: levelSchema,
  to: levelSchema,
  score: z.number(),
  prevScore: z.number(),
});

export const agendaItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('overview'),
    ...itemBase,
    figures: z.object({
      reported24h: z.number().int(),
      reportedPrev24h: z.number().int(),
      closed24h: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      supervised: z.number().int(),
    }),
    indices: z.array(indexSummarySchema),
  }),
  z.object({
    kind: z.literal('map'),
    ...itemBase,
    modelId: z.string(),
    modelName: z.string(),
    revision: z.number().int(),
    day: daySchema,
    counts: z.array(z.number().int()).length(5),
    prevCounts: z.array(z.number().int()).length(5),
    changedTotal: z.number().int(),
    changed: z.array(colourChangeSchema),
    worst: z.array(z.object({ areaId: z.string(), name: z.string(), parentName: z.string(), score: z.number(), level: levelSchema })),
  }),
  z.object({
    kind: z.literal('cases'),
    ...itemBase,
    overdueTotal: z.number().int(),
    supervisedTotal: z.number().int(),
    overdue: z.array(caseBriefSchema),
    supervised: z.array(caseBriefSchema),
    byDepartment: z.array(z.object({ departmentId: z.string(), name: z.string(), overdue: z.number().int(), supervised: z.number().int() })),
  }),
  z.object({
    kind: z.literal('hotspots'),
    ...itemBase,
    categories: z.array(z.object({ code: z.string(), name: z.string(), count: z.number().int(), baseline: z.number(), delta: z.number() })),
    places: z.array(z.object({ areaId: z.string(), name: z.string(), parentName: z.string(), count: z.number().int(), baseline: z.number(), delta: z.number() })),
  }),
  z.object({
    kind: z.literal('alarms'),
    ...itemBase,
    sensorAlarms: z.number().int(),
    byType: z.array(z.object({ type: z.string(), count: z.number().int() })),
    alarms: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), areaName: z.string().nullable(), at: isoTimeSchema.nullable(), status: z.string() })),
    offline: z.object({ sensors: z.number().int(), cameras: z.number().int() }),
    warnings: z.array(z.object({ id: z.string(), headline: z.string(), severity: z.string(), areaName: z.string().nullable(), expires: isoTimeSchema.nullable() })),
    /** Where the figures came from (fallbacks are named here). */
    sources: z.array(z.string()),
  }),
  z.object({ kind: z.literal('followup'), ...itemBase, decisions: z.array(decisionSchema) }),
  z.object({ kind: z.literal('minutes'), ...itemBase }),
]);
export type AgendaItem = z.infer<typeof agendaItemSchema>;
export type AgendaItemKind = AgendaItem['kind'];

export const agendaSchema = z.object({
  day: daySchema,
  generatedAt: isoTimeSchema,
  /** The 24 hours the agenda covers. */
  from: isoTimeSchema,
  to: isoTimeSchema,
  items: z.array(agendaItemSchema),
});
export type Agenda = z.infer<typeof agendaSchema>;

export const focusSchema = z.object({ kind: z.enum(['case', 'area', 'camera']), id: idSchema });
export type Focus = z.infer<typeof focusSchema>;

export const sessionStateSchema = z.object({
  id: z.string(),
  day: daySchema,
  title: z.string(),
  chair: z.string(),
  state: z.enum(['open', 'closed']),
  currentIndex: z.number().int(),
  itemCount: z.number().int(),
  itemId: z.string().nullable(),
  itemKind: z.string().nullable(),
  focus: focusSchema.nullable(),
  openedAt: isoTimeSchema,
  closedAt: isoTimeSchema.nullable(),
  updatedAt: isoTimeSchema,
  lastActor: z.string(),
  version: z.number().int(),
  decisionCount: z.number().int(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const sessionSchema = sessionStateSchema.extend({ agenda: agendaSchema });
export type Session = z.infer<typeof sessionSchema>;

export const briefingSchema = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  day: daySchema,
  title: z.string(),
  createdBy: z.string(),
  createdAt: isoTimeSchema,
  bytes: z.number().int(),
  pages: z.number().int(),
  sha256: z.string(),
  ms: z.number().int(),
  /** Where the host serves the PDF (HTTP host); Electron reads it through consult.briefings.content. */
  url: z.string(),
});
export type Briefing = z.infer<typeof briefingSchema>;

export const consultMethods = {
  'consult.models.list': defineMethod({
    summary: 'Indicator models (综合风险, 矛盾风险, 生产安全, 消防安全, 治安警情 …) with their current revision.',
    input: z.object({}).strict(),
    output: z.array(modelSummarySchema),
  }),
  'consult.models.get': defineMethod({
    summary: "One model's config at its current revision, or at an older one.",
    input: z.object({ id: idSchema, revision: z.number().int().min(1).optional() }).strict(),
    output: z.object({ summary: modelSummarySchema, revision: modelRevisionSchema, config: modelConfigSchema }),
  }),
  'consult.models.history': defineMethod({
    summary: 'Every revision of a model: who changed which weight or threshold, and when.',
    input: z.object({ id: idSchema }).strict(),
    output: z.array(modelRevisionSchema),
  }),
  'consult.models.update': defineMethod({
    summary: 'Save a new revision of a model (any known config format; refused when baseRevision is stale). Old results stay reproducible.',
    mutates: true,
    input: z
      .object({
        id: idSchema,
        baseRevision: z.number().int().min(1),
        config: z.record(z.string(), z.unknown()),
        actor: actorSchema,
        note: z.string().max(500).default(''),
      })
      .strict(),
    output: modelRevisionSchema,
  }),
  'consult.scores': defineMethod({
    summary: 'Scores and five-colour levels of every area of one level for a model and day (computed on demand, stored per day).',
    input: z
      .object({
        modelId: idSchema,
        revision: z.number().int().min(1).optional(),
        day: daySchema.optional(),
        level: areaLevelSchema.default('grid'),
        within: idSchema.optional(),
      })
      .strict(),
    output: scoresSchema,
  }),
  'consult.explain': defineMethod({
    summary: "Why an area has its score: each indicator's raw value, normalised value, contribution and change since yesterday.",
    input: z.object({ modelId: idSchema, areaId: idSchema, day: daySchema.optional(), revision: z.number().int().min(1).optional() }).strict(),
    output: explanationSchema,
  }),
  'consult.indices': defineMethod({
    summary: '平安六指数: the six daily safety indices with composition, trend (yesterday, 7 and 30 days) and top movers.',
    input: z.object({ day: daySchema.optional() }).strict(),
    output: z.object({ day: daySchema, indices: z.array(indexSummarySchema) }),
  }),
  'consult.agenda.preview': defineMethod({
    summary: 'The agenda the data of the 24 hours before `at` (default now) would give, without opening a session.',
    input: z.object({ at: isoTimeSchema.optional() }).strict(),
    output: agendaSchema,
  }),
  'consult.session.open': defineMethod({
    summary: "Open today's consultation (or return the one already open): the agenda is generated and frozen.",
    mutates: true,
    input: z.object({ chair: actorSchema, title: z.string().min(1).max(60).optional() }).strict(),
    output: sessionSchema,
  }),
  'consult.session.current': defineMethod({
    summary: 'The open consultation, if any (what an attaching wall shows).',
    input: z.object({}).strict(),
    output: sessionSchema.nullable(),
  }),
  'consult.session.get': defineMethod({
    summary: 'One consultation with its agenda.',
    input: z.object({ id: idSchema }).strict(),
    output: sessionSchema,
  }),
  'consult.session.list': defineMethod({
    summary: 'Past and present consultations, newest first.',
    input: z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict(),
    output: z.array(sessionStateSchema),
  }),
  'consult.session.goto': defineMethod({
    summary: 'Step the agenda (next / prev / an item index); every attached wall follows through consult.session.',
    mutates: true,
    input: z.object({ id: idSchema, to: z.union([z.enum(['next', 'prev', 'first', 'last']), z.number().int().min(0)]), actor: actorSchema }).strict(),
    output: sessionStateSchema,
  }),
  'consult.session.focus': defineMethod({
    summary: 'Open a case, an area (its score explained) or a camera live on the wall (null closes it).',
    mutates: true,
    input: z.object({ id: idSchema, focus: focusSchema.nullable(), actor: actorSchema }).strict(),
    output: sessionStateSchema,
  }),
  'consult.session.close': defineMethod({
    summary: 'Close the consultation.',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema }).strict(),
    output: sessionStateSchema,
  }),
  'consult.decisions.record': defineMethod({
    summary: 'Record a decision (会商纪要) with owner department, area and deadline; it becomes a dispatched case (source consultation).',
    mutates: true,
    input: z
      .object({
        sessionId: idSchema,
        itemId: z.string().max(40).optional(),
        title: z.string().min(2).max(80),
        detail: z.string().max(2000).default(''),
        departmentId: idSchema,
        areaId: idSchema,
        categoryCode: z.string().regex(/^\d{4}$/).optional(),
        urgency: urgencySchema.default('normal'),
        deadline: isoTimeSchema,
        actor: actorSchema,
      })
      .strict(),
    output: decisionSchema,
  }),
  'consult.decisions.list': defineMethod({
    summary: 'Decisions with the state of their cases: of one session, or all (newest first), optionally only those not yet done.',
    input: z.object({ sessionId: idSchema.optional(), openOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(decisionSchema),
  }),
  'consult.decisions.retry': defineMethod({
    summary: 'Try again to turn a decision into a dispatched case (after caseError).',
    mutates: true,
    input: z.object({ id: idSchema, actor: actorSchema }).strict(),
    output: decisionSchema,
  }),
  'consult.briefings.create': defineMethod({
    summary: 'Export the briefing of a consultation as a PDF (A4, Chinese: map, indices, tables, decisions) into the history.',
    mutates: true,
    input: z.object({ sessionId: idSchema, actor: actorSchema }).strict(),
    output: briefingSchema,
  }),
  'consult.briefings.list': defineMethod({
    summary: 'The briefing history, newest first.',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.array(briefingSchema),
  }),
  'consult.briefings.content': defineMethod({
    summary: 'A briefing PDF as base64 (for renderers that cannot fetch /api/briefings/<id>.pdf).',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ briefing: briefingSchema, base64: z.string() }),
  }),
} as const;

export const consultEvents = {
  'consult.session': defineEvent({ summary: 'The consultation moved (item, focus, opened, closed): walls follow it.', payload: sessionStateSchema }),
  'consult.decision': defineEvent({ summary: 'A decision was recorded or its case changed.', payload: decisionSchema }),
  'consult.briefing': defineEvent({ summary: 'A briefing PDF was exported.', payload: briefingSchema }),
  'consult.scores': defineEvent({
    summary: 'A model was scored anew for a day (the five-colour map may have changed).',
    payload: z.object({ modelId: z.string(), revision: z.number().int(), day: daySchema, computedAt: isoTimeSchema, primary: z.boolean() }),
  }),
  'consult.model': defineEvent({
    summary: 'A model got a new revision.',
    payload: z.object({ modelId: z.string(), revision: z.number().int(), changedBy: z.string() }),
  }),
} as const;
