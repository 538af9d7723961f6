/**
 * Historical cases of the demo city: N cases over the last `days` days up to `now`. This module
 * decides what each case is (source, category, place, title, reporter) and when it was reported
 * (quiet nights, peaks 9–11 and 14–17); lifecycle.ts then lives through its closed loop with the
 * core's own workflow rules and working-time clock, up to `now`.
 */
import { CATEGORIES, type CategorySeed, type DepartmentCode } from '../../../shared/domain/catalogue';
import type { CaseSource, CaseState, SensorType } from '../../../shared/domain/model';
import type { ActorRole } from '../../../shared/domain/workflow';
import { WorkClock } from '../../../shared/domain/workclock';
import { DAY_MS, shanghaiDay, shanghaiHour, shanghaiWeekday } from '../../../shared/time';
import type { AreaTree, TownInfo } from './areas';
import { pointInShape, randomRoundedPointIn } from './geometry';
import { CITY } from './hangzhou';
import { caseId, departmentId, pad, unitId } from './ids';
import { eventDataJson, simulateCase, type LifeAction, type LifeInput } from './lifecycle';
import { maskedCallerName, maskedMobile, personName } from './names';
import { WeightedTable, type Rng } from './prng';
import { SENSOR_SPECS, unitName, type CameraRow, type SensorRow, type Workforce } from './resources';

export interface CaseRow {
  rid: number;
  id: string;
  code: string;
  source: CaseSource;
  classCode: string;
  categoryCode: string;
  title: string;
  description: string;
  address: string;
  lon: number;
  lat: number;
  gridId: string;
  communityId: string;
  townId: string;
  districtId: string;
  urgency: 0 | 1 | 2;
  state: CaseState;
  reporterName: string | null;
  reporterPhone: string | null;
  departmentId: string | null;
  unitId: string | null;
  assigneeId: string | null;
  reportedAt: number;
  registeredAt: number | null;
  dispatchedAt: number | null;
  deadlineAt: number | null;
  closedAt: number | null;
  overdue: boolean;
  supervised: boolean;
  /** Workflow columns of migration 002 (the core's deadline clock and 督办 level). */
  limitMs: number | null;
  warnAt: number | null;
  warning: boolean;
  pausedAt: number | null;
  supervisionLevel: number;
  data: string;
  updatedAt: number;
  version: number;
}

export type CaseAction = LifeAction;

export interface CaseEventRow {
  caseId: string;
  at: number;
  action: CaseAction;
  fromState: CaseState | null;
  toState: CaseState;
  actor: string;
  role: ActorRole;
  note: string;
  data: string;
}

export interface CaseOptions {
  total: number;
  days: number;
  /**
   * 'full': every event of every case. 'light' (for million-case benchmarks): open cases keep
   * their full history; closed and cancelled ones only the events the evaluation counts (return,
   * failed check, extension, suspension) and their final event.
   */
  history: 'full' | 'light';
}

/** Events a closed case keeps in a light history. */
const KEPT_IN_LIGHT_HISTORY: ReadonlySet<string> = new Set(['return', 'verify_fail', 'approve_extension', 'suspend', 'resume']);

export interface CaseInputs {
  tree: AreaTree;
  workforce: Workforce;
  cameras: readonly CameraRow[];
  sensors: readonly SensorRow[];
  gridWeights: readonly number[];
  now: number;
  rng: Rng;
}

export interface CaseSink {
  caseRow(row: CaseRow): void;
  event(row: CaseEventRow): void;
}

const HOUR_MS = 3_600_000;

/** Reports per hour of day (Shanghai): quiet at night, peaks 9–11 and 14–17. */
const HOUR_WEIGHTS = [0.3, 0.2, 0.15, 0.12, 0.15, 0.3, 0.8, 1.6, 3.0, 4.5, 4.8, 4.0, 2.2, 2.8, 4.2, 4.6, 4.3, 3.2, 2.0, 1.8, 1.6, 1.2, 0.8, 0.5];

const SOURCES = WeightedTable.of<CaseSource>([
  ['grid', 45],
  ['hotline', 25],
  ['video_ai', 10],
  ['public', 7],
  ['police110', 6],
  ['iot', 4],
  ['superior', 3],
]);

/** Share of reports per category class for field reports (grid workers, inspectors, referrals). */
const CLASS_WEIGHTS: Readonly<Record<string, number>> = {
  '01': 30, // 市容环境
  '04': 26, // 街面秩序
  '06': 9,
  '02': 8,
  '03': 6,
  '10': 6,
  '07': 5,
  '08': 4,
  '11': 4,
  '09': 1.5,
  '05': 1.5,
};

/** Within a class, how common a category is (default 1). */
const CATEGORY_BOOST: Readonly<Record<string, number>> = {
  '0101': 3, '0106': 2, '0103': 1.5, '0102': 1.2, '0107': 0.4, '0108': 0.6,
  '0201': 3, '0205': 1.2,
  '0302': 1.5, '0303': 1.5, '0305': 0.6,
  '0401': 2.5, '0402': 2.5, '0403': 2, '0404': 3, '0405': 2, '0406': 0.8, '0407': 0.4, '0408': 0.4,
  '0503': 0.3, '0505': 0.4, '0508': 0.05, '0509': 0.3,
  '0601': 1.5, '0602': 1.5, '0604': 1.2,
  '0804': 0.2,
  '1002': 1.5, '1004': 0.5, '1007': 0.5,
};

/** What callers of the 12345 hotline and the public complain about more (multipliers). */
const HOTLINE_BOOST: Readonly<Record<string, number>> = {
  '1002': 5, '0301': 5, '0108': 4, '1003': 4, '1004': 3, '1005': 3, '0904': 2, '0602': 2, '0405': 1.5, '0701': 1.5, '0705': 1.5,
  '0201': 0.3, '0205': 0.3, '0401': 0.6, '0404': 0.6,
};

const VIDEO_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['0401', 3], ['0402', 3], ['0403', 2], ['0404', 3], ['0405', 3], ['0101', 2], ['0106', 2], ['0406', 1], ['0303', 1], ['0204', 1],
  ['0504', 0.5], ['0509', 0.5], ['0505', 0.2],
];

const POLICE_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['1001', 3], ['1006', 3], ['0506', 3], ['1002', 2], ['0509', 1], ['0408', 1], ['0407', 1], ['1004', 0.5],
];

const IOT_CATEGORIES: Readonly<Record<SensorType, ReadonlyArray<readonly [string, number]>>> = {
  manhole: [['0601', 1]],
  smoke: [['0505', 2], ['1102', 1]],
  water_level: [['0504', 1]],
  gas: [['0503', 2], ['1104', 1]],
  noise: [['1002', 2], ['0301', 1]],
  pm25: [['0306', 2], ['0107', 1]],
  temperature: [['0608', 1]],
  strain: [['0902', 1], ['0501', 1]],
};

function buildCategoryTables(): { field: WeightedTable<CategorySeed>; hotline: WeightedTable<CategorySeed> } {
  const perClass = new Map<string, number>();
  for (const c of CATEGORIES) perClass.set(c.classCode, (perClass.get(c.classCode) ?? 0) + (CATEGORY_BOOST[c.code] ?? 1));
  const base = (c: CategorySeed): number => ((CLASS_WEIGHTS[c.classCode] ?? 1) * (CATEGORY_BOOST[c.code] ?? 1)) / perClass.get(c.classCode)!;
  return {
    field: new WeightedTable(CATEGORIES, CATEGORIES.map(base)),
    hotline: new WeightedTable(
      CATEGORIES,
      CATEGORIES.map((c) => base(c) * (HOTLINE_BOOST[c.code] ?? 1)),
    ),
  };
}

function tableOf(entries: ReadonlyArray<readonly [string, number]>): WeightedTable<CategorySeed> {
  return WeightedTable.of(
    entries.map(([code, w]) => {
      const c = CATEGORIES.find((x) => x.code === code);
      if (!c) throw new Error(`unknown category ${code}`);
      return [c, w] as const;
    }),
  );
}

/** Classes whose cases are located by community (邻里纠纷, 群租房…) rather than by road. */
const COMMUNITY_CLASSES = new Set(['09', '10', '11']);

/** Hour slots of the window with their expected share of reports. */
function timeSlots(now: number, days: number, rng: Rng): Array<{ start: number; end: number; weight: number }> {
  const from = now - days * DAY_MS;
  const dayFactor = new Map<string, number>();
  const slots: Array<{ start: number; end: number; weight: number }> = [];
  for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < now; t += HOUR_MS) {
    const start = Math.max(t, from);
    const end = Math.min(t + HOUR_MS, now);
    if (end <= start) continue;
    const day = shanghaiDay(t);
    let f = dayFactor.get(day);
    if (f === undefined) {
      const wd = shanghaiWeekday(t);
      f = rng.range(0.85, 1.15) * (wd === 0 || wd === 6 ? 0.8 : 1);
      dayFactor.set(day, f);
    }
    slots.push({ start, end, weight: HOUR_WEIGHTS[shanghaiHour(t)]! * f * ((end - start) / HOUR_MS) });
  }
  return slots;
}

export function generateCases(inp: CaseInputs, opts: CaseOptions, sink: CaseSink): { cases: number; events: number } {
  const { tree, workforce, cameras, sensors, now } = inp;
  const rng = inp.rng.fork('cases');
  const clock = new WorkClock();
  const categories = buildCategoryTables();
  const videoTable = tableOf(VIDEO_CATEGORIES);
  const policeTable = tableOf(POLICE_CATEGORIES);
  const iotTables = new Map(Object.entries(IOT_CATEGORIES).map(([t, e]) => [t, tableOf(e)]));
  const gridTable = new WeightedTable(
    tree.grids.map((_, i) => i),
    inp.gridWeights,
  );
  const gridIndex = new Map(tree.grids.map((g, i) => [g.area.id, i]));
  const watchCameras = cameras.filter((c) => c.kind !== 'body' && c.kind !== 'drone' && c.status === 'online');

  // The people of each district's centre: seat operators (坐席员), the rotating commanders
  // (指挥长, 三墩镇 has eight) and the supervision office (督查科).
  const people = new Map<string, { operators: string[]; commanders: string[]; supervisors: string[] }>();
  for (const d of tree.districts) {
    if (!d.casePrefix) continue;
    const prng = rng.fork(`people:${d.area.code}`);
    const names = (k: number): string[] => Array.from({ length: k }, () => personName(prng));
    people.set(d.area.id, { operators: names(12), commanders: names(8), supervisors: names(3) });
  }
  const hotlineOperators = Array.from({ length: 20 }, () => personName(rng));
  const unitOf = (dept: DepartmentCode, town: TownInfo): LifeInput['unit'] => {
    const id = unitId(dept, town.area.code);
    return { id, departmentId: departmentId(dept), name: unitName(dept, town), staff: workforce.unitStaff.get(id) ?? [] };
  };

  // How many reports in each hour: a multinomial draw over the slots' weights.
  const slots = timeSlots(now, opts.days, rng.fork('slots'));
  const slotTable = new WeightedTable(
    slots.map((_, i) => i),
    slots.map((s) => s.weight),
  );
  const counts = new Uint32Array(slots.length);
  const crng = rng.fork('counts');
  for (let i = 0; i < opts.total; i++) counts[slotTable.index(crng)]! += 1;

  const seqByDay = new Map<string, number>();
  let n = 0;
  let events = 0;

  const times: number[] = [];
  slots.forEach((slot, si) => {
    times.length = 0;
    for (let k = 0; k < counts[si]!; k++) times.push(Math.floor(rng.range(slot.start, slot.end)));
    times.sort((a, b) => a - b);
    // Slots are whole hours, so all their reports fall on one Shanghai day.
    const day = shanghaiDay(slot.start).replaceAll('-', '');
    for (const reportedAt of times) {
      n++;
      const source = SOURCES.pick(rng);
      let gi: number;
      let category: CategorySeed;
      let lon: number;
      let lat: number;
      /** Source-specific keys of cases.data (kept untouched by the core). */
      const extra: Record<string, unknown> = {};
      let detail = '';
      if (source === 'iot' && sensors.length > 0) {
        const s = sensors[Math.floor(rng.next() * sensors.length)]!;
        gi = gridIndex.get(s.gridId)!;
        category = iotTables.get(s.type)!.pick(rng);
        lon = s.lon;
        lat = s.lat;
        const value = Math.round(s.thresholds.alarm * rng.range(1.02, 1.6) * 100) / 100;
        Object.assign(extra, { sensorId: s.id, value, threshold: s.thresholds.alarm });
        detail = `${s.name}${SENSOR_SPECS[s.type].label}监测值${value}${s.unit}，超过告警阈值${s.thresholds.alarm}${s.unit}。`;
      } else if (source === 'video_ai' && watchCameras.length > 0) {
        const cam = watchCameras[Math.floor(rng.next() * watchCameras.length)]!;
        gi = gridIndex.get(cam.gridId)!;
        category = videoTable.pick(rng);
        // A spot 15–60 m in front of the camera, when that is still in its grid.
        const dist = rng.range(15, 60) / 111_320;
        const h = (cam.heading * Math.PI) / 180;
        const px = round6(cam.lon + (dist * Math.sin(h)) / Math.cos((cam.lat * Math.PI) / 180));
        const py = round6(cam.lat + dist * Math.cos(h));
        const inside = pointInShape(px, py, tree.grids[gi]!.shape);
        lon = inside ? px : cam.lon;
        lat = inside ? py : cam.lat;
        const confidence = Math.round(rng.range(0.72, 0.99) * 100) / 100;
        Object.assign(extra, { cameraId: cam.id, confidence });
        detail = `${cam.name}视频智能分析识别到疑似${category.name}，置信度${confidence}。`;
      } else {
        gi = gridTable.pick(rng);
        category =
          source === 'police110' ? policeTable.pick(rng) : source === 'hotline' || source === 'public' ? categories.hotline.pick(rng) : categories.field.pick(rng);
        const grid = tree.grids[gi]!;
        [lon, lat] = randomRoundedPointIn(grid.shape, grid.area.box, rng, [grid.area.cx, grid.area.cy]);
      }
      const grid = tree.grids[gi]!;
      const town = grid.town;
      const district = town.district;
      const road = rng.pick(town.def.roads);
      const byCommunity = COMMUNITY_CLASSES.has(category.classCode);
      const place = byCommunity ? `${grid.community.name}${rng.int(1, 40)}幢` : `${road}${rng.int(1, 1600)}号`;
      const title = byCommunity ? `${grid.community.name}${category.name}` : `${road}${category.name}`;
      const address = `${district.area.name}${town.area.name}${place}`;
      const urgency = pickUrgency(category, rng);
      const gridStaff = workforce.gridStaff[gi]!.length > 0 ? workforce.gridStaff[gi]! : ['网格员'];

      let reporterName: string | null = null;
      let reporterPhone: string | null = null;
      let externalId: string | null = null;
      let reporter: { actor: string; role: ActorRole };
      switch (source) {
        case 'grid':
          reporter = { actor: `${rng.pick(gridStaff)}（网格员）`, role: 'operator' };
          detail = `网格员巡查发现：${place}附近${category.name}（${category.filing}），已拍照上报。`;
          break;
        case 'hotline':
          reporterName = maskedCallerName(rng);
          reporterPhone = maskedMobile(rng);
          reporter = { actor: `12345热线（${rng.pick(hotlineOperators)}）`, role: 'operator' };
          externalId = `12345-${day}-${pad(rng.int(1, 99999), 5)}`;
          detail = `市民来电反映：${place}附近${category.name}，${category.filing}，请尽快处理。`;
          break;
        case 'public':
          reporterName = maskedCallerName(rng);
          reporterPhone = maskedMobile(rng);
          reporter = { actor: `市民（${reporterName}）`, role: 'operator' };
          detail = `市民通过“随手拍”上报：${place}附近${category.name}，附现场照片。`;
          break;
        case 'police110':
          reporter = { actor: `${district.area.name}110指挥中心`, role: 'operator' };
          detail = `110警情转办：${place}${category.name}，请属地及相关部门处置。`;
          break;
        case 'superior':
          reporter = { actor: CITY.centreName, role: 'operator' };
          detail = `上级交办：${place}${category.name}，请按期办结并反馈。`;
          break;
        case 'video_ai':
          reporter = { actor: '视频智能分析平台', role: 'system' };
          break;
        case 'iot':
          reporter = { actor: '物联感知平台', role: 'system' };
          break;
        case 'consultation':
          reporter = { actor: '每日会商', role: 'commander' };
          break;
      }
      if (!detail) detail = `${source === 'iot' ? '物联感知告警' : '视频巡查发现'}：${place}附近${category.name}。`;

      const id = caseId(n);
      const seqKey = `${district.casePrefix ?? 'HZ'}${day}`;
      const seq = (seqByDay.get(seqKey) ?? 0) + 1;
      seqByDay.set(seqKey, seq);
      const code = `${seqKey}-${pad(seq, 5)}`;

      const staff = people.get(district.area.id) ?? { operators: hotlineOperators, commanders: hotlineOperators, supervisors: hotlineOperators };
      const wrongDept: DepartmentCode = category.department === 'JZ' ? 'CG' : 'JZ';
      const { events: history, outcome: o } = simulateCase({
        rng: rng.derive(n),
        clock,
        now,
        reportedAt,
        source,
        category,
        urgency,
        reporter,
        reportData: { source, transport: 'internal', ...(externalId ? { externalId } : {}) },
        gridWorker: gridStaff[0]!,
        districtName: district.area.name,
        operators: staff.operators,
        commanders: staff.commanders,
        supervisors: staff.supervisors,
        inspectors: workforce.inspectors.get(town.area.id) ?? ['核查员'],
        unit: unitOf(category.department, town),
        wrongUnit: unitOf(wrongDept, town),
      });
      const last = history[history.length - 1]!;
      const data: Record<string, unknown> = { ...extra };
      if (externalId) data['externalId'] = externalId;
      if (o.suspendedFrom) data['suspendedFrom'] = o.suspendedFrom;
      if (o.extensionRequest) data['extensionRequest'] = o.extensionRequest;
      if (o.extensions.length > 0) data['extensions'] = o.extensions;

      sink.caseRow({
        rid: n,
        id,
        code,
        source,
        classCode: category.classCode,
        categoryCode: category.code,
        title,
        description: detail,
        address,
        lon,
        lat,
        gridId: grid.area.id,
        communityId: grid.community.id,
        townId: town.area.id,
        districtId: district.area.id,
        urgency,
        state: o.state,
        reporterName,
        reporterPhone,
        departmentId: o.departmentId,
        unitId: o.unitId,
        assigneeId: o.assigneeId,
        reportedAt,
        registeredAt: o.registeredAt,
        dispatchedAt: o.dispatchedAt,
        deadlineAt: o.deadlineAt,
        closedAt: o.closedAt,
        overdue: o.overdue,
        supervised: o.supervised,
        limitMs: o.limitMs,
        warnAt: o.warnAt,
        warning: o.warning,
        pausedAt: o.pausedAt,
        supervisionLevel: o.supervisionLevel,
        data: JSON.stringify(data),
        updatedAt: last.at,
        version: history.length,
      });
      const terminal = o.state === 'closed' || o.state === 'cancelled';
      const written = opts.history === 'full' || !terminal ? history : history.filter((e) => e === last || KEPT_IN_LIGHT_HISTORY.has(e.action));
      for (const e of written) {
        sink.event({ caseId: id, at: e.at, action: e.action, fromState: e.from, toState: e.to, actor: e.actor, role: e.role, note: e.note, data: eventDataJson(e.data) });
        events++;
      }
    }
  });
  return { cases: n, events };
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

function pickUrgency(c: CategorySeed, rng: Rng): 0 | 1 | 2 {
  const r = rng.next();
  if (c.classCode === '05') return r < 0.4 ? 0 : r < 0.85 ? 1 : 2;
  return r < 0.92 ? 0 : r < 0.99 ? 1 : 2;
}
