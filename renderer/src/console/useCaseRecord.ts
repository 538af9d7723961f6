/**
 * The selected case as the detail panel and the action bar need it: cases.get (fields and
 * history) and cases.workflow for the seat's role (allowed actions, clock, supervision), loaded
 * together, refreshed when the case changes anywhere (case.updated) or the link comes back, and
 * replaced at once by the answer of the seat's own action.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api';
import type { CaseWorkflow } from '../../../shared/api/workflow';
import type { CaseDetail } from '../../../shared/domain/model';
import type { WorkflowRole } from '../../../shared/domain/workflow';
import { useApi, useEvent, useOnReconnect } from '../api/ApiContext';

export interface CaseRecord {
  /** Data of the requested case only (null while another case's answer would show). */
  detail: CaseDetail | null;
  workflow: CaseWorkflow | null;
  error: ApiError | null;
  /** The last refresh failed or is pending after a failure: what is shown may be old. */
  stale: boolean;
  refresh(): void;
  /** Show the answer of an action (cases.act) without waiting for the refresh. */
  apply(next: { case: CaseDetail; workflow: CaseWorkflow }): void;
}

export function useCaseRecord(caseId: string | null, role: WorkflowRole): CaseRecord {
  const client = useApi();
  const [state, setState] = useState<{ id: string | null; role: WorkflowRole; detail: CaseDetail | null; workflow: CaseWorkflow | null; error: ApiError | null }>({
    id: null,
    role,
    detail: null,
    workflow: null,
    error: null,
  });
  const seq = useRef(0);

  const load = useCallback(() => {
    if (caseId === null) return;
    const mine = ++seq.current;
    void Promise.all([client.call('cases.get', { id: caseId }), client.call('cases.workflow', { id: caseId, role })]).then(([d, w]) => {
      if (mine !== seq.current) return;
      setState((s) => {
        const same = s.id === caseId;
        if (d.ok && w.ok) return { id: caseId, role, detail: d.value, workflow: w.value, error: null };
        const error = !d.ok ? d.error : !w.ok ? w.error : null;
        return {
          id: caseId,
          role,
          detail: d.ok ? d.value : same ? s.detail : null,
          workflow: w.ok ? w.value : same && s.role === role ? s.workflow : null,
          error,
        };
      });
    });
  }, [client, caseId, role]);

  useEffect(load, [load]);
  useEvent('case.updated', (p) => {
    if (p.case.id === caseId) load();
  });
  useOnReconnect(load);

  const apply = useCallback(
    (next: { case: CaseDetail; workflow: CaseWorkflow }) => {
      if (next.case.id !== caseId) return;
      seq.current++; // an older load in flight must not overwrite the newer answer
      setState({ id: caseId, role, detail: next.case, workflow: next.workflow, error: null });
    },
    [caseId, role],
  );

  const current = state.id === caseId && caseId !== null;
  return {
    detail: current ? state.detail : null,
    workflow: current && state.role === role ? state.workflow : null,
    error: current ? state.error : null,
    stale: current && state.error !== null && state.detail !== null,
    refresh: load,
    apply,
  };
}
