import { describe, expect, it } from 'vitest';
import type { AgendaItem, Decision } from '../../../shared/api/consult';
import { MESSAGES } from '../../../shared/i18n';
import {
  bboxOf,
  briefingTitle,
  consultRoleFrom,
  defaultDeadline,
  fitProjection,
  isFormField,
  itemStep,
  itemSummary,
  itemTitle,
  keyToStep,
  levelName,
  localInputToIso,
  outcomeLabel,
  sensorLabel,
  sessionTitle,
  signed,
  sourceLabel,
  summarySentences,
  toLocalInput,
  upgradedCount,
  warningSeverity,
} from './logic';

describe('the chair’s keys', () => {
  it('step like a presentation clicker', () => {
    expect(['ArrowRight', 'PageDown', 'ArrowDown'].map((k) => keyToStep(k, false))).toEqual(['next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp', 'ArrowUp'].map((k) => keyToStep(k, false))).toEqual(['prev', 'prev', 'prev']);
    expect(keyToStep('Home', false)).toBe('first');
    expect(keyToStep('End', false)).toBe('last');
    expect(keyToStep('3', false)).toBe(2);
    expect(keyToStep('0', false)).toBeNull();
    expect(keyToStep('a', false)).toBeNull();
  });

  it('are ignored while typing a decision', () => {
    expect(keyToStep('ArrowRight', true)).toBeNull();
    expect(isFormField({ tagName: 'input' })).toBe(true);
    expect(isFormField({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isFormField({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isFormField({ tagName: 'BUTTON' })).toBe(false);
    expect(isFormField(null)).toBe(false);
  });
});

describe('deadlines in Shanghai time', () => {
  it('read a datetime-local value as +08:00', () => {
    expect(localInputToIso('2026-11-23T18:00')).toBe('2026-11-23T18:00:00.000+08:00');
    expect(localInputToIso('2026-11-23')).toBeNull();
    expect(toLocalInput(Date.parse('2026-11-23T18:00:00+08:00'))).toBe('2026-11-23T18:00');
  });

  it('default to tomorrow 18:00', () => {
    expect(defaultDeadline(Date.parse('2026-11-21T09:00:00+08:00'))).toBe('2026-11-22T18:00');
    // 01:00 in Shanghai is still the previous day in UTC: tomorrow is by the Shanghai calendar.
    expect(defaultDeadline(Date.parse('2026-11-21T01:00:00+08:00'))).toBe('2026-11-22T18:00');
  });
});

describe('screen helpers', () => {
  it('pick the role from the query string', () => {
    expect(consultRoleFrom('?role=chair')).toBe('chair');
    expect(consultRoleFrom('?lang=en&role=chair')).toBe('chair');
    expect(consultRoleFrom('')).toBe('wall');
    expect(consultRoleFrom('?role=wall')).toBe('wall');
  });

  it('format changes with their sign', () => {
    expect(signed(1.234)).toBe('+1.2');
    expect(signed(-0.5)).toBe('−0.5');
    expect(signed(0)).toBe('±0.0');
    expect(signed(null)).toBe('—');
  });

  it('fit a map into a canvas and back', () => {
    const bbox = bboxOf([{ type: 'Polygon', coordinates: [[[120, 30], [120.2, 30], [120.2, 30.1], [120, 30.1], [120, 30]]] }]);
    expect(bbox).toEqual([120, 30, 120.2, 30.1]);
    const p = fitProjection(bbox!, 400, 300, 0);
    const [x, y] = p.at(120.1, 30.05);
    expect(x).toBeCloseTo(200, 6);
    expect(y).toBeCloseTo(150, 6);
    const [lon, lat] = p.invert(x, y);
    expect(lon).toBeCloseTo(120.1, 9);
    expect(lat).toBeCloseTo(30.05, 9);
    // North is up: a higher latitude is nearer the top.
    expect(p.at(120.1, 30.1)[1]).toBeLessThan(y);
  });
});

type Of<K extends AgendaItem['kind']> = Extract<AgendaItem, { kind: K }>;

const series = [{ day: '2026-11-21', value: 80, revision: 1 }];
const index = (id: string, name: string, nameEn: string, value: number, yesterday: number | null): Of<'overview'>['indices'][number] => ({
  id,
  name,
  nameEn,
  modelId: id,
  revision: 1,
  value,
  level: 1,
  yesterday,
  week: null,
  month: null,
  series,
  composition: [],
  movers: [],
});

const decision = (outcome: Decision['outcome']): Decision => ({
  id: `d-${outcome}`,
  sessionId: 's',
  sessionDay: '2026-11-20',
  seq: 1,
  itemId: null,
  title: '占道经营专项整治',
  detail: '',
  departmentId: 'dep',
  departmentName: '城管执法局',
  areaId: 'a',
  areaName: '西湖街道',
  categoryCode: '0101',
  urgency: 'normal',
  deadlineAt: '2026-11-21T18:00:00.000+08:00',
  recordedBy: '陈指挥长',
  recordedAt: '2026-11-20T09:00:00.000+08:00',
  caseId: null,
  caseCode: null,
  caseState: null,
  caseClosedAt: null,
  caseError: null,
  outcome,
});

const change = (from: number, to: number) => ({ areaId: `g${from}${to}`, name: '网格1', parentName: '北山社区', from, to, score: 50, prevScore: 40 });

const overview: Of<'overview'> = {
  kind: 'overview',
  id: 'overview',
  title: '总体态势与平安六指数',
  summary: '近24小时上报 …',
  figures: { reported24h: 120, reportedPrev24h: 132, closed24h: 98, open: 450, overdue: 17, supervised: 5 },
  indices: [index('safety', '平安指数', 'Safety Index', 86.4, 87), index('fire', '消防安全指数', 'Fire Safety Index', 72.5, 70)],
};

const map: Of<'map'> = {
  kind: 'map',
  id: 'map',
  title: '五色图与变色网格',
  summary: '…',
  modelId: 'composite',
  modelName: '综合风险',
  revision: 1,
  day: '2026-11-21',
  counts: [100, 40, 12, 5, 2],
  prevCounts: [98, 41, 13, 5, 1],
  changedTotal: 3,
  changed: [change(0, 2), change(1, 2), change(3, 1)],
  worst: [{ areaId: 'w', name: '网格7', parentName: '北山社区', score: 91.2, level: 4 }],
};

describe('agenda items in the locale', () => {
  it('take their titles from the item kind', () => {
    expect(itemTitle('en', map)).toBe('Five-colour risk map and grids that changed colour');
    expect(itemTitle('zh-CN', map)).toBe('五色图与变色网格');
    expect(itemStep('en', overview)).toBe('Overview');
    // Every kind has a title in every locale, and in zh-CN it is the host's own title.
    const kinds: Array<[AgendaItem['kind'], string]> = [
      ['overview', '总体态势与平安六指数'],
      ['map', '五色图与变色网格'],
      ['cases', '超期与督办案件'],
      ['hotspots', '热点：上升的类别与地点'],
      ['alarms', '告警与生效预警'],
      ['followup', '昨日决定落实情况'],
      ['minutes', '本次会商纪要'],
    ];
    for (const [kind, zh] of kinds) {
      expect(itemTitle('zh-CN', { kind, title: 'x' })).toBe(zh);
      expect(itemTitle('en', { kind, title: 'x' })).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keep the host’s summary in Chinese and build an English one from the figures', () => {
    expect(itemSummary('zh-CN', overview)).toBe(overview.summary);
    expect(itemSummary('en', overview)).toBe(
      'Last 24 h: 120 reported (−12 on the previous 24 h), 98 closed. Now open: 450, overdue: 17, supervised: 5. Lowest index: Fire Safety Index 72.5. Down since yesterday: Safety Index.',
    );
    expect(summarySentences('en', map)).toEqual([
      '综合风险 five-colour map, grids: red 2, orange 5, yellow 12, blue 40, green 100.',
      'Changed colour since yesterday: 3 (2 up, 1 down).',
      'Highest risk: 北山社区网格7 (91.2, Red).',
    ]);
  });

  it('say how many grids went up only when the host’s list shows it', () => {
    expect(upgradedCount(map)).toBe(2);
    // Cut short among the upgrades: unknown.
    expect(upgradedCount({ changed: [change(0, 2), change(1, 3)], changedTotal: 40 })).toBeNull();
    // Cut short after the first downgrade: every upgrade is in the list.
    expect(upgradedCount({ changed: [change(0, 2), change(3, 1)], changedTotal: 40 })).toBe(1);
    expect(summarySentences('en', { ...map, changed: [change(0, 2)], changedTotal: 31 })[1]).toBe('Changed colour since yesterday: 31.');
  });

  it('build every kind’s summary in English', () => {
    const cases: Of<'cases'> = {
      kind: 'cases',
      id: 'cases',
      title: '',
      summary: '',
      overdueTotal: 17,
      supervisedTotal: 5,
      overdue: [
        {
          id: 'c1',
          code: 'AJ20261121001',
          title: '井盖缺失',
          categoryCode: '0101',
          state: 'dispatched',
          departmentName: '城管执法局',
          areaName: '网格1',
          reportedAt: '2026-11-19T08:00:00.000+08:00',
          deadlineAt: '2026-11-20T08:00:00.000+08:00',
          overdueHours: 26.5,
          supervised: false,
        },
      ],
      supervised: [],
      byDepartment: [{ departmentId: 'dep', name: '城管执法局', overdue: 9, supervised: 2 }],
    };
    expect(itemSummary('en', cases)).toBe('Open and overdue: 17; supervised: 5. Most overdue: 城管执法局 (9). Longest overdue: AJ20261121001 井盖缺失 (26.5 h).');

    const hotspots: Of<'hotspots'> = {
      kind: 'hotspots',
      id: 'hotspots',
      title: '',
      summary: '',
      categories: [{ code: '0101', name: '暴露垃圾', count: 14, baseline: 6.3, delta: 7.7 }],
      places: [{ areaId: 'p', name: '北山社区', parentName: '西湖街道', count: 9, baseline: 3, delta: 6 }],
    };
    expect(itemSummary('en', hotspots)).toBe('Categories rising most: Exposed rubbish (14, daily avg 6.3). Communities rising most: 西湖街道北山社区 (9).');
    expect(itemSummary('en', { ...hotspots, categories: [], places: [] })).toBe('No category is above its 7-day daily average.');

    const alarms: Of<'alarms'> = {
      kind: 'alarms',
      id: 'alarms',
      title: '',
      summary: '',
      sensorAlarms: 6,
      byType: [
        { type: 'water_level', count: 4 },
        { type: 'gas', count: 2 },
      ],
      alarms: [],
      offline: { sensors: 3, cameras: 11 },
      warnings: [{ id: 'w', headline: '暴雨黄色预警', severity: 'yellow/Moderate', areaName: null, expires: null }],
      sources: ['alarms', 'sensors.status', 'cameras.status', '无预警表'],
    };
    expect(itemSummary('en', alarms)).toBe('Sensor alarms in the last 24 h: 6 (Water level 4, Combustible gas 2). Offline devices: sensors 3, cameras 11. Warnings in force: 1 (暴雨黄色预警).');
    expect(itemSummary('en', { ...alarms, byType: [], warnings: [] })).toBe('Sensor alarms in the last 24 h: 6. Offline devices: sensors 3, cameras 11. Warnings in force: 0.');

    const followup: Of<'followup'> = { kind: 'followup', id: 'followup', title: '', summary: '', decisions: [decision('done'), decision('done_late'), decision('in_progress'), decision('failed')] };
    expect(itemSummary('en', followup)).toBe('Earlier decisions: 4. Done 2 (1 late), in progress 1, overdue 0, not turned into a case 1.');
    expect(itemSummary('en', { ...followup, decisions: [] })).toBe('No earlier decisions to follow up.');
    expect(itemSummary('en', { kind: 'minutes', id: 'minutes', title: '', summary: '' })).toMatch(/^Record the decisions/);
    // No Chinese of the screen's own is left in an English summary (names of places and cases are data).
    for (const item of [overview, map, cases, hotspots, alarms, followup])
      for (const s of summarySentences('en', item)) expect(s.replace(/[\u4e00-\u9fff]+/g, '')).not.toMatch(/[，。：；（）、]/);
  });

  it('name sessions and briefings: the host’s default title in the locale, the chair’s own as given', () => {
    expect(sessionTitle('zh-CN', '2026年11月21日 每日会商', '2026-11-21')).toBe('2026年11月21日 每日会商');
    expect(sessionTitle('en', '2026年11月21日 每日会商', '2026-11-21')).toBe('Daily consultation · 2026-11-21');
    expect(sessionTitle('en', '防汛专题会商', '2026-11-21')).toBe('防汛专题会商');
    expect(briefingTitle('en', '2026年11月21日 每日会商 会商简报', '2026-11-21')).toBe('Briefing: Daily consultation · 2026-11-21');
    expect(briefingTitle('en', '防汛专题会商 会商简报', '2026-11-21')).toBe('Briefing: 防汛专题会商');
    expect(briefingTitle('zh-CN', '2026年11月21日 每日会商 会商简报', '2026-11-21')).toBe('2026年11月21日 每日会商 会商简报');
  });

  it('label levels, outcomes, sensors, warnings and sources', () => {
    expect(levelName('zh-CN', 4)).toBe('红');
    expect(levelName('en', 0)).toBe('Green');
    expect(levelName('en', 9)).toBe('—');
    expect(outcomeLabel('en', 'done_late')).toBe('Done late');
    expect(outcomeLabel('zh-CN', 'failed')).toBe('未能转办');
    expect(sensorLabel('en', 'water_level')).toBe('Water level');
    expect(sensorLabel('en', 'laser')).toBe('laser');
    expect(warningSeverity('en', 'red/Extreme')).toBe('Red/Extreme');
    expect(warningSeverity('zh-CN', 'orange/Severe')).toBe('橙色/Severe');
    expect(warningSeverity('en', 'Severe')).toBe('Severe');
    expect(sourceLabel('en', '无预警表')).toBe('no warning table');
    expect(sourceLabel('en', 'sensors.status（无告警表，列出当前处于告警状态的设备）')).toMatch(/^sensors\.status \(no alarm table/);
    expect(sourceLabel('zh-CN', '无预警表')).toBe('无预警表');
    expect(sourceLabel('en', 'cap_alerts')).toBe('cap_alerts');
    expect(MESSAGES.en['consult.list.sep']).toBe(', ');
  });
});
