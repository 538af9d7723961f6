/**
 * Departments, their units in every town, field staff, cameras and IoT sensors of the demo city.
 * Rows are produced as plain objects; writer.ts inserts them. Counts follow DOMAIN.md: 三墩镇
 * (125 grids) has ~200 grid workers and ~300 enforcement officers; a district has ~18,000 video
 * channels and ~10,000 sensors.
 */
import { DEPARTMENTS, type DepartmentCode } from '../../../shared/domain/catalogue';
import type { CameraKind, SensorType, StaffRole } from '../../../shared/domain/model';
import type { AreaTree, GridInfo, TownInfo } from './areas';
import { randomRoundedPointIn, type Pt } from './geometry';
import { departmentId, pad, sensorId, staffId, unitId } from './ids';
import { mobileNumber, officePhone, personName } from './names';
import { WeightedTable, type Rng } from './prng';

export interface DepartmentRow {
  id: string;
  code: DepartmentCode;
  name: string;
  nameEn: string;
  kind: string;
}

export interface UnitRow {
  id: string;
  departmentId: string;
  department: DepartmentCode;
  name: string;
  areaId: string;
  phone: string;
}

export interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  departmentId: string;
  unitId: string;
  gridId: string;
  phone: string;
  lon: number;
  lat: number;
  positionAt: number;
  onDuty: boolean;
}

export interface CameraRow {
  rid: number;
  id: string;
  name: string;
  departmentId: string;
  gridId: string;
  lon: number;
  lat: number;
  heading: number;
  fov: number;
  heightM: number;
  kind: CameraKind;
  status: 'online' | 'offline' | 'fault';
}

export interface SensorRow {
  rid: number;
  id: string;
  name: string;
  type: SensorType;
  unit: string;
  departmentId: string;
  gridId: string;
  lon: number;
  lat: number;
  intervalS: number;
  thresholds: { warn: number; alarm: number; dir: 'above' };
  status: 'normal' | 'warning' | 'alarm' | 'offline';
  lastValue: number;
  lastAt: number;
}

/** What the case generator needs to know about the people of each town and grid. */
export interface Workforce {
  /** Names of the grid leader and workers, per grid index. */
  gridStaff: string[][];
  /** Staff (id, name) per unit id. */
  unitStaff: Map<string, Array<{ id: string; name: string }>>;
  /** Inspector names per town id. */
  inspectors: Map<string, string[]>;
}

export const SENSOR_SPECS: Readonly<
  Record<SensorType, { unit: string; label: string; intervalS: number; warn: readonly number[]; alarmOver: number; normal: [number, number]; department: DepartmentCode; weight: number }>
> = {
  manhole: { unit: '°', label: '井盖倾角', intervalS: 3600, warn: [5], alarmOver: 10, normal: [0, 1.5], department: 'SW', weight: 24 },
  smoke: { unit: '%/m', label: '烟雾浓度', intervalS: 60, warn: [1.5], alarmOver: 1.5, normal: [0, 0.3], department: 'XF', weight: 18 },
  water_level: { unit: 'm', label: '积水水位', intervalS: 300, warn: [0.15, 0.2, 0.25, 0.3], alarmOver: 0.2, normal: [0, 0.05], department: 'SW', weight: 12 },
  gas: { unit: '%LEL', label: '可燃气体浓度', intervalS: 60, warn: [10], alarmOver: 15, normal: [0, 2], department: 'YJ', weight: 12 },
  noise: { unit: 'dB(A)', label: '噪声', intervalS: 60, warn: [55, 60, 65, 70], alarmOver: 10, normal: [42, 62], department: 'HB', weight: 10 },
  pm25: { unit: 'µg/m³', label: 'PM2.5', intervalS: 300, warn: [75], alarmOver: 75, normal: [12, 60], department: 'HB', weight: 9 },
  temperature: { unit: '°C', label: '温度', intervalS: 300, warn: [60], alarmOver: 20, normal: [22, 45], department: 'YJ', weight: 9 },
  strain: { unit: 'με', label: '结构应变', intervalS: 600, warn: [800], alarmOver: 400, normal: [80, 450], department: 'ZJ', weight: 6 },
};

const SENSOR_TYPES_TABLE = WeightedTable.of(Object.entries(SENSOR_SPECS).map(([t, s]) => [t as SensorType, s.weight] as const));

const CAMERA_KINDS_TABLE = WeightedTable.of<CameraKind>([
  ['fixed', 47],
  ['dome', 25],
  ['ptz', 17],
  ['body', 6],
  ['highpoint', 3],
  ['drone', 2],
]);

const CAMERA_SPECS: Readonly<Record<CameraKind, { label: string; fov: [number, number]; height: [number, number]; departments: ReadonlyArray<readonly [DepartmentCode, number]> }>> = {
  fixed: { label: '枪机', fov: [55, 95], height: [4, 7], departments: [['GA', 50], ['JJ', 22], ['CG', 14], ['JZ', 8], ['XF', 2], ['SW', 2], ['YL', 2]] },
  dome: { label: '半球', fov: [90, 110], height: [2.8, 4], departments: [['GA', 45], ['JZ', 30], ['CG', 15], ['XF', 10]] },
  ptz: { label: '球机', fov: [40, 70], height: [6, 12], departments: [['GA', 55], ['JJ', 25], ['CG', 15], ['SW', 5]] },
  body: { label: '执法记录仪', fov: [110, 130], height: [1.5, 1.7], departments: [['CG', 60], ['GA', 40]] },
  highpoint: { label: '高点监控', fov: [25, 45], height: [40, 120], departments: [['GA', 50], ['YJ', 30], ['XF', 20]] },
  drone: { label: '无人机机场', fov: [80, 84], height: [20, 40], departments: [['YJ', 60], ['CG', 40]] },
};

const CAMERA_PLACES = ['北门', '南门', '东门', '西门', '广场', '菜市场', '停车场', '河道', '公园', '公交站', '地铁口', '学校门口', '商业街'];
const DIRECTIONS = ['东北角', '东南角', '西北角', '西南角', '东侧', '西侧', '南侧', '北侧'];

/** The name of a department's unit in a town (三墩镇城管中队, 三墩派出所…). */
export function unitName(dept: DepartmentCode, town: TownInfo): string {
  const s = town.short;
  const t = town.area.name;
  switch (dept) {
    case 'GA':
      return `${s}派出所`;
    case 'JJ':
      return `${s}交警中队`;
    case 'CG':
      return `${t}城管中队`;
    case 'SJ':
      return `${s}市场监管所`;
    case 'YJ':
      return `${t}应急管理站`;
    case 'XF':
      return `${s}消防救援站`;
    case 'SW':
      return `${s}水务管理站`;
    case 'HB':
      return `${t}生态环境监督站`;
    case 'WJ':
      return `${t}社区卫生服务中心`;
    case 'ZJ':
      return `${t}建设管理站`;
    case 'JZ':
      return town.def.kind === 'town' ? `${t}人民政府` : `${t}办事处`;
    case 'YL':
      return `${s}绿化养护站`;
    case 'JT':
      return `${s}交通运输所`;
  }
}

/** Officers per town, by department and role: ~2.4 per grid (三墩镇: ~300 for 125 grids). */
const OFFICERS = WeightedTable.of<readonly [DepartmentCode, StaffRole]>([
  [['CG', 'enforcement'], 38],
  [['GA', 'police'], 22],
  [['JJ', 'police'], 8],
  [['CG', 'inspector'], 8],
  [['XF', 'firefighter'], 6],
  [['JZ', 'volunteer'], 6],
  [['SJ', 'enforcement'], 4],
  [['YJ', 'enforcement'], 2],
  [['SW', 'enforcement'], 2],
  [['HB', 'enforcement'], 1],
  [['WJ', 'enforcement'], 1],
  [['ZJ', 'enforcement'], 1],
  [['YL', 'enforcement'], 0.5],
  [['JT', 'enforcement'], 0.5],
]);
const OFFICERS_PER_GRID = 2.4;

export function buildDepartments(): DepartmentRow[] {
  return DEPARTMENTS.map((d) => ({ id: departmentId(d.code), code: d.code, name: d.name, nameEn: d.nameEn, kind: d.kind }));
}

export function buildUnits(tree: AreaTree, rng: Rng): UnitRow[] {
  const out: UnitRow[] = [];
  for (const town of tree.towns)
    for (const d of DEPARTMENTS)
      out.push({
        id: unitId(d.code, town.area.code),
        departmentId: departmentId(d.code),
        department: d.code,
        name: unitName(d.code, town),
        areaId: town.area.id,
        phone: officePhone(rng),
      });
  return out;
}

function pointInGrid(grid: GridInfo, rng: Rng): Pt {
  return randomRoundedPointIn(grid.shape, grid.area.box, rng, [grid.area.cx, grid.area.cy]);
}

/** Relative weight of a grid for placing devices and events: busier where more people live. */
export function gridWeights(tree: AreaTree): number[] {
  return tree.grids.map((g) => Math.sqrt(Math.max(1, g.area.population)) * (1 + 0.15 * g.area.risk));
}

/**
 * Staff of every town: per grid one grid leader (网格长) and, in ~60% of grids, a grid worker
 * (网格员); plus ~2.4 officers per grid (enforcement, police, inspectors, firefighters,
 * volunteers), every unit having at least one. Positions lie inside their grid.
 */
export function buildStaff(
  tree: AreaTree,
  units: readonly UnitRow[],
  weights: readonly number[],
  now: number,
  rng: Rng,
): { rows: StaffRow[] } & Pick<Workforce, 'gridStaff' | 'unitStaff' | 'inspectors'> {
  const rows: StaffRow[] = [];
  const gridStaff: string[][] = tree.grids.map(() => []);
  const unitStaff = new Map<string, Array<{ id: string; name: string }>>(units.map((u) => [u.id, []]));
  const inspectors = new Map<string, string[]>();
  for (const town of tree.towns) {
    const townCode = town.area.code;
    const trng = rng.fork(`staff:${townCode}`);
    let n = 0;
    const add = (role: StaffRole, dept: DepartmentCode, gi: number): StaffRow => {
      const grid = tree.grids[gi]!;
      const [lon, lat] = pointInGrid(grid, trng);
      const onDuty = trng.chance(role === 'volunteer' ? 0.5 : 0.82);
      const row: StaffRow = {
        id: staffId(townCode, ++n),
        name: personName(trng),
        role,
        departmentId: departmentId(dept),
        unitId: unitId(dept, townCode),
        gridId: grid.area.id,
        phone: mobileNumber(trng),
        lon,
        lat,
        positionAt: onDuty ? now - trng.int(5, 900) * 1000 : now - trng.int(1, 14) * 3_600_000 - trng.int(0, 3599) * 1000,
        onDuty,
      };
      unitStaff.get(row.unitId)!.push({ id: row.id, name: row.name });
      rows.push(row);
      return row;
    };
    for (const gi of town.grids) {
      gridStaff[gi]!.push(add('grid_leader', 'JZ', gi).name);
      if (trng.chance(0.6)) gridStaff[gi]!.push(add('grid_worker', 'JZ', gi).name);
    }
    const gridTable = new WeightedTable(
      town.grids,
      town.grids.map((gi) => weights[gi]!),
    );
    const officers = Math.round(town.grids.length * OFFICERS_PER_GRID);
    const townInspectors: string[] = [];
    const covered = new Set<DepartmentCode>(['JZ']);
    for (let k = 0; k < officers; k++) {
      let pick = OFFICERS.pick(trng);
      // The first officers go to units that have nobody yet.
      const uncovered = DEPARTMENTS.find((d) => !covered.has(d.code));
      if (uncovered && k < DEPARTMENTS.length) pick = [uncovered.code, uncovered.code === 'GA' || uncovered.code === 'JJ' ? 'police' : uncovered.code === 'XF' ? 'firefighter' : 'enforcement'];
      covered.add(pick[0]);
      const row = add(pick[1], pick[0], gridTable.pick(trng));
      if (row.role === 'inspector') townInspectors.push(row.name);
    }
    if (townInspectors.length === 0) townInspectors.push(add('inspector', 'CG', gridTable.pick(trng)).name);
    inspectors.set(town.area.id, townInspectors);
  }
  return { rows, gridStaff, unitStaff, inspectors };
}

/** n weighted draws of grid indices, in ascending order (grids are ordered town by town). */
function drawSorted(table: WeightedTable<number>, n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = table.pick(rng);
  return out.sort();
}

/** A road of the grid's town. */
function road(grid: GridInfo, rng: Rng): string {
  return rng.pick(grid.town.def.roads);
}

/**
 * Cameras, placed in grids by weight. Ids follow the 20-digit GB/T 28181 device-code layout:
 * centre code (district adcode + town), industry code, type 131 (camera), network flag, serial.
 */
export function buildCameras(tree: AreaTree, weights: readonly number[], total: number, rng: Rng): { rows: CameraRow[] } {
  const rows: CameraRow[] = [];
  const crng = rng.fork('cameras');
  const table = new WeightedTable(
    tree.grids.map((_, i) => i),
    weights,
  );
  const serial = new Map<TownInfo, number>();
  const industry: Record<string, string> = { GA: '00', JJ: '02', CG: '03', JZ: '01', XF: '04', SW: '05', YL: '05', YJ: '06' };
  const deptTables = new Map(CAMERA_KINDS_TABLE.items.map((k) => [k, WeightedTable.of(CAMERA_SPECS[k].departments)]));
  // Draw the grids first and place the cameras grid by grid: rids (and the R*Tree) follow space.
  const grids = drawSorted(table, total, crng);
  for (let i = 0; i < total; i++) {
    const gi = grids[i]!;
    const grid = tree.grids[gi]!;
    const kind = CAMERA_KINDS_TABLE.pick(crng);
    const spec = CAMERA_SPECS[kind];
    const dept = deptTables.get(kind)!.pick(crng);
    const [lon, lat] = pointInGrid(grid, crng);
    const n = (serial.get(grid.town) ?? 0) + 1;
    serial.set(grid.town, n);
    const district = grid.town.district.area.code;
    const id = `${district}${pad(grid.town.index, 2)}${industry[dept] ?? '09'}131${kind === 'body' || kind === 'drone' ? '2' : '1'}${pad(n, 6)}`;
    const r = crng.next();
    let name: string;
    if (dept === 'JJ' || (kind === 'ptz' && crng.chance(0.5))) {
      const roads = grid.town.def.roads;
      const a = crng.pick(roads);
      const b = crng.pick(roads.filter((x) => x !== a));
      name = `${a}与${b}路口${crng.pick(DIRECTIONS)}${spec.label}`;
    } else if (kind === 'body') {
      name = `${grid.town.short}${dept === 'CG' ? '城管' : '巡防'}执法记录仪${pad(n % 1000, 3)}`;
    } else if (kind === 'drone' || kind === 'highpoint') {
      name = `${grid.community.name}${spec.label}`;
    } else if (crng.chance(0.5)) {
      name = `${road(grid, crng)}${crng.int(1, 1600)}号${spec.label}`;
    } else {
      name = `${grid.community.name}${crng.pick(CAMERA_PLACES)}${spec.label}`;
    }
    const row: CameraRow = {
      rid: i + 1,
      id,
      name,
      departmentId: departmentId(dept),
      gridId: grid.area.id,
      lon,
      lat,
      heading: kind === 'dome' || kind === 'drone' ? 0 : crng.int(0, 359),
      fov: Math.round(crng.range(spec.fov[0], spec.fov[1])),
      heightM: Math.round(crng.range(spec.height[0], spec.height[1]) * 10) / 10,
      kind,
      status: r < 0.95 ? 'online' : r < 0.99 ? 'offline' : 'fault',
    };
    rows.push(row);
  }
  return { rows };
}

const sensorName = (type: SensorType, grid: GridInfo, rng: Rng): string => {
  const c = grid.community.name;
  switch (type) {
    case 'manhole':
      return `${road(grid, rng)}${rng.int(1, 1600)}号窨井盖`;
    case 'smoke':
      return `${c}${rng.int(1, 36)}幢烟感`;
    case 'water_level':
      return rng.chance(0.6) ? `${road(grid, rng)}下穿积水监测点` : `${c}低洼积水监测点`;
    case 'gas':
      return `${road(grid, rng)}${rng.int(1, 1600)}号餐饮燃气探测器`;
    case 'noise':
      return `${road(grid, rng)}噪声监测点`;
    case 'pm25':
      return `${c}空气质量微站`;
    case 'temperature':
      return `${c}配电房温度监测`;
    case 'strain':
      return `${road(grid, rng)}桥梁应变监测`;
  }
};

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** IoT sensors with thresholds and a last reading (mostly normal, a few warning/alarm/offline). */
export function buildSensors(tree: AreaTree, weights: readonly number[], total: number, now: number, rng: Rng): { rows: SensorRow[] } {
  const rows: SensorRow[] = [];
  const srng = rng.fork('sensors');
  const table = new WeightedTable(
    tree.grids.map((_, i) => i),
    weights,
  );
  const serial = new Map<TownInfo, number>();
  const grids = drawSorted(table, total, srng);
  for (let i = 0; i < total; i++) {
    const gi = grids[i]!;
    const grid = tree.grids[gi]!;
    const type = SENSOR_TYPES_TABLE.pick(srng);
    const spec = SENSOR_SPECS[type];
    const warn = srng.pick(spec.warn);
    const alarm = round2(warn + spec.alarmOver);
    const r = srng.next();
    const status: SensorRow['status'] = r < 0.02 ? 'offline' : r < 0.04 ? 'warning' : r < 0.045 ? 'alarm' : 'normal';
    const value =
      status === 'warning'
        ? srng.range(warn, alarm)
        : status === 'alarm'
          ? srng.range(alarm, alarm * 1.3)
          : srng.range(spec.normal[0], Math.min(spec.normal[1], warn * 0.92));
    const [lon, lat] = pointInGrid(grid, srng);
    const n = (serial.get(grid.town) ?? 0) + 1;
    serial.set(grid.town, n);
    const row: SensorRow = {
      rid: i + 1,
      id: sensorId(grid.town.area.code, n),
      name: sensorName(type, grid, srng),
      type,
      unit: spec.unit,
      departmentId: departmentId(spec.department),
      gridId: grid.area.id,
      lon,
      lat,
      intervalS: spec.intervalS,
      thresholds: { warn, alarm, dir: 'above' },
      status,
      lastValue: round2(value),
      lastAt: status === 'offline' ? now - srng.int(26, 96) * 3_600_000 : now - srng.int(0, spec.intervalS) * 1000,
    };
    rows.push(row);
  }
  return { rows };
}
