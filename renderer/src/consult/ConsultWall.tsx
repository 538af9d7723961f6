/**
 * The consultation on the wall: follows the open session's current item (the chair steps it from
 * the console), large enough to read from the back of the room; whatever the chair opens live (a
 * case, an area's score) appears over it. Without an open session it shows the day's indices.
 * Text follows the shared locale (the toggle in the header, like the other screens).
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import { shanghaiClock } from '../../../shared/time';
import { LangToggle } from '../components/LangToggle';
import { useI18n } from '../i18n/I18nProvider';
import { FocusPanel } from './FocusPanel';
import { useCall, useConsultSession, useDecisions } from './hooks';
import { fixed, indexName, itemStep, itemSummary, itemTitle, levelColour, sessionTitle, signed } from './logic';
import { ItemView, Sparkline } from './views';

function useClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function Standby({ api }: { api: ApiClient }) {
  const { t, locale } = useI18n();
  const { data } = useCall(api, 'consult.indices', {}, 'standby');
  return (
    <div className="standby" data-testid="consult-standby">
      <div className="standby-lang">
        <LangToggle />
      </div>
      <div className="standby-title">{t('consult.standby.title')}</div>
      <div className="indices">
        {(data?.indices ?? []).map((idx) => (
          <div className="index-tile" key={idx.id} style={{ borderTopColor: levelColour(idx.level) }}>
            <div className="index-name">{indexName(locale, idx)}</div>
            <div className="index-value">{fixed(idx.value)}</div>
            <div className="index-trend">
              {t('consult.trend.day')} {signed(idx.yesterday === null ? null : idx.value - idx.yesterday)}
            </div>
            <Sparkline series={idx.series} width={220} height={44} />
          </div>
        ))}
      </div>
    </div>
  );
}

export function ConsultWall({ api }: { api: ApiClient }) {
  const { t, locale } = useI18n();
  const { session, loaded, error } = useConsultSession(api);
  const decisions = useDecisions(api, session?.state === 'open' ? session.id : null);
  const now = useClock();
  if (!loaded) return <div className="consult-wall splash">{error ?? t('consult.connecting')}</div>;
  if (!session || session.state !== 'open')
    return (
      <div className="consult-wall" data-testid="consult-wall" data-session="" data-ready="1">
        <Standby api={api} />
      </div>
    );
  const items = session.agenda.items;
  const item = items[session.currentIndex] ?? items[0]!;
  const mapItem = items.find((i) => i.kind === 'map');
  const primaryModel = mapItem?.kind === 'map' ? mapItem.modelId : 'composite';
  return (
    <div className="consult-wall" data-testid="consult-wall" data-ready="1" data-session={session.id} data-index={session.currentIndex} data-item={item.id}>
      <header className="cw-header">
        <div className="cw-title">{sessionTitle(locale, session.title, session.day)}</div>
        <div className="cw-meta">
          <span>{t('consult.wall.chair', { name: session.chair })}</span>
          <span>{t('consult.wall.progress', { n: session.currentIndex + 1, total: items.length })}</span>
          <span className="cw-clock">{shanghaiClock(now)}</span>
          <LangToggle />
        </div>
      </header>
      <main className="cw-main">
        <div className="cw-item-head">
          <h2 className="cw-item-title" data-testid="consult-item-title">
            {session.currentIndex + 1}. {itemTitle(locale, item)}
          </h2>
          <p className="cw-summary" data-testid="consult-item-summary">
            {itemSummary(locale, item)}
          </p>
        </div>
        <div className="cw-item-body" data-testid="consult-item" data-kind={item.kind}>
          <ItemView api={api} item={item} compact={false} decisions={decisions} focusId={session.focus?.kind === 'area' ? session.focus.id : null} />
        </div>
      </main>
      <footer className="cw-steps">
        {items.map((it, i) => (
          <span key={it.id} className={`cw-step${i === session.currentIndex ? ' current' : i < session.currentIndex ? ' done' : ''}`}>
            {i + 1}. {itemStep(locale, it)}
          </span>
        ))}
      </footer>
      {session.focus ? <FocusPanel api={api} focus={session.focus} modelId={primaryModel} /> : null}
    </div>
  );
}
