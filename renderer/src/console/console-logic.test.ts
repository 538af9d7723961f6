import { describe, expect, it } from 'vitest';
import { WORKFLOW_ACTIONS, allowedActions, initialSnapshot, type WorkflowAction } from '../../../shared/domain/workflow';
import { caseActInputSchema } from '../../../shared/api/workflow';
import { ACTION_SHORTCUTS, actionForKey, buildActInput, dialogFor, isShortcutTarget, photoRefs, visibleActions } from './actions';
import { deadlineTone, usedFraction } from './deadline';
import { csvWithBom, EVAL_COLUMNS, formatRate, rateTone, sortRows } from './evaluation/columns';
import { fitProjection, geometryPath, padBox, unionBox, wedgePath } from './geo';
import { actorOf, DEFAULT_SEAT, loadSeat, parseSeat, saveSeat } from './seat';
import { EMPTY_SENSOR_FORM, toSensorInput } from './sensors/form';
import { tabFromHash } from './tabs';
import { preselectAssignee } from './dialogs/DispatchDialog';
import type { EvaluationRow } from '../../../shared/api/evaluation';

describe('workflow actions in the console', () => {
  it('gives every action but merge its own shortcut letter', () => {
    const letters = Object.values(ACTION_SHORTCUTS);
    expect(new Set(letters).size).toBe(letters.length);
    for (const a of WORKFLOW_ACTIONS) if (a !== 'merge') expect(ACTION_SHORTCUTS[a], a).toMatch(/^[A-Z]$/);
    expect(letters).not.toContain('N'); // N is the new-case key
    expect(ACTION_SHORTCUTS).toMatchObject({ register: 'R', dispatch: 'D', accept: 'A', handle: 'H', verify_pass: 'P', verify_fail: 'F', return: 'B', cancel: 'X', request_extension: 'E', supervise: 'S', suspend: 'G' });
  });

  it('maps keys to allowed actions only', () => {
    const allowed = allowedActions(initialSnapshot(), 'operator');
    expect(visibleActions(allowed)).toEqual(['register', 'settle_on_spot', 'cancel']);
    expect(actionForKey('r', allowed)).toBe('register');
    expect(actionForKey('R', allowed)).toBe('register');
    expect(actionForKey('d', allowed)).toBeNull();
    expect(actionForKey('Enter', allowed)).toBeNull();
  });

  it('reads shortcuts only when not typing and without modifiers', () => {
    const none = { ctrlKey: false, metaKey: false, altKey: false };
    expect(isShortcutTarget({ tagName: 'DIV' }, none)).toBe(true);
    expect(isShortcutTarget(null, none)).toBe(true);
    expect(isShortcutTarget({ tagName: 'INPUT' }, none)).toBe(false);
    expect(isShortcutTarget({ tagName: 'textarea' }, none)).toBe(false);
    expect(isShortcutTarget({ tagName: 'DIV', isContentEditable: true }, none)).toBe(false);
    expect(isShortcutTarget({ tagName: 'DIV' }, { ...none, ctrlKey: true })).toBe(false);
  });

  it('builds inputs the API accepts for every action with its dialog', () => {
    const base = { id: 'c1', version: 3, actor: '王五', role: 'operator' as const };
    const inputs: Record<Exclude<WorkflowAction, 'merge'>, Parameters<typeof buildActInput>[2]> = {
      register: { kind: 'none' },
      accept: { kind: 'none' },
      verify_pass: { kind: 'none' },
      approve_extension: { kind: 'none' },
      resume: { kind: 'none' },
      cancel: { kind: 'reason', note: '不属于受理范围' },
      return: { kind: 'reason', note: '非本单位职责' },
      reject_extension: { kind: 'reason', note: '理由不充分' },
      suspend: { kind: 'reason', note: '需协调多部门' },
      reopen: { kind: 'reason', note: '群众再次反映' },
      handle: { kind: 'report', note: '已清理', photos: 'a.jpg\n\n https://x/b.jpg ' },
      verify_fail: { kind: 'report', note: '仍有残留', photos: '' },
      settle_on_spot: { kind: 'report', note: '现场调解', photos: '' },
      request_extension: { kind: 'extension', note: '材料未到', amount: 2, unit: 'work_days' },
      supervise: { kind: 'supervise', note: '加快办理', level: 2 },
      dispatch: { kind: 'dispatch', note: '派遣', departmentId: 'd1', unitId: 'u1', assigneeId: null },
    };
    for (const [action, input] of Object.entries(inputs) as Array<[WorkflowAction, Parameters<typeof buildActInput>[2]]>) {
      const body = buildActInput(action, base, input);
      expect(body, action).not.toBeNull();
      expect(caseActInputSchema.safeParse(body).success, action).toBe(true);
      expect(dialogFor(action) === 'none', action).toBe(input.kind === 'none');
    }
    expect(buildActInput('handle', base, inputs.handle)).toMatchObject({ attachments: [{ kind: 'photo', url: 'a.jpg' }, { kind: 'photo', url: 'https://x/b.jpg' }] });
    expect(buildActInput('dispatch', base, { kind: 'dispatch', note: '', departmentId: 'd', unitId: 'u', assigneeId: 's1' })).toMatchObject({ assigneeId: 's1' });
    expect(buildActInput('cancel', base, { kind: 'none' })).toBeNull();
    expect(buildActInput('merge', base, { kind: 'reason', note: 'x' })).toBeNull();
    expect(photoRefs('\n')).toEqual([]);
  });
});

describe('the seat', () => {
  it('parses what was stored, falling back to the default', () => {
    expect(parseSeat(null)).toEqual(DEFAULT_SEAT);
    expect(parseSeat('not json')).toEqual(DEFAULT_SEAT);
    expect(parseSeat('{"role":"inspector","name":"李四"}')).toEqual({ role: 'inspector', name: '李四' });
    expect(parseSeat('{"role":"king","name":42}')).toEqual({ role: 'operator', name: '' });
  });

  it('round-trips through storage and needs a name to act', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    saveSeat(storage, { role: 'unit', name: ' 张三 ' });
    expect(loadSeat(storage)).toEqual({ role: 'unit', name: ' 张三 ' });
    expect(actorOf(loadSeat(storage))).toBe('张三');
    expect(actorOf({ role: 'unit', name: '   ' })).toBeNull();
    const broken = { getItem: (): string => { throw new Error('denied'); }, setItem: (): void => { throw new Error('denied'); } };
    expect(loadSeat(broken)).toEqual(DEFAULT_SEAT);
    expect(() => saveSeat(broken, DEFAULT_SEAT)).not.toThrow();
  });

  it('opens the tab named in the address', () => {
    expect(tabFromHash('#evaluation')).toBe('evaluation');
    expect(tabFromHash('')).toBe('queue');
    expect(tabFromHash('#nope')).toBe('queue');
  });
});

describe('deadline tones', () => {
  const now = Date.parse('2026-11-20T10:00:00+08:00');
  const c = (over: Partial<Parameters<typeof deadlineTone>[0]>) => ({ state: 'accepted' as const, deadlineAt: '2026-11-20T16:00:00+08:00', overdue: false, warning: false, ...over });
  it('colours by the 80 % warning and overdue, pauses and terminal states', () => {
    expect(deadlineTone(c({}), now)).toBe('ok');
    expect(deadlineTone(c({ warning: true }), now)).toBe('warning');
    expect(deadlineTone(c({ overdue: true }), now)).toBe('overdue');
    expect(deadlineTone(c({ deadlineAt: '2026-11-20T09:00:00+08:00' }), now)).toBe('overdue');
    expect(deadlineTone(c({ state: 'handled' }), now)).toBe('paused');
    expect(deadlineTone(c({ state: 'suspended' }), now)).toBe('paused');
    expect(deadlineTone(c({ state: 'registered', deadlineAt: null }), now)).toBe('none');
    expect(deadlineTone(c({ state: 'closed' }), now)).toBe('done');
    expect(usedFraction(2.2)).toBe(1);
    expect(usedFraction(null)).toBe(0);
    expect(usedFraction(0.5)).toBe(0.5);
  });
});

describe('evaluation table', () => {
  const row = (key: string, name: string, over: Partial<EvaluationRow>): EvaluationRow => ({
    key, name, received: 0, registered: 0, dispatched: 0, closed: 0, due: 0, deferred: 0, closedDue: 0, closedOnTime: 0, overdue: 0, reworked: 0, extended: 0, returned: 0,
    closeRate: null, onTimeRate: null, reworkRate: null, extensionRate: null, returnRate: null, avgHandlingWorkHours: null, ...over,
  });
  it('formats rates and tones them by whether high or low is good', () => {
    expect(formatRate(0.92187)).toBe('92.2%');
    expect(formatRate(null)).toBe('—');
    const close = EVAL_COLUMNS.find((c) => c.key === 'closeRate')!;
    const rework = EVAL_COLUMNS.find((c) => c.key === 'reworkRate')!;
    expect(rateTone(close, 0.95)).toBe('good');
    expect(rateTone(close, 0.7)).toBe('bad');
    expect(rateTone(rework, 0.02)).toBe('good');
    expect(rateTone(rework, 0.3)).toBe('bad');
    expect(rateTone(rework, null)).toBeNull();
  });
  it('sorts by a column with nulls last, or by name', () => {
    const rows = [row('a', '乙', { closeRate: 0.5 }), row('b', '甲', { closeRate: null }), row('c', '丙', { closeRate: 0.9 })];
    expect(sortRows(rows, 'closeRate', 'desc').map((r) => r.key)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, 'closeRate', 'asc').map((r) => r.key)).toEqual(['a', 'c', 'b']);
    expect(sortRows(rows, 'name', 'asc').map((r) => r.name)).toEqual([...rows.map((r) => r.name)].sort((x, y) => x.localeCompare(y, 'zh-CN')));
  });
  it('adds the BOM only once', () => {
    expect(csvWithBom('a,b')).toBe('\uFEFFa,b');
    expect(csvWithBom('\uFEFFa,b')).toBe('\uFEFFa,b');
  });
});

describe('small maps', () => {
  it('fits a box, keeps proportions and inverts', () => {
    const p = fitProjection([120, 30, 120.02, 30.01], 400, 200);
    const [x0, y0] = p.project(120, 30.01);
    const [x1, y1] = p.project(120.02, 30);
    expect(Math.min(x0, y0)).toBeGreaterThanOrEqual(-1e-9);
    expect(x1).toBeLessThanOrEqual(400 + 1e-9);
    expect(y1).toBeLessThanOrEqual(200 + 1e-9);
    const [lon, lat] = p.unproject(...p.project(120.013, 30.004));
    expect(lon).toBeCloseTo(120.013, 9);
    expect(lat).toBeCloseTo(30.004, 9);
    // 0.02° of longitude at 30° N is ~1.73× as long on the ground as 0.01° of latitude
    expect((x1 - x0) / (y1 - y0)).toBeCloseTo((0.02 * Math.cos((30.005 * Math.PI) / 180)) / 0.01, 6);
  });
  it('pads, unions and draws', () => {
    expect(padBox([0, 0, 1, 1], 0.5)).toEqual([-0.5, -0.5, 1.5, 1.5]);
    expect(padBox([5, 5, 5, 5], 0, 0.002)).toEqual([4.999, 4.999, 5.001, 5.001]);
    expect(unionBox([])).toBeNull();
    expect(unionBox([[0, 0, 1, 1], [2, -1, 3, 0.5]])).toEqual([0, -1, 3, 1]);
    const p = fitProjection([0, 0, 1, 1], 100, 100);
    expect(geometryPath({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, p)).toMatch(/^M[\d.]+,[\d.]+L.*Z$/);
    expect(wedgePath(50, 50, 0, 90, 10)).toMatch(/^M50\.0,50\.0L.*A10,10 0 0,1 .*Z$/);
    expect(wedgePath(50, 50, 0, 360, 10)).toContain('a10,10');
  });
});

describe('sensor form', () => {
  const base = { ...EMPTY_SENSOR_FORM, id: 'wl-1', name: '积水点', lon: '120.1', lat: '30.2', intervalS: '300' };
  it('inherits the type ladder unless the sensor has its own', () => {
    const out = toSensorInput(base);
    expect(out.errors).toBeNull();
    expect(out.input).toMatchObject({ id: 'wl-1', type: 'water_level', lon: 120.1, lat: 30.2, intervalS: 300, thresholds: {}, departmentId: null });
    const own = toSensorInput({ ...base, ownLadder: true, warn: '0.1', alarm: '', critical: '0.3' }, { silenceFactor: 5 });
    expect(own.input?.thresholds).toEqual({ silenceFactor: 5, dir: 'above', warn: 0.1, alarm: null, critical: 0.3 });
  });
  it('refuses bad ids, coordinates and ladders', () => {
    expect(toSensorInput({ ...base, id: 'a b', lon: '200' }).errors).toMatchObject({ id: 'sensors.err.id', lon: 'sensors.err.lon' });
    expect(toSensorInput({ ...base, ownLadder: true }).errors).toMatchObject({ warn: 'sensors.err.oneLevel' });
    expect(toSensorInput({ ...base, ownLadder: true, warn: '0.3', alarm: '0.1' }).errors).toMatchObject({ alarm: 'sensors.err.ascending' });
    expect(toSensorInput({ ...base, ownLadder: true, dir: 'below', warn: '10', alarm: '5' }).errors).toBeNull();
    expect(toSensorInput({ ...base, intervalS: '1.5' }).errors).toMatchObject({ intervalS: 'sensors.err.interval' });
  });
});

describe('the dispatch proposal', () => {
  const staff = (id: string, unitId: string, onDuty = true) => ({ id, name: id, role: 'grid_worker' as const, departmentId: null, unitId, gridId: null, lon: null, lat: null, positionAt: null, onDuty, distanceM: 10, positionAgeMin: 1, openCases: 0 });
  const proposal = (over: Partial<Parameters<typeof preselectAssignee>[0]>): Parameters<typeof preselectAssignee>[0] => ({
    category: null, department: null, grid: null, chain: { gridId: null, communityId: null, townId: null, districtId: null },
    unit: { id: 'u1', name: 'U1', departmentId: 'd1', areaId: null, reason: 'department_in_area' }, responsibleUnit: null, gridWorkers: [], nearestStaff: [], ...over,
  });
  it('preselects the nearest on-duty person of the proposed unit, else the grid worker, else nobody', () => {
    expect(preselectAssignee(proposal({ nearestStaff: [staff('a', 'u2'), staff('b', 'u1', false), staff('c', 'u1')], gridWorkers: [staff('g', 'u9')] }))).toBe('c');
    expect(preselectAssignee(proposal({ nearestStaff: [staff('a', 'u2')], gridWorkers: [staff('g1', 'u9', false), staff('g2', 'u9')] }))).toBe('g2');
    expect(preselectAssignee(proposal({}))).toBeNull();
  });
});
