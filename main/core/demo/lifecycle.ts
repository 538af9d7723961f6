/**
 * The life of one demo case, simulated with the same rules the core applies to real cases
 * (shared/domain/workflow.ts and main/core/cases/workflow.ts): the same actions, roles, state
 * changes and working-time deadline clock (shared/domain/workclock.ts):
 * - dispatch starts the clock (deadline = dispatch + the category's limit in working time,
 *   80 % warning instant), handle and suspend pause it, a failed check and resume restart it with
 *   the time that was left, return clears it, an approved extension moves the deadline;
 * - the core's periodic scan is mimicked: a running case that passes its warning instant gets a
 *   'warning' entry, one that passes its deadline becomes overdue and is supervised by the system.
 *
 * The plan of a case (delays, branches) is drawn from its own random stream; the simulation stops
 * at `now`, so a case reported an hour ago is still being handled and one from last month is closed.
 */
import type { CategorySeed, TimeLimit } from '../../../shared/domain/catalogue';
import type { CaseSource, CaseState } from '../../../shared/domain/model';
import { CLOCK_STATES, WARNING_FRACTION, type ActorRole } from '../../../shared/domain/workflow';
import type { WorkClock } from '../../../shared/domain/workclock';
import { DAY_MS, shanghaiHour, toShanghaiIso } from '../../../shared/time';
import type { Rng } from './prng';

/** Actions in case_events: the workflow's, plus 'report' (intake) and 'warning' (the scan). */
export type LifeAction =
  | 'report'
  | 'register'
  | 'cancel'
  | 'settle_on_spot'
  | 'dispatch'
  | 'accept'
  | 'return'
  | 'handle'
  | 'verify_pass'
  | 'verify_fail'
  | 'request_extension'
  | 'approve_extension'
  | 'reject_extension'
  | 'suspend'
  | 'resume'
  | 'supervise'
  | 'warning';

export interface LifeEvent {
  at: number;
  action: LifeAction;
  from: CaseState | null;
  to: CaseState;
  actor: string;
  role: ActorRole;
  note: string;
  /** Event data; `deadlineAt` is epoch ms here and stored as ISO-8601 (see eventDataJson). */
  data: Record<string, unknown>;
}

/** case_events.data as the core writes it: instants as ISO-8601 with the +08:00 offset. */
export function eventDataJson(data: Record<string, unknown>): string {
  return JSON.stringify(data, (key, value: unknown) => (key === 'deadlineAt' && typeof value === 'number' ? toShanghaiIso(value) : value));
}

export interface Staffer {
  id: string | null;
  name: string;
}

export interface LifeInput {
  rng: Rng;
  clock: WorkClock;
  now: number;
  reportedAt: number;
  source: CaseSource;
  category: CategorySeed;
  urgency: 0 | 1 | 2;
  reporter: { actor: string; role: ActorRole };
  reportData: Record<string, unknown>;
  /** The grid worker of the case's grid (settles simple problems on the spot). */
  gridWorker: string;
  districtName: string;
  operators: readonly string[];
  commanders: readonly string[];
  supervisors: readonly string[];
  inspectors: readonly string[];
  /** The right unit for the category, and one that will return the case as not theirs. */
  unit: { id: string; departmentId: string; name: string; staff: readonly Staffer[] };
  wrongUnit: { id: string; departmentId: string; name: string; staff: readonly Staffer[] };
}

/** The case's columns after its life up to `now`. */
export interface LifeOutcome {
  state: CaseState;
  registeredAt: number | null;
  dispatchedAt: number | null;
  deadlineAt: number | null;
  closedAt: number | null;
  departmentId: string | null;
  unitId: string | null;
  assigneeId: string | null;
  overdue: boolean;
  supervised: boolean;
  supervisionLevel: number;
  limitMs: number | null;
  warnAt: number | null;
  warning: boolean;
  pausedAt: number | null;
  /** Workflow facts kept in cases.data (see main/core/cases/data.ts). */
  suspendedFrom: CaseState | null;
  extensionRequest: { extension: TimeLimit; note: string; actor: string; at: number } | null;
  extensions: Array<{ extension: TimeLimit; actor: string; at: number }>;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** How long after an instant the core's deadline scan notices it. */
const SCAN_LAG = 45_000;

const CANCEL_NOTES = ['经核实不属实，不予立案', '重复上报，已合并处理', '不属于受理范围，已告知来电人', '现场核实问题已自行消除'];
const VIDEO_CANCEL_NOTES = ['AI识别误报，不予立案', '画面核实非违规行为，不予立案'];
const IOT_CANCEL_NOTES = ['设备误报，已通知运维单位校准', '现场核实无异常，不予立案'];
const FAIL_NOTES = ['现场核查未通过：问题仍存在', '现场核查未通过：处置不彻底', '现场核查未通过：现场仍有残留'];
const SUSPEND_NOTES = ['涉及历史遗留问题，需多部门协调，挂账处理', '权属不清，待相关部门认定后处置', '需纳入年度整治计划，挂账跟踪'];
const EXTENSION_NOTES = ['需协调多部门联合处置，申请延期', '涉及施工采购，申请延期', '当事人不在现场，申请延期'];
const REJECT_NOTES = ['理由不充分，请按期办结', '属常规处置事项，不予延期'];

/** The simulated case: its fields and history, advanced action by action. */
class CaseSim implements LifeOutcome {
  state: CaseState = 'reported';
  registeredAt: number | null = null;
  dispatchedAt: number | null = null;
  deadlineAt: number | null = null;
  closedAt: number | null = null;
  departmentId: string | null = null;
  unitId: string | null = null;
  assigneeId: string | null = null;
  overdue = false;
  supervised = false;
  supervisionLevel = 0;
  limitMs: number | null = null;
  warnAt: number | null = null;
  warning = false;
  pausedAt: number | null = null;
  suspendedFrom: CaseState | null = null;
  extensionRequest: LifeOutcome['extensionRequest'] = null;
  extensions: LifeOutcome['extensions'] = [];

  readonly events: LifeEvent[] = [];
  /** The time of the last action. */
  t: number;
  /** Set once the next action would be after `now`. */
  stopped = false;

  constructor(
    private readonly clock: WorkClock,
    private readonly now: number,
    start: number,
  ) {
    this.t = start;
  }

  private running(): boolean {
    return CLOCK_STATES.includes(this.state) && this.deadlineAt !== null && this.pausedAt === null;
  }

  private record(at: number, action: LifeAction, from: CaseState | null, actor: string, role: ActorRole, note: string, data: Record<string, unknown>): void {
    this.events.push({ at, action, from, to: this.state, actor, role, note, data });
  }

  /** The core's deadline scan, up to `until`: the 80 % warning, then overdue with automatic 督办. */
  private scan(until: number): void {
    if (!this.running()) return;
    const deadline = this.deadlineAt!;
    if (!this.warning && this.warnAt !== null && this.warnAt + SCAN_LAG <= until && this.warnAt + SCAN_LAG < deadline) {
      this.warning = true;
      this.record(this.warnAt + SCAN_LAG, 'warning', this.state, 'system', 'system', `已用处置时限的${Math.round(WARNING_FRACTION * 100)}%`, {
        deadlineAt: deadline,
      });
    }
    if (!this.overdue && deadline + SCAN_LAG <= until) {
      this.overdue = true;
      this.warning = true;
      this.supervised = true;
      this.supervisionLevel = Math.max(1, this.supervisionLevel);
      this.record(deadline + SCAN_LAG, 'supervise', this.state, 'system', 'system', '超过处置时限，自动督办', {
        auto: true,
        reason: 'overdue',
        level: this.supervisionLevel,
        deadlineAt: deadline,
      });
    }
  }

  /**
   * Takes an action at `at` (not before the previous one). Returns false, and stops the case,
   * when that is after `now`.
   */
  act(at: number, action: LifeAction, actor: string, role: ActorRole, note: string, effect: (data: Record<string, unknown>) => void): boolean {
    if (this.stopped) return false;
    const when = Math.max(at, this.t);
    if (when > this.now) {
      this.finish();
      return false;
    }
    this.scan(when);
    const from = this.state;
    const data: Record<string, unknown> = {};
    this.t = when;
    effect(data);
    if (!CLOCK_STATES.includes(this.state)) this.extensionRequest = null;
    this.record(when, action, action === 'report' ? null : from, actor, role, note, data);
    return true;
  }

  /** Nothing more happens to the case before `now`; the scan still runs. */
  finish(): void {
    if (this.stopped) return;
    this.scan(this.now);
    this.stopped = true;
  }

  startClock(limit: TimeLimit, data: Record<string, unknown>): void {
    const allotted = this.clock.limitMs(limit);
    const deadline = this.clock.addWorkingMs(this.t, allotted);
    this.deadlineAt = deadline;
    this.limitMs = allotted;
    this.warnAt = this.clock.instantAtFraction(allotted, this.t, deadline, WARNING_FRACTION);
    this.warning = false;
    this.overdue = false;
    this.pausedAt = null;
    data['deadlineAt'] = deadline;
    data['limit'] = limit;
  }

  pauseClock(): void {
    this.pausedAt = this.t;
    if (this.deadlineAt !== null && this.deadlineAt <= this.t) this.overdue = true;
  }

  resumeClock(data: Record<string, unknown>): void {
    if (this.pausedAt !== null && this.deadlineAt !== null) {
      const left = this.clock.workingMsBetween(this.pausedAt, this.deadlineAt);
      const deadline = left > 0 ? this.clock.addWorkingMs(this.t, left) : this.deadlineAt;
      const allotted = this.limitMs ?? Math.max(left, 1);
      this.deadlineAt = deadline;
      this.limitMs = allotted;
      this.warnAt = this.clock.instantAtFraction(allotted, this.t, deadline, WARNING_FRACTION);
      this.warning = this.warnAt <= this.t;
      data['deadlineAt'] = deadline;
    }
    this.pausedAt = null;
  }

  clearClock(): void {
    this.deadlineAt = null;
    this.limitMs = null;
    this.warnAt = null;
    this.warning = false;
    this.overdue = false;
    this.pausedAt = null;
  }

  extendClock(extension: TimeLimit, data: Record<string, unknown>): void {
    const add = this.clock.limitMs(extension);
    const deadline = this.clock.addWorkingMs(this.deadlineAt ?? this.t, add);
    const allotted = (this.limitMs ?? 0) + add;
    this.deadlineAt = deadline;
    this.limitMs = allotted;
    this.warnAt = this.clock.instantAtFraction(allotted, this.t, deadline, WARNING_FRACTION);
    this.warning = this.warnAt <= this.t;
    if (deadline > this.t) this.overdue = false;
    data['deadlineAt'] = deadline;
  }
}

/** Delays and actors of one case's plan, drawn from its random stream. */
class Plan {
  readonly urgent: boolean;

  constructor(
    readonly inp: LifeInput,
    readonly sim: CaseSim,
  ) {
    this.urgent = inp.urgency > 0 || inp.category.classCode === '05';
  }

  minutes(a: number, b: number): number {
    return this.inp.rng.int(a, b) * MINUTE + this.inp.rng.int(0, 59) * 1000;
  }

  /** Desk work on non-urgent cases waits for staffed hours (08:00–22:00). */
  staffed(t: number): number {
    if (this.urgent) return t;
    const h = shanghaiHour(t);
    if (h >= 8 && h < 22) return t;
    const top = Math.floor(t / HOUR) * HOUR;
    return top + (h >= 22 ? 24 - h + 8 : 8 - h) * HOUR + this.inp.rng.int(0, 45) * MINUTE;
  }

  pick<T>(xs: readonly T[]): T {
    return this.inp.rng.pick(xs);
  }

  operator(): string {
    return this.pick(this.inp.operators);
  }

  commander(): string {
    return `${this.inp.districtName}城运中心指挥长 ${this.pick(this.inp.commanders)}`;
  }

  staffOf(u: LifeInput['unit']): Staffer {
    return u.staff.length > 0 ? this.pick(u.staff) : { id: null, name: '值班人员' };
  }

  done(): { events: LifeEvent[]; outcome: LifeOutcome } {
    this.sim.finish();
    return { events: this.sim.events, outcome: this.sim };
  }

  dispatch(t: number, u: LifeInput['unit']): boolean {
    const sim = this.sim;
    const limit = this.inp.category.limit;
    return sim.act(t, 'dispatch', this.operator(), 'operator', `派遣至${u.name}`, (d) => {
      sim.state = 'dispatched';
      sim.departmentId = u.departmentId;
      sim.unitId = u.id;
      sim.assigneeId = null;
      sim.dispatchedAt = sim.t;
      d['departmentId'] = u.departmentId;
      d['unitId'] = u.id;
      sim.startClock(limit, d);
    });
  }

  /**
   * When handling that starts at `from` is done: urgent work in minutes; the rest takes `share` of
   * the working time left until the deadline.
   */
  handleAfter(from: number, share: number): number {
    if (this.urgent) return from + this.minutes(15, 150);
    const { clock, category } = this.inp;
    const deadline = this.sim.deadlineAt;
    const left = deadline !== null ? clock.workingMsBetween(from, deadline) : clock.limitMs(category.limit);
    const base = Math.max(left, 30 * MINUTE);
    return clock.addWorkingMs(from, Math.max(10 * MINUTE, Math.round(base * share)));
  }

  handle(t: number, actor: string, note: string): boolean {
    const sim = this.sim;
    return sim.act(t, 'handle', actor, 'unit', note, () => {
      sim.state = 'handled';
      sim.pauseClock();
    });
  }
}

/** Simulates one case from its report until `now`. */
export function simulateCase(inp: LifeInput): { events: LifeEvent[]; outcome: LifeOutcome } {
  const { rng, clock, category } = inp;
  const sim = new CaseSim(clock, inp.now, inp.reportedAt);
  const plan = new Plan(inp, sim);
  const limit = category.limit;

  sim.act(inp.reportedAt, 'report', inp.reporter.actor, inp.reporter.role, '', (d) => Object.assign(d, inp.reportData));

  // 当场解决: grid workers settle simple street problems on the spot.
  const simple = (category.classCode === '01' || category.classCode === '02' || category.classCode === '04') && (limit.unit === 'work_hours' || limit.value <= 1);
  if (inp.source === 'grid' && simple && rng.chance(0.12)) {
    sim.act(inp.reportedAt + plan.minutes(3, 30), 'settle_on_spot', plan.operator(), 'operator', `网格员${inp.gridWorker}当场处置：${category.closing}`, () => {
      sim.state = 'closed';
      sim.registeredAt = sim.t;
      sim.closedAt = sim.t;
    });
    return plan.done();
  }

  // 立案, or 不予立案.
  let t = plan.staffed(inp.reportedAt + (inp.source === 'grid' ? plan.minutes(2, 20) : plan.minutes(5, 60)));
  const cancelP = inp.source === 'video_ai' ? 0.12 : inp.source === 'iot' ? 0.08 : inp.source === 'hotline' || inp.source === 'public' ? 0.05 : 0.03;
  if (rng.chance(cancelP)) {
    const notes = inp.source === 'video_ai' ? VIDEO_CANCEL_NOTES : inp.source === 'iot' ? IOT_CANCEL_NOTES : CANCEL_NOTES;
    sim.act(t, 'cancel', plan.operator(), 'operator', plan.pick(notes), () => {
      sim.state = 'cancelled';
    });
    return plan.done();
  }
  const registered = sim.act(t, 'register', plan.operator(), 'operator', `立案：${category.name}`, () => {
    sim.state = 'registered';
    sim.registeredAt = sim.t;
  });
  if (!registered) return plan.done();

  // 派遣; sometimes first to a unit that returns it (回退), then dispatched again.
  t = plan.staffed(t + plan.minutes(3, 30));
  if (rng.chance(0.03)) {
    if (!plan.dispatch(t, inp.wrongUnit)) return plan.done();
    t = plan.staffed(t + plan.minutes(10, 120));
    const who = plan.staffOf(inp.wrongUnit);
    const returned = sim.act(t, 'return', `${inp.wrongUnit.name}（${who.name}）`, 'unit', '非本单位职责，申请回退', (d) => {
      d['departmentId'] = sim.departmentId;
      d['unitId'] = sim.unitId;
      sim.state = 'returned';
      sim.unitId = null;
      sim.assigneeId = null;
      sim.clearClock();
    });
    if (!returned) return plan.done();
    t = plan.staffed(t + plan.minutes(10, 90));
  }
  if (!plan.dispatch(t, inp.unit)) return plan.done();
  if (inp.urgency === 2 && rng.chance(0.4)) {
    t += plan.minutes(1, 10);
    const ok = sim.act(t, 'supervise', plan.commander(), 'commander', '特急案件，指挥长督办', (d) => {
      sim.supervised = true;
      sim.supervisionLevel = Math.max(sim.supervisionLevel, 1);
      d['level'] = sim.supervisionLevel;
    });
    if (!ok) return plan.done();
  }

  // 签收.
  const worker = plan.staffOf(inp.unit);
  const unitActor = `${inp.unit.name}（${worker.name}）`;
  t = plan.staffed(t + (plan.urgent ? plan.minutes(2, 20) : plan.minutes(10, 90)));
  const accepted = sim.act(t, 'accept', unitActor, 'unit', '', (d) => {
    sim.state = 'accepted';
    if (worker.id) {
      sim.assigneeId = worker.id;
      d['assigneeId'] = worker.id;
    }
  });
  if (!accepted) return plan.done();

  // 挂账: long cases that cannot be solved within the limit are parked, some later resumed.
  if (limit.unit === 'work_days' && limit.value >= 5 && rng.chance(0.06)) {
    t = clock.addWorkingMs(sim.t, Math.round(clock.limitMs(limit) * rng.range(0.3, 0.8)));
    const ok = sim.act(t, 'suspend', plan.commander(), 'commander', plan.pick(SUSPEND_NOTES), () => {
      sim.suspendedFrom = sim.state;
      sim.state = 'suspended';
      sim.pauseClock();
    });
    if (!ok || rng.chance(0.6)) return plan.done();
    t = plan.staffed(sim.t + rng.int(2, 10) * DAY_MS + plan.minutes(0, 600));
    const resumed = sim.act(t, 'resume', plan.commander(), 'commander', '协调完毕，恢复办理', (d) => {
      sim.state = sim.suspendedFrom ?? 'accepted';
      sim.suspendedFrom = null;
      sim.resumeClock(d);
    });
    if (!resumed) return plan.done();
  }

  // 延期: the unit asks, a commander approves or rejects.
  if (limit.unit === 'work_days' && rng.chance(0.05) && sim.deadlineAt !== null) {
    const left = Math.max(0, clock.workingMsBetween(sim.t, sim.deadlineAt));
    t = clock.addWorkingMs(sim.t, Math.round(left * rng.range(0.2, 0.6)));
    const extension: TimeLimit = { unit: 'work_days', value: Math.max(1, Math.ceil(limit.value / 2)) };
    const note = plan.pick(EXTENSION_NOTES);
    const asked = sim.act(t, 'request_extension', unitActor, 'unit', note, (d) => {
      sim.extensionRequest = { extension, note, actor: unitActor, at: sim.t };
      d['extension'] = extension;
    });
    if (!asked) return plan.done();
    t = plan.staffed(t + plan.minutes(30, 360));
    const approve = rng.chance(0.85);
    const who = plan.commander();
    const decided = sim.act(t, approve ? 'approve_extension' : 'reject_extension', who, 'commander', approve ? '同意延期' : plan.pick(REJECT_NOTES), (d) => {
      d['extension'] = extension;
      sim.extensionRequest = null;
      if (approve) {
        sim.extensions.push({ extension, actor: who, at: sim.t });
        sim.extendClock(extension, d);
      }
    });
    if (!decided) return plan.done();
  }

  // 处置反馈: a share of the working time left (median 45 %; about 5 % run past the deadline).
  t = plan.handleAfter(sim.t, Math.min(3, rng.logNormal(0.45, 0.55)));
  // 督办 by the supervision office when a case is more than a day late.
  if (sim.deadlineAt !== null && t > sim.deadlineAt + DAY_MS && rng.chance(0.35)) {
    const at = plan.staffed(sim.deadlineAt + DAY_MS + plan.minutes(0, 240));
    if (at < t) {
      const ok = sim.act(at, 'supervise', `${inp.districtName}城运中心督查科 ${plan.pick(inp.supervisors)}`, 'supervisor', '超期一日以上，区级督办', (d) => {
        sim.supervised = true;
        sim.supervisionLevel = Math.max(sim.supervisionLevel + 1, 2);
        d['level'] = sim.supervisionLevel;
      });
      if (!ok) return plan.done();
    }
  }
  if (!plan.handle(t, unitActor, `已处置：${category.closing}`)) return plan.done();

  // 核查: a failed check sends the case back (返工) with the time it had left.
  const inspector = plan.pick(inp.inspectors);
  t = plan.staffed(t + plan.minutes(30, 240));
  if (rng.chance(0.08)) {
    const failed = sim.act(t, 'verify_fail', inspector, 'inspector', plan.pick(FAIL_NOTES), (d) => {
      sim.state = 'rework';
      sim.resumeClock(d);
    });
    if (!failed) return plan.done();
    t = plan.handleAfter(sim.t, Math.min(2, rng.logNormal(0.25, 0.5)));
    if (!plan.handle(t, unitActor, '返工完成，已重新处置')) return plan.done();
    t = plan.staffed(t + plan.minutes(30, 240));
  }
  sim.act(t, 'verify_pass', inspector, 'inspector', '现场核查通过，结案', () => {
    sim.state = 'closed';
    sim.pausedAt = null;
    sim.closedAt = sim.t;
  });
  return plan.done();
}
