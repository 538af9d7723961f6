/** Dispatch arcs (派遣): from the unit (its assignee's last position, else its area) to the case, while the dispatch is open. */
import type { ArcLayerProps } from '@deck.gl/layers';
import type { DispatchArc } from '../../../../shared/api/map';
import type { MapLayers } from '../../../../shared/domain/map';
import { ARC_SOURCE, ARC_TARGET, ARC_TARGET_OVERDUE } from './colours';
import { placement, type LayerContext, type OverlayPlacement } from './types';

export type ArcsSettings = MapLayers['arcs'];

/** Below this zoom only the dispatches that matter most are drawn (urgent, critical, overdue or under two hours old). */
export const ALL_ARCS_ZOOM = 12;
const RECENT_MS = 2 * 3_600_000;

const cache = new WeakMap<readonly DispatchArc[], { key: string; arcs: DispatchArc[] }>();

/** The arcs drawn at a zoom (the same array until the data or the rule changes). */
export function visibleArcs(arcs: readonly DispatchArc[], zoom: number, now: number): readonly DispatchArc[] {
  if (zoom >= ALL_ARCS_ZOOM) return arcs;
  const key = String(Math.floor(now / 600_000));
  const hit = cache.get(arcs);
  if (hit && hit.key === key) return hit.arcs;
  const out = arcs.filter((a) => a.urgency !== 'normal' || a.overdue || (a.dispatchedAt !== null && now - Date.parse(a.dispatchedAt) < RECENT_MS));
  cache.set(arcs, { key, arcs: out });
  return out;
}

export function arcLayerProps(settings: ArcsSettings, all: readonly DispatchArc[], ctx: LayerContext, now: number): ArcLayerProps<DispatchArc> & OverlayPlacement {
  const arcs = visibleArcs(all, ctx.zoom, now);
  return {
    id: 'arcs',
    data: arcs,
    visible: settings.visible && arcs.length > 0,
    opacity: settings.opacity,
    getSourcePosition: (a) => a.from,
    getTargetPosition: (a) => a.to,
    getSourceColor: ARC_SOURCE,
    getTargetColor: (a) => (a.overdue ? ARC_TARGET_OVERDUE : ARC_TARGET),
    getWidth: (a) => (a.urgency === 'critical' ? 2.8 : a.urgency === 'urgent' ? 2.2 : 1.6),
    widthUnits: 'pixels',
    widthScale: ctx.scale,
    // Tilted towards the ground: the arcs read as curves on a flat (unpitched) wall map.
    getTilt: 80,
    getHeight: 0.12,
    greatCircle: false,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 160],
    ...placement(ctx.beforePoints),
  };
}

export function describeArc(a: DispatchArc, labels: { state(s: DispatchArc['state']): string; overdue: string }) {
  return { title: a.code, lines: [a.title, `${a.unitName} · ${labels.state(a.state)}`, ...(a.overdue ? [labels.overdue] : [])] };
}
