/**
 * The consultation on the wall: follows the open session's current item (the chair steps it from
 * the console), large enough to read from the back of the room; whatever the chair opens live (a
 * case, an area's score) appears over it. Without an open session it shows the day's indices.
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import { shanghaiClock } from '../../../shared/time';
import { FocusPanel } from './FocusPanel';
import { useCall, useConsultSession, useDecisions } from './hooks';
import { fixed, levelColour, signed } from './logic';
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
  const { data } = useCall(api, 'consult.indices', {}, 'standby');
  return (
    <div className="standby" data-testid="consult-standby">
      <div className="standby-title">每日会商 · 等待开始</div>
      <div className="indices">
        {(data?.indices ?? []).map((idx) => (
          <div className="index-tile" key={idx.id} style={{ borderTopColor: levelColour(idx.level) }}>
            <div className="index-name">{idx.name}</div>
            <div className="index-value">{fixed(idx.value)}</div>
            <div className="index-trend">较昨日 {signed(idx.yesterday === null ? null : idx.value - idx.yesterday)}</div>
            <Sparkline series={idx.series} width={220} height={44} />
          </div>
        ))}
      </div>
    </div>
  );
}

export function ConsultWall({ api }: { api: ApiClient }) {
  const { session, loaded, error } = useConsultSession(api);
  const decisions = useDecisions(api, session?.state === 'open' ? session.id : null);
  const now = useClock();
  if (!loaded) return <div className="consult-wall splash">{error ?? '连接中…'}</div>;
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
        <div className="cw-title">{session.title}</div>
        <div className="cw-meta">
          <span>主持 {session.chair}</span>
          <span>
            第 {session.currentIndex + 1} / {items.length} 项
          </span>
          <span className="cw-clock">{shanghaiClock(now)}</span>
        </div>
      </header>
      <main className="cw-main">
        <div className="cw-item-head">
          <h2 className="cw-item-title" data-testid="consult-item-title">
            {session.currentIndex + 1}. {item.title}
          </h2>
          <p className="cw-summary">{item.summary}</p>
        </div>
        <div className="cw-item-body" data-testid="consult-item" data-kind={item.kind}>
          <ItemView api={api} item={item} compact={false} decisions={decisions} focusId={session.focus?.kind === 'area' ? session.focus.id : null} />
        </div>
      </main>
      <footer className="cw-steps">
        {items.map((it, i) => (
          <span key={it.id} className={`cw-step${i === session.currentIndex ? ' current' : i < session.currentIndex ? ' done' : ''}`}>
            {i + 1}. {it.title}
          </span>
        ))}
      </footer>
      {session.focus ? <FocusPanel api={api} focus={session.focus} modelId={primaryModel} /> : null}
    </div>
  );
}
