import type { Heartbeat } from '../data/system';
import { useT } from '../i18n/I18nProvider';
import { formatAge } from '../time/format';

/** A heartbeat older than this means the link or the host is in trouble. */
const HEARTBEAT_LATE_MS = 15_000;

/** Heartbeat age and the age of the last data change, from the host's heartbeat. */
export function Freshness({ beat, lastChangeAt, now }: { beat: Heartbeat | null; lastChangeAt: string | null; now: number }) {
  const t = useT();
  const late = beat === null || now - beat.receivedAt > HEARTBEAT_LATE_MS;
  const change = beat?.payload.lastChangeAt ?? lastChangeAt;
  return (
    <div className="freshness" data-testid="freshness" data-late={late ? '1' : '0'}>
      <span className="fresh-item">
        <span className="fresh-label">{t('header.heartbeat')}</span>
        <span className="fresh-value">{beat ? formatAge(beat.receivedAt, now, t) : t('header.never')}</span>
      </span>
      <span className="fresh-item">
        <span className="fresh-label">{t('header.dataChange')}</span>
        <span className="fresh-value">{change ? formatAge(Date.parse(change), now, t) : t('header.never')}</span>
      </span>
    </div>
  );
}
