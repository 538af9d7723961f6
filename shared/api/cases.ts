import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import {
  caseDetailSchema,
  caseSourceSchema,
  caseStateSchema,
  caseSummarySchema,
  CASE_SOURCES,
  CASE_STATES,
  idSchema,
  isoTimeSchema,
  urgencySchema,
} from '../domain/model';

export const CASE_SORTS = ['urgency_deadline', 'reported_desc', 'reported_asc', 'deadline_asc'] as const;

export const caseQuerySchema = z
  .object({
    states: z.array(caseStateSchema).max(CASE_STATES.length).optional(),
    sources: z.array(caseSourceSchema).max(CASE_SOURCES.length).optional(),
    classCodes: z.array(z.string().max(20)).max(50).optional(),
    categoryCodes: z.array(z.string().max(20)).max(200).optional(),
    urgencies: z.array(urgencySchema).max(3).optional(),
    /** Any area; the case matches when it lies in that area at any level. */
    areaId: idSchema.optional(),
    departmentId: idSchema.optional(),
    overdue: z.boolean().optional(),
    supervised: z.boolean().optional(),
    /** Matches code, title, address (substring). */
    text: z.string().min(1).max(100).optional(),
    reportedFrom: isoTimeSchema.optional(),
    reportedTo: isoTimeSchema.optional(),
    sort: z.enum(CASE_SORTS).default('urgency_deadline'),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type CaseQuery = z.input<typeof caseQuerySchema>;

/** Counting stops here: lists show "10000+" rather than scanning a million rows to count them. */
export const CASE_COUNT_CAP = 10_000;

const countsByState = z.record(caseStateSchema, z.number().int());
const countsBySource = z.record(caseSourceSchema, z.number().int());

export const caseMethods = {
  'cases.list': defineMethod({
    summary: 'The case queue: filtered, sorted and paged in the core. `total` is capped at CASE_COUNT_CAP (`capped` says so).',
    input: caseQuerySchema,
    output: z.object({ total: z.number().int(), capped: z.boolean(), items: z.array(caseSummarySchema) }),
  }),
  'cases.get': defineMethod({
    summary: 'One case with its full history; reporter contact is masked.',
    input: z.object({ id: idSchema }).strict(),
    output: caseDetailSchema,
  }),
  'cases.points': defineMethod({
    summary: 'Compact positions of cases for map layers: parallel arrays, filtered like cases.list (no paging, up to `limit`).',
    input: z
      .object({
        states: z.array(caseStateSchema).optional(),
        areaId: idSchema.optional(),
        reportedFrom: isoTimeSchema.optional(),
        reportedTo: isoTimeSchema.optional(),
        limit: z.number().int().min(1).max(200_000).default(20_000),
      })
      .strict(),
    output: z.object({
      ids: z.array(z.string()),
      lon: z.array(z.number()),
      lat: z.array(z.number()),
      state: z.array(caseStateSchema),
      urgency: z.array(urgencySchema),
      overdue: z.array(z.boolean()),
    }),
  }),
  'stats.overview': defineMethod({
    summary: "Today's figures for the wall's side panels (Asia/Shanghai day), for the whole city or one area.",
    input: z.object({ areaId: idSchema.optional(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict(),
    output: z.object({
      day: z.string(),
      reportedToday: z.number().int(),
      closedToday: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      supervised: z.number().int(),
      byState: countsByState,
      bySource: countsBySource,
      byClass: z.array(z.object({ classCode: z.string(), count: z.number().int() })),
      hourly: z.array(z.number().int()).length(24),
      latest: z.array(caseSummarySchema),
    }),
  }),
} as const;

export const caseEvents = {
  'case.created': defineEvent({ summary: 'A case was created.', payload: z.object({ case: caseSummarySchema }) }),
  'case.updated': defineEvent({
    summary: 'A case changed (workflow action, supervision, merge).',
    payload: z.object({ case: caseSummarySchema, action: z.string() }),
  }),
} as const;
