/**
 * Case markers from cases.points (parallel arrays), as binary attributes: no per-point objects, so
 * tens of thousands of cases cost a few typed arrays. Overdue cases are red and drawn on top.
 */
import type { ScatterplotLayerProps } from '@deck.gl/layers';
import type { MethodOutput } from '../../../../shared/api';
import { CASE_MARKER_COLOURS, CASE_MARKER_ORDER, caseMarkerKind, URGENCY_RADIUS_SCALE } from './colours';
import type { LayerConfigBase, OverlayPlacement, RGBA } from './types';

export type CasePoints = MethodOutput<'cases.points'>;

export interface CasePointLayerConfig extends LayerConfigBase {
  kind: 'casePoints';
  /** Radius of a normal-urgency marker, pixels. */
  radiusPx: number;
  outlineColour: RGBA;
  outlineWidthPx: number;
  beforeId?: string;
}

export const DEFAULT_CASE_POINT_CONFIG: CasePointLayerConfig = {
  kind: 'casePoints',
  id: 'case-points',
  visible: true,
  opacity: 1,
  radiusPx: 2.8,
  outlineColour: [2, 10, 24, 230],
  outlineWidthPx: 1,
};

export interface CasePointAttributes {
  length: number;
  /** Index into the cases.points arrays, in drawing order. */
  order: Uint32Array;
  positions: Float64Array;
  colours: Uint8ClampedArray;
  radii: Float32Array;
}

/** Typed arrays for the markers, sorted so that overdue (then pending…) cases are drawn last. */
export function casePointAttributes(config: CasePointLayerConfig, points: CasePoints): CasePointAttributes {
  const n = points.ids.length;
  const rank = new Uint8Array(n);
  for (let i = 0; i < n; i++) rank[i] = CASE_MARKER_ORDER.indexOf(caseMarkerKind(points.state[i]!, points.overdue[i]!));
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => rank[a]! - rank[b]! || a - b);
  const positions = new Float64Array(n * 2);
  const colours = new Uint8ClampedArray(n * 4);
  const radii = new Float32Array(n);
  order.forEach((src, k) => {
    positions[2 * k] = points.lon[src]!;
    positions[2 * k + 1] = points.lat[src]!;
    colours.set(CASE_MARKER_COLOURS[CASE_MARKER_ORDER[rank[src]!]!], 4 * k);
    radii[k] = config.radiusPx * URGENCY_RADIUS_SCALE[points.urgency[src]!];
  });
  return { length: n, order, positions, colours, radii };
}

export function casePointLayerProps(config: CasePointLayerConfig, points: CasePoints): ScatterplotLayerProps & OverlayPlacement {
  const a = casePointAttributes(config, points);
  const props: ScatterplotLayerProps & OverlayPlacement = {
    id: config.id,
    visible: config.visible,
    opacity: config.opacity,
    data: {
      length: a.length,
      attributes: {
        getPosition: { value: a.positions, size: 2 },
        getFillColor: { value: a.colours, size: 4, type: 'unorm8' },
        getRadius: { value: a.radii, size: 1 },
      },
    },
    radiusUnits: 'pixels',
    stroked: config.outlineWidthPx > 0,
    getLineColor: config.outlineColour,
    lineWidthUnits: 'pixels',
    getLineWidth: config.outlineWidthPx,
    antialiasing: true,
    pickable: false,
  };
  if (config.beforeId !== undefined) props.beforeId = config.beforeId;
  return props;
}
