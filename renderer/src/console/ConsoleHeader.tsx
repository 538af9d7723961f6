/**
 * The console's header: the centre, the tabs, the new-case button, the seat (role and operator
 * name, recorded on every action), mode, link, clock and language; below it the live alarm strip
 * (this seat may mute its own sound).
 */
import { useI18n } from '../i18n/I18nProvider';
import type { Alarm } from '../../../shared/api/monitoring';
import { WORKFLOW_ROLES, type WorkflowRole } from '../../../shared/domain/workflow';
import { useApi } from '../api/ApiContext';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { LangToggle } from '../components/LangToggle';
import { useMode, useSystemInfo } from '../data/system';
import { useNow } from '../hooks/useNow';
import { AlarmStrip } from '../monitoring';
import { formatClock, formatDate, formatWeekday } from '../time/format';
import { MAX_ACTOR_LENGTH, type Seat } from './seat';
import { CONSOLE_TABS, type ConsoleTab } from './tabs';

export interface ConsoleHeaderProps {
  tab: ConsoleTab;
  onTab(tab: ConsoleTab): void;
  seat: Seat;
  onSeat(seat: Seat): void;
  onNewCase(): void;
  onAlarm(alarm: Alarm): void;
}

const isRole = (v: string): v is WorkflowRole => (WORKFLOW_ROLES as readonly string[]).includes(v);

export function ConsoleHeader({ tab, onTab, seat, onSeat, onNewCase, onAlarm }: ConsoleHeaderProps) {
  const { t, locale } = useI18n();
  const api = useApi();
  const info = useSystemInfo();
  const mode = useMode(info.data);
  const now = useNow(1000);
  const name = info.data ? (locale === 'en' ? info.data.centreNameEn : info.data.centreName) : t('app.name');
  return (
    <header className="console-header" data-mode={mode?.mode ?? 'normal'}>
      <div className="console-header-main">
        <div className="console-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="centre-name" data-testid="centre-name">
            {name}
          </span>
          <span className="console-role">{t('app.console')}</span>
        </div>
        <nav className="console-tabs" role="tablist">
          {CONSOLE_TABS.map((x) => (
            <button key={x} type="button" role="tab" className="console-tab" aria-selected={tab === x} data-testid={`tab-${x}`} onClick={() => onTab(x)}>
              {t(`tab.${x}`)}
            </button>
          ))}
        </nav>
        <button type="button" className="btn btn-primary new-case-btn" data-testid="new-case" onClick={onNewCase} title={t('newCase.shortcut')}>
          <kbd>N</kbd>
          {t('newCase.button')}
        </button>
        <div className="console-seat" data-testid="seat">
          <select
            value={seat.role}
            data-testid="seat-role"
            aria-label={t('seat.role')}
            title={t('seat.role')}
            onChange={(e) => {
              const role = e.target.value;
              if (isRole(role)) onSeat({ ...seat, role });
            }}
          >
            {WORKFLOW_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <input
            type="text"
            value={seat.name}
            maxLength={MAX_ACTOR_LENGTH}
            placeholder={t('seat.namePlaceholder')}
            aria-label={t('seat.name')}
            data-testid="seat-name"
            className={seat.name.trim() === '' ? 'missing' : ''}
            onChange={(e) => onSeat({ ...seat, name: e.target.value })}
          />
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
      </div>
      <div className="console-alarms">
        <AlarmStrip api={api} locale={locale} seatId="console" allowMute maxItems={4} onSelect={onAlarm} className="console-strip" />
      </div>
    </header>
  );
}
