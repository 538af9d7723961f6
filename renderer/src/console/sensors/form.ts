/**
 * The sensor editor's form state and its translation into sensors.upsert input (pure).
 * Thresholds: the ladder dir/warn/alarm/critical goes together (shared/domain/monitoring.ts) —
 * either the sensor inherits its type's ladder, or it has its own where a blank level is off.
 */
import type { SensorDetail, SensorInput } from '../../../../shared/api/monitoring';
import { SENSOR_TYPES, type SensorType } from '../../../../shared/domain/model';
import type { SensorThresholds, ThresholdDirection } from '../../../../shared/domain/monitoring';

export interface SensorForm {
  id: string;
  name: string;
  type: SensorType;
  unit: string;
  lon: string;
  lat: string;
  departmentId: string;
  intervalS: string;
  ownLadder: boolean;
  dir: ThresholdDirection;
  warn: string;
  alarm: string;
  critical: string;
  hysteresis: string;
}

export const EMPTY_SENSOR_FORM: SensorForm = {
  id: '',
  name: '',
  type: 'water_level',
  unit: '',
  lon: '',
  lat: '',
  departmentId: '',
  intervalS: '300',
  ownLadder: false,
  dir: 'above',
  warn: '',
  alarm: '',
  critical: '',
  hysteresis: '',
};

const str = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

export function formFromSensor(s: SensorDetail): SensorForm {
  const th = s.thresholds;
  const own = th.dir !== undefined || th.warn !== undefined || th.alarm !== undefined || th.critical !== undefined;
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    unit: s.unit,
    lon: String(s.lon),
    lat: String(s.lat),
    departmentId: s.departmentId ?? '',
    intervalS: String(s.intervalS),
    ownLadder: own,
    dir: th.dir ?? s.rules.dir,
    warn: own ? str(th.warn) : str(s.rules.warn),
    alarm: own ? str(th.alarm) : str(s.rules.alarm),
    critical: own ? str(th.critical) : str(s.rules.critical),
    hysteresis: str(th.hysteresis),
  };
}

/** Message keys of the form's errors (shared/i18n). */
export type SensorFormError =
  | 'sensors.err.id'
  | 'sensors.err.required'
  | 'sensors.err.lon'
  | 'sensors.err.lat'
  | 'sensors.err.interval'
  | 'sensors.err.number'
  | 'sensors.err.oneLevel'
  | 'sensors.err.ascending'
  | 'sensors.err.descending';
export type FormErrors = Partial<Record<keyof SensorForm, SensorFormError>>;

const num = (s: string): number | null => {
  const v = Number(s.trim());
  return s.trim() === '' || !Number.isFinite(v) ? null : v;
};

/** The upsert input, or the fields in error (message keys for i18n). */
export function toSensorInput(f: SensorForm, keep: SensorThresholds = {}): { input: SensorInput; errors: null } | { input: null; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!/^[^\s()'"/#+]+$/.test(f.id) || f.id.length > 80) errors.id = 'sensors.err.id';
  if (f.name.trim() === '') errors.name = 'sensors.err.required';
  if (!SENSOR_TYPES.includes(f.type)) errors.type = 'sensors.err.required';
  const lon = num(f.lon);
  const lat = num(f.lat);
  if (lon === null || Math.abs(lon) > 180) errors.lon = 'sensors.err.lon';
  if (lat === null || Math.abs(lat) > 90) errors.lat = 'sensors.err.lat';
  const interval = num(f.intervalS);
  if (interval === null || !Number.isInteger(interval) || interval < 1 || interval > 604_800) errors.intervalS = 'sensors.err.interval';
  const thresholds: SensorThresholds = { ...keep };
  delete thresholds.dir;
  delete thresholds.warn;
  delete thresholds.alarm;
  delete thresholds.critical;
  delete thresholds.hysteresis;
  if (f.ownLadder) {
    const levels = { warn: f.warn, alarm: f.alarm, critical: f.critical } as const;
    const parsed: Record<'warn' | 'alarm' | 'critical', number | null> = { warn: null, alarm: null, critical: null };
    for (const k of ['warn', 'alarm', 'critical'] as const) {
      const raw = levels[k];
      const v = num(raw);
      if (raw.trim() !== '' && v === null) errors[k] = 'sensors.err.number';
      parsed[k] = v;
    }
    const set = [parsed.warn, parsed.alarm, parsed.critical].filter((v): v is number => v !== null);
    if (set.length === 0) errors.warn = 'sensors.err.oneLevel';
    const ordered = f.dir === 'above' ? set.every((v, i) => i === 0 || v >= set[i - 1]!) : set.every((v, i) => i === 0 || v <= set[i - 1]!);
    if (!ordered) errors.alarm = f.dir === 'above' ? 'sensors.err.ascending' : 'sensors.err.descending';
    Object.assign(thresholds, { dir: f.dir, warn: parsed.warn, alarm: parsed.alarm, critical: parsed.critical });
  }
  if (f.hysteresis.trim() !== '') {
    const h = num(f.hysteresis);
    if (h === null || h < 0) errors.hysteresis = 'sensors.err.number';
    else thresholds.hysteresis = h;
  }
  if (Object.keys(errors).length > 0 || lon === null || lat === null || interval === null) return { input: null, errors };
  const input: SensorInput = { id: f.id, name: f.name.trim(), type: f.type, lon, lat, intervalS: interval, thresholds, departmentId: f.departmentId || null };
  if (f.unit.trim()) input.unit = f.unit.trim();
  return { input, errors: null };
}
