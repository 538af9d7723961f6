/**
 * The one bridge from a consultation decision to the closed loop (issue 3): create a case with
 * source 'consultation', register it, dispatch it to the owner department's unit. Everything goes
 * through the API registry, so the closed loop's rules (routing, clock, history) apply unchanged.
 * Resumable: given the case a previous attempt created, it continues from the case's state.
 */
import { z } from 'zod';
import type { Result } from '../../../shared/api/contract';
import type { CallContext } from '../registry';

/** The part of the handler registry the bridge uses (the registry itself, or a stand-in in tests). */
export interface MethodCaller {
  call(name: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

export interface DecisionCaseRequest {
  title: string;
  description: string;
  categoryCode: string;
  departmentId: string;
  unitId: string;
  lon: number;
  lat: number;
  address: string;
  urgency: 'normal' | 'urgent' | 'critical';
  actor: string;
  /** A case created by an earlier attempt, to continue from. */
  existingCaseId: string | null;
}

export type DecisionCaseResult = { ok: true; caseId: string; caseCode: string } | { ok: false; caseId: string | null; caseCode: string | null; error: string };

const caseRef = z.object({ case: z.object({ id: z.string(), code: z.string(), state: z.string(), version: z.number().int() }) });
const caseGet = z.object({ id: z.string(), code: z.string(), state: z.string(), version: z.number().int() });

const ROLE = 'commander';

export async function openDecisionCase(registry: MethodCaller, req: DecisionCaseRequest): Promise<DecisionCaseResult> {
  const ctx = { transport: 'internal' as const, client: 'consult' };
  let current: { id: string; code: string; state: string; version: number };
  if (req.existingCaseId) {
    const got = await registry.call('cases.get', { id: req.existingCaseId }, ctx);
    const parsed = got.ok ? caseGet.safeParse(got.value) : null;
    if (!got.ok || !parsed?.success) return { ok: false, caseId: req.existingCaseId, caseCode: null, error: got.ok ? 'unexpected cases.get result' : got.error.message };
    current = parsed.data;
  } else {
    const created = await registry.call(
      'cases.create',
      {
        source: 'consultation',
        categoryCode: req.categoryCode,
        lon: req.lon,
        lat: req.lat,
        urgency: req.urgency,
        title: req.title,
        description: req.description,
        address: req.address,
        actor: req.actor,
        role: ROLE,
      },
      ctx,
    );
    if (!created.ok) return { ok: false, caseId: null, caseCode: null, error: `cases.create: ${created.error.message}` };
    const parsed = caseRef.safeParse(created.value);
    if (!parsed.success) return { ok: false, caseId: null, caseCode: null, error: 'unexpected cases.create result' };
    current = parsed.data.case;
  }
  const act = async (input: Record<string, unknown>): Promise<string | null> => {
    const r = await registry.call('cases.act', { id: current.id, version: current.version, actor: req.actor, role: ROLE, ...input }, ctx);
    if (!r.ok) return `cases.act ${String(input.action)}: ${r.error.message}`;
    const parsed = caseRef.safeParse(r.value);
    if (!parsed.success) return `unexpected cases.act ${String(input.action)} result`;
    current = parsed.data.case;
    return null;
  };
  const note = '每日会商决定';
  if (current.state === 'reported') {
    const err = await act({ action: 'register', note });
    if (err) return { ok: false, caseId: current.id, caseCode: current.code, error: err };
  }
  if (current.state === 'registered' || current.state === 'returned') {
    const err = await act({ action: 'dispatch', note, departmentId: req.departmentId, unitId: req.unitId });
    if (err) return { ok: false, caseId: current.id, caseCode: current.code, error: err };
  }
  return { ok: true, caseId: current.id, caseCode: current.code };
}
