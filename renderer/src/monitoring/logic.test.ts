import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../shared/api/monitoring';
import { mergeRules, SENSOR_TYPE_INFO } from '../../../shared/domain/monitoring';
import { monitoringT } from './labels';
import { appendReading, compareForStrip, countBySeverity, mergeOpen, niceBounds, sensorChartOption, soundFor } from './logic';

const alarm = (id: string, over: Partial<Alarm> = {}): Alarm => ({
  id,
  sensorId: 's',
  sensorName: '测点',
  sensorType: 'gas',
  unit: '%LEL',
  kind: 'threshold',
  severity: 'alarm',
  state: 'raised',
  message: 'm',
  value: 1,
  threshold: 1,
  lon: 120,
  lat: 30,
  gridId: null,
  departmentId: null,
  raisedAt: '2026-11-21T08:00:00.000+08:00',
  lastTriggeredAt: '2026-11-21T08:00:00.000+08:00',
  triggerCount: 1,
  acknowledgedAt: null,
  acknowledgedBy: null,
  ackNote: null,
  clearedAt: null,
  clearedBy: null,
  clearNote: null,
  autoCleared: false,
  escalation: 0,
  escalatedAt: null,
  caseId: null,
  caseError: null,
  version: 1,
  ...over,
});

describe('alarm strip logic', () => {
  it('orders most severe first, unacknowledged before acknowledged, newest first', () => {
    const list = [
      alarm('a', { severity: 'warning' }),
      alarm('b', { severity: 'critical', state: 'acknowledged' }),
      alarm('c', { severity: 'critical' }),
      alarm('d', { raisedAt: '2026-11-21T09:00:00.000+08:00' }),
      alarm('e'),
    ].sort(compareForStrip);
    expect(list.map((a) => a.id)).toEqual(['c', 'b', 'd', 'e', 'a']);
  });

  it('merges pushed alarms: updates replace, cleared ones leave, stale versions are ignored', () => {
    let open = mergeOpen([], alarm('a'));
    open = mergeOpen(open, alarm('b', { severity: 'warning' }));
    open = mergeOpen(open, alarm('b', { severity: 'critical', version: 2 }));
    expect(open.map((a) => `${a.id}:${a.severity}`)).toEqual(['b:critical', 'a:alarm']);
    open = mergeOpen(open, alarm('b', { severity: 'warning', version: 1 }));
    expect(open[0]!.severity).toBe('critical');
    open = mergeOpen(open, alarm('a', { state: 'cleared', version: 2 }));
    expect(open.map((a) => a.id)).toEqual(['b']);
    expect(countBySeverity(open)).toEqual({ warning: 0, alarm: 0, critical: 1 });
  });

  it('sounds on raise, severity and escalation, never on acknowledge, clear or case', () => {
    expect(soundFor('raised', alarm('a', { severity: 'warning' }))).toBe('warning');
    expect(soundFor('escalated', alarm('a', { severity: 'critical' }))).toBe('critical');
    expect(soundFor('acknowledged', alarm('a'))).toBeNull();
    expect(soundFor('cleared', alarm('a', { state: 'cleared' }))).toBeNull();
    expect(soundFor('case', alarm('a'))).toBeNull();
  });
});

describe('sensor chart', () => {
  it('draws threshold bands and lines, alarm periods along time, and min/max for roll-ups', () => {
    const rules = mergeRules(SENSOR_TYPE_INFO.water_level.rules, { warn: 0.15, alarm: 0.25, dir: 'above' });
    const from = Date.parse('2026-11-21T00:00:00+08:00');
    const to = from + 86_400_000;
    const t = monitoringT('zh-CN');
    const opt = sensorChartOption(
      {
        t: [from + 60_000, from + 120_000],
        v: [0.1, 0.3],
        min: [0.05, 0.2],
        max: [0.12, 0.32],
        unit: 'm',
        rules,
        alarms: [{ severity: 'alarm', raisedAt: new Date(from + 120_000).toISOString(), clearedAt: null }],
        from,
        to,
      },
      { warn: t('card.warn'), alarm: t('card.alarm'), critical: t('card.critical'), value: t('card.value') },
    );
    const main = opt.series[0] as { data: number[][]; markArea: { data: unknown[] }; markLine: { data: Array<{ yAxis: number }> } };
    expect(main.data).toEqual([
      [from + 60_000, 0.1],
      [from + 120_000, 0.3],
    ]);
    expect(main.markArea.data).toHaveLength(2);
    expect(main.markLine.data.map((l) => l.yAxis)).toEqual([0.15, 0.25]);
    const periods = (opt.series[1] as { markArea: { data: Array<Array<{ xAxis: number }>> } }).markArea.data;
    expect(periods[0]!.map((p) => p.xAxis)).toEqual([from + 120_000, to]);
    expect(opt.series).toHaveLength(4);
    expect(opt.yAxis.max).toBeGreaterThan(0.32);
    expect([opt.yAxis.min, opt.yAxis.max]).toEqual(niceBounds(0.05, 0.32));
    expect(niceBounds(4.9, 15.6)).toEqual([0, 20]);
    expect(niceBounds(0.15, 0.35)).toEqual([0.1, 0.4]);
    expect(opt.xAxis).toMatchObject({ min: from, max: to });
  });

  it('appends live readings in order and drops what left the window', () => {
    const s = { t: [1000, 2000], v: [1, 2] };
    expect(appendReading(s, 1500, 9, 10_000)).toBe(s);
    expect(appendReading(s, 11_500, 3, 10_000)).toEqual({ t: [2000, 11_500], v: [2, 3] });
  });
});
