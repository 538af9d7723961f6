import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';
import { ErrorBoundary } from './ErrorBoundary';

interface PanelProps {
  id: string;
  title: string;
  /** The data shown may be out of date. */
  stale?: boolean;
  /** Extra content on the title bar's right. */
  extra?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A titled wall panel with its own error boundary and the discreet "数据延迟" marker. */
export function Panel({ id, title, stale = false, extra, className, children }: PanelProps) {
  const t = useT();
  return (
    <section className={`panel ${className ?? ''}`} data-panel={id} data-stale={stale ? '1' : undefined}>
      <header className="panel-title">
        <span className="panel-title-mark" aria-hidden="true" />
        <h2>{title}</h2>
        {stale && (
          <span className="stale-marker" role="status">
            {t('panel.stale')}
          </span>
        )}
        {extra !== undefined && <span className="panel-extra">{extra}</span>}
      </header>
      <div className="panel-body">
        <ErrorBoundary name={id} fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
          {children}
        </ErrorBoundary>
      </div>
      <span className="corner tl" aria-hidden="true" />
      <span className="corner tr" aria-hidden="true" />
      <span className="corner bl" aria-hidden="true" />
      <span className="corner br" aria-hidden="true" />
    </section>
  );
}

/** Placeholder for a panel whose first answer has not arrived. */
export function PanelLoading() {
  const t = useT();
  return <div className="panel-placeholder">{t('panel.loading')}</div>;
}
