/**
 * Running workflow actions from the console: one-click actions go straight to cases.act; the
 * others open their dialog first. The answer replaces the case on screen at once; a stale
 * version (someone else acted first) reloads the case and says so.
 */
import { useCallback, useState } from 'react';
import type { ApiClient, ApiError } from '../../../shared/api';
import type { WorkflowAction } from '../../../shared/domain/workflow';
import type { TFunction } from '../i18n/I18nProvider';
import { buildActInput, dialogFor, type ActionFieldsInput } from './actions';
import { errorText } from './labels';
import { actorOf, type Seat } from './seat';
import type { CaseRecord } from './useCaseRecord';

/** An action's outcome, for the case it was taken on. */
export interface ActionMessage {
  tone: 'ok' | 'error';
  text: string;
  caseId: string;
}

export interface WorkflowActions {
  /** The action whose dialog is open. */
  dialog: WorkflowAction | null;
  busy: boolean;
  /** The error of the open dialog's last attempt. */
  dialogError: ApiError | null;
  message: ActionMessage | null;
  /** A button or shortcut: run at once or open the dialog. */
  request(action: WorkflowAction): void;
  /** The dialog's fields: run the action. */
  submit(input: ActionFieldsInput): void;
  closeDialog(): void;
  merge(targetId: string): void;
}

export function useWorkflowActions(api: ApiClient, record: CaseRecord, seat: Seat, t: TFunction): WorkflowActions {
  const [dialog, setDialog] = useState<WorkflowAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogError, setDialogError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const workflow = record.workflow;
  const detail = record.detail;

  const run = useCallback(
    async (action: WorkflowAction, input: ActionFieldsInput, fromDialog: boolean): Promise<void> => {
      const actor = actorOf(seat);
      if (!workflow || !detail || actor === null || busy) return;
      const body = buildActInput(action, { id: workflow.id, version: workflow.version, actor, role: seat.role }, input);
      if (!body) return;
      setBusy(true);
      setDialogError(null);
      const r = await api.call('cases.act', body);
      setBusy(false);
      if (r.ok) {
        record.apply(r.value);
        setDialog(null);
        setMessage({ tone: 'ok', caseId: detail.id, text: t('actions.done', { action: t(`action.${action}`), code: r.value.case.code, state: t(`state.${r.value.case.state}`) }) });
        return;
      }
      if (r.error.code === 'conflict') record.refresh();
      if (fromDialog) setDialogError(r.error);
      else setMessage({ tone: 'error', caseId: detail.id, text: errorText(r.error, t) });
    },
    [api, record, seat, workflow, detail, busy, t],
  );

  const request = useCallback(
    (action: WorkflowAction) => {
      if (!workflow || busy) return;
      if (actorOf(seat) === null) {
        setMessage({ tone: 'error', caseId: workflow.id, text: t('seat.nameRequired') });
        return;
      }
      if (!workflow.allowedActions.includes(action)) return;
      setMessage(null);
      if (dialogFor(action) === 'none') void run(action, { kind: 'none' }, false);
      else {
        setDialogError(null);
        setDialog(action);
      }
    },
    [workflow, busy, seat, run, t],
  );

  const submit = useCallback(
    (input: ActionFieldsInput) => {
      if (dialog) void run(dialog, input, true);
    },
    [dialog, run],
  );

  const merge = useCallback(
    (targetId: string) => {
      const actor = actorOf(seat);
      if (!detail || actor === null || busy) return;
      setBusy(true);
      void api.call('cases.merge', { sourceId: detail.id, targetId, version: detail.version, actor, role: seat.role, note: t('duplicates.mergeNote') }).then((r) => {
        setBusy(false);
        if (r.ok) {
          record.refresh();
          setMessage({ tone: 'ok', caseId: detail.id, text: t('duplicates.mergedMsg', { code: r.value.source.code, target: r.value.target.code }) });
        } else {
          if (r.error.code === 'conflict') record.refresh();
          setMessage({ tone: 'error', caseId: detail.id, text: errorText(r.error, t) });
        }
      });
    },
    [api, detail, seat, busy, record, t],
  );

  return {
    dialog,
    busy,
    dialogError,
    message,
    request,
    submit,
    closeDialog: () => {
      setDialog(null);
      setDialogError(null);
    },
    merge,
  };
}
