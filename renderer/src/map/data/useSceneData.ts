/**
 * Everything the map draws, fetched per visible layer for the shared map state's time selection
 * and prepared once per answer into the layer modules' typed arrays. Live sensor readings
 * (`sensors.readings`) go straight into the SensorStore: only the sensor colours change.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { resolveTime, type MapState } from '../../../../shared/domain/map';
import { useEvent } from '../../api/ApiContext';
import { useApiQuery, type QueryState } from '../../api/useApiQuery';
import { prepareAlarms } from '../layers/alarms';
import { drillData, type AreaGeometries } from '../layers/areas';
import { CAMERA_MIN_ZOOM, prepareCameras } from '../layers/cameras';
import { prepareCases } from '../layers/cases';
import { prepareForces, trailSecondsAt } from '../layers/forces';
import { prepareGrids } from '../layers/grids';
import { prepareHeat } from '../layers/heat';
import type { SceneData } from '../layers';
import { SENSOR_MIN_ZOOM, SensorStore, sensorMask, type RampRules } from '../layers/sensors';
import { indexAreas, type AreaIndex } from '../state/navigation';

const CASE_EVENTS = ['case.created', 'case.updated'] as const;
const ALARM_EVENTS = ['alarm.raised', 'alarm.updated'] as const;
const GEOMETRY_REFRESH_MS = 10 * 60_000;
/** Live sensor readings are redrawn at most this often. */
export const SENSOR_REDRAW_MS = 1_000;

export interface SceneDataResult {
  geometry: AreaGeometries | null;
  index: AreaIndex;
  data: SceneData;
  /** Every visible layer has its first answer (or a failure): a frame now is complete. */
  complete: boolean;
  /** Changes when what is drawn for the time selection changes. */
  frameKey: string;
  counts: { cases: number | null; overdue: number | null; alarms: number | null; heat: number | null; forces: number | null };
  gridSource: 'model' | 'field' | null;
  /** A short fingerprint of the cases drawn (tests compare it across time selections). */
  caseDigest: string;
  trailSecondsAt(now: number): number;
  stale: boolean;
}

const settled = <T>(q: QueryState<T>, enabled: boolean): boolean => !enabled || q.data !== null || (q.error !== null && !q.loading);

/**
 * `zoom`: the map's zoom. Cameras and sensors (tens of thousands, drawn only when zoomed in) are
 * fetched once the map gets near their zoom, not at load.
 */
export function useSceneData(state: MapState | null, zoom: number): SceneDataResult {
  const layers = state?.layers;
  const time = state?.time ?? { mode: 'live' as const };
  const live = time.mode === 'live';
  const on = (visible: boolean | undefined): boolean => state !== null && visible === true;

  const district = useApiQuery('areas.geometry', { level: 'district' }, { refreshMs: GEOMETRY_REFRESH_MS });
  const town = useApiQuery('areas.geometry', { level: 'town' }, { refreshMs: GEOMETRY_REFRESH_MS });
  const community = useApiQuery('areas.geometry', { level: 'community' }, { refreshMs: GEOMETRY_REFRESH_MS });
  const grid = useApiQuery('areas.geometry', { level: 'grid' }, { refreshMs: GEOMETRY_REFRESH_MS });

  const byModel = on(layers?.grids.visible) && layers?.grids.colourBy === 'model';
  const models = useApiQuery('consult.models.list', {}, { enabled: byModel, refreshOn: ['consult.model'] });
  const modelId = layers?.grids.modelId ?? models.data?.find((m) => m.primary)?.id ?? null;
  const scores = useApiQuery('consult.scores', { modelId: modelId ?? '-', level: 'grid' }, { enabled: byModel && modelId !== null, refreshOn: ['consult.scores'], debounceMs: 3_000 });

  const casesOn = on(layers?.cases.visible);
  const cases = useApiQuery(
    'map.cases',
    { time, scope: layers?.cases.scope ?? 'open' },
    { enabled: casesOn, ...(live ? { refreshMs: 60_000, refreshOn: CASE_EVENTS, debounceMs: 2_000 } : {}) },
  );
  const heatOn = on(layers?.heat.visible);
  const heat = useApiQuery('map.heat', { time, hours: layers?.heat.windowHours ?? 168 }, { enabled: heatOn, ...(live ? { refreshMs: 5 * 60_000 } : {}) });
  const warningsOn = on(layers?.warnings.visible);
  // Replay: the warnings in force at the moment (or at the end of the window), as the room knew them.
  const warningInput = useMemo(() => {
    if (time.mode === 'live') return {};
    const r = resolveTime(time, Date.now());
    return { at: new Date(time.mode === 'moment' ? r.at : r.to).toISOString() };
  }, [time]);
  const warnings = useApiQuery('warnings.features', warningInput, { enabled: warningsOn, ...(live ? { refreshOn: ['warning.changed'] as const, refreshMs: 5 * 60_000 } : {}) });
  const camerasOn = on(layers?.cameras.visible);
  const camerasNear = camerasOn && zoom >= CAMERA_MIN_ZOOM - 0.75;
  const cameras = useApiQuery('cameras.list', { limit: 50_000 }, { enabled: camerasNear, refreshOn: ['camera.changed'], debounceMs: 3_000 });
  const sensorsOn = on(layers?.sensors.visible);
  const sensorsNear = sensorsOn && zoom >= SENSOR_MIN_ZOOM - 0.75;
  const sensorsDrawn = sensorsOn && zoom >= SENSOR_MIN_ZOOM;
  const sensors = useApiQuery('sensors.list', { limit: 50_000 }, { enabled: sensorsNear, refreshMs: 10 * 60_000 });
  const rules = useApiQuery('sensors.typeRules', {}, { enabled: sensorsNear, refreshMs: 10 * 60_000 });
  const forcesOn = on(layers?.forces.visible);
  const trails = useApiQuery('map.trails', { time }, { enabled: forcesOn, ...(live ? { refreshMs: 60_000 } : {}) });
  const arcsOn = on(layers?.arcs.visible);
  const arcs = useApiQuery('map.dispatches', { time }, { enabled: arcsOn, ...(live ? { refreshOn: CASE_EVENTS, refreshMs: 120_000, debounceMs: 2_000 } : {}) });
  const alarmsOn = on(layers?.alarms.visible);
  // The alarms of the time selection, decided on the host (open at a moment, raised in a window).
  const alarmSeverities = layers?.alarms.severities;
  const alarmInput = useMemo(() => ({ time, ...(alarmSeverities && alarmSeverities.length > 0 ? { severities: [...alarmSeverities] } : {}) }), [time, alarmSeverities]);
  const alarms = useApiQuery('map.alarms', alarmInput, { enabled: alarmsOn, ...(live ? { refreshOn: ALARM_EVENTS, refreshMs: 60_000, debounceMs: 4_000 } : {}) });

  // --- geometry and drill-down
  const geometry = useMemo<AreaGeometries | null>(
    () => (district.data && town.data && community.data && grid.data ? { district: district.data, town: town.data, community: community.data, grid: grid.data } : null),
    [district.data, town.data, community.data, grid.data],
  );
  const index = useMemo(() => indexAreas([district.data, town.data, community.data, grid.data]), [district.data, town.data, community.data, grid.data]);
  const areaId = state?.areaId ?? null;
  const drill = useMemo(() => {
    if (!geometry) return null;
    const node = areaId ? index.get(areaId) : undefined;
    return drillData(geometry, node ? { id: node.id, level: node.level } : null);
  }, [geometry, index, areaId]);

  // --- prepared layer data
  const gridVersion = useRef(0);
  const gridData = useMemo(() => {
    if (!grid.data) return null;
    gridVersion.current++;
    const s = byModel && scores.data ? { areaIds: scores.data.areaIds, levels: scores.data.levels } : null;
    return prepareGrids(grid.data, s, gridVersion.current);
  }, [grid.data, scores.data, byModel]);

  const classCodes = layers?.cases.classCodes;
  const urgencies = layers?.cases.urgencies;
  const caseData = useMemo(() => (cases.data && classCodes && urgencies ? prepareCases(cases.data, { classCodes, urgencies }) : null), [cases.data, classCodes, urgencies]);
  const heatData = useMemo(() => (heat.data ? prepareHeat(heat.data) : null), [heat.data]);
  const camStatuses = layers?.cameras.statuses;
  const camKinds = layers?.cameras.kinds;
  const cameraData = useMemo(() => (cameras.data && camStatuses && camKinds ? prepareCameras(cameras.data, { statuses: camStatuses, kinds: camKinds }) : null), [cameras.data, camStatuses, camKinds]);

  const store = useMemo(() => {
    if (!sensors.data) return null;
    const ramp: RampRules = {};
    for (const r of rules.data ?? []) ramp[r.type] = r.effective;
    return new SensorStore(sensors.data, ramp);
  }, [sensors.data, rules.data]);
  // Readings go into the store at once; the map redraws them at most once a second, and only
  // while the sensor dots are drawn (below their zoom the store just keeps up).
  const [sensorVersion, setSensorVersion] = useState(0);
  const sensorTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const drawnRef = useRef(sensorsDrawn);
  useEffect(() => {
    drawnRef.current = sensorsDrawn;
    if (sensorsDrawn && store && store.version !== sensorVersion) setSensorVersion(store.version);
  }, [sensorsDrawn, store, sensorVersion]);
  useEffect(
    () => () => {
      if (sensorTimer.current !== null) clearTimeout(sensorTimer.current);
    },
    [],
  );
  useEvent('sensors.readings', (e) => {
    if (!store || !live) return;
    if (store.apply({ ids: e.ids, values: e.values, status: e.status }) === 0 || !drawnRef.current || sensorTimer.current !== null) return;
    sensorTimer.current = setTimeout(() => {
      sensorTimer.current = null;
      if (drawnRef.current) setSensorVersion(store.version);
    }, SENSOR_REDRAW_MS);
  });
  const sensorTypes = layers?.sensors.types;
  const sensorStatuses = layers?.sensors.statuses;
  const filterByStatus = (sensorStatuses?.length ?? 0) > 0;
  const mask = useMemo(
    () => (store && sensorTypes && sensorStatuses ? sensorMask(store, { types: sensorTypes, statuses: sensorStatuses }) : null),
    // With a status filter the mask follows the readings.
    [store, sensorTypes, sensorStatuses, filterByStatus ? sensorVersion : 0],
  );
  const sensorScene = useMemo(() => (store ? { store, mask, version: sensorVersion } : null), [store, mask, sensorVersion]);

  const roles = layers?.forces.roles;
  const forceData = useMemo(() => (trails.data && roles ? prepareForces(trails.data, { roles }) : null), [trails.data, roles]);
  const severities = layers?.alarms.severities;
  const alarmData = useMemo(() => (alarms.data && severities ? prepareAlarms(alarms.data, { severities }) : null), [alarms.data, severities]);

  const data = useMemo<SceneData>(
    () => ({
      drill,
      grids: gridData,
      heat: heatOn ? heatData : null,
      warnings: warningsOn ? (warnings.data as MethodOutput<'warnings.features'> | null) : null,
      cameras: camerasOn ? cameraData : null,
      sensors: sensorsOn ? sensorScene : null,
      forces: forcesOn ? forceData : null,
      arcs: arcsOn ? arcs.data : null,
      alarms: alarmsOn ? alarmData : null,
      cases: casesOn ? caseData : null,
    }),
    [drill, gridData, heatOn, heatData, warningsOn, warnings.data, camerasOn, cameraData, sensorsOn, sensorScene, forcesOn, forceData, arcsOn, arcs.data, alarmsOn, alarmData, casesOn, caseData],
  );

  const complete =
    state !== null &&
    geometry !== null &&
    settled(cases, casesOn) &&
    settled(heat, heatOn) &&
    settled(warnings, warningsOn) &&
    settled(cameras, camerasNear) &&
    settled(sensors, sensorsNear) &&
    settled(trails, forcesOn) &&
    settled(arcs, arcsOn) &&
    settled(alarms, alarmsOn);

  const timeKey = JSON.stringify(time);
  const frameKey = `${timeKey}|${cases.dataKey ?? ''}@${cases.updatedAt ?? 0}|${alarms.dataKey ?? ''}@${alarms.updatedAt ?? 0}|${heat.dataKey ?? ''}@${heat.updatedAt ?? 0}`;

  const forcesRef = useRef(forceData);
  useEffect(() => {
    forcesRef.current = forceData;
  });
  const trailClock = useMemo(
    () => (now: number) => {
      const f = forcesRef.current;
      if (!f) return 0;
      return trailSecondsAt(f, live ? Math.min(now, f.to + 90_000) : f.to);
    },
    [live],
  );

  const caseDigest = useMemo(() => (caseData ? digest(caseData.ids, caseData.states) : ''), [caseData]);
  const overdue = caseData ? caseData.overdue.reduce((n, o) => n + (o ? 1 : 0), 0) : null;
  return {
    geometry,
    index,
    data,
    complete,
    frameKey,
    counts: { cases: caseData?.length ?? null, overdue, alarms: alarmData?.length ?? null, heat: heatData?.length ?? null, forces: forceData?.length ?? null },
    gridSource: gridData?.source ?? null,
    caseDigest,
    trailSecondsAt: trailClock,
    stale: [district, town, community, grid, cases].some((q) => q.stale),
  };
}

/** FNV-1a over the ids and states, as 8 hex digits. */
export function digest(ids: readonly string[], states: readonly string[]): string {
  let h = 2166136261;
  for (let i = 0; i < ids.length; i++) {
    const s = `${ids[i]}:${states[i]};`;
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  }
  return `${ids.length}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
