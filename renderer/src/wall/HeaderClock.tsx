import { useT } from '../i18n/I18nProvider';
import { formatClock, formatDate, formatWeekday } from '../time/format';

export function HeaderClock({ now }: { now: number }) {
  const t = useT();
  return (
    <div className="header-clock" data-testid="clock">
      <span className="clock-time">{formatClock(now)}</span>
      <span className="clock-date">
        <span>{formatDate(now, t)}</span>
        <span>{formatWeekday(now, t)}</span>
      </span>
    </div>
  );
}
