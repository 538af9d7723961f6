/** A searchable list of cameras; each one can be dragged onto a wall tile or clicked. */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Camera } from '../../../shared/domain/model';
import type { Locale } from '../../../shared/i18n';
import { videoT } from './labels';
import { useStreamHealth } from './useStreamHealth';
import { setCameraDragData } from './wall/drag';
import './video.css';

export interface CameraListProps {
  api: ApiClient;
  locale?: Locale;
  /** Only cameras with a stream (default true). */
  playableOnly?: boolean;
  pageSize?: number;
  onSelect?(camera: Camera): void;
  className?: string;
}

export function CameraList(props: CameraListProps) {
  const { api, locale = 'zh-CN', playableOnly = true, pageSize = 200 } = props;
  const t = useMemo(() => videoT(locale), [locale]);
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Camera[]>([]);
  const [total, setTotal] = useState(0);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => api.on('camera.changed', () => setVersion((v) => v + 1)), [api]);
  useEffect(() => {
    let live = true;
    const input: { text?: string; playable?: boolean; limit: number } = { limit: pageSize };
    if (query) input.text = query.slice(0, 100);
    if (playableOnly) input.playable = true;
    void api.call('cameras.search', input).then((r) => {
      if (!live || !r.ok) return;
      setItems(r.value.items);
      setTotal(r.value.total);
    });
    return () => {
      live = false;
    };
  }, [api, query, playableOnly, pageSize, version]);

  const health = useStreamHealth(api, items.map((c) => c.id));

  return (
    <div className={`vc-list${props.className ? ` ${props.className}` : ''}`} data-testid="camera-list">
      <input value={text} placeholder={t('camera.search')} aria-label={t('camera.search')} onChange={(e) => setText(e.target.value)} />
      <div className="vc-meta">{t('camera.count', { n: total })}</div>
      <ul className="vc-items">
        {items.map((c) => {
          const h = health.get(c.id);
          return (
            <li
              key={c.id}
              className="vc-item"
              draggable
              title={t('camera.drag')}
              data-testid="camera-list-item"
              data-camera-id={c.id}
              onDragStart={(e) => setCameraDragData(e.dataTransfer, { cameraId: c.id, name: c.name })}
              onClick={() => props.onSelect?.(c)}
            >
              <span>{c.name}</span>
              <span className={`vc-meta${h ? ` vc-health-${h}` : ''}`}>
                {t(`kind.${c.kind}`)} · {h && h !== 'unknown' ? t(`state.${h}`) : t(`status.${c.status}`)}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
