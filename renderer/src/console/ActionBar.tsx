/**
 * The one-click workflow actions for the open case: only those cases.workflow allows for the
 * seat's role, in loop order, each with its keyboard shortcut on the button. Actions with fields
 * open their dialog; the others run at once.
 */
import type { WorkflowAction } from '../../../shared/domain/workflow';
import { useI18n } from '../i18n/I18nProvider';
import { ACTION_SHORTCUTS, dialogFor, PRIMARY_ACTIONS, visibleActions } from './actions';
import type { Seat } from './seat';

export interface ActionBarProps {
  allowed: readonly WorkflowAction[] | null;
  seat: Seat;
  busy: boolean;
  onAction(action: WorkflowAction): void;
  /** The last action's outcome. */
  message: { tone: 'ok' | 'error'; text: string } | null;
}

export function ActionBar({ allowed, seat, busy, onAction, message }: ActionBarProps) {
  const { t } = useI18n();
  const actions = allowed ? visibleActions(allowed) : [];
  const noName = seat.name.trim() === '';
  return (
    <div className="action-bar" data-testid="action-bar" data-busy={busy ? '1' : '0'}>
      <div className="action-buttons">
        {allowed === null ? (
          <span className="action-none">{t('panel.loading')}</span>
        ) : actions.length === 0 ? (
          <span className="action-none">{t('actions.none', { role: t(`role.${seat.role}`) })}</span>
        ) : (
          actions.map((a) => (
            <button
              key={a}
              type="button"
              className={`act-btn${PRIMARY_ACTIONS.has(a) ? ' primary' : ''}${a === 'cancel' || a === 'verify_fail' || a === 'return' ? ' danger' : ''}`}
              data-testid={`act-${a}`}
              data-action={a}
              disabled={busy || noName}
              title={noName ? t('seat.nameRequired') : dialogFor(a) === 'none' ? t('actions.oneClick') : t('actions.withDialog')}
              onClick={() => onAction(a)}
            >
              {ACTION_SHORTCUTS[a] && <kbd>{ACTION_SHORTCUTS[a]}</kbd>}
              {t(`action.${a}`)}
              {dialogFor(a) !== 'none' && <span className="act-ellipsis">…</span>}
            </button>
          ))
        )}
      </div>
      {(message || noName) && (
        <div className={`action-msg ${noName ? 'error' : message?.tone}`} role={message?.tone === 'error' || noName ? 'alert' : 'status'} data-testid="action-message">
          {noName ? t('seat.nameRequired') : message?.text}
        </div>
      )}
    </div>
  );
}
