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

export interface RaiseOutcome {
  kind: AlarmKind;
  action: 'raise';
  severity: AlarmSeverity;
  value: number | null;
  threshold: number | null;
  /** The alarm's one-line text; a function so that a re-trigger (no text needed) costs no formatting. */
  text: () => string;
}
export interface ClearOutcome {
  kind: AlarmKind;
  action: 'clear';
  value: number;
  text: () => string;
}
export type RuleOutcome = RaiseOutcome | ClearOutcome;

/** What is open for this sensor right now (by kind). */
export type OpenKinds = ReadonlyMap<AlarmKind, unknown>;

export interface SensorLabel {
  typeName: string;
  unit: string;
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
  label: SensorLabel,
): { outcomes: RuleOutcome[]; status: SensorStatus; level: number } | null {
  if (state.lastT !== null && t <= state.lastT) return null;
  const outcomes: RuleOutcome[] = [];
  const u = label.unit ? ` ${label.unit}` : '';

  // thresholds, with hysteresis on the way back
  const level = thresholdLevel(r, v);
  if (level > 0) {
    const limit = limitOf(r, level);
    const sev = severityOfRank(level);
    outcomes.push({
      kind: 'threshold',
      action: 'raise',
      severity: sev,
      value: v,
      threshold: limit,
      text: () => `${label.typeName} ${fmt(v)}${u} ${r.dir === 'above' ? '≥' : '≤'} ${SEVERITY_ZH[sev]}线 ${limit === null ? '' : fmt(limit)}${u}`,
    });
  } else if (open.has('threshold') && isClearOf(r, v)) {
    outcomes.push({ kind: 'threshold', action: 'clear', value: v, text: () => `${label.typeName}恢复正常 ${fmt(v)}${u}` });
  }

  // rate of change
  if (state.lastT !== null && state.lastV !== null && t - state.lastT <= MAX_RATE_GAP_MS) {
    // change per minute; a jump within less than a minute counts in full (no division by a tiny dt)
    const perMin = Math.abs(v - state.lastV) / Math.max(1, (t - state.lastT) / 60_000);
    const limit = r.ratePerMin;
    if (limit !== null && perMin > limit) {
      outcomes.push({
        kind: 'rate',
        action: 'raise',
        severity: r.rateSeverity,
        value: v,
        threshold: limit,
        text: () => `${label.typeName}变化过快 ${fmt(perMin)}${u}/分钟 > ${fmt(limit)}${u}/分钟`,
      });
    } else if (open.has('rate') && (limit === null || perMin <= limit * 0.8)) {
      outcomes.push({ kind: 'rate', action: 'clear', value: v, text: () => `${label.typeName}变化恢复平稳` });
    }
  } else if (open.has('rate') && r.ratePerMin === null) {
    outcomes.push({ kind: 'rate', action: 'clear', value: v, text: () => `${label.typeName}变化规则已关闭` });
  }

  // stuck values
  const same = state.stuckValue !== null && Math.abs(v - state.stuckValue) <= 1e-9 * Math.max(1, Math.abs(v));
  if (same) {
    state.stuckCount++;
  } else {
    state.stuckSince = t;
    state.stuckValue = v;
    state.stuckCount = 1;
    if (open.has('stuck')) outcomes.push({ kind: 'stuck', action: 'clear', value: v, text: () => `${label.typeName}读数恢复变化` });
  }
  if (same && state.stuckSince !== null) {
    const minutes = (t - state.stuckSince) / 60_000;
    if (r.stuckMinutes !== null && state.stuckCount >= 3 && minutes >= r.stuckMinutes) {
      if (!open.has('stuck'))
        outcomes.push({
          kind: 'stuck',
          action: 'raise',
          severity: 'warning',
          value: v,
          threshold: r.stuckMinutes,
          text: () => `${label.typeName}读数停滞 ${Math.round(minutes)} 分钟（${fmt(v)}${u}）`,
        });
    } else if (open.has('stuck') && r.stuckMinutes === null) {
      outcomes.push({ kind: 'stuck', action: 'clear', value: v, text: () => `${label.typeName}停滞规则已关闭` });
    }
  }

  state.lastT = t;
  state.lastV = v;

  const thresholdOpen = open.has('threshold') && !outcomes.some((o) => o.kind === 'threshold' && o.action === 'clear');
  const rateOpen = outcomes.some((o) => o.kind === 'rate' && o.action === 'raise') || (open.has('rate') && !outcomes.some((o) => o.kind === 'rate' && o.action === 'clear'));
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
