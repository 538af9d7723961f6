/**
 * The closed loop's methods: intake (create, CSV import), workflow actions, the workflow view of
 * a case (clock, allowed actions, supervision), routing proposals, duplicates and merging.
 */
import { z } from 'zod';
import { defineMethod } from './contract';
import {
  caseDetailSchema,
  caseSourceSchema,
  caseStateSchema,
  idSchema,
  isoTimeSchema,
  staffSchema,
  urgencySchema,
} from '../domain/model';
import {
  ACTION_FIELDS,
  attachmentSchema,
  timeLimitSchema,
  workflowActionSchema,
  workflowRoleSchema,
} from '../domain/workflow';

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
/** Who acts: a name or staff id for the audit trail, and the role they act in. */
const actorSchema = z.string().trim().min(1).max(60);

export const CASE_LINK_KINDS = ['related', 'duplicate_of', 'merged_into', 'merged_from', 'parent', 'child'] as const;
export const caseLinkSchema = z.object({ caseId: idSchema, kind: z.enum(CASE_LINK_KINDS) }).strict();

export const caseCreateInputSchema = z
  .object({
    source: caseSourceSchema,
    categoryCode: z.string().min(1).max(20),
    lon,
    lat,
    urgency: urgencySchema.default('normal'),
    /** Defaults to the category name and the address. */
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(4000).default(''),
    address: z.string().max(300).default(''),
    /** Personal data: stored, masked on every output. */
    reporter: z
      .object({ name: z.string().max(60).optional(), phone: z.string().max(40).optional(), email: z.string().max(200).optional() })
      .strict()
      .optional(),
    attachments: z.array(attachmentSchema).max(20).default([]),
    links: z.array(caseLinkSchema).max(20).default([]),
    /** The channel's own reference (hotline ticket, Open311 device id…). */
    externalId: z.string().max(100).optional(),
    /** When the report was made; default now; not in the future. */
    reportedAt: isoTimeSchema.optional(),
    actor: actorSchema.default('system'),
    role: workflowRoleSchema.default('operator'),
  })
  .strict();
export type CaseCreateInput = z.input<typeof caseCreateInputSchema>;

export const duplicateCandidateSchema = z.object({
  id: idSchema,
  code: z.string(),
  title: z.string(),
  state: caseStateSchema,
  reportedAt: isoTimeSchema,
  distanceM: z.number(),
  minutesApart: z.number(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;

export const caseWorkflowSchema = z.object({
  id: idSchema,
  code: z.string(),
  state: caseStateSchema,
  version: z.number().int(),
  /** Actions possible now (for the given role when one was given). */
  allowedActions: z.array(workflowActionSchema),
  clock: z.object({
    /** The deadline clock runs (dispatched, accepted, rework). */
    running: z.boolean(),
    /** Paused since (handled, suspended), or null. */
    pausedAt: isoTimeSchema.nullable(),
    dispatchedAt: isoTimeSchema.nullable(),
    deadlineAt: isoTimeSchema.nullable(),
    /** Working time allotted: the category's limit plus approved extensions, ms. */
    allottedWorkMs: z.number().int().nullable(),
    /** Working time left (negative: overdue by that much), ms, measured now or at the pause. */
    remainingWorkMs: z.number().int().nullable(),
    /** Share of the allotted time used (≥ 0.8 warns, > 1 overdue). */
    fractionUsed: z.number().nullable(),
    warnAt: isoTimeSchema.nullable(),
    warning: z.boolean(),
    overdue: z.boolean(),
  }),
  supervision: z.object({ level: z.number().int().min(0).max(3), name: z.string(), supervised: z.boolean() }),
  extensionRequest: z
    .object({ extension: timeLimitSchema, note: z.string(), actor: z.string(), at: isoTimeSchema })
    .nullable(),
  suspendedFrom: caseStateSchema.nullable(),
  category: z
    .object({ code: z.string(), name: z.string(), limit: timeLimitSchema, departmentCode: z.string(), filing: z.string(), closing: z.string() })
    .nullable(),
  attachments: z.array(attachmentSchema.extend({ at: isoTimeSchema, actor: z.string(), action: z.string() })),
  links: z.array(caseLinkSchema),
  mergedInto: idSchema.nullable(),
  possibleDuplicateOf: idSchema.nullable(),
  externalId: z.string().nullable(),
  reporterEmail: z.string().nullable(),
});
export type CaseWorkflow = z.infer<typeof caseWorkflowSchema>;

const base = { id: idSchema, version: z.number().int().min(1), actor: actorSchema, role: workflowRoleSchema };
/** One schema per action: its own fields plus id, expected version, actor and role. */
export const caseActInputSchema = z.discriminatedUnion('action', [
  ACTION_FIELDS.register.extend({ action: z.literal('register'), ...base }),
  ACTION_FIELDS.cancel.extend({ action: z.literal('cancel'), ...base }),
  ACTION_FIELDS.dispatch.extend({ action: z.literal('dispatch'), ...base }),
  ACTION_FIELDS.accept.extend({ action: z.literal('accept'), ...base }),
  ACTION_FIELDS.return.extend({ action: z.literal('return'), ...base }),
  ACTION_FIELDS.handle.extend({ action: z.literal('handle'), ...base }),
  ACTION_FIELDS.verify_pass.extend({ action: z.literal('verify_pass'), ...base }),
  ACTION_FIELDS.verify_fail.extend({ action: z.literal('verify_fail'), ...base }),
  ACTION_FIELDS.request_extension.extend({ action: z.literal('request_extension'), ...base }),
  ACTION_FIELDS.approve_extension.extend({ action: z.literal('approve_extension'), ...base }),
  ACTION_FIELDS.reject_extension.extend({ action: z.literal('reject_extension'), ...base }),
  ACTION_FIELDS.suspend.extend({ action: z.literal('suspend'), ...base }),
  ACTION_FIELDS.resume.extend({ action: z.literal('resume'), ...base }),
  ACTION_FIELDS.reopen.extend({ action: z.literal('reopen'), ...base }),
  ACTION_FIELDS.supervise.extend({ action: z.literal('supervise'), ...base }),
  ACTION_FIELDS.settle_on_spot.extend({ action: z.literal('settle_on_spot'), ...base }),
  ACTION_FIELDS.merge.extend({ action: z.literal('merge'), ...base }),
]);
export type CaseActInput = z.input<typeof caseActInputSchema>;

const proposedStaffSchema = staffSchema.extend({
  distanceM: z.number().nullable(),
  positionAgeMin: z.number().nullable(),
  /** Open cases currently assigned to this person. */
  openCases: z.number().int(),
});

const areaRefSchema = z.object({ id: idSchema, code: z.string(), name: z.string() });
const unitRefSchema = z.object({ id: idSchema, name: z.string(), departmentId: idSchema, areaId: idSchema.nullable() });

/**
 * CSV import columns (header row required, names case-insensitive, any order, UTF-8 with or
 * without BOM, RFC 4180 quoting). Required: source, category_code, lon, lat. Optional:
 * urgency (normal|urgent|critical or 一般|紧急|特急), title, description, address,
 * reported_at (ISO-8601 with offset, or 'YYYY-MM-DD HH:mm[:ss]' in Asia/Shanghai; default now),
 * reporter_name, reporter_phone, reporter_email, external_id, photo_url.
 */
export const CSV_IMPORT_COLUMNS = [
  { name: 'source', required: true, description: 'grid | hotline | police110 | video_ai | iot | public | superior | consultation' },
  { name: 'category_code', required: true, description: 'subcategory code from the catalogue, e.g. 0101' },
  { name: 'lon', required: true, description: 'longitude, WGS84 decimal degrees' },
  { name: 'lat', required: true, description: 'latitude, WGS84 decimal degrees' },
  { name: 'urgency', required: false, description: 'normal | urgent | critical (一般 | 紧急 | 特急); default normal' },
  { name: 'title', required: false, description: 'default: the category name and the address' },
  { name: 'description', required: false, description: 'up to 4000 characters' },
  { name: 'address', required: false, description: 'address text' },
  { name: 'reported_at', required: false, description: "ISO-8601 with offset, or 'YYYY-MM-DD HH:mm[:ss]' Asia/Shanghai; default now" },
  { name: 'reporter_name', required: false, description: 'personal data, masked on output' },
  { name: 'reporter_phone', required: false, description: 'personal data, masked on output' },
  { name: 'reporter_email', required: false, description: 'personal data, never output' },
  { name: 'external_id', required: false, description: 'the channel’s own reference' },
  { name: 'photo_url', required: false, description: 'one photo reference' },
] as const;

export const workflowMethods = {
  'cases.create': defineMethod({
    summary:
      'Create a case (state reported): resolves the point to its grid and every level above, stores the reporter masked, flags duplicates (same category, ≤ 50 m, ≤ 2 h, open) with a proposed merge target.',
    mutates: true,
    input: caseCreateInputSchema,
    output: z.object({
      case: caseDetailSchema,
      workflow: caseWorkflowSchema,
      duplicates: z.array(duplicateCandidateSchema),
      proposedMergeTarget: idSchema.nullable(),
    }),
  }),
  'cases.act': defineMethod({
    summary:
      'Apply a workflow action with the expected version (conflict when stale); refused actions (invalid_transition, forbidden, validation) change nothing. Deadlines run on the working clock from dispatch.',
    mutates: true,
    input: caseActInputSchema,
    output: z.object({ case: caseDetailSchema, workflow: caseWorkflowSchema }),
  }),
  'cases.workflow': defineMethod({
    summary: "The workflow view of a case: allowed actions (for a role), deadline clock, supervision level, pending extension, attachments, links.",
    input: z.object({ id: idSchema, role: workflowRoleSchema.optional() }).strict(),
    output: caseWorkflowSchema,
  }),
  'cases.proposeAssignee': defineMethod({
    summary:
      "Routing proposal: category → department; point → grid → the grid's responsible unit and grid workers; the nearest on-duty field staff by last known position.",
    input: z
      .object({
        caseId: idSchema.optional(),
        categoryCode: z.string().min(1).max(20).optional(),
        lon: lon.optional(),
        lat: lat.optional(),
        limit: z.number().int().min(1).max(20).default(5),
      })
      .strict()
      .refine((v) => v.caseId !== undefined || (v.categoryCode !== undefined && v.lon !== undefined && v.lat !== undefined), {
        message: 'give caseId, or categoryCode with lon and lat',
      }),
    output: z.object({
      category: z.object({ code: z.string(), name: z.string(), departmentCode: z.string(), limit: timeLimitSchema }).nullable(),
      department: z.object({ id: idSchema, code: z.string(), name: z.string() }).nullable(),
      grid: areaRefSchema.nullable(),
      chain: z.object({ gridId: idSchema.nullable(), communityId: idSchema.nullable(), townId: idSchema.nullable(), districtId: idSchema.nullable() }),
      unit: unitRefSchema.extend({ reason: z.enum(['department_in_area', 'grid_responsible', 'department_any']) }).nullable(),
      responsibleUnit: unitRefSchema.nullable(),
      gridWorkers: z.array(proposedStaffSchema),
      nearestStaff: z.array(proposedStaffSchema),
    }),
  }),
  'cases.duplicates': defineMethod({
    summary: 'Open cases of the same category within 50 m and 2 h of a case (or of a point and time), nearest first, with the proposed merge target.',
    input: z
      .object({
        id: idSchema.optional(),
        categoryCode: z.string().min(1).max(20).optional(),
        lon: lon.optional(),
        lat: lat.optional(),
        at: isoTimeSchema.optional(),
      })
      .strict()
      .refine((v) => v.id !== undefined || (v.categoryCode !== undefined && v.lon !== undefined && v.lat !== undefined), {
        message: 'give id, or categoryCode with lon and lat',
      }),
    output: z.object({ candidates: z.array(duplicateCandidateSchema), proposedMergeTarget: idSchema.nullable() }),
  }),
  'cases.merge': defineMethod({
    summary: 'Merge a duplicate into another open case: the duplicate is cancelled with a link; both keep their full histories and each records the merge.',
    mutates: true,
    input: z
      .object({
        sourceId: idSchema,
        targetId: idSchema,
        version: z.number().int().min(1),
        actor: actorSchema,
        role: workflowRoleSchema,
        note: z.string().trim().max(2000).default(''),
      })
      .strict(),
    output: z.object({ source: caseDetailSchema, target: caseDetailSchema }),
  }),
  'cases.importCsv': defineMethod({
    summary:
      'Import cases from CSV (columns: see CSV_IMPORT_COLUMNS). Every bad row is reported by line; a file with any error imports nothing; a valid one imports all in one transaction. dryRun only checks.',
    mutates: true,
    input: z
      .object({
        csv: z.string().min(1).max(20_000_000),
        dryRun: z.boolean().default(true),
        actor: actorSchema,
        role: workflowRoleSchema.default('operator'),
      })
      .strict(),
    output: z.object({
      dryRun: z.boolean(),
      rows: z.number().int(),
      imported: z.number().int(),
      errors: z.array(z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() })),
      /** Rows that look like duplicates (same category, ≤ 50 m, ≤ 2 h) of an open case, which may be an earlier row; imported anyway. */
      duplicates: z.array(z.object({ line: z.number().int(), caseId: idSchema })),
      /** Ids of the created cases (empty on a dry run or when nothing was imported). */
      ids: z.array(idSchema),
    }),
  }),
} as const;
