/**
 * maplibre (basemap + area overlay, style.ts) with the deck.gl layers interleaved into it
 * (MapboxOverlay). The scene's layers are pushed with setProps — from React when the scene
 * changes, from a timer for the few animated layers (no React render per frame).
 *
 * Signals on its element, for the wall's readiness and the tests:
 * - data-map-ready="1" once the first frame with every layer's data has been drawn;
 * - data-drawn-key: the `frameKey` of the last scene drawn and settled (maplibre idle);
 * - data-view="lon,lat,zoom" after every move, data-moving="1" while moving;
 * - data-basemap: 'bundled' or the tile set's name; data-basemap-loaded="1" once its tiles drew.
 */
import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { Map as MapLibre, type GeoJSONSource, type MapSourceDataEvent } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import type { BasemapSource } from '../../../shared/domain/map';
import type { BBox } from '../../../shared/geo';
import type { Locale } from '../../../shared/i18n';
import type { AnimationClock, TooltipContent } from './layers';
import {
  BASEMAP_LAYER_PREFIX,
  BASEMAP_SOURCE,
  basemapParts,
  buildStyle,
  LABEL_LAYER_IDS,
  labelPoints,
  MAP_LAYER_IDS,
  OVERLAY_LAYER_IDS,
  overlayParts,
  type AreaLayersInput,
} from './style';

/** While the first data is still arriving, draw what there is after this long. */
const PARTIAL_FRAME_AFTER_MS = 6_000;

export const MAP_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

/** The scene: how to compose the layers for an animation clock, and whether it moves. */
export interface Scene {
  compose(clock: AnimationClock): Layer[];
  animated: boolean;
  /** The trail clock at an instant (seconds after the trail window's start). */
  trailSecondsAt(now: number): number;
}

export interface CameraRequest {
  seq: number;
  bbox?: BBox | null;
  centre?: [number, number] | null;
  zoom?: number | null;
}

export interface MapViewState {
  centre: [number, number];
  zoom: number;
  bounds: BBox;
}

export interface MapViewProps {
  areas: AreaLayersInput;
  locale: Locale;
  englishNames: ReadonlyMap<string, string>;
  labelSizePx: number;
  lineScale: number;
  basemap: BasemapSource | null;
  labelsVisible: boolean;
  areasOpacity: number;
  scene: Scene;
  /** Changes whenever what is drawn changes (data, time, filters). */
  frameKey: string;
  /** Changes the user made (area, time): drawn at once, whatever the frame budget. */
  urgentKey?: string;
  /** Every layer's first data is there: the next frame counts as the first complete one. */
  dataComplete: boolean;
  initialBounds: BBox | null;
  /** Start here instead (wins over initialBounds). */
  initialView?: { centre: [number, number]; zoom: number };
  camera: CameraRequest | null;
  paddingPx: number;
  /** Animation frames per second of the pulsing layers (0: none). */
  animationFps?: number;
  getTooltip?(info: PickingInfo): TooltipContent | null;
  onPick?(info: PickingInfo): void;
  onView?(view: MapViewState): void;
  onBasemapFailed?(url: string): void;
  onReady?(): void;
  /** The first complete frame was drawn (performance.now() of that moment). */
  onFirstFrame?(at: number): void;
  /** The live map, for benchmarks. */
  onMap?(map: MapLibre, overlay: MapboxOverlay): void;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function tooltipHtml(t: TooltipContent): string {
  return `<div class="map-tip-title">${escapeHtml(t.title)}</div>${t.lines.map((l) => `<div class="map-tip-line">${escapeHtml(l)}</div>`).join('')}`;
}

function viewOf(map: MapLibre): MapViewState {
  const c = map.getCenter();
  const b = map.getBounds();
  return { centre: [c.lng, c.lat], zoom: map.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
}

export function MapView(props: MapViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const propsRef = useRef(props);
  const [loaded, setLoaded] = useState(false);
  const [ready, setReady] = useState(false);
  const [drawnKey, setDrawnKey] = useState('');
  const [view, setView] = useState('');
  const [moving, setMoving] = useState(false);
  const [basemapLoaded, setBasemapLoaded] = useState(false);
  const pendingKey = useRef<string | null>(null);
  const awaitingFirst = useRef(false);
  const t0 = useRef(performance.now());

  useEffect(() => {
    propsRef.current = props;
  });

  const clockNow = (): AnimationClock => ({ seconds: (performance.now() - t0.current) / 1000, trailSeconds: propsRef.current.scene.trailSecondsAt(Date.now()) });

  // Create the map once; later changes go through setData/setProps/addLayer below.
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const p = propsRef.current;
    const bounds = p.initialBounds;
    const map = new MapLibre({
      container: el,
      style: buildStyle({ ...p.areas, locale: p.locale, englishNames: p.englishNames, labelSizePx: p.labelSizePx, lineScale: p.lineScale, basemap: p.basemap }),
      ...(p.initialView
        ? { center: p.initialView.centre, zoom: p.initialView.zoom }
        : bounds
          ? { bounds: [bounds[0], bounds[1], bounds[2], bounds[3]] as [number, number, number, number] }
          : { center: [120.16, 30.27] as [number, number], zoom: 9 }),
      fitBoundsOptions: { padding: p.paddingPx },
      attributionControl: false,
      localIdeographFontFamily: MAP_FONT_FAMILY,
      fadeDuration: 0,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
      maxZoom: 19,
      canvasContextAttributes: { antialias: true },
    });
    map.touchZoomRotate.disableRotation();
    const overlay = new MapboxOverlay({
      interleaved: true,
      layers: p.scene.compose(clockNow()),
      getTooltip: (info) => {
        const t = propsRef.current.getTooltip?.(info) ?? null;
        return t ? { html: tooltipHtml(t), className: 'map-tip' } : null;
      },
      onAfterRender: () => {
        if (awaitingFirst.current && map.loaded()) {
          awaitingFirst.current = false;
          // The first complete frame: every layer's data and every basemap source drawn.
          propsRef.current.onFirstFrame?.(performance.now());
          map.once('idle', () => setReady(true));
        }
        const key = pendingKey.current;
        if (key !== null) {
          pendingKey.current = null;
          map.once('idle', () => setDrawnKey(key));
        }
      },
    });
    map.addControl(overlay);
    // Clicks are picked here, on maplibre's own click (deck.gl's event path in interleaved mode
    // relies on the pointer-down pick, which a slow frame can leave stale).
    map.on('click', (e) => {
      const info = overlay.pickObject({ x: e.point.x, y: e.point.y, radius: 3 });
      if (info) propsRef.current.onPick?.(info);
    });
    map.on('load', () => setLoaded(true));
    map.on('movestart', () => setMoving(true));
    map.on('moveend', () => {
      setMoving(false);
      const v = viewOf(map);
      setView(`${v.centre[0].toFixed(6)},${v.centre[1].toFixed(6)},${v.zoom.toFixed(4)}`);
      propsRef.current.onView?.(v);
    });
    mapRef.current = map;
    overlayRef.current = overlay;
    propsRef.current.onMap?.(map, overlay);
    const v = viewOf(map);
    setView(`${v.centre[0].toFixed(6)},${v.centre[1].toFixed(6)},${v.zoom.toFixed(4)}`);
    propsRef.current.onView?.(v);
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
    // The map is created once; clockNow only reads refs.
  }, []);

  // The scene: pushed to deck.gl now or soon, and every animation frame while something moves.
  // Frames adapt to what the machine can draw (a wall on software GL takes seconds per frame at
  // 3840×1080): after a push, the next data-driven push or animation frame waits for a multiple
  // of the last frame's cost, so the page keeps most of its time for input and events. Changes
  // the user makes (`urgentKey`: area, time) are pushed at once.
  const { scene, frameKey, urgentKey = '', dataComplete, animationFps = 8 } = props;
  const lastPush = useRef(0);
  const frameCost = useRef(16);
  const lastUrgent = useRef<string | null>(null);
  useEffect(() => {
    const overlay = overlayRef.current;
    const map = mapRef.current;
    if (!overlay || !map || !loaded) return undefined;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const push = (): void => {
      const started = performance.now();
      lastPush.current = started;
      overlay.setProps({ layers: scene.compose(clockNow()) });
      map.triggerRepaint();
      // The frame's cost: until the task that draws it is over (software GL rasterises after
      // 'render', in the same task), measured from the next task.
      map.once('render', () =>
        setTimeout(() => {
          frameCost.current = 0.5 * frameCost.current + 0.5 * (performance.now() - started);
          if (stopped || !scene.animated || animationFps <= 0) return;
          timer = setTimeout(push, Math.max(1000 / animationFps, frameCost.current * 4));
        }, 0),
      );
    };
    if (!ready && dataComplete) awaitingFirst.current = true;
    pendingKey.current = frameKey;
    const urgent = lastUrgent.current !== urgentKey;
    lastUrgent.current = urgentKey;
    // Before the first complete frame: no partial frames while data is still arriving (each one
    // is seconds of software GL), unless it takes long.
    const wait = !ready ? (dataComplete ? 0 : PARTIAL_FRAME_AFTER_MS) : urgent ? 0 : Math.max(0, lastPush.current + frameCost.current * 3 - performance.now());
    if (wait === 0) push();
    else timer = setTimeout(push, wait);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
    // clockNow only reads refs.
  }, [scene, frameKey, urgentKey, dataComplete, loaded, ready, animationFps]);

  // Area boundaries and names follow refreshes, the language and the screen size.
  const { areas, locale, englishNames, labelSizePx, lineScale, labelsVisible, areasOpacity } = props;
  const applied = useRef({ areas, locale, englishNames, labelSizePx, lineScale });
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const prev = applied.current;
    const setData = (id: string, data: FeatureCollection): void => {
      (map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
    };
    if (prev.areas.districts !== areas.districts) setData('districts', areas.districts as unknown as FeatureCollection);
    if (prev.areas.towns !== areas.towns) setData('towns', areas.towns as unknown as FeatureCollection);
    if (prev.areas.communities !== areas.communities) setData('communities', areas.communities as unknown as FeatureCollection);
    const namesChanged = prev.locale !== locale || prev.englishNames !== englishNames;
    if (namesChanged || prev.areas.districts !== areas.districts) setData('district-labels', labelPoints(areas.districts, locale, englishNames));
    if (namesChanged || prev.areas.towns !== areas.towns) setData('town-labels', labelPoints(areas.towns, locale, englishNames));
    if (namesChanged || prev.areas.communities !== areas.communities) setData('community-labels', labelPoints(areas.communities, locale, englishNames));
    if (prev.labelSizePx !== labelSizePx || prev.lineScale !== lineScale) {
      const restyled = overlayParts({ ...areas, locale, labelSizePx, lineScale });
      for (const layer of restyled.layers) {
        if (!map.getLayer(layer.id)) continue;
        if ('paint' in layer && layer.paint) for (const [prop, value] of Object.entries(layer.paint)) map.setPaintProperty(layer.id, prop, value);
        if ('layout' in layer && layer.layout && 'text-size' in layer.layout) map.setLayoutProperty(layer.id, 'text-size', layer.layout['text-size']);
      }
    }
    applied.current = { areas, locale, englishNames, labelSizePx, lineScale };
  }, [areas, locale, englishNames, labelSizePx, lineScale, loaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const id of LABEL_LAYER_IDS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', labelsVisible ? 'visible' : 'none');
    for (const id of OVERLAY_LAYER_IDS) {
      if (LABEL_LAYER_IDS.includes(id) || !map.getLayer(id)) continue;
      map.setPaintProperty(id, 'line-opacity', areasOpacity);
    }
  }, [labelsVisible, areasOpacity, loaded]);

  // The basemap: swapped under the overlay without rebuilding the style (overlays stay).
  const { basemap } = props;
  const appliedBasemap = useRef(basemap);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return undefined;
    if (appliedBasemap.current !== basemap) {
      for (const layer of [...map.getStyle().layers]) {
        if (layer.id.startsWith(BASEMAP_LAYER_PREFIX) || layer.id === MAP_LAYER_IDS.districtFill) map.removeLayer(layer.id);
      }
      if (map.getSource(BASEMAP_SOURCE)) map.removeSource(BASEMAP_SOURCE);
      const parts = basemapParts(basemap);
      for (const [id, src] of Object.entries(parts.sources)) map.addSource(id, src);
      for (const layer of parts.layers) map.addLayer(layer, OVERLAY_LAYER_IDS[0]);
      appliedBasemap.current = basemap;
    }
    setBasemapLoaded(basemap === null);
    if (!basemap) return undefined;
    let ok = false;
    let failures = 0;
    const onData = (e: MapSourceDataEvent): void => {
      if (e.sourceId !== BASEMAP_SOURCE || e.dataType !== 'source' || !e.tile) return;
      ok = true;
      // A tile arrived: the next frame draws it.
      map.once('render', () => setBasemapLoaded(true));
      map.triggerRepaint();
    };
    const onError = (e: { sourceId?: string; error?: { message?: string } }): void => {
      if (e.sourceId !== BASEMAP_SOURCE || ok) return;
      failures++;
      if (failures === 4) propsRef.current.onBasemapFailed?.(basemap.tiles[0] ?? '');
    };
    map.on('sourcedata', onData);
    map.on('error', onError);
    return () => {
      map.off('sourcedata', onData);
      map.off('error', onError);
    };
  }, [basemap, loaded]);

  // Camera requests (drill-down, search, saved views, fly-to from the console).
  const { camera, paddingPx } = props;
  const lastCamera = useRef(0);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !camera || camera.seq === lastCamera.current) return;
    lastCamera.current = camera.seq;
    if (camera.bbox) map.fitBounds([camera.bbox[0], camera.bbox[1], camera.bbox[2], camera.bbox[3]], { padding: paddingPx, duration: 900, maxZoom: 17.5 });
    else if (camera.centre) map.flyTo({ center: camera.centre, zoom: camera.zoom ?? map.getZoom(), duration: 900 });
  }, [camera, loaded, paddingPx]);

  useEffect(() => {
    if (ready) propsRef.current.onReady?.();
  }, [ready]);

  return (
    <div
      ref={box}
      className="map-view"
      data-testid="map"
      data-map-ready={ready ? '1' : '0'}
      data-drawn-key={drawnKey}
      data-view={view}
      data-moving={moving ? '1' : '0'}
      data-basemap={basemap ? basemap.name : 'bundled'}
      data-basemap-loaded={basemapLoaded ? '1' : '0'}
    />
  );
}
