import { describe, expect, it } from 'vitest';
import { mergeRules, parseThresholds, SENSOR_TYPE_INFO, thresholdBands, type AlarmKind } from '../../../shared/domain/monitoring';
import { evaluateReading, newRuleState, outcomeText, silentFor } from './rules';

const label = { typeName: '水位', unit: 'm' };
const rules = mergeRules(SENSOR_TYPE_INFO.water_level.rules, { warn: 0.15, alarm: 0.25, critical: 0.4, hysteresis: 0.02, ratePerMin: null, stuckMinutes: null });
const none = new Map<AlarmKind, number>();
const T0 = Date.parse('2026-11-21T08:00:00+08:00');

describe('threshold rules', () => {
  it('maps a value to warning, alarm and critical, above or below', () => {
    const st = newRuleState();
    expect(evaluateReading(rules, st, none, T0, 0.05)).toMatchObject({ outcomes: [], status: 'normal', level: 0 });
    const w = evaluateReading(rules, st, none, T0 + 1000, 0.16)!;
    expect(w.outcomes).toEqual([expect.objectContaining({ kind: 'threshold', action: 'raise', severity: 'warning', threshold: 0.15 })]);
    expect(outcomeText(w.outcomes[0]!, label, 'above')).toBe('水位 0.16 m ≥ 预警线 0.15 m');
    expect(evaluateReading(rules, st, none, T0 + 2000, 0.3)!.outcomes[0]).toMatchObject({ severity: 'alarm', threshold: 0.25 });
    expect(evaluateReading(rules, st, none, T0 + 3000, 0.5)!.outcomes[0]).toMatchObject({ severity: 'critical' });
    const below = mergeRules(rules, { dir: 'below', warn: 10, alarm: 5, critical: null });
    expect(evaluateReading(below, newRuleState(), none, T0, 4)!.outcomes[0]).toMatchObject({ severity: 'alarm', threshold: 5 });
    expect(evaluateReading(below, newRuleState(), none, T0, 12)!.outcomes).toEqual([]);
  });

  it('clears only past the hysteresis band', () => {
    const st = newRuleState();
    const open = new Map<AlarmKind, number>([['threshold', 2]]);
    // 0.14 is under the warning line but inside the 0.02 hysteresis: stays open, shows warning
    expect(evaluateReading(rules, st, open, T0, 0.14)).toMatchObject({ outcomes: [], status: 'warning' });
    expect(evaluateReading(rules, st, open, T0 + 1000, 0.12)!.outcomes).toEqual([expect.objectContaining({ kind: 'threshold', action: 'clear' })]);
  });

  it('ignores readings older than the last one evaluated', () => {
    const st = newRuleState();
    evaluateReading(rules, st, none, T0 + 5000, 0.05);
    expect(evaluateReading(rules, st, none, T0, 0.9)).toBeNull();
  });
});

describe('rate, stuck and silence rules', () => {
  it('raises a rate alarm on a jump and clears when the change calms down', () => {
    const r = mergeRules(rules, { ratePerMin: 0.05, rateSeverity: 'alarm' });
    const st = newRuleState();
    evaluateReading(r, st, none, T0, 0.01);
    const jump = evaluateReading(r, st, none, T0 + 60_000, 0.1)!;
    expect(jump.outcomes).toEqual([expect.objectContaining({ kind: 'rate', action: 'raise', severity: 'alarm' })]);
    expect(outcomeText(jump.outcomes[0]!, label, 'above')).toBe('水位变化过快 0.09 m/分钟 > 0.05 m/分钟');
    const open = new Map<AlarmKind, number>([['rate', 2]]);
    expect(evaluateReading(r, st, open, T0 + 120_000, 0.11)!.outcomes).toEqual([expect.objectContaining({ kind: 'rate', action: 'clear' })]);
  });

  it('raises a stuck alarm after N minutes of identical values (at least 3 readings), clears on change', () => {
    const r = mergeRules(rules, { stuckMinutes: 10 });
    const st = newRuleState();
    const kinds: string[] = [];
    for (let i = 0; i <= 11; i++) {
      const out = evaluateReading(r, st, none, T0 + i * 60_000, 0.07)!;
      kinds.push(...out.outcomes.map((o) => `${o.kind}:${o.action}`));
    }
    expect(kinds).toEqual(['stuck:raise', 'stuck:raise']); // minute 10 and 11 (the book de-duplicates)
    const open = new Map<AlarmKind, number>([['stuck', 1]]);
    expect(evaluateReading(r, st, open, T0 + 12 * 60_000, 0.08)!.outcomes).toEqual([expect.objectContaining({ kind: 'stuck', action: 'clear' })]);
  });

  it('reports silence after N × the interval, and never when the rule is off', () => {
    expect(silentFor(rules, 60, T0, T0 + 179_000)).toBeNull();
    expect(silentFor(rules, 60, T0, T0 + 240_000)).toBeCloseTo(4);
    expect(silentFor(mergeRules(rules, { silenceFactor: null }), 60, T0, T0 + 1e9)).toBeNull();
  });
});

describe('thresholds shape', () => {
  it('accepts the demo shape, drops invalid fields, and null switches a rule off', () => {
    expect(parseThresholds('{"warn":5,"alarm":15,"dir":"above","bogus":1,"hysteresis":-1}')).toEqual({ warn: 5, alarm: 15, dir: 'above' });
    expect(parseThresholds('not json')).toEqual({});
    // the ladder goes together: a sensor that sets warn and alarm has no critical line of the type's
    const r = mergeRules(SENSOR_TYPE_INFO.gas.rules, { warn: 5, alarm: 15 });
    expect(r).toMatchObject({ warn: 5, alarm: 15, critical: null, ratePerMin: SENSOR_TYPE_INFO.gas.rules.ratePerMin });
    expect(mergeRules(SENSOR_TYPE_INFO.gas.rules, { stuckMinutes: 30 })).toMatchObject({ warn: 10, alarm: 25, critical: 50, stuckMinutes: 30 });
    expect(thresholdBands(rules)).toEqual([
      { from: 0.15, to: 0.25, level: 1 },
      { from: 0.25, to: 0.4, level: 2 },
      { from: 0.4, to: null, level: 3 },
    ]);
  });
});
