/**
 * The in-memory view of the sensor registry that ingest works from: id → sensor with its
 * effective rules and live rule state. Loaded once; kept in step by the registry methods; a
 * sensor written into the store by someone else is picked up on its first reading (looked up
 * by id, unknown ids are remembered for a short while so a flood of them costs no queries).
 */
import { SENSOR_TYPES, type SensorType } from '../../../shared/domain/model';
import {
  mergeRules,
  parseThresholds,
  SENSOR_TYPE_INFO,
  type EffectiveRules,
  type SensorStatus,
  type SensorThresholds,
} from '../../../shared/domain/monitoring';
import type { Db } from '../db/store';
import { newRuleState, type RuleState } from './rules';

export interface SensorRuntime {
  rid: number;
  id: string;
  name: string;
  type: SensorType;
  unit: string;
  departmentId: string | null;
  gridId: string | null;
  lon: number;
  lat: number;
  intervalS: number;
  thresholds: SensorThresholds;
  rules: EffectiveRules;
  rule: RuleState;
  status: SensorStatus;
  /** Start of the current silence: the last reading, or when monitoring started. */
  silenceBase: number;
}

/** A row of the sensors table as SELECT reads it (the registry's detail query adds the joined names). */
export interface SensorRow {
  rid: number;
  id: string;
  name: string;
  type: string;
  unit: string;
  department_id: string | null;
  grid_id: string | null;
  lon: number;
  lat: number;
  interval_s: number;
  thresholds: string;
  status: string;
  last_value: number | null;
  last_at: number | null;
}

const SELECT = 'SELECT rid, id, name, type, unit, department_id, grid_id, lon, lat, interval_s, thresholds, status, last_value, last_at FROM sensors';
const isSensorType = (t: string): t is SensorType => (SENSOR_TYPES as readonly string[]).includes(t);
const STATUSES: readonly SensorStatus[] = ['normal', 'warning', 'alarm', 'offline'];
/** The stored status column, 'normal' when it holds anything else. */
export const statusOf = (stored: string): SensorStatus => (STATUSES.includes(stored as SensorStatus) ? (stored as SensorStatus) : 'normal');

const UNKNOWN_TTL_MS = 10_000;

export class SensorCache {
  private readonly byId = new Map<string, SensorRuntime>();
  private readonly byRid = new Map<number, SensorRuntime>();
  private readonly unknown = new Map<string, number>();
  private readonly typeRules = new Map<SensorType, EffectiveRules>();
  private readonly typeOverrides = new Map<SensorType, SensorThresholds>();
  private readonly one;

  constructor(
    private readonly db: Db,
    /** The core's clock: a sensor first seen now (start, import, new registration) gets its silence counted from now. */
    private readonly now: () => number,
  ) {
    this.one = db.prepare(`${SELECT} WHERE id = ?`);
    this.loadTypeRules();
    this.reload();
  }

  loadTypeRules(): void {
    const rows = this.db.prepare('SELECT type, thresholds FROM sensor_type_rules').all() as Array<{ type: string; thresholds: string }>;
    this.typeOverrides.clear();
    for (const r of rows) if (isSensorType(r.type)) this.typeOverrides.set(r.type, parseThresholds(r.thresholds));
    for (const t of SENSOR_TYPES) this.typeRules.set(t, mergeRules(SENSOR_TYPE_INFO[t].rules, this.typeOverrides.get(t)));
    for (const s of this.byId.values()) s.rules = mergeRules(this.typeRules.get(s.type)!, s.thresholds);
  }

  typeRulesOf(type: SensorType): EffectiveRules {
    return this.typeRules.get(type)!;
  }
  typeOverridesOf(type: SensorType): SensorThresholds {
    return this.typeOverrides.get(type) ?? {};
  }

  /** Re-read the whole registry (after an import); live rule state of known sensors is kept. */
  reload(): void {
    const before = new Map(this.byId);
    this.byId.clear();
    this.byRid.clear();
    this.unknown.clear();
    for (const row of this.db.prepare(SELECT).all() as SensorRow[]) this.put(row, before.get(row.id));
  }

  private put(row: SensorRow, prev: SensorRuntime | undefined = this.byId.get(row.id)): SensorRuntime | undefined {
    if (!isSensorType(row.type)) return undefined;
    const thresholds = parseThresholds(row.thresholds);
    const s: SensorRuntime = {
      rid: row.rid,
      id: row.id,
      name: row.name,
      type: row.type,
      unit: row.unit,
      departmentId: row.department_id,
      gridId: row.grid_id,
      lon: row.lon,
      lat: row.lat,
      intervalS: Math.max(1, row.interval_s),
      thresholds,
      rules: mergeRules(this.typeRules.get(row.type)!, thresholds),
      // keep the live state across registry edits
      rule: prev?.rule ?? newRuleState(row.last_at, row.last_value),
      status: prev?.status ?? statusOf(row.status),
      silenceBase: prev?.silenceBase ?? Math.max(row.last_at ?? 0, this.now()),
    };
    if (prev && prev.rid !== s.rid) this.byRid.delete(prev.rid);
    this.byId.set(s.id, s);
    this.byRid.set(s.rid, s);
    this.unknown.delete(s.id);
    return s;
  }

  /** The sensor with this id (datastream id), or undefined. */
  get(id: string, now: number): SensorRuntime | undefined {
    const s = this.byId.get(id);
    if (s) return s;
    const until = this.unknown.get(id);
    if (until !== undefined && until > now) return undefined;
    const row = this.one.get(id) as SensorRow | undefined;
    if (row) return this.put(row);
    if (this.unknown.size > 100_000) this.unknown.clear();
    this.unknown.set(id, now + UNKNOWN_TTL_MS);
    return undefined;
  }

  /** Re-read one sensor after a registry edit (undefined when it is gone). */
  refresh(id: string): SensorRuntime | undefined {
    const row = this.one.get(id) as SensorRow | undefined;
    if (!row) {
      this.remove(id);
      return undefined;
    }
    return this.put(row);
  }

  remove(id: string): void {
    const s = this.byId.get(id);
    if (!s) return;
    this.byId.delete(id);
    this.byRid.delete(s.rid);
  }

  byRowId(rid: number): SensorRuntime | undefined {
    return this.byRid.get(rid);
  }

  all(): IterableIterator<SensorRuntime> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  rids(): number[] {
    return [...this.byRid.keys()];
  }
}
