/**
 * The layer registry (DESIGN.md convention 9): one module per kind, in drawing order. Each entry
 * turns the kind's settings and prepared data into deck.gl layers: `build` for what changes with
 * data, settings or zoom, `animate` for the few layers that move per frame (pulses, the trail
 * clock: only uniform-like props change, never attributes). Picking and tooltips go through the
 * registry too, by layer id.
 */
import { HeatmapLayer, HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { TripsLayer } from '@deck.gl/geo-layers';
import { ArcLayer, GeoJsonLayer, IconLayer, ScatterplotLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { DispatchArc } from '../../../../shared/api/map';
import { MAP_LAYER_KINDS, type MapLayerKind, type MapLayers } from '../../../../shared/domain/map';
import { alarmAt, alarmLayerProps, alarmPulseLayerProps, type AlarmData } from './alarms';
import { areaChildLayerProps, selectedAreaLayerProps, type DrillData } from './areas';
import { arcLayerProps } from './arcs';
import { cameraDotLayerProps, cameraFovLayerProps, type CameraData } from './cameras';
import { caseClusterLabelProps, caseClusterLayerProps, caseClusters, caseIconLayerProps, casePulseLayerProps, clustered, type CaseData } from './cases';
import { forceDotLayerProps, forceTrailLayerProps, type ForceData } from './forces';
import { gridLayerProps, type GridData } from './grids';
import { heatmapLayerProps, hexagonLayerProps, type HeatData } from './heat';
import { sensorLayerProps, sensorPulseLayerProps, type SensorStore } from './sensors';
import type { AnimationClock, LayerContext, PickTarget } from './types';
import { warningLayerProps, type WarningFeatures, type WarningProperties } from './warnings';
import type { AreaProperties } from './geojson';

export interface SceneData {
  drill: DrillData | null;
  grids: GridData | null;
  heat: HeatData | null;
  warnings: WarningFeatures | null;
  cameras: CameraData | null;
  sensors: { store: SensorStore; mask: Uint8Array | null; version: number } | null;
  forces: ForceData | null;
  arcs: readonly DispatchArc[] | null;
  alarms: AlarmData | null;
  cases: CaseData | null;
}

export const EMPTY_SCENE: SceneData = { drill: null, grids: null, heat: null, warnings: null, cameras: null, sensors: null, forces: null, arcs: null, alarms: null, cases: null };

export interface SceneAssets {
  /** The case icons (data: URL drawn at run time). */
  iconAtlas: string;
  fontFamily: string;
}

interface LayerClass<K extends MapLayerKind> {
  build(settings: MapLayers[K], data: SceneData, ctx: LayerContext, assets: SceneAssets): Layer[];
  animate?(settings: MapLayers[K], data: SceneData, ctx: LayerContext, clock: AnimationClock): Layer[];
}

export const LAYER_CLASSES: { readonly [K in MapLayerKind]: LayerClass<K> } = {
  areas: {
    build: (s, d, ctx) =>
      d.drill
        ? [
            new GeoJsonLayer<AreaProperties>(areaChildLayerProps(s, d.drill, ctx)),
            new GeoJsonLayer<AreaProperties>(selectedAreaLayerProps(s, d.drill, ctx, true)),
            new GeoJsonLayer<AreaProperties>(selectedAreaLayerProps(s, d.drill, ctx, false)),
          ]
        : [],
  },
  grids: { build: (s, d, ctx) => (d.grids ? [new GeoJsonLayer<AreaProperties>(gridLayerProps(s, d.grids, ctx))] : []) },
  heat: {
    build: (s, d, ctx) => (d.heat && s.visible ? [s.mode === 'heat' ? new HeatmapLayer(heatmapLayerProps(s, d.heat, ctx)) : new HexagonLayer(hexagonLayerProps(s, d.heat, ctx))] : []),
  },
  warnings: { build: (s, d, ctx) => (d.warnings ? [new GeoJsonLayer<WarningProperties>(warningLayerProps(s, d.warnings, ctx))] : []) },
  cameras: {
    build: (s, d, ctx) => (d.cameras ? [new SolidPolygonLayer(cameraFovLayerProps(s, d.cameras, ctx)), new ScatterplotLayer(cameraDotLayerProps(s, d.cameras, ctx))] : []),
  },
  sensors: { build: (s, d, ctx) => (d.sensors ? [new ScatterplotLayer(sensorLayerProps(s, d.sensors.store, d.sensors.mask, ctx))] : []), animate: (s, d, ctx, clock) => (d.sensors ? [new ScatterplotLayer(sensorPulseLayerProps(s, d.sensors.store, ctx, clock))] : []) },
  forces: {
    build: (s, d, ctx) => (d.forces ? [new ScatterplotLayer(forceDotLayerProps(s, d.forces, ctx))] : []),
    animate: (s, d, ctx, clock) => (d.forces ? [new TripsLayer(forceTrailLayerProps(s, d.forces, ctx, clock))] : []),
  },
  arcs: { build: (s, d, ctx) => (d.arcs ? [new ArcLayer<DispatchArc>(arcLayerProps(s, d.arcs, ctx, Date.now()))] : []) },
  alarms: {
    build: (s, d, ctx) => (d.alarms ? [new ScatterplotLayer(alarmLayerProps(s, d.alarms, ctx))] : []),
    animate: (s, d, ctx, clock) => (d.alarms ? [new ScatterplotLayer(alarmPulseLayerProps(s, d.alarms, ctx, clock))] : []),
  },
  cases: {
    build: (s, d, ctx, assets) => {
      if (!d.cases) return [];
      if (clustered(s, ctx)) {
        const c = caseClusters(d.cases, ctx.zoom);
        return [new ScatterplotLayer(caseClusterLayerProps(s, c, ctx)), new TextLayer(caseClusterLabelProps(s, c, ctx, assets.fontFamily))];
      }
      return [new IconLayer(caseIconLayerProps(s, d.cases, ctx, assets.iconAtlas))];
    },
    animate: (s, d, ctx, clock) => (d.cases ? [new ScatterplotLayer(casePulseLayerProps(s, d.cases, ctx, clock))] : []),
  },
};

export type StaticLayers = { readonly [K in MapLayerKind]: Layer[] };

function buildKind<K extends MapLayerKind>(kind: K, settings: MapLayers, data: SceneData, ctx: LayerContext, assets: SceneAssets): Layer[] {
  return LAYER_CLASSES[kind].build(settings[kind], data, ctx, assets);
}

function animateKind<K extends MapLayerKind>(kind: K, settings: MapLayers, data: SceneData, ctx: LayerContext, clock: AnimationClock): Layer[] {
  const cls = LAYER_CLASSES[kind];
  return cls.animate && settings[kind].visible ? cls.animate(settings[kind], data, ctx, clock) : [];
}

/** The layers of one kind (static part). */
export function buildStatic(settings: MapLayers, data: SceneData, ctx: LayerContext, assets: SceneAssets, previous?: StaticLayers, changed?: ReadonlySet<MapLayerKind>): StaticLayers {
  const out = {} as Record<MapLayerKind, Layer[]>;
  for (const kind of MAP_LAYER_KINDS) out[kind] = previous && changed && !changed.has(kind) ? previous[kind] : buildKind(kind, settings, data, ctx, assets);
  return out;
}

/** Static and animated layers interleaved per kind, in drawing order. */
export function composeScene(settings: MapLayers, data: SceneData, ctx: LayerContext, stat: StaticLayers, clock: AnimationClock): Layer[] {
  const out: Layer[] = [];
  for (const kind of MAP_LAYER_KINDS) {
    for (const l of stat[kind]) out.push(l);
    for (const l of animateKind(kind, settings, data, ctx, clock)) out.push(l);
  }
  return out;
}

/** Whether any visible layer moves (so the map needs animation frames). */
export function needsAnimation(settings: MapLayers, data: SceneData, ctx: Pick<LayerContext, 'zoom'>): boolean {
  return (
    (settings.cases.visible && !clustered(settings.cases, ctx) && (data.cases?.pulse.length ?? 0) > 0) ||
    (settings.alarms.visible && (data.alarms?.raised.length ?? 0) > 0) ||
    (settings.sensors.visible && (data.sensors?.store.alarmIndex.length ?? 0) > 0) ||
    (settings.forces.visible && settings.forces.trails && (data.forces?.trails.length ?? 0) > 0)
  );
}

/** What a picked object opens, by the layer it belongs to. */
export function pickTarget(info: Pick<PickingInfo, 'layer' | 'index' | 'object' | 'coordinate'>, data: SceneData): PickTarget | null {
  const id = info.layer?.id;
  const i = info.index;
  if (!id || i < 0) return null;
  switch (id) {
    case 'cases-icons':
      return data.cases ? { kind: 'case', id: data.cases.ids[i]! } : null;
    case 'cases-clusters': {
      const c = data.cases && info.coordinate ? info.coordinate : null;
      return c ? { kind: 'cluster', lon: c[0]!, lat: c[1]! } : null;
    }
    case 'cameras-dots':
      return data.cameras ? { kind: 'camera', id: data.cameras.ids[i]! } : null;
    case 'sensors-dots':
      return data.sensors ? { kind: 'sensor', id: data.sensors.store.ids[i]! } : null;
    case 'forces-dots':
      return data.forces ? { kind: 'staff', index: i } : null;
    case 'alarms-dots': {
      const a = data.alarms ? alarmAt(data.alarms, i) : null;
      return a ? { kind: 'alarm', id: a.id } : null;
    }
    case 'arcs': {
      const arc = info.object as DispatchArc | null;
      return arc ? { kind: 'case', id: arc.caseId } : null;
    }
    case 'warnings': {
      const p = (info.object as { properties?: WarningProperties } | null)?.properties;
      return p ? { kind: 'warning', id: p.warningId } : null;
    }
    case 'grids':
      return data.grids ? { kind: 'area', id: data.grids.features.features[i]!.id } : null;
    case 'areas-children':
      return data.drill ? { kind: 'area', id: data.drill.children.features[i]!.id } : null;
    default:
      return null;
  }
}

export type { AlarmData } from './alarms';
export type { CameraData } from './cameras';
export type { CaseData } from './cases';
export type { ForceData } from './forces';
export type { GridData } from './grids';
export type { HeatData } from './heat';
export type { DrillData, AreaGeometries } from './areas';
export { SensorStore } from './sensors';
export type { AnimationClock, LayerContext, PickTarget, TooltipContent } from './types';
