import { ConnectionBadge } from '../components/ConnectionBadge';
import { LangToggle } from '../components/LangToggle';
import { useHeartbeat, type ModeState, type SystemInfo } from '../data/system';
import { useI18n } from '../i18n/I18nProvider';
import { useNow } from '../hooks/useNow';
import { Freshness } from './Freshness';
import { HeaderClock } from './HeaderClock';
import { ModeBadge } from './ModeBadge';

export function WallHeader({ info, mode }: { info: SystemInfo | null; mode: ModeState | null }) {
  const { t, locale } = useI18n();
  const now = useNow(1000);
  const beat = useHeartbeat();
  const name = info ? (locale === 'en' ? info.centreNameEn : info.centreName) : t('app.name');
  return (
    <header className="wall-header" data-mode={mode?.mode ?? 'normal'}>
      <div className="header-left">
        <HeaderClock now={now} />
      </div>
      <div className="header-centre">
        <span className="title-wing left" aria-hidden="true" />
        <div className="title-block">
          <h1 className="centre-name" data-testid="centre-name">
            {name}
          </h1>
          <div className="title-sub">{t('app.wall')}</div>
        </div>
        <span className="title-wing right" aria-hidden="true" />
      </div>
      <div className="header-right">
        <ModeBadge mode={mode} />
        <div className="header-status">
          <ConnectionBadge />
          <Freshness beat={beat} lastChangeAt={info?.lastChangeAt ?? null} now={now} />
        </div>
        <LangToggle />
      </div>
      <div className="header-glow" aria-hidden="true" />
    </header>
  );
}
