/** Dispatch arcs (派遣): from the unit (its assignee's last position, else its area) to the case, while the dispatch is open. */
import type { ArcLayerProps } from '@deck.gl/layers';
import type { DispatchArc } from '../../../../shared/api/map';
import type { MapLayers } from '../../../../shared/domain/map';
import { ARC_SOURCE, ARC_TARGET, ARC_TARGET_OVERDUE } from './colours';
import { placement, type LayerContext, type OverlayPlacement } from './types';

export type ArcsSettings = MapLayers['arcs'];

export function arcLayerProps(settings: ArcsSettings, arcs: readonly DispatchArc[], ctx: LayerContext): ArcLayerProps<DispatchArc> & OverlayPlacement {
  return {
    id: 'arcs',
    data: arcs,
    visible: settings.visible && arcs.length > 0,
    opacity: settings.opacity,
    getSourcePosition: (a) => a.from,
    getTargetPosition: (a) => a.to,
    getSourceColor: ARC_SOURCE,
    getTargetColor: (a) => (a.overdue ? ARC_TARGET_OVERDUE : ARC_TARGET),
    getWidth: (a) => (a.urgency === 'critical' ? 3.2 : a.urgency === 'urgent' ? 2.6 : 2),
    widthUnits: 'pixels',
    widthScale: ctx.scale,
    // Tilted towards the ground: the arcs read as curves on a flat (unpitched) wall map.
    getTilt: 75,
    getHeight: 0.35,
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
