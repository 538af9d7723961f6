/**
 * The dialogs of actions that need more than a click: a reason (不予立案, 回退, 挂账, 驳回延期,
 * 重新打开), a report with photo references (处置反馈, 核查不通过, 当场解决), an extension request
 * (days or hours and a reason) and supervision (督办 level and a note).
 */
import { useState } from 'react';
import type { ApiError } from '../../../../shared/api';
import type { CaseWorkflow } from '../../../../shared/api/workflow';
import { MAX_SUPERVISION_LEVEL, type WorkflowAction } from '../../../../shared/domain/workflow';
import { useT } from '../../i18n/I18nProvider';
import { dialogFor, type ActionFieldsInput } from '../actions';
import { errorText, supervisionName } from '../labels';
import { Dialog, Field } from './Dialog';

export interface ActionDialogProps {
  action: WorkflowAction;
  caseCode: string;
  workflow: CaseWorkflow;
  busy: boolean;
  error: ApiError | null;
  onSubmit(input: ActionFieldsInput): void;
  onCancel(): void;
}

/** The core requires at least two characters for a reason (shared/domain/workflow.ts). */
const MIN_REASON = 2;

export function ActionDialog({ action, caseCode, workflow, busy, error, onSubmit, onCancel }: ActionDialogProps) {
  const t = useT();
  const kind = dialogFor(action);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState('');
  const [amount, setAmount] = useState(1);
  const [unit, setUnit] = useState<'work_days' | 'work_hours'>('work_days');
  const minLevel = Math.min(MAX_SUPERVISION_LEVEL, workflow.supervision.level + 1);
  const [level, setLevel] = useState(minLevel);

  const noteOk = note.trim().length >= MIN_REASON;
  const amountOk = Number.isFinite(amount) && amount > 0 && amount <= (unit === 'work_days' ? 60 : 480);
  const valid = kind === 'extension' ? noteOk && amountOk : noteOk;

  const submit = (): void => {
    if (!valid) return;
    if (kind === 'report') onSubmit({ kind: 'report', note: note.trim(), photos });
    else if (kind === 'extension') onSubmit({ kind: 'extension', note: note.trim(), amount, unit });
    else if (kind === 'supervise') onSubmit({ kind: 'supervise', note: note.trim(), level });
    else onSubmit({ kind: 'reason', note: note.trim() });
  };

  const noteLabel = t(`dialog.note.${action}` as const);
  return (
    <Dialog
      title={
        <>
          {t(`action.${action}`)} <span className="dlg-sub">{caseCode}</span>
        </>
      }
      testId={`dialog-${action}`}
      onCancel={onCancel}
      onConfirm={submit}
      confirmLabel={t(`action.${action}`)}
      confirmDisabled={!valid}
      busy={busy}
      error={error ? errorText(error, t) : null}
    >
      {kind === 'supervise' && (
        <Field label={t('dialog.supervise.level')} hint={t('dialog.supervise.current', { level: supervisionName(workflow.supervision.level, t) })}>
          <div className="seg" role="radiogroup">
            {[1, 2, 3].map((l) => (
              <button
                key={l}
                type="button"
                role="radio"
                className="seg-btn"
                aria-checked={level === l}
                disabled={l < minLevel}
                data-level={l}
                onClick={() => setLevel(l)}
              >
                {supervisionName(l, t)}
              </button>
            ))}
          </div>
        </Field>
      )}
      {kind === 'extension' && (
        <div className="dlg-row">
          <Field label={t('dialog.extension.amount')}>
            <input
              type="number"
              min={1}
              max={unit === 'work_days' ? 60 : 480}
              step={unit === 'work_days' ? 1 : 0.5}
              value={Number.isFinite(amount) ? amount : ''}
              data-testid="dialog-extension-amount"
              onChange={(e) => setAmount(e.target.valueAsNumber)}
            />
          </Field>
          <Field label={t('dialog.extension.unit')}>
            <select value={unit} onChange={(e) => setUnit(e.target.value === 'work_hours' ? 'work_hours' : 'work_days')}>
              <option value="work_days">{t('limit.work_days')}</option>
              <option value="work_hours">{t('limit.work_hours')}</option>
            </select>
          </Field>
          {workflow.category && (
            <Field label={t('dialog.extension.limit')}>
              <span className="dlg-static">{t(`limit.value.${workflow.category.limit.unit}`, { n: workflow.category.limit.value })}</span>
            </Field>
          )}
        </div>
      )}
      <Field label={noteLabel} hint={t('dialog.note.min', { n: MIN_REASON })} wide>
        <textarea rows={4} maxLength={2000} value={note} data-testid="dialog-note" onChange={(e) => setNote(e.target.value)} placeholder={t(`dialog.placeholder.${kind === 'report' ? 'report' : 'reason'}`)} />
      </Field>
      {kind === 'report' && (
        <Field label={t('dialog.photos')} hint={t('dialog.photos.hint')} wide>
          <textarea rows={2} maxLength={8000} value={photos} data-testid="dialog-photos" onChange={(e) => setPhotos(e.target.value)} placeholder="https://… / IMG_0001.jpg" />
        </Field>
      )}
      {kind === 'report' && action === 'handle' && workflow.category && (
        <p className="dlg-note-block">
          {t('dialog.closing')}: {workflow.category.closing}
        </p>
      )}
    </Dialog>
  );
}
