/** The editable, versioned category catalogue and the work calendar (both live in the store). */
import { z } from 'zod';
import { defineMethod } from './contract';
import { isoTimeSchema } from '../domain/model';
import { timeLimitSchema } from '../domain/workflow';
import { workCalendarSchema } from '../domain/workclock';

const actorSchema = z.string().trim().min(1).max(60);
const departmentCodeSchema = z.string().regex(/^[A-Z]{2,6}$/, 'a department code such as CG');

export const categoryClassSchema = z.object({
  code: z.string(),
  kind: z.enum(['component', 'event']),
  name: z.string(),
  nameEn: z.string(),
  sort: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: isoTimeSchema,
  updatedBy: z.string(),
});
export type CategoryClassRecord = z.infer<typeof categoryClassSchema>;

export const categorySchema = z.object({
  code: z.string(),
  classCode: z.string(),
  name: z.string(),
  nameEn: z.string(),
  /** The default responsible department (departments.code). */
  departmentCode: z.string(),
  /** Handling time limit, counted on the working clock from dispatch. */
  limit: timeLimitSchema,
  /** 立案条件. */
  filing: z.string(),
  /** 结案条件. */
  closing: z.string(),
  keywords: z.array(z.string()),
  active: z.boolean(),
  sort: z.number().int(),
  version: z.number().int(),
  updatedAt: isoTimeSchema,
  updatedBy: z.string(),
});
export type CategoryRecord = z.infer<typeof categorySchema>;

const categoryEditable = {
  name: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(120),
  departmentCode: departmentCodeSchema,
  limit: timeLimitSchema,
  filing: z.string().trim().min(1).max(500),
  closing: z.string().trim().min(1).max(500),
  keywords: z.array(z.string().trim().min(1).max(40)).max(30),
  active: z.boolean(),
  sort: z.number().int().min(0).max(100_000),
};

export const calendarStateSchema = z.object({
  calendar: workCalendarSchema,
  /** 'default': the shipped calendar (nothing saved yet); 'store': saved with calendar.set. */
  source: z.enum(['default', 'store']),
  version: z.number().int(),
  updatedAt: isoTimeSchema.nullable(),
  updatedBy: z.string().nullable(),
});

export const catalogueMethods = {
  'categories.list': defineMethod({
    summary: 'The category catalogue: classes (部件/事件) and subcategories with department, time limit, filing and closing conditions, version.',
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    output: z.object({ classes: z.array(categoryClassSchema), categories: z.array(categorySchema) }),
  }),
  'categories.update': defineMethod({
    summary: 'Edit a subcategory (expected version → conflict when stale); bumps its version and records who, when and the full row in its history.',
    mutates: true,
    input: z
      .object({
        code: z.string().min(1).max(20),
        version: z.number().int().min(1),
        actor: actorSchema,
        note: z.string().max(500).default(''),
        changes: z.object(categoryEditable).partial().strict(),
      })
      .strict(),
    output: categorySchema,
  }),
  'categories.create': defineMethod({
    summary: 'Add a subcategory to an existing class (code: the class code followed by two digits).',
    mutates: true,
    input: z
      .object({
        code: z.string().regex(/^\d{4,6}$/, 'digits: the class code followed by a number'),
        classCode: z.string().min(1).max(20),
        ...categoryEditable,
        keywords: categoryEditable.keywords.default([]),
        active: categoryEditable.active.default(true),
        sort: categoryEditable.sort.optional(),
        actor: actorSchema,
        note: z.string().max(500).default(''),
      })
      .strict(),
    output: categorySchema,
  }),
  'categories.history': defineMethod({
    summary: 'Every version of a subcategory: who changed it, when, and the row after each change.',
    input: z.object({ code: z.string().min(1).max(20) }).strict(),
    output: z.array(
      z.object({
        version: z.number().int(),
        at: isoTimeSchema,
        actor: z.string(),
        op: z.enum(['seed', 'create', 'update']),
        note: z.string(),
        snapshot: z.record(z.string(), z.unknown()),
      }),
    ),
  }),
  'calendar.get': defineMethod({
    summary: 'The work calendar deadlines run on: working periods, working weekdays, holidays and adjusted working days per year.',
    input: z.object({}).strict(),
    output: calendarStateSchema,
  }),
  'calendar.set': defineMethod({
    summary: 'Replace the work calendar (expected version → conflict when stale). New deadlines use it; existing deadlines are not recomputed.',
    mutates: true,
    input: z.object({ calendar: workCalendarSchema, version: z.number().int().min(0), actor: actorSchema }).strict(),
    output: calendarStateSchema,
  }),
} as const;
