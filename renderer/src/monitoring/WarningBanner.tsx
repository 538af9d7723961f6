/**
 * The wall's warning banner (预警信息): every official warning in force, in its Chinese colour
 * level (蓝/黄/橙/红), with its headline, areas and expiry. Follows `warning.changed`.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { WarningSummary } from '../../../shared/api/monitoring';
import { WARNING_COLOUR_HEX, WARNING_COLOURS } from '../../../shared/domain/monitoring';
import type { Locale } from '../../../shared/i18n';
import { formatShort } from '../time/format';
import { monitoringT } from './labels';
import './monitoring.css';

export interface WarningBannerProps {
  api: ApiClient;
  locale?: Locale;
  onSelect?(warning: WarningSummary): void;
  className?: string;
}

export function WarningBanner(props: WarningBannerProps) {
  const { api, locale = 'zh-CN', onSelect } = props;
  const t = useMemo(() => monitoringT(locale), [locale]);
  const [items, setItems] = useState<WarningSummary[]>([]);
  const [version, setVersion] = useState(0);

  useEffect(() => api.on('warning.changed', () => setVersion((v) => v + 1)), [api]);
  useEffect(() => {
    let live = true;
    void api.call('warnings.list', {}).then((r) => {
      if (live && r.ok) setItems([...r.value].sort((a, b) => WARNING_COLOURS.indexOf(b.colour) - WARNING_COLOURS.indexOf(a.colour) || b.sent.localeCompare(a.sent)));
    });
    return () => {
      live = false;
    };
  }, [api, version]);

  if (items.length === 0) return null;
  return (
    <div className={`mon-warnings${props.className ? ` ${props.className}` : ''}`} data-testid="warning-banner" role="status">
      {items.map((w) => (
        <button
          type="button"
          key={w.id}
          className={`mon-warning mon-warning-${w.colour}`}
          style={{ borderColor: WARNING_COLOUR_HEX[w.colour] }}
          data-warning-id={w.id}
          data-colour={w.colour}
          onClick={() => onSelect?.(w)}
        >
          <span className="mon-warning-level" style={{ background: WARNING_COLOUR_HEX[w.colour] }}>
            {locale === 'en' ? w.colour : w.colourName}
          </span>
          <span className="mon-warning-event">{w.event}</span>
          {w.headline && <span className="mon-warning-headline">{w.headline}</span>}
          {w.areaDescs.length > 0 && <span className="mon-muted">{t('warning.areas', { a: w.areaDescs.join('、') })}</span>}
          {w.expires && <span className="mon-muted">{t('warning.until', { t: formatShort(w.expires) })}</span>}
        </button>
      ))}
    </div>
  );
}
