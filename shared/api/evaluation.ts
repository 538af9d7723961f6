/** 综合评价: the closed loop's performance figures per department, unit or area, per window. */
import { z } from 'zod';
import { defineMethod } from './contract';
import { idSchema, isoTimeSchema } from '../domain/model';

export const EVALUATION_GROUPS = ['department', 'unit', 'grid', 'community', 'town', 'district'] as const;
export type EvaluationGroup = (typeof EVALUATION_GROUPS)[number];
export const EVALUATION_PERIODS = ['day', 'week', 'month'] as const;
export type EvaluationPeriod = (typeof EVALUATION_PERIODS)[number];

export const evaluationInputSchema = z
  .object({
    groupBy: z.enum(EVALUATION_GROUPS),
    period: z.enum(EVALUATION_PERIODS),
    /** Any day inside the window (Asia/Shanghai); weeks run Monday–Sunday. Default: today. */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    /** Only cases inside this area (any level). */
    areaId: idSchema.optional(),
    /** Only cases of this department. */
    departmentId: idSchema.optional(),
  })
  .strict();
export type EvaluationInput = z.input<typeof evaluationInputSchema>;

/** Definitions: main/core/cases/evaluation.ts (top comment). Rates are null when undefined (0 ÷ 0). */
export const evaluationRowSchema = z.object({
  /** The group's id (department, unit or area id); null collects cases without one. */
  key: z.string().nullable(),
  name: z.string(),
  received: z.number().int(),
  registered: z.number().int(),
  dispatched: z.number().int(),
  closed: z.number().int(),
  due: z.number().int(),
  deferred: z.number().int(),
  closedDue: z.number().int(),
  closedOnTime: z.number().int(),
  overdue: z.number().int(),
  reworked: z.number().int(),
  extended: z.number().int(),
  returned: z.number().int(),
  /** 结案率 = closedDue ÷ (due − deferred). */
  closeRate: z.number().nullable(),
  /** 按期结案率 = closedOnTime ÷ (due − deferred). */
  onTimeRate: z.number().nullable(),
  /** 返工率 = reworked ÷ closed. */
  reworkRate: z.number().nullable(),
  /** 延期率 = extended ÷ dispatched. */
  extensionRate: z.number().nullable(),
  /** 回退率 = returned ÷ (dispatched + returned). */
  returnRate: z.number().nullable(),
  /** Average working hours from dispatch to the handling feedback, over the cases closed. */
  avgHandlingWorkHours: z.number().nullable(),
});
export type EvaluationRow = z.infer<typeof evaluationRowSchema>;

export const evaluationMethods = {
  'evaluation.query': defineMethod({
    summary:
      '综合评价 per department, unit or area for a day, week or month: received, registered, dispatched, closed, 结案率, 按期结案率, 返工率, 延期率, 回退率, average handling time, overdue.',
    input: evaluationInputSchema,
    output: z.object({
      groupBy: z.enum(EVALUATION_GROUPS),
      period: z.enum(EVALUATION_PERIODS),
      from: isoTimeSchema,
      to: isoTimeSchema,
      /** The figures are as of this instant (the window's end, or now while it runs). */
      asOf: isoTimeSchema,
      rows: z.array(evaluationRowSchema),
      total: evaluationRowSchema,
    }),
  }),
  'evaluation.csv': defineMethod({
    summary: 'The same evaluation as CSV text (UTF-8 with BOM so Excel opens the Chinese headers), with a file name.',
    input: evaluationInputSchema,
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
} as const;
