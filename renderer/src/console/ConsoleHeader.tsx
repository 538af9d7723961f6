import { ConnectionBadge } from '../components/ConnectionBadge';
import { LangToggle } from '../components/LangToggle';
import { useMode, useSystemInfo } from '../data/system';
import { useNow } from '../hooks/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { formatClock, formatDate, formatWeekday } from '../time/format';

export function ConsoleHeader() {
  const { t, locale } = useI18n();
  const info = useSystemInfo();
  const mode = useMode(info.data);
  const now = useNow(1000);
  const name = info.data ? (locale === 'en' ? info.data.centreNameEn : info.data.centreName) : t('app.name');
  return (
    <header className="console-header" data-mode={mode?.mode ?? 'normal'}>
      <div className="console-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="centre-name" data-testid="centre-name">
          {name}
        </span>
        <span className="console-role">{t('app.console')}</span>
      </div>
      <div className="console-header-right">
        {mode && (
          <span className="mode-badge" data-testid="mode-badge" data-mode={mode.mode}>
            {t(`mode.${mode.mode}`)}
          </span>
        )}
        <ConnectionBadge />
        <span className="console-clock" data-testid="clock">
          {formatDate(now, t)} {formatWeekday(now, t)} <b>{formatClock(now)}</b>
        </span>
        <LangToggle />
      </div>
    </header>
  );
}
