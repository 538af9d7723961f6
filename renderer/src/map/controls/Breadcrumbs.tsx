/** Breadcrumbs of the drill-down: 全市 › 区 › 街道 › 社区 › 网格; a click goes back up. */
import type { MapT } from '../i18n';
import type { AreaNode } from '../state/navigation';

export interface BreadcrumbsProps {
  chain: readonly AreaNode[];
  cityName: string;
  t: MapT;
  onSelect(areaId: string | null): void;
}

export function Breadcrumbs({ chain, cityName, t, onSelect }: BreadcrumbsProps) {
  const parent = chain.length >= 2 ? chain[chain.length - 2]!.id : null;
  return (
    <nav className="map-crumbs" data-testid="map-breadcrumbs" aria-label={t('crumb.city')}>
      {chain.length > 0 && (
        <button type="button" className="crumb-up" data-testid="crumb-up" title={t('crumb.up')} onClick={() => onSelect(parent)}>
          ‹
        </button>
      )}
      <button type="button" className="crumb" data-testid="crumb-city" data-current={chain.length === 0 ? '1' : '0'} onClick={() => onSelect(null)}>
        {cityName}
      </button>
      {chain.map((node, i) => (
        <span key={node.id} className="crumb-step">
          <span className="crumb-sep" aria-hidden="true">
            ›
          </span>
          <button
            type="button"
            className="crumb"
            data-testid={`crumb-${node.level}`}
            data-area={node.id}
            data-current={i === chain.length - 1 ? '1' : '0'}
            onClick={() => onSelect(node.id)}
            title={t(`level.${node.level}`)}
          >
            {node.name}
          </button>
        </span>
      ))}
    </nav>
  );
}
