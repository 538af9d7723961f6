/**
 * The `cases.data` JSON column: attachments, links, the reporter's e-mail, the channel's id and the
 * workflow's side facts (where a suspended case resumes, a pending extension request, merges).
 * Parsed leniently: other writers (the demo generator, imports) may store keys of their own, which
 * are kept untouched.
 */
import { z } from 'zod';
import { caseLinkSchema } from '../../../shared/api/workflow';
import { caseStateSchema } from '../../../shared/domain/model';
import { attachmentSchema, timeLimitSchema } from '../../../shared/domain/workflow';

const storedAttachmentSchema = attachmentSchema.extend({ at: z.number(), actor: z.string(), action: z.string() });
const extensionRequestSchema = z.object({ extension: timeLimitSchema, note: z.string(), actor: z.string(), at: z.number() });

const caseDataSchema = z.looseObject({
  attachments: z.array(storedAttachmentSchema).catch([]),
  links: z.array(caseLinkSchema).catch([]),
  reporterEmail: z.string().nullable().catch(null),
  externalId: z.string().nullable().catch(null),
  suspendedFrom: caseStateSchema.nullable().catch(null),
  extensionRequest: extensionRequestSchema.nullable().catch(null),
  extensions: z.array(z.object({ extension: timeLimitSchema, actor: z.string(), at: z.number() })).catch([]),
  mergedInto: z.string().nullable().catch(null),
  possibleDuplicateOf: z.string().nullable().catch(null),
});
export type CaseData = z.output<typeof caseDataSchema>;
export type StoredAttachment = z.output<typeof storedAttachmentSchema>;

export function parseCaseData(json: string): CaseData {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = caseDataSchema.safeParse(raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
  return parsed.success ? parsed.data : caseDataSchema.parse({});
}

export const emptyCaseData = (): CaseData => caseDataSchema.parse({});

/** Serialise, dropping empty workflow facts to keep rows small. */
export function serializeCaseData(d: CaseData): string {
  const out: Record<string, unknown> = { ...d };
  for (const k of ['reporterEmail', 'externalId', 'suspendedFrom', 'extensionRequest', 'mergedInto', 'possibleDuplicateOf'] as const) {
    if (out[k] === null) delete out[k];
  }
  for (const k of ['attachments', 'links', 'extensions'] as const) {
    if (Array.isArray(out[k]) && (out[k] as unknown[]).length === 0) delete out[k];
  }
  return JSON.stringify(out);
}
