/**
 * The situation map (一屏观天下) as the wall shows it: the shared map state (layers, time, area)
 * drawn through the layer registry over the basemap, with drill-down and breadcrumbs, the time
 * control, the search box, tooltips and cards on click, the compact legend and saved-view
 * rotation. Readiness and what is drawn are signalled as data attributes (see MapView).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import type { DispatchArc, SearchHit } from '../../../shared/api/map';
import { MAP_LAYER_KINDS, type BasemapStatus, type MapLayers, type MapState, type SavedView } from '../../../shared/domain/map';
import { classLabel, translate, type Locale } from '../../../shared/i18n';
import { useApi, useEvent, useOnReconnect } from '../api/ApiContext';
import { useApiQuery } from '../api/useApiQuery';
import { useReference } from '../data/reference';
import { SensorCard } from '../monitoring';
import { digest, useSceneData } from './data/useSceneData';
import { Breadcrumbs } from './controls/Breadcrumbs';
import { Legend } from './controls/Legend';
import { ObjectCard, type CardTarget } from './controls/ObjectCard';
import { SearchBox } from './controls/SearchBox';
import { TimeControl } from './controls/TimeControl';
import { mapT } from './i18n';
import { buildStatic, composeScene, needsAnimation, pickTarget, type LayerContext, type TooltipContent } from './layers';
import { describeAlarm } from './layers/alarms';
import { describeArc } from './layers/arcs';
import { describeCamera } from './layers/cameras';
import { caseClusters, describeCase } from './layers/cases';
import { CASE_MARKER_ORDER } from './layers/colours';
import { describeForce } from './layers/forces';
import { describeGrid } from './layers/grids';
import { drawIconAtlas } from './layers/icons';
import { describeSensor } from './layers/sensors';
import { describeWarning, type WarningProperties } from './layers/warnings';
import { MAP_FONT_FAMILY, MapView, type CameraRequest, type MapViewState, type Scene } from './MapView';
import { breadcrumbs, type AreaNode } from './state/navigation';
import type { MapStateHandle } from './state/useMapState';
import { BEFORE_FILLS, BEFORE_POINTS, boundsOf, usableBasemap } from './style';
import './map.css';

const FloatingVideo = lazy(() => import('../video/FloatingVideo').then((m) => ({ default: m.FloatingVideo })));

export interface SituationMapProps {
  mapState: MapStateHandle;
  locale: Locale;
  /** Layout unit of the wall (px), as the CSS --u. */
  unit: number;
  cityName: string;
  onReady?(): void;
  /** The drilled-down area changed (null: the city). */
  onSelection?(area: AreaNode | null): void;
}

/** Layout unit (px) of a 1080-pixel-high screen. */
const BASE_UNIT = 10.8;
const quarter = (z: number): number => Math.floor(z * 4) / 4;

function useBasemap(): BasemapStatus | null {
  const api = useApi();
  const [status, setStatus] = useState<BasemapStatus | null>(null);
  const load = useCallback(() => {
    void api.call('map.basemap.get', {}).then((r) => r.ok && setStatus(r.value));
  }, [api]);
  useEffect(load, [load]);
  useOnReconnect(load);
  useEvent('map.basemap', setStatus);
  return status;
}

function useIconAtlas(): string | null {
  const [atlas, setAtlas] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const draw = (): void => {
      if (live) setAtlas(drawIconAtlas(MAP_FONT_FAMILY));
    };
    // The glyphs come from the local CJK font: wait until it is loaded (it is on disk; no request).
    document.fonts.load(`700 32px ${MAP_FONT_FAMILY}`, '容广工序突设交绿房治安案').then(draw, draw);
    return () => {
      live = false;
    };
  }, []);
  return atlas;
}

export function SituationMap({ mapState, locale, unit, cityName, onReady, onSelection }: SituationMapProps) {
  const api = useApi();
  const t = useMemo(() => mapT(locale), [locale]);
  const shared = mapState.env?.state ?? null;

  // --- saved-view rotation: the wall applies each view locally on top of the shared state
  const views = useApiQuery('map.views.list', {}, { refreshOn: ['map.views'] });
  const [rotationView, setRotationView] = useState<SavedView | null>(null);
  const rotation = shared?.rotation;
  useEffect(() => {
    if (!rotation?.enabled || !views.data || views.data.length === 0) {
      setRotationView(null);
      return undefined;
    }
    const list = rotation.viewIds.length > 0 ? views.data.filter((v) => rotation.viewIds.includes(v.id)) : views.data;
    if (list.length === 0) return undefined;
    let i = 0;
    setRotationView(list[0]!);
    const timer = setInterval(() => {
      i = (i + 1) % list.length;
      setRotationView(list[i]!);
    }, rotation.intervalS * 1000);
    return () => clearInterval(timer);
  }, [rotation, views.data]);
  const state = useMemo<MapState | null>(() => (shared && rotationView ? { ...shared, layers: rotationView.layers, areaId: rotationView.areaId } : shared), [shared, rotationView]);

  const [zoom, setZoom] = useState(10);
  const scene = useSceneData(state, zoom);
  const basemapStatus = useBasemap();
  const [tilesFailed, setTilesFailed] = useState<string | null>(null);
  useEffect(() => setTilesFailed(null), [basemapStatus]);
  const basemap = tilesFailed ? null : usableBasemap(basemapStatus);
  const basemapMessage = basemapStatus && !basemapStatus.ok ? t('basemap.fallback', { message: basemapStatus.message ?? '' }) : tilesFailed ? t('basemap.tilesFailed', { url: tilesFailed }) : null;

  const [view, setView] = useState<MapViewState | null>(null);
  const onView = useCallback((v: MapViewState) => {
    setView(v);
    setZoom(quarter(v.zoom));
  }, []);

  const scale = unit / BASE_UNIT;
  const areaId = state?.areaId ?? null;
  const selectedLevel = (areaId ? scene.index.get(areaId)?.level : undefined) ?? 'city';
  const ctx = useMemo<LayerContext>(
    () => ({ zoom, scale, beforeFills: BEFORE_FILLS, beforePoints: BEFORE_POINTS, selectedAreaId: areaId, selectedLevel, highlight: null }),
    [zoom, scale, areaId, selectedLevel],
  );
  const atlas = useIconAtlas();
  const assets = useMemo(() => ({ iconAtlas: atlas ?? '', fontFamily: MAP_FONT_FAMILY }), [atlas]);
  const layers: MapLayers | null = state?.layers ?? null;

  const staticLayers = useMemo(() => (layers && atlas ? buildStatic(layers, scene.data, ctx, assets) : null), [layers, scene.data, ctx, assets, atlas]);
  const trailSecondsAt = scene.trailSecondsAt;
  const sceneObj = useMemo<Scene>(() => {
    if (!layers || !staticLayers) return { compose: () => [], animated: false, trailSecondsAt };
    return { compose: (clock) => composeScene(layers, scene.data, ctx, staticLayers, clock), animated: needsAnimation(layers, scene.data, ctx), trailSecondsAt };
  }, [layers, staticLayers, scene.data, ctx, trailSecondsAt]);

  // --- selection, breadcrumbs, camera
  const chain = useMemo(() => breadcrumbs(scene.index, areaId), [scene.index, areaId]);
  const selectedNode = chain.length > 0 ? chain[chain.length - 1]! : null;
  useEffect(() => {
    onSelection?.(selectedNode);
  }, [selectedNode, onSelection]);
  const cityBounds = useMemo(() => (scene.geometry ? boundsOf(scene.geometry.district) : null), [scene.geometry]);
  const startBounds = useMemo(() => (scene.geometry ? boundsOf(scene.geometry.town) : null), [scene.geometry]);
  const [camera, setCamera] = useState<CameraRequest | null>(null);
  const seq = useRef(0);
  const fly = useCallback((req: Omit<CameraRequest, 'seq'>) => setCamera({ ...req, seq: ++seq.current }), []);
  const flownArea = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!scene.geometry) return;
    if (flownArea.current === undefined) {
      // The first view: the selected area, else the subdivided towns (where grids and cases are).
      flownArea.current = areaId;
      if (areaId && selectedNode) fly({ bbox: selectedNode.bbox });
      return;
    }
    if (flownArea.current === areaId) return;
    flownArea.current = areaId;
    if (selectedNode) fly({ bbox: selectedNode.bbox });
    else if (startBounds ?? cityBounds) fly({ bbox: startBounds ?? cityBounds });
  }, [areaId, selectedNode, scene.geometry, cityBounds, startBounds, fly]);
  // The console's fly-to requests (search, saved views); the first one seen is history.
  const flyTo = shared?.flyTo ?? null;
  const seenFly = useRef<number | null>(null);
  useEffect(() => {
    if (!flyTo || !scene.geometry) return;
    if (seenFly.current === null) {
      seenFly.current = flyTo.seq;
      return;
    }
    if (flyTo.seq <= seenFly.current) return;
    seenFly.current = flyTo.seq;
    if (flyTo.centre && flyTo.zoom !== null) fly({ centre: flyTo.centre, zoom: flyTo.zoom });
    else if (flyTo.areaId) {
      const node = scene.index.get(flyTo.areaId);
      if (node) fly({ bbox: node.bbox });
    }
  }, [flyTo, scene.geometry, scene.index, fly]);
  useEffect(() => {
    if (!rotationView) return;
    if (rotationView.centre && rotationView.zoom !== null) fly({ centre: rotationView.centre, zoom: rotationView.zoom });
    else if (rotationView.areaId) {
      const node = scene.index.get(rotationView.areaId);
      if (node) fly({ bbox: node.bbox });
    } else if (cityBounds) fly({ bbox: cityBounds });
  }, [rotationView, scene.index, cityBounds, fly]);

  const { update } = mapState;
  const selectArea = useCallback((id: string | null) => void update({ areaId: id }), [update]);

  // --- picking, cards, tooltips
  const [card, setCard] = useState<CardTarget | null>(null);
  const [sensorId, setSensorId] = useState<string | null>(null);
  const [video, setVideo] = useState<{ id: string; x: number; y: number } | null>(null);
  const closeAll = (): void => {
    setCard(null);
    setSensorId(null);
    setVideo(null);
  };
  const data = scene.data;
  const onPick = useCallback(
    (info: PickingInfo) => {
      const target = pickTarget(info, data);
      if (!target) return;
      setCard(null);
      setSensorId(null);
      setVideo(null);
      switch (target.kind) {
        case 'area':
          selectArea(target.id);
          return;
        case 'cluster':
          fly({ centre: [target.lon, target.lat], zoom: Math.min(13.5, (view?.zoom ?? 11) + 2) });
          return;
        case 'sensor':
          setSensorId(target.id);
          return;
        case 'camera':
          setVideo({ id: target.id, x: Math.max(8, Math.min(info.x + 16, (info.viewport?.width ?? 800) - 520)), y: Math.max(8, Math.min(info.y - 40, (info.viewport?.height ?? 600) - 360)) });
          return;
        case 'staff':
          if (data.forces) setCard({ kind: 'staff', index: target.index, forces: data.forces });
          return;
        default:
          setCard(target);
      }
    },
    [data, selectArea, fly, view],
  );

  const riskLabel = useCallback((level: number) => translate(locale, `risk.${Math.max(0, Math.min(4, level)) as 0 | 1 | 2 | 3 | 4}`), [locale]);
  const getTooltip = useCallback(
    (info: PickingInfo): TooltipContent | null => {
      const id = info.layer?.id;
      const i = info.index;
      if (!id || i < 0) return null;
      switch (id) {
        case 'cases-icons':
          return data.cases
            ? describeCase(data.cases, i, {
                state: (s) => translate(locale, `state.${s}`),
                urgency: (u) => translate(locale, `urgency.${u}`),
                className: (c) => classLabel(locale, c),
                overdue: t('case.overdue'),
                fresh: t('case.fresh'),
              })
            : null;
        case 'cases-clusters': {
          if (!data.cases) return null;
          const c = caseClusters(data.cases, zoom);
          const n = c.counts[i] ?? 0;
          return { title: t('map.caseCount', { n }), lines: c.worst[i] === CASE_MARKER_ORDER.indexOf('overdue') ? [t('case.overdue')] : [] };
        }
        case 'cameras-dots':
          return data.cameras ? describeCamera(data.cameras, i, { kind: (k) => t(`camera.${k}`), status: (s) => t(`camera.${s}`) }) : null;
        case 'sensors-dots':
          return data.sensors ? describeSensor(data.sensors.store, i, { type: (x) => t(`sensorType.${x}`), status: (s) => t(`sensor.${s}`) }) : null;
        case 'forces-dots':
          return data.forces ? describeForce(data.forces, i, { role: (r) => t(`staff.${r}`), moving: t('staff.moving'), still: t('staff.still') }) : null;
        case 'alarms-dots':
          return data.alarms ? describeAlarm(data.alarms, i, { severity: (s) => t(`alarm.${s}`), state: (s) => t(`alarm.${s}`) }) : null;
        case 'arcs': {
          const arc = info.object as DispatchArc | null;
          return arc ? describeArc(arc, { state: (s) => translate(locale, `state.${s}`), overdue: t('case.overdue') }) : null;
        }
        case 'warnings': {
          const p = (info.object as { properties?: WarningProperties } | null)?.properties;
          return p ? describeWarning(p) : null;
        }
        case 'grids':
          return data.grids ? describeGrid(data.grids, i, riskLabel) : null;
        case 'areas-children': {
          const f = data.drill?.children.features[i];
          return f ? { title: f.properties.name, lines: [t(`level.${f.properties.level}`)] } : null;
        }
        default:
          return null;
      }
    },
    [data, locale, t, riskLabel, zoom],
  );

  const onSearch = useCallback(
    (hit: SearchHit) => {
      closeAll();
      if (hit.kind === 'area') {
        selectArea(hit.id);
        if (hit.bbox) fly({ bbox: hit.bbox });
        return;
      }
      fly({ centre: [hit.lon, hit.lat], zoom: 16.5 });
      if (hit.kind === 'case') setCard({ kind: 'case', id: hit.id });
      else if (hit.kind === 'sensor') setSensorId(hit.id);
    },
    [selectArea, fly],
  );

  const ref = useReference();
  const englishNames = useMemo(() => new Map([...ref.districts, ...ref.towns].map((a) => [a.id, a.nameEn ?? a.name])), [ref.districts, ref.towns]);
  const [areaCardFor, setAreaCardFor] = useState<string | null>(null);
  const areasInput = useMemo(() => (scene.geometry ? { districts: scene.geometry.district, towns: scene.geometry.town, communities: scene.geometry.community } : null), [scene.geometry]);
  const gridRisk = selectedNode?.level === 'grid' && data.grids ? (data.grids.levels[data.grids.indexById.get(selectedNode.id) ?? -1] ?? null) : null;

  // What is drawn: the data for the time selection, the layer settings and the drilled-down area;
  // what the user changed is drawn at once (the rest waits for the frame budget, see MapView).
  const layersKey = JSON.stringify(state?.layers ?? null);
  const frameKey = `${scene.frameKey}|${areaId ?? ''}|${digest([layersKey], [''])}`;
  const urgentKey = `${JSON.stringify(state?.time ?? null)}|${areaId ?? ''}|${zoom}|${layersKey}`;
  if (!state || !layers || !areasInput) return <div className="map-frame map-loading">{t('card.loading')}</div>;
  return (
    <div
      className="map-frame"
      data-testid="situation-map"
      data-area={areaId ?? ''}
      data-area-level={selectedNode?.level ?? 'city'}
      data-time-mode={state.time.mode}
      data-layers={MAP_LAYER_KINDS.filter((k) => state.layers[k].visible).join(' ')}
      data-case-count={scene.counts.cases ?? ''}
      data-alarm-count={scene.counts.alarms ?? ''}
      data-heat-count={scene.counts.heat ?? ''}
      data-forces-count={scene.counts.forces ?? ''}
      data-frame-key={frameKey}
      data-case-digest={scene.caseDigest}
      data-rotating={rotationView ? rotationView.id : ''}
    >
      <MapView
        areas={areasInput}
        locale={locale}
        englishNames={englishNames}
        labelSizePx={Math.round(unit * 2.2)}
        lineScale={scale}
        basemap={basemap}
        labelsVisible={layers.areas.visible && layers.areas.labels}
        areasOpacity={layers.areas.visible ? layers.areas.opacity : 0}
        scene={sceneObj}
        frameKey={frameKey}
        urgentKey={urgentKey}
        dataComplete={scene.complete && atlas !== null}
        initialBounds={startBounds ?? cityBounds}
        camera={camera}
        paddingPx={Math.round(unit * 3)}
        getTooltip={getTooltip}
        onPick={onPick}
        onView={onView}
        onBasemapFailed={setTilesFailed}
        {...(onReady ? { onReady } : {})}
      />
      <div className="map-top-left">
        <Breadcrumbs chain={chain} cityName={cityName} t={t} onSelect={selectArea} />
        <SearchBox t={t} onPick={onSearch} />
      </div>
      {basemapMessage && (
        <div className="map-message" role="alert" data-testid="basemap-message">
          {basemapMessage}
        </div>
      )}
      {rotationView && <div className="map-rotating">{t('map.rotating', { name: rotationView.name })}</div>}
      <Legend layers={layers} t={t} riskLabel={riskLabel} gridSource={scene.gridSource} counts={scene.counts} zoom={zoom} />
      <div className="map-bottom-right">
        <TimeControl time={state.time} t={t} onChange={(time) => void update({ time })} compact />
      </div>
      {selectedNode && areaCardFor !== selectedNode.id && !card && !sensorId && !video && (
        <ObjectCard api={api} target={{ kind: 'area', node: selectedNode, risk: gridRisk }} t={t} locale={locale} onClose={() => setAreaCardFor(selectedNode.id)} />
      )}
      {card && <ObjectCard api={api} target={card} t={t} locale={locale} onClose={() => setCard(null)} />}
      {sensorId && (
        <aside className="map-card map-card-sensor" data-testid="map-card" data-kind="sensor">
          <SensorCard api={api} sensorId={sensorId} locale={locale} onClose={() => setSensorId(null)} />
        </aside>
      )}
      {video && (
        <Suspense fallback={null}>
          <FloatingVideo api={api} cameraId={video.id} x={video.x} y={video.y} locale={locale} onClose={() => setVideo(null)} />
        </Suspense>
      )}
    </div>
  );
}
