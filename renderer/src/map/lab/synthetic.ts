/**
 * Synthetic district-scale data for the map benchmark, generated in the page from a seed (no
 * API, no files): 20,000 grid cells, 18,000 cameras, 10,000 sensors, 100,000 case positions
 * and 500 staff with an hour of trail each, in the shapes the API gives.
 */
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import type { MapTrails } from '../../../../shared/api/map';
import { CAMERA_KINDS, SENSOR_TYPES, STAFF_ROLES, type Camera, type Sensor } from '../../../../shared/domain/model';
import { mulberry32 } from '../../../../shared/random';

export const BENCH_BOX: [number, number, number, number] = [119.95, 30.2, 120.3, 30.5];

export interface BenchCounts {
  grids: number;
  cameras: number;
  sensors: number;
  cases: number;
  staff: number;
  trailPoints: number;
}

export const DISTRICT_SCALE: BenchCounts = { grids: 20_000, cameras: 18_000, sensors: 10_000, cases: 100_000, staff: 500, trailPoints: 60 };

export interface BenchData {
  district: AreaFeatureCollection;
  grids: AreaFeatureCollection;
  cameras: Camera[];
  sensors: Sensor[];
  heat: { lon: number[]; lat: number[]; from: string; to: string };
  trails: MapTrails;
}

export function benchData(counts: BenchCounts = DISTRICT_SCALE, seed = 4): BenchData {
  const rnd = mulberry32(seed);
  const [w, s, e, n] = BENCH_BOX;
  const cols = Math.ceil(Math.sqrt((counts.grids * (e - w)) / (n - s)));
  const rows = Math.ceil(counts.grids / cols);
  const dx = (e - w) / cols;
  const dy = (n - s) / rows;
  const jitter = (): number => (rnd() - 0.5) * 0.18;
  const features: AreaFeatureCollection['features'] = [];
  for (let r = 0; r < rows && features.length < counts.grids; r++) {
    for (let c = 0; c < cols && features.length < counts.grids; c++) {
      const x0 = w + c * dx;
      const y0 = s + r * dy;
      const ring = [
        [x0 + jitter() * dx, y0 + jitter() * dy],
        [x0 + dx + jitter() * dx, y0 + jitter() * dy],
        [x0 + dx + jitter() * dx, y0 + dy + jitter() * dy],
        [x0 + jitter() * dx, y0 + dy + jitter() * dy],
      ];
      ring.push(ring[0]!);
      const id = `g-${r}-${c}`;
      const u = rnd();
      const risk = u < 0.55 ? 0 : u < 0.78 ? 1 : u < 0.9 ? 2 : u < 0.97 ? 3 : 4;
      features.push({ type: 'Feature', id, properties: { id, name: `网格${r}-${c}`, code: id, level: 'grid', parentId: 'd', riskLevel: risk }, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
  }
  const district: AreaFeatureCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 'd',
        properties: { id: 'd', name: '基准区', code: 'd', level: 'district', parentId: null, riskLevel: 0 },
        geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
      },
    ],
  };
  const pt = (): [number, number] => [w + rnd() * (e - w), s + rnd() * (n - s)];
  const cameras: Camera[] = Array.from({ length: counts.cameras }, (_, i) => {
    const [lon, lat] = pt();
    const u = rnd();
    return { id: `c${i}`, name: `摄像头${i}`, departmentId: null, gridId: null, lon, lat, heading: rnd() * 360, fov: 50 + rnd() * 60, kind: CAMERA_KINDS[i % CAMERA_KINDS.length]!, status: u < 0.9 ? 'online' : u < 0.97 ? 'offline' : 'fault' };
  });
  const sensors: Sensor[] = Array.from({ length: counts.sensors }, (_, i) => {
    const [lon, lat] = pt();
    return { id: `s${i}`, name: `设备${i}`, type: SENSOR_TYPES[i % SENSOR_TYPES.length]!, unit: '', departmentId: null, gridId: null, lon, lat, intervalS: 60, status: 'normal', lastValue: rnd() * 10, lastAt: null };
  });
  // Cases cluster around hot spots.
  const spots = Array.from({ length: 40 }, pt);
  const hl: number[] = [];
  const ht: number[] = [];
  for (let i = 0; i < counts.cases; i++) {
    const sp = spots[i % spots.length]!;
    const r = Math.sqrt(-2 * Math.log(rnd() + 1e-9)) * 0.012;
    const a = rnd() * Math.PI * 2;
    hl.push(sp[0] + Math.cos(a) * r);
    ht.push(sp[1] + Math.sin(a) * r);
  }
  const now = Date.now();
  const trails: MapTrails = { from: now - 3_600_000, to: now, ids: [], names: [], roles: [], unitIds: [], starts: [], lon: [], lat: [], t: [] };
  for (let k = 0; k < counts.staff; k++) {
    let [lon, lat] = pt();
    let heading = rnd() * Math.PI * 2;
    trails.ids.push(`p${k}`);
    trails.names.push(`人员${k}`);
    trails.roles.push(STAFF_ROLES[k % STAFF_ROLES.length]!);
    trails.unitIds.push(null);
    trails.starts.push(trails.lon.length);
    for (let p = 0; p < counts.trailPoints; p++) {
      heading += (rnd() - 0.5) * 1.2;
      lon += Math.sin(heading) * 0.0007;
      lat += Math.cos(heading) * 0.0006;
      trails.lon.push(lon);
      trails.lat.push(lat);
      trails.t.push((p * 3600) / counts.trailPoints);
    }
  }
  return { district, grids: { type: 'FeatureCollection', features }, cameras, sensors, heat: { lon: hl, lat: ht, from: new Date(now - 7 * 86_400_000).toISOString(), to: new Date(now).toISOString() }, trails };
}

/** A batch of new readings for every sensor (values and statuses), as the sensors.readings event carries them. */
export function readingsBatch(sensors: readonly Sensor[], round: number): { ids: string[]; values: number[]; status: Array<'normal' | 'warning' | 'alarm' | 'offline'> } {
  const rnd = mulberry32(1000 + round);
  const ids = sensors.map((x) => x.id);
  const values = sensors.map(() => rnd() * 12);
  const status = values.map((v) => (v > 11.5 ? 'alarm' : v > 10 ? 'warning' : 'normal') as 'normal' | 'warning' | 'alarm');
  return { ids, values, status };
}
