/**
 * Cases (案件): icons by category class, coloured by state and urgency (overdue red), sized by
 * urgency; overdue and new cases pulse; at low zoom they cluster with counts, coloured by their
 * most urgent member. Data: map.cases (parallel arrays) → typed arrays, filtered by the layer's
 * class and urgency filters.
 */
import type { IconLayerProps, ScatterplotLayerProps, TextLayerProps } from '@deck.gl/layers';
import type { MapCases } from '../../../../shared/api/map';
import type { MapLayers } from '../../../../shared/domain/map';
import { URGENCIES, type CaseState, type Urgency } from '../../../../shared/domain/model';
import { clusterPoints, type Clusters } from './cluster';
import { CASE_MARKER_COLOURS, CASE_MARKER_ORDER, caseMarkerKind, URGENCY_RADIUS_SCALE } from './colours';
import { iconMapping, iconName, type IconMappingEntry } from './icons';
import { colourAt, indexed, placement, positionAt, type AccessorInfo, type AnimationClock, type LayerContext, type OverlayPlacement, type RGBA } from './types';

export type CasesSettings = MapLayers['cases'];

/** Below this zoom (and with clustering on) cases cluster. */
export const CLUSTER_BELOW_ZOOM = 13;
export const CLUSTER_CELL_PX = 56;
const ICON_PX = 15;

export interface CaseData {
  length: number;
  ids: string[];
  codes: string[];
  states: CaseState[];
  classCodes: string[];
  urgencies: Urgency[];
  overdue: boolean[];
  fresh: boolean[];
  /** Drawing order: index into the answer's arrays. */
  source: Uint32Array;
  positions: Float64Array;
  /** CASE_MARKER_ORDER index: higher is drawn on top and ranks a cluster. */
  ranks: Uint8Array;
  colours: Uint8ClampedArray;
  sizes: Float32Array;
  icons: string[];
  /** Indices (in drawing order) of the cases that pulse: overdue or new. */
  pulse: Uint32Array;
  pulsePositions: Float64Array;
  pulseColours: Uint8ClampedArray;
}

/** Build the typed arrays for the cases passing the layer's filters, overdue drawn last. */
export function prepareCases(api: MapCases, settings: Pick<CasesSettings, 'classCodes' | 'urgencies'>): CaseData {
  const classes = settings.classCodes.length > 0 ? new Set(settings.classCodes) : null;
  const urg = settings.urgencies.length > 0 ? new Set(settings.urgencies) : null;
  const keep: number[] = [];
  const rankOf: number[] = [];
  for (let i = 0; i < api.ids.length; i++) {
    if (classes && !classes.has(api.classCode[i]!)) continue;
    if (urg && !urg.has(api.urgency[i]!)) continue;
    keep.push(i);
    rankOf.push(CASE_MARKER_ORDER.indexOf(caseMarkerKind(api.state[i]!, api.overdue[i]!)));
  }
  const order = keep.map((_, k) => k).sort((a, b) => rankOf[a]! - rankOf[b]! || a - b);
  const n = order.length;
  const out: CaseData = {
    length: n,
    ids: new Array<string>(n),
    codes: new Array<string>(n),
    states: new Array<CaseState>(n),
    classCodes: new Array<string>(n),
    urgencies: new Array<Urgency>(n),
    overdue: new Array<boolean>(n),
    fresh: new Array<boolean>(n),
    source: new Uint32Array(n),
    positions: new Float64Array(2 * n),
    ranks: new Uint8Array(n),
    colours: new Uint8ClampedArray(4 * n),
    sizes: new Float32Array(n),
    icons: new Array<string>(n),
    pulse: new Uint32Array(0),
    pulsePositions: new Float64Array(0),
    pulseColours: new Uint8ClampedArray(0),
  };
  const pulse: number[] = [];
  order.forEach((k, j) => {
    const i = keep[k]!;
    out.source[j] = i;
    out.ids[j] = api.ids[i]!;
    out.codes[j] = api.codes[i]!;
    out.states[j] = api.state[i]!;
    out.classCodes[j] = api.classCode[i]!;
    out.urgencies[j] = api.urgency[i]!;
    out.overdue[j] = api.overdue[i]!;
    out.fresh[j] = api.fresh[i]!;
    out.positions[2 * j] = api.lon[i]!;
    out.positions[2 * j + 1] = api.lat[i]!;
    out.ranks[j] = rankOf[k]!;
    out.colours.set(CASE_MARKER_COLOURS[CASE_MARKER_ORDER[rankOf[k]!]!], 4 * j);
    out.sizes[j] = URGENCY_RADIUS_SCALE[api.urgency[i]!];
    out.icons[j] = iconName(api.classCode[i]!);
    if (api.overdue[i] || api.fresh[i]) pulse.push(j);
  });
  out.pulse = Uint32Array.from(pulse);
  out.pulsePositions = new Float64Array(2 * pulse.length);
  out.pulseColours = new Uint8ClampedArray(4 * pulse.length);
  pulse.forEach((j, p) => {
    out.pulsePositions[2 * p] = out.positions[2 * j]!;
    out.pulsePositions[2 * p + 1] = out.positions[2 * j + 1]!;
    out.pulseColours.set(out.overdue[j] ? CASE_MARKER_COLOURS.overdue : CASE_MARKER_COLOURS.pending, 4 * p);
  });
  return out;
}

/** Counts per marker kind (for the legend). */
export function caseCounts(d: CaseData): Record<(typeof CASE_MARKER_ORDER)[number], number> {
  const out = { done: 0, parked: 0, inProgress: 0, pending: 0, overdue: 0 };
  for (let i = 0; i < d.length; i++) out[CASE_MARKER_ORDER[d.ranks[i]!]!]++;
  return out;
}

export const clustered = (settings: CasesSettings, ctx: Pick<LayerContext, 'zoom'>): boolean => settings.cluster && ctx.zoom < CLUSTER_BELOW_ZOOM;

const clusterCache = new WeakMap<CaseData, Map<number, Clusters>>();

/** Clusters of the cases at a whole zoom level (cached per data and zoom). */
export function caseClusters(d: CaseData, zoom: number): Clusters {
  const z = Math.floor(zoom);
  let byZoom = clusterCache.get(d);
  if (!byZoom) {
    byZoom = new Map();
    clusterCache.set(d, byZoom);
  }
  let c = byZoom.get(z);
  if (!c) {
    c = clusterPoints(d.positions, d.ranks, d.length, z, CLUSTER_CELL_PX);
    byZoom.set(z, c);
  }
  return c;
}

export function caseIconLayerProps(settings: CasesSettings, d: CaseData, ctx: LayerContext, iconAtlas: string): IconLayerProps & OverlayPlacement {
  return {
    id: 'cases-icons',
    data: indexed(d.positions, d.length),
    visible: settings.visible && !clustered(settings, ctx),
    opacity: settings.opacity,
    iconAtlas,
    iconMapping: ICON_MAPPING,
    getIcon: (_: unknown, { index }: AccessorInfo) => d.icons[index]!,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.positions, index, target),
    getColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(d.colours, index, target),
    getSize: (_: unknown, { index }: AccessorInfo) => d.sizes[index]!,
    sizeUnits: 'pixels',
    sizeScale: ICON_PX * ctx.scale * (ctx.zoom >= 16 ? 1.35 : 1),
    alphaCutoff: 0.05,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    updateTriggers: { sizeScale: ctx.scale },
    ...placement(ctx.beforePoints),
  };
}

const ICON_MAPPING: Record<string, IconMappingEntry> = iconMapping();

export function caseClusterLayerProps(settings: CasesSettings, c: Clusters, ctx: LayerContext): ScatterplotLayerProps & OverlayPlacement {
  return {
    id: 'cases-clusters',
    data: indexed(c.positions, c.length),
    visible: settings.visible && clustered(settings, ctx),
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(c.positions, index, target),
    getFillColor: (_: unknown, { index, target }: AccessorInfo) => clusterFill(c.worst[index]!, target),
    getLineColor: (_: unknown, { index, target }: AccessorInfo) => colourInto(CASE_MARKER_COLOURS[CASE_MARKER_ORDER[c.worst[index]!]!], target),
    getRadius: (_: unknown, { index }: AccessorInfo) => clusterRadius(c.counts[index]!),
    radiusUnits: 'pixels',
    radiusScale: ctx.scale,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    lineWidthScale: ctx.scale,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 70],
    ...placement(ctx.beforePoints),
  };
}

export function caseClusterLabelProps(settings: CasesSettings, c: Clusters, ctx: LayerContext, fontFamily: string): TextLayerProps & OverlayPlacement {
  return {
    id: 'cases-cluster-counts',
    data: indexed(c.counts, c.length),
    visible: settings.visible && clustered(settings, ctx),
    opacity: settings.opacity,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(c.positions, index, target),
    getText: (_: unknown, { index }: AccessorInfo) => c.labels[index]!,
    getSize: (_: unknown, { index }: AccessorInfo) => (c.counts[index]! >= 100 ? 15 : 13),
    sizeScale: ctx.scale,
    getColor: [255, 255, 255, 255],
    fontFamily,
    fontWeight: 700,
    characterSet: '0123456789',
    outlineWidth: 2,
    outlineColor: [2, 10, 24, 255],
    fontSettings: { sdf: true },
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

/** Radius in px of a cluster of n cases. */
export const clusterRadius = (n: number): number => (n <= 1 ? 4 : Math.min(30, 8 + 3.2 * Math.sqrt(n)));

function colourInto(c: RGBA, target: number[]): RGBA {
  target[0] = c[0];
  target[1] = c[1];
  target[2] = c[2];
  target[3] = c[3];
  return target as unknown as RGBA;
}

function clusterFill(rank: number, target: number[]): RGBA {
  const c = CASE_MARKER_COLOURS[CASE_MARKER_ORDER[rank]!];
  target[0] = Math.round(c[0] * 0.55);
  target[1] = Math.round(c[1] * 0.55);
  target[2] = Math.round(c[2] * 0.55 + 30);
  target[3] = 215;
  return target as unknown as RGBA;
}

/** Rings that grow and fade around overdue and new cases (rebuilt per animation tick: only radiusScale and opacity change). */
export function casePulseLayerProps(settings: CasesSettings, d: CaseData, ctx: LayerContext, clock: AnimationClock): ScatterplotLayerProps & OverlayPlacement {
  const phase = (clock.seconds % 1.6) / 1.6;
  return {
    id: 'cases-pulse',
    data: indexed(d.pulsePositions, d.pulse.length),
    visible: settings.visible && !clustered(settings, ctx) && d.pulse.length > 0,
    opacity: settings.opacity * (1 - phase) * 0.9,
    getPosition: (_: unknown, { index, target }: AccessorInfo) => positionAt(d.pulsePositions, index, target),
    getLineColor: (_: unknown, { index, target }: AccessorInfo) => colourAt(d.pulseColours, index, target),
    getRadius: 1,
    radiusUnits: 'pixels',
    radiusScale: ICON_PX * ctx.scale * (0.7 + phase * 1.3),
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
    lineWidthScale: ctx.scale,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}

export function describeCase(d: CaseData, index: number, labels: { state(s: CaseState): string; urgency(u: Urgency): string; className(code: string): string; overdue: string; fresh: string }) {
  const lines = [`${labels.state(d.states[index]!)} · ${labels.urgency(d.urgencies[index]!)}`, labels.className(d.classCodes[index]!)];
  if (d.overdue[index]) lines.push(labels.overdue);
  else if (d.fresh[index]) lines.push(labels.fresh);
  return { title: d.codes[index]!, lines };
}

export const URGENCY_ORDER: readonly Urgency[] = URGENCIES;
