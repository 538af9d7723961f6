/** The search box: an address, grid code, camera, sensor, staff name or case number; picking a hit flies there. */
import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/api/map';
import { useApi } from '../../api/ApiContext';
import type { MapT } from '../i18n';

export interface SearchBoxProps {
  t: MapT;
  onPick(hit: SearchHit): void;
}

export function SearchBox({ t, onPick }: SearchBoxProps) {
  const api = useApi();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const q = text.trim();
    if (q.length === 0) {
      setHits(null);
      return undefined;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      void api.call('map.search', { text: q, limit: 10 }).then((r) => {
        if (mine !== seq.current) return;
        setHits(r.ok ? r.value : []);
        setActive(0);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [api, text]);
  const pick = (h: SearchHit): void => {
    onPick(h);
    setHits(null);
    setText('');
  };
  return (
    <div className="map-search" data-testid="map-search">
      <input
        type="search"
        value={text}
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (!hits || hits.length === 0) return;
          if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter') pick(hits[active]!);
          else if (e.key === 'Escape') setHits(null);
        }}
      />
      {hits && (
        <ul className="search-hits" role="listbox">
          {hits.length === 0 && <li className="search-none">{t('search.none')}</li>}
          {hits.map((h, i) => (
            <li key={`${h.kind}:${h.id}`} role="option" aria-selected={i === active} data-kind={h.kind} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(h)}>
              <span className="hit-kind">{t(`search.kind.${h.kind}`)}</span>
              <span className="hit-label">{h.label}</span>
              <span className="hit-detail">{h.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
