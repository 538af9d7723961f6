/**
 * Alarm rules, evaluated per reading: thresholds (with hysteresis), rate of change, stuck values;
 * and silence (offline) per sensor on a timer. Pure functions over a small per-sensor state, so
 * they are cheap (no I/O) and testable on their own.
 */
import {
  isClearOf,
  severityOfRank,
  thresholdLevel,
  type AlarmKind,
  type AlarmSeverity,
  type EffectiveRules,
  type SensorStatus,
} from '../../../shared/domain/monitoring';

/** Per-sensor memory the rules need between readings. */
export interface RuleState {
  lastT: number | null;
  lastV: number | null;
  /** Since when the value has not changed, and how many readings in a row. */
  stuckSince: number | null;
  stuckValue: number | null;
  stuckCount: number;
}

export const newRuleState = (lastT: number | null = null, lastV: number | null = null): RuleState => ({
  lastT,
  lastV,
  stuckSince: lastT,
  stuckValue: lastV,
  stuckCount: lastT === null ? 0 : 1,
});

/**
 * Outcomes carry data only; their one-line text is formatted by outcomeText() when an alarm is
 * written (a re-trigger, the common case, needs no text and costs no formatting).
 */
export interface RaiseOutcome {
  kind: AlarmKind;
  action: 'raise';
  severity: AlarmSeverity;
  value: number | null;
  threshold: number | null;
  /** rate: the change per minute; stuck: minutes unchanged; offline: minutes silent. */
  measure?: number;
  /** offline: the expected interval, seconds. */
  intervalS?: number;
}
export interface ClearOutcome {
  kind: AlarmKind;
  action: 'clear';
  value: number;
  /** Why: the condition went away, or the rule was switched off. */
  reason: 'recovered' | 'rule_off';
}
export type RuleOutcome = RaiseOutcome | ClearOutcome;

/** What is open for this sensor right now (by kind). */
export type OpenKinds = ReadonlyMap<AlarmKind, unknown>;

export interface SensorLabel {
  typeName: string;
  unit: string;
}

/** The Chinese one-line text of an outcome (operators' language), e.g. "水位 0.27 m ≥ 告警线 0.25 m". */
export function outcomeText(o: RuleOutcome, label: SensorLabel, dir: 'above' | 'below'): string {
  const u = label.unit ? ` ${label.unit}` : '';
  const n = label.typeName;
  if (o.action === 'clear') {
    if (o.reason === 'rule_off') return `${n}${o.kind === 'rate' ? '变化' : o.kind === 'stuck' ? '停滞' : ''}规则已关闭`;
    switch (o.kind) {
      case 'threshold':
        return `${n}恢复正常 ${fmt(o.value)}${u}`;
      case 'rate':
        return `${n}变化恢复平稳`;
      case 'stuck':
        return `${n}读数恢复变化`;
      case 'offline':
        return '设备恢复上报';
    }
  }
  switch (o.kind) {
    case 'threshold':
      return `${n} ${o.value === null ? '' : fmt(o.value)}${u} ${dir === 'above' ? '≥' : '≤'} ${SEVERITY_ZH[o.severity]}线 ${o.threshold === null ? '' : fmt(o.threshold)}${u}`;
    case 'rate':
      return `${n}变化过快 ${fmt(o.measure ?? 0)}${u}/分钟 > ${fmt(o.threshold ?? 0)}${u}/分钟`;
    case 'stuck':
      return `${n}读数停滞 ${Math.round(o.measure ?? 0)} 分钟（${o.value === null ? '' : fmt(o.value)}${u}）`;
    case 'offline':
      return `设备离线：${Math.round(o.measure ?? 0)} 分钟无数据（应每 ${o.intervalS ?? 0} 秒上报）`;
  }
}

const SEVERITY_ZH: Record<AlarmSeverity, string> = { warning: '预警', alarm: '告警', critical: '严重告警' };

/** Values printed in alarm messages: up to 3 decimals, no trailing zeros. */
export const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3))));

/** The threshold a level corresponds to. */
const limitOf = (r: EffectiveRules, level: number): number | null => (level >= 3 ? r.critical : level === 2 ? r.alarm : level === 1 ? r.warn : null);

/** A rate alarm is only computed between readings at most this far apart. */
const MAX_RATE_GAP_MS = 3_600_000;

/**
 * Evaluate one reading (in time order) against the rules. Updates `state` and returns what should
 * happen to the sensor's alarms, and the status the sensor shows.
 * Readings older than the last one evaluated are ignored by the rules (they are still stored).
 */
export function evaluateReading(
  r: EffectiveRules,
  state: RuleState,
  open: OpenKinds,
  t: number,
  v: number,
): { outcomes: RuleOutcome[]; status: SensorStatus; level: number } | null {
  if (state.lastT !== null && t <= state.lastT) return null;
  const outcomes: RuleOutcome[] = [];

  // thresholds, with hysteresis on the way back
  const level = thresholdLevel(r, v);
  let thresholdOpen = open.has('threshold');
  if (level > 0) {
    outcomes.push({ kind: 'threshold', action: 'raise', severity: severityOfRank(level), value: v, threshold: limitOf(r, level) });
  } else if (thresholdOpen && isClearOf(r, v)) {
    outcomes.push({ kind: 'threshold', action: 'clear', value: v, reason: 'recovered' });
    thresholdOpen = false;
  }

  // rate of change
  let rateOpen = open.has('rate');
  const lastT = state.lastT;
  const lastV = state.lastV;
  const limit = r.ratePerMin;
  if (lastT !== null && lastV !== null && t - lastT <= MAX_RATE_GAP_MS) {
    // change per minute; a jump within less than a minute counts in full (no division by a tiny dt)
    const perMin = Math.abs(v - lastV) / Math.max(1, (t - lastT) / 60_000);
    if (limit !== null && perMin > limit) {
      outcomes.push({ kind: 'rate', action: 'raise', severity: r.rateSeverity, value: v, threshold: limit, measure: perMin });
      rateOpen = true;
    } else if (rateOpen && (limit === null || perMin <= limit * 0.8)) {
      outcomes.push({ kind: 'rate', action: 'clear', value: v, reason: limit === null ? 'rule_off' : 'recovered' });
      rateOpen = false;
    }
  } else if (rateOpen && limit === null) {
    outcomes.push({ kind: 'rate', action: 'clear', value: v, reason: 'rule_off' });
    rateOpen = false;
  }

  // stuck values
  const sv = state.stuckValue;
  const same = sv !== null && Math.abs(v - sv) <= 1e-9 * Math.max(1, Math.abs(v));
  if (!same) {
    state.stuckSince = t;
    state.stuckValue = v;
    state.stuckCount = 1;
    if (open.has('stuck')) outcomes.push({ kind: 'stuck', action: 'clear', value: v, reason: 'recovered' });
  } else {
    state.stuckCount++;
    if (state.stuckSince !== null) {
      const minutes = (t - state.stuckSince) / 60_000;
      if (r.stuckMinutes !== null && state.stuckCount >= 3 && minutes >= r.stuckMinutes) {
        if (!open.has('stuck')) outcomes.push({ kind: 'stuck', action: 'raise', severity: 'warning', value: v, threshold: r.stuckMinutes, measure: minutes });
      } else if (r.stuckMinutes === null && open.has('stuck')) {
        outcomes.push({ kind: 'stuck', action: 'clear', value: v, reason: 'rule_off' });
      }
    }
  }

  state.lastT = t;
  state.lastV = v;
  const status: SensorStatus = level >= 2 ? 'alarm' : level === 1 || thresholdOpen || rateOpen ? 'warning' : 'normal';
  return { outcomes, status, level };
}

/**
 * Silence: is the sensor overdue? `since` is its last reading (or when monitoring started, for a
 * sensor that has not reported since). Returns the minutes of silence when it is offline.
 */
export function silentFor(r: EffectiveRules, intervalS: number, since: number, now: number): number | null {
  if (r.silenceFactor === null) return null;
  const limit = r.silenceFactor * intervalS * 1000;
  return now - since > limit ? (now - since) / 60_000 : null;
}
