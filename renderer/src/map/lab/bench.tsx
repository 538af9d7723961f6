/**
 * The map benchmark page (bench/map.bench.ts drives it in headless Chromium): the district-scale
 * scene, generated in the page, drawn either by the app's own map (MapView + the layer registry,
 * ?variant=deck) or by maplibre-gl alone with GeoJSON sources and fill/circle/line/heatmap
 * layers (?variant=maplibre), on the same bundled basemap. The page exposes window.__mapBench.
 */
import { StrictMode, useMemo, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { Map as MapLibre, type GeoJSONSource } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { FeatureCollection, Polygon } from 'geojson';
import { DEFAULT_MAP_LAYERS, type MapLayers } from '../../../../shared/domain/map';
import { buildStatic, composeScene, EMPTY_SCENE, type LayerContext, type SceneData, type StaticLayers } from '../layers';
import { prepareCameras } from '../layers/cameras';
import { CAMERA_STATUS_COLOURS, HEAT_RANGE, RISK_HEX, rgbaCss, SENSOR_STATUS_COLOURS, STAFF_ROLE_COLOURS } from '../layers/colours';
import { prepareForces } from '../layers/forces';
import { prepareGrids } from '../layers/grids';
import { prepareHeat } from '../layers/heat';
import { SensorStore } from '../layers/sensors';
import { MAP_FONT_FAMILY, MapView, type Scene } from '../MapView';
import { BEFORE_FILLS, BEFORE_POINTS, buildStyle } from '../style';
import { BENCH_BOX, benchData, readingsBatch, type BenchData } from './synthetic';
import 'maplibre-gl/dist/maplibre-gl.css';

export interface MapBenchApi {
  variant: 'deck' | 'maplibre';
  counts: Record<string, number>;
  /** Milliseconds from navigation start to the first complete frame. */
  firstFrameMs: Promise<number>;
  /** Of which generating the synthetic data in the page took this long (not part of the app's load). */
  dataMs: number;
  /** When the page's script started and the map's style loaded, ms after navigation start. */
  marks: Record<string, number>;
  /** Mean time of n forced frames (each synchronised with the GPU), ms. */
  frames(n: number): Promise<number>;
  /** Apply `rounds` batches of new values for every sensor; per batch: JS time and time until drawn, ms. */
  updateSensors(rounds: number): Promise<{ jsMs: number[]; drawnMs: number[] }>;
}

declare global {
  interface Window {
    __mapBench?: MapBenchApi;
  }
}

const marks: Record<string, number> = { script: performance.now() };
const variant = new URLSearchParams(location.search).get('variant') === 'maplibre' ? 'maplibre' : 'deck';
const ZOOM = 11.9;
const CENTRE: [number, number] = [(BENCH_BOX[0] + BENCH_BOX[2]) / 2, (BENCH_BOX[1] + BENCH_BOX[3]) / 2];
const EMPTY_FC = { type: 'FeatureCollection' as const, features: [] };

let resolveFirst: (ms: number) => void = () => undefined;
const firstFrameMs = new Promise<number>((r) => {
  resolveFirst = r;
});

function forcedFrame(map: MapLibre): Promise<void> {
  const gl = map.getCanvas().getContext('webgl2');
  const px = new Uint8Array(4);
  return new Promise((res) => {
    map.once('render', () => {
      gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      res();
    });
    map.triggerRepaint();
  });
}

async function frames(map: MapLibre, n: number): Promise<number> {
  await forcedFrame(map);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await forcedFrame(map);
  return (performance.now() - t0) / n;
}

const countsOf = (d: BenchData): Record<string, number> => ({
  grids: d.grids.features.length,
  cameras: d.cameras.length,
  sensors: d.sensors.length,
  cases: d.heat.lon.length,
  staff: d.trails.ids.length,
});

/**
 * window.__mapBench for a map showing `data`: `apply` hands one batch of sensor readings to the
 * map (the JS time), `drawn` resolves once the map has drawn it.
 */
function benchApi(variant: MapBenchApi['variant'], data: BenchData, map: MapLibre, apply: (batch: ReturnType<typeof readingsBatch>) => void, drawn: () => Promise<void>): MapBenchApi {
  return {
    variant,
    counts: countsOf(data),
    firstFrameMs,
    dataMs,
    marks,
    frames: (n) => frames(map, n),
    async updateSensors(rounds) {
      const jsMs: number[] = [];
      const drawnMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const batch = readingsBatch(data.sensors, r);
        const t0 = performance.now();
        apply(batch);
        const t1 = performance.now();
        await drawn();
        jsMs.push(t1 - t0);
        drawnMs.push(performance.now() - t0);
      }
      return { jsMs, drawnMs };
    },
  };
}

// ------------------------------------------------------------------------------------ deck.gl

let dataMs = 0;
function timedData(): BenchData {
  const t0 = performance.now();
  const d = benchData();
  dataMs = performance.now() - t0;
  return d;
}

function DeckBench() {
  const data = useMemo(timedData, []);
  const layers = useMemo<MapLayers>(
    () => ({ ...DEFAULT_MAP_LAYERS, heat: { ...DEFAULT_MAP_LAYERS.heat, visible: true, mode: 'heat' }, cases: { ...DEFAULT_MAP_LAYERS.cases, visible: false } }),
    [],
  );
  // Zoom of the layers' own rules: every device dot drawn, no case clusters (as when zoomed into the district).
  const ctx = useMemo<LayerContext>(() => ({ zoom: 13, scale: 1, beforeFills: BEFORE_FILLS, beforePoints: BEFORE_POINTS, selectedAreaId: null, selectedLevel: 'city', highlight: null }), []);
  const sceneRef = useRef<{ data: SceneData; stat: StaticLayers } | null>(null);
  const built = useMemo(() => {
    const store = new SensorStore(data.sensors, {});
    const scene: SceneData = {
      ...EMPTY_SCENE,
      grids: prepareGrids(data.grids, null, 1),
      heat: prepareHeat(data.heat),
      cameras: prepareCameras(data.cameras, { statuses: [], kinds: [] }),
      sensors: { store, mask: null, version: store.version },
      forces: prepareForces(data.trails, { roles: [] }),
    };
    const stat = buildStatic(layers, scene, ctx, { iconAtlas: '', fontFamily: MAP_FONT_FAMILY });
    sceneRef.current = { data: scene, stat };
    return { store, scene, stat };
  }, [data, layers, ctx]);
  const scene = useMemo<Scene>(
    () => ({ compose: (clock) => composeScene(layers, sceneRef.current!.data, ctx, sceneRef.current!.stat, clock), animated: false, trailSecondsAt: () => 3600 }),
    [layers, ctx],
  );
  const areas = useMemo(() => ({ districts: data.district, towns: EMPTY_FC, communities: EMPTY_FC }), [data]);
  const names = useMemo(() => new Map<string, string>(), []);
  const onMap = (map: MapLibre, overlay: MapboxOverlay): void => {
    marks.mapCreated = performance.now();
    map.once('load', () => {
      marks.styleLoaded = performance.now();
    });
    window.__mapBench = benchApi(
      'deck',
      data,
      map,
      (batch) => {
        // The app's update path: values into the store, the sensor kind rebuilt, the scene pushed.
        built.store.apply(batch);
        const cur = sceneRef.current!;
        const next: SceneData = { ...cur.data, sensors: { store: built.store, mask: null, version: built.store.version } };
        const stat = buildStatic(layers, next, ctx, { iconAtlas: '', fontFamily: MAP_FONT_FAMILY }, cur.stat, new Set(['sensors']));
        sceneRef.current = { data: next, stat };
        overlay.setProps({ layers: composeScene(layers, next, ctx, stat, { seconds: 0, trailSeconds: 3600 }) });
      },
      () => forcedFrame(map),
    );
  };
  return (
    <div style={{ position: 'fixed', inset: 0 }} className="bench-frame">
      <MapView
        areas={areas}
        locale="zh-CN"
        englishNames={names}
        labelSizePx={22}
        lineScale={1}
        basemap={null}
        labelsVisible
        areasOpacity={1}
        scene={scene}
        frameKey="bench"
        dataComplete
        initialBounds={null}
        initialView={{ centre: CENTRE, zoom: ZOOM }}
        camera={null}
        paddingPx={0}
        animationFps={0}
        onMap={onMap}
        onFirstFrame={resolveFirst}
      />
    </div>
  );
}

// ------------------------------------------------------------------------------------ maplibre-gl alone

function riskExpr(): unknown[] {
  const e: unknown[] = ['match', ['get', 'r']];
  RISK_HEX.forEach((hex, i) => e.push(i, hex));
  e.push(RISK_HEX[0]);
  return e;
}

function sensorColour(status: 'normal' | 'warning' | 'alarm' | 'offline', v: number): string {
  if (status !== 'normal') return rgbaCss(SENSOR_STATUS_COLOURS[status]);
  const f = Math.max(0, Math.min(1, v / 10));
  return `rgb(${Math.round(40 + f * 170)}, ${Math.round(200 + f * 20)}, ${Math.round(160 - f * 120)})`;
}

function maplibreBench(): void {
  const data = timedData();
  const el = document.getElementById('root')!;
  el.style.cssText = 'position:fixed;inset:0';
  const style = buildStyle({ districts: data.district, towns: EMPTY_FC, communities: EMPTY_FC, locale: 'zh-CN', labelSizePx: 22 });
  const map = new MapLibre({ container: el, style, center: CENTRE, zoom: ZOOM, attributionControl: false, fadeDuration: 0, localIdeographFontFamily: MAP_FONT_FAMILY, canvasContextAttributes: { antialias: true } });
  const sensorsFc = (values: readonly number[] | null, status: ReadonlyArray<'normal' | 'warning' | 'alarm' | 'offline'> | null): FeatureCollection => ({
    type: 'FeatureCollection',
    features: data.sensors.map((s, i) => ({
      type: 'Feature',
      properties: { c: sensorColour(status?.[i] ?? s.status, values?.[i] ?? s.lastValue ?? 0) },
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    })),
  });
  marks.mapCreated = performance.now();
  map.on('load', () => {
    marks.styleLoaded = performance.now();
    const before = BEFORE_FILLS;
    map.addSource('grids', { type: 'geojson', data: { type: 'FeatureCollection', features: data.grids.features.map((f) => ({ type: 'Feature', properties: { r: f.properties.riskLevel }, geometry: f.geometry as unknown as Polygon })) } });
    map.addLayer({ id: 'grids', type: 'fill', source: 'grids', paint: { 'fill-color': riskExpr() as never, 'fill-opacity': 0.5 } }, before);
    map.addSource('heat', { type: 'geojson', data: { type: 'FeatureCollection', features: data.heat.lon.map((lon, i) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, data.heat.lat[i]!] } })) } });
    const ramp: unknown[] = ['interpolate', ['linear'], ['heatmap-density']];
    HEAT_RANGE.forEach((c, i) => ramp.push(i / (HEAT_RANGE.length - 1), rgbaCss(c)));
    map.addLayer({ id: 'heat', type: 'heatmap', source: 'heat', paint: { 'heatmap-radius': 30, 'heatmap-intensity': 0.04, 'heatmap-color': ramp as never, 'heatmap-opacity': 0.8 } }, before);
    map.addSource('cameras', { type: 'geojson', data: { type: 'FeatureCollection', features: data.cameras.map((c) => ({ type: 'Feature', properties: { c: rgbaCss(CAMERA_STATUS_COLOURS[c.status]) }, geometry: { type: 'Point', coordinates: [c.lon, c.lat] } })) } });
    map.addLayer({ id: 'cameras', type: 'circle', source: 'cameras', paint: { 'circle-radius': 3, 'circle-color': ['get', 'c'], 'circle-stroke-width': 1, 'circle-stroke-color': '#020a18' } }, BEFORE_POINTS);
    map.addSource('sensors', { type: 'geojson', data: sensorsFc(null, null) });
    map.addLayer({ id: 'sensors', type: 'circle', source: 'sensors', paint: { 'circle-radius': 3.6, 'circle-color': ['get', 'c'], 'circle-stroke-width': 1, 'circle-stroke-color': '#020a18' } }, BEFORE_POINTS);
    const t = data.trails;
    const end = (k: number): number => (k + 1 < t.starts.length ? t.starts[k + 1]! : t.lon.length);
    map.addSource('trails', {
      type: 'geojson',
      data: {
        type: 'FeatureCollection',
        features: t.ids.map((_, k) => ({
          type: 'Feature',
          properties: { c: rgbaCss(STAFF_ROLE_COLOURS[t.roles[k]!]) },
          geometry: { type: 'LineString', coordinates: Array.from({ length: end(k) - t.starts[k]! }, (_x, p) => [t.lon[t.starts[k]! + p]!, t.lat[t.starts[k]! + p]!]) },
        })),
      },
    });
    map.addLayer({ id: 'trails', type: 'line', source: 'trails', paint: { 'line-color': ['get', 'c'], 'line-width': 2.4, 'line-opacity': 0.9 } }, BEFORE_POINTS);
    map.addSource('staff', { type: 'geojson', data: { type: 'FeatureCollection', features: t.ids.map((_, k) => ({ type: 'Feature', properties: { c: rgbaCss(STAFF_ROLE_COLOURS[t.roles[k]!]) }, geometry: { type: 'Point', coordinates: [t.lon[end(k) - 1]!, t.lat[end(k) - 1]!] } })) } });
    map.addLayer({ id: 'staff', type: 'circle', source: 'staff', paint: { 'circle-radius': 4, 'circle-color': ['get', 'c'], 'circle-stroke-width': 1.2, 'circle-stroke-color': '#ffffff' } }, BEFORE_POINTS);
    // The first complete frame: the first one drawn once every source is loaded.
    const onRender = (): void => {
      if (!map.loaded()) return;
      map.off('render', onRender);
      resolveFirst(performance.now());
    };
    map.on('render', onRender);
  });
  window.__mapBench = benchApi(
    'maplibre',
    data,
    map,
    (batch) => {
      (map.getSource('sensors') as GeoJSONSource).setData(sensorsFc(batch.values, batch.status));
    },
    // Drawn: the source re-tiled in the worker and the map idle again.
    () => new Promise<void>((res) => map.once('idle', () => res())),
  );
}

if (variant === 'deck') {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <DeckBench />
    </StrictMode>,
  );
} else {
  maplibreBench();
}
