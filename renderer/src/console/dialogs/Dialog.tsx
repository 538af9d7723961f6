/**
 * A modal dialog of the console: a form over a dimmed screen. Enter confirms (Ctrl+Enter in a
 * text area); Escape cancels. The first field takes the focus, else the dialog itself.
 */
import { useEffect, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiError } from '../../../../shared/api';
import { useT } from '../../i18n/I18nProvider';

export interface DialogProps {
  title: ReactNode;
  /** data-testid of the dialog (e.g. dialog-dispatch). */
  testId: string;
  onCancel(): void;
  onConfirm(): void;
  confirmLabel: string;
  confirmDisabled?: boolean;
  busy?: boolean;
  error?: ApiError | string | null;
  wide?: boolean;
  /** Extra buttons left of cancel/confirm. */
  extraActions?: ReactNode;
  /** Only the confirm button (e.g. a result with nothing to cancel). */
  hideCancel?: boolean;
  children: ReactNode;
}

export function Dialog(props: DialogProps) {
  const t = useT();
  const box = useRef<HTMLFormElement>(null);
  const { onCancel } = props;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const first = el.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]):not([type=radio]):not([disabled]), textarea, select');
    (first ?? el).focus();
  }, []);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!props.confirmDisabled && !props.busy) props.onConfirm();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      // Enter confirms from anywhere but a text area (Ctrl+Enter there) or a button (its own click).
      const tag = (e.target as HTMLElement).tagName;
      if (tag === 'BUTTON' || (tag === 'TEXTAREA' && !(e.ctrlKey || e.metaKey))) return;
      e.preventDefault();
      e.stopPropagation();
      if (!props.confirmDisabled && !props.busy) props.onConfirm();
      return;
    }
    // Keys typed in a dialog never reach the console's shortcuts.
    e.stopPropagation();
  };
  const error = typeof props.error === 'string' ? props.error : (props.error?.message ?? null);

  return (
    <div className="dlg-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <form ref={box} tabIndex={-1} className={`dlg${props.wide ? ' dlg-wide' : ''}`} role="dialog" aria-modal="true" data-testid={props.testId} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <header className="dlg-head">
          <h2>{props.title}</h2>
          <button type="button" className="dlg-close" aria-label={t('dialog.cancel')} onClick={onCancel}>
            ✕
          </button>
        </header>
        <div className="dlg-body">{props.children}</div>
        {error && (
          <div className="dlg-error" role="alert" data-testid="dialog-error">
            {error}
          </div>
        )}
        <footer className="dlg-foot">
          {props.extraActions}
          <span className="dlg-hint">{t('dialog.hint')}</span>
          {!props.hideCancel && (
            <button type="button" className="btn" onClick={onCancel} data-testid="dialog-cancel">
              {t('dialog.cancel')}
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={props.confirmDisabled === true || props.busy === true} data-testid="dialog-confirm">
            {props.busy ? t('dialog.working') : props.confirmLabel}
          </button>
        </footer>
      </form>
    </div>
  );
}

/** A labelled field of a dialog's form. */
export function Field({ label, hint, children, wide = false }: { label: ReactNode; hint?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`dlg-field${wide ? ' wide' : ''}`}>
      <span className="dlg-label">{label}</span>
      {children}
      {hint && <span className="dlg-field-hint">{hint}</span>}
    </label>
  );
}
