/**
 * The API contract machinery: methods and pushed events, each described by zod schemas.
 * Pure TypeScript: no Node, DOM or Electron imports (see ../shared/DESIGN.md, convention 2).
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'validation', // input did not match the method's schema
  'not_found', // the named object does not exist
  'unknown_method', // no such method in the contract
  'conflict', // e.g. a stale version, a duplicate id
  'invalid_transition', // a workflow action that the case's state does not allow
  'forbidden', // the caller may not do this
  'unavailable', // the store or a component is not ready
  'internal', // a bug: logged with details on the host
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The dotted path of the offending input field, for validation errors. */
  field: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, field?: string): { ok: false; error: ApiError } =>
  field === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, field } };

/** An error a handler throws to answer with a specific code; anything else becomes `internal`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for docs/API.md. */
  readonly summary: string;
  /** Whether the method changes state (for docs and for read-only seats later). */
  readonly mutates: boolean;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

export const defineMethod = <I extends z.ZodType, O extends z.ZodType>(def: {
  input: I;
  output: O;
  summary: string;
  mutates?: boolean;
}): MethodDef<I, O> => ({ ...def, mutates: def.mutates ?? false });

export const defineEvent = <P extends z.ZodType>(def: { payload: P; summary: string }): EventDef<P> => def;

/** Turn a zod error into the API's validation error, naming the first offending field. */
export function validationError(error: z.ZodError, prefix = 'input'): { ok: false; error: ApiError } {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? `${prefix}.${issue.path.map(String).join('.')}` : prefix;
  const message = issue ? `${path}: ${issue.message}` : `${prefix}: invalid`;
  return fail('validation', message, path);
}

/** Parse a Result envelope received from a transport; anything malformed is an internal error. */
const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
export function parseEnvelope(raw: unknown): Result<unknown> {
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) return fail('internal', 'malformed response envelope');
  return parsed.data.ok ? ok(parsed.data.value) : { ok: false, error: parsed.data.error };
}
