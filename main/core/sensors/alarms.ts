/**
 * The alarm book: the lifecycle raised → acknowledged → cleared in the store, one open alarm per
 * sensor and kind (a partial unique index enforces it), every step recorded in `alarm_events`.
 * The open alarms are mirrored in memory so rule evaluation costs no query per reading.
 */
import { ApiFailure } from '../../../shared/api';
import type { Alarm, AlarmQuery } from '../../../shared/api/monitoring';
import { SENSOR_TYPES, type SensorType } from '../../../shared/domain/model';
import {
  ALARM_KINDS,
  ALARM_SEVERITIES,
  severityOfRank,
  severityRank,
  type AlarmKind,
  type AlarmSeverity,
  type AlarmState,
} from '../../../shared/domain/monitoring';
import { shanghaiDay, toShanghaiIso } from '../../../shared/time';
import { SENSOR_TYPE_INFO } from '../../../shared/domain/monitoring';
import type { Db } from '../db/store';
import { outcomeText, type ClearOutcome, type RaiseOutcome } from './rules';
import type { SensorRuntime } from './runtime';

export type AlarmAction = 'raised' | 'severity' | 'escalated' | 'acknowledged' | 'cleared' | 'case';
export interface AlarmChange {
  id: string;
  action: AlarmAction;
}

interface OpenAlarm {
  rid: number;
  id: string;
  severity: number;
  state: 'raised' | 'acknowledged';
}

export interface AlarmRow {
  rid: number;
  id: string;
  sensor_id: string;
  sensor_type: string;
  kind: AlarmKind;
  severity: number;
  state: AlarmState;
  message: string;
  value: number | null;
  threshold: number | null;
  lon: number;
  lat: number;
  grid_id: string | null;
  department_id: string | null;
  raised_at: number;
  last_at: number;
  trigger_count: number;
  acked_at: number | null;
  acked_by: string | null;
  ack_note: string | null;
  cleared_at: number | null;
  cleared_by: string | null;
  clear_note: string | null;
  auto_cleared: number;
  escalation: number;
  escalated_at: number | null;
  case_id: string | null;
  case_error: string | null;
  updated_at: number;
  version: number;
  sensor_name: string | null;
  unit: string | null;
}

const ROW_SELECT = `SELECT a.*, s.name AS sensor_name, s.unit AS unit FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id`;

const iso = (ms: number | null): string | null => (ms === null ? null : toShanghaiIso(ms));

export function toAlarm(r: AlarmRow): Alarm {
  return {
    id: r.id,
    sensorId: r.sensor_id,
    sensorName: r.sensor_name ?? r.sensor_id,
    sensorType: (SENSOR_TYPES as readonly string[]).includes(r.sensor_type) ? (r.sensor_type as SensorType) : 'temperature',
    unit: r.unit ?? '',
    kind: r.kind,
    severity: severityOfRank(r.severity),
    state: r.state,
    message: r.message,
    value: r.value,
    threshold: r.threshold,
    lon: r.lon,
    lat: r.lat,
    gridId: r.grid_id,
    departmentId: r.department_id,
    raisedAt: toShanghaiIso(r.raised_at),
    lastTriggeredAt: toShanghaiIso(r.last_at),
    triggerCount: r.trigger_count,
    acknowledgedAt: iso(r.acked_at),
    acknowledgedBy: r.acked_by,
    ackNote: r.ack_note,
    clearedAt: iso(r.cleared_at),
    clearedBy: r.cleared_by,
    clearNote: r.clear_note,
    autoCleared: r.auto_cleared === 1,
    escalation: r.escalation,
    escalatedAt: iso(r.escalated_at),
    caseId: r.case_id,
    caseError: r.case_error,
    version: r.version,
  };
}

const SYSTEM = '系统';
const EMPTY: ReadonlyMap<AlarmKind, unknown> = new Map();

export class AlarmBook {
  private readonly open = new Map<string, Map<AlarmKind, OpenAlarm>>();
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO alarms(rid, id, sensor_id, sensor_type, kind, severity, state, message, value, threshold, lon, lat, grid_id, department_id,
          raised_at, last_at, updated_at) VALUES (@rid, @id, @sensorId, @type, @kind, @severity, 'raised', @message, @value, @threshold, @lon, @lat, @gridId, @departmentId, @at, @at, @at)`),
      maxRid: db.prepare('SELECT COALESCE(MAX(rid), 0) FROM alarms').pluck(),
      retrigger: db.prepare('UPDATE alarms SET value = ?, last_at = ?, trigger_count = trigger_count + 1 WHERE rid = ?'),
      raiseSeverity: db.prepare(
        'UPDATE alarms SET severity = ?, value = ?, threshold = ?, message = ?, last_at = ?, trigger_count = trigger_count + 1, updated_at = ?, version = version + 1 WHERE rid = ?',
      ),
      clear: db.prepare(
        `UPDATE alarms SET state = 'cleared', cleared_at = @at, cleared_by = @actor, clear_note = @note, auto_cleared = @auto, value = COALESCE(@value, value),
           updated_at = @at, version = version + 1 WHERE rid = @rid`,
      ),
      ack: db.prepare(`UPDATE alarms SET state = 'acknowledged', acked_at = ?, acked_by = ?, ack_note = ?, updated_at = ?, version = version + 1 WHERE rid = ?`),
      escalate: db.prepare('UPDATE alarms SET severity = ?, escalation = escalation + 1, escalated_at = ?, updated_at = ?, version = version + 1 WHERE rid = ?'),
      setCase: db.prepare('UPDATE alarms SET case_id = ?, case_error = NULL, updated_at = ?, version = version + 1 WHERE id = ?'),
      setCaseError: db.prepare('UPDATE alarms SET case_error = ?, updated_at = ? WHERE id = ?'),
      history: db.prepare('INSERT INTO alarm_events(alarm_id, at, action, actor, note, severity) VALUES (?, ?, ?, ?, ?, ?)'),
      byId: db.prepare(`${ROW_SELECT} WHERE a.id = ?`),
      // Device-health alarms (stuck, offline) do not escalate: they have no higher severity to reach.
      dueEscalation: db.prepare(
        `SELECT rid, id, kind, severity FROM alarms WHERE state = 'raised' AND kind NOT IN ('stuck', 'offline') AND COALESCE(escalated_at, raised_at) <= ? ORDER BY raised_at LIMIT 500`,
      ),
    };
    this.loadOpen();
  }

  loadOpen(): void {
    this.open.clear();
    const rows = this.db.prepare(`SELECT rid, id, sensor_id, kind, severity, state FROM alarms WHERE state <> 'cleared'`).all() as Array<
      OpenAlarm & { sensor_id: string; kind: AlarmKind }
    >;
    for (const r of rows) this.remember(r.sensor_id, r.kind, { rid: r.rid, id: r.id, severity: r.severity, state: r.state });
  }

  private remember(sensorId: string, kind: AlarmKind, a: OpenAlarm): void {
    let m = this.open.get(sensorId);
    if (!m) {
      m = new Map();
      this.open.set(sensorId, m);
    }
    m.set(kind, a);
  }

  private forget(sensorId: string, kind: AlarmKind): void {
    const m = this.open.get(sensorId);
    if (!m) return;
    m.delete(kind);
    if (m.size === 0) this.open.delete(sensorId);
  }

  /** The open alarms of a sensor by kind (for the rules; read-only). */
  openKinds(sensorId: string): ReadonlyMap<AlarmKind, unknown> {
    return this.open.get(sensorId) ?? EMPTY;
  }

  hasOpen(sensorId: string, kind?: AlarmKind): boolean {
    const m = this.open.get(sensorId);
    return kind === undefined ? m !== undefined : m?.has(kind) === true;
  }

  private text(sensor: SensorRuntime, o: RaiseOutcome | ClearOutcome): string {
    return outcomeText(o, { typeName: SENSOR_TYPE_INFO[sensor.type].name, unit: sensor.unit }, sensor.rules.dir);
  }

  /** Raise an alarm, or re-trigger the open one (raising its severity if the new one is higher). Inside a transaction. */
  raise(sensor: SensorRuntime, o: RaiseOutcome, at: number, changes: AlarmChange[]): void {
    const sev = severityRank(o.severity);
    const existing = this.open.get(sensor.id)?.get(o.kind);
    if (!existing) {
      const message = this.text(sensor, o);
      const rid = (this.stmt.maxRid.get() as number) + 1;
      const id = `AL${shanghaiDay(at).replace(/-/g, '')}-${String(rid).padStart(6, '0')}`;
      this.stmt.insert.run({
        rid,
        id,
        sensorId: sensor.id,
        type: sensor.type,
        kind: o.kind,
        severity: sev,
        message,
        value: o.value,
        threshold: o.threshold,
        lon: sensor.lon,
        lat: sensor.lat,
        gridId: sensor.gridId,
        departmentId: sensor.departmentId,
        at,
      });
      this.stmt.history.run(id, at, 'raised', SYSTEM, message, sev);
      this.remember(sensor.id, o.kind, { rid, id, severity: sev, state: 'raised' });
      changes.push({ id, action: 'raised' });
    } else if (sev > existing.severity) {
      const message = this.text(sensor, o);
      this.stmt.raiseSeverity.run(sev, o.value, o.threshold, message, at, at, existing.rid);
      this.stmt.history.run(existing.id, at, 'severity', SYSTEM, message, sev);
      existing.severity = sev;
      changes.push({ id: existing.id, action: 'severity' });
    } else {
      this.stmt.retrigger.run(o.value, at, existing.rid);
    }
  }

  /** Clear the open alarm of this kind automatically (the condition went away). Inside a transaction. */
  autoClear(sensor: SensorRuntime, o: ClearOutcome, at: number, changes: AlarmChange[]): void {
    const existing = this.open.get(sensor.id)?.get(o.kind);
    if (!existing) return;
    const note = this.text(sensor, o);
    this.stmt.clear.run({ at, actor: SYSTEM, note, auto: 1, value: o.value, rid: existing.rid });
    this.stmt.history.run(existing.id, at, 'cleared', SYSTEM, note, existing.severity);
    this.forget(sensor.id, o.kind);
    changes.push({ id: existing.id, action: 'cleared' });
  }

  /** Clear by hand (or by the system with a reason, e.g. the sensor was removed). */
  clearById(id: string, actor: string, note: string, at: number): AlarmRow {
    const row = this.row(id);
    if (!row) throw new ApiFailure('not_found', `no alarm with id ${id}`, 'input.id');
    if (row.state === 'cleared') throw new ApiFailure('invalid_transition', `alarm ${id} is already cleared`);
    this.db.transaction(() => {
      this.stmt.clear.run({ at, actor, note, auto: 0, value: null, rid: row.rid });
      this.stmt.history.run(id, at, 'cleared', actor, note, row.severity);
    })();
    this.forget(row.sensor_id, row.kind);
    return this.row(id)!;
  }

  acknowledge(id: string, actor: string, note: string, at: number): AlarmRow {
    const row = this.row(id);
    if (!row) throw new ApiFailure('not_found', `no alarm with id ${id}`, 'input.id');
    if (row.state !== 'raised') throw new ApiFailure('invalid_transition', `alarm ${id} is ${row.state === 'cleared' ? 'already cleared' : 'already acknowledged'}`);
    this.db.transaction(() => {
      this.stmt.ack.run(at, actor, note, at, row.rid);
      this.stmt.history.run(id, at, 'acknowledged', actor, note, row.severity);
    })();
    const o = this.open.get(row.sensor_id)?.get(row.kind);
    if (o) o.state = 'acknowledged';
    return this.row(id)!;
  }

  /**
   * Escalate alarms left unacknowledged for `afterMs`: one severity up, again every `afterMs`
   * until acknowledged (at critical only the escalation count grows).
   */
  escalateDue(now: number, afterMs: number, changes: AlarmChange[]): void {
    const due = this.stmt.dueEscalation.all(now - afterMs) as Array<{ rid: number; id: string; kind: AlarmKind; severity: number }>;
    if (due.length === 0) return;
    this.db.transaction(() => {
      for (const a of due) {
        const sev = Math.min(ALARM_SEVERITIES.length, a.severity + 1);
        this.stmt.escalate.run(sev, now, now, a.rid);
        const minutes = Math.round(afterMs / 60_000);
        this.stmt.history.run(a.id, now, 'escalated', SYSTEM, `${minutes} 分钟未确认，升级${sev > a.severity ? '为' + ['', '预警', '告警', '严重告警'][sev] : ''}`, sev);
        for (const m of this.open.values()) for (const o of m.values()) if (o.rid === a.rid) o.severity = sev;
        changes.push({ id: a.id, action: 'escalated' });
      }
    })();
  }

  setCase(id: string, caseId: string, actor: string, at: number): void {
    const row = this.row(id);
    this.db.transaction(() => {
      this.stmt.setCase.run(caseId, at, id);
      this.stmt.history.run(id, at, 'case', actor, `立案 ${caseId}`, row?.severity ?? 1);
    })();
  }

  setCaseError(id: string, error: string, at: number): void {
    this.stmt.setCaseError.run(error.slice(0, 500), at, id);
  }

  row(id: string): AlarmRow | undefined {
    return this.stmt.byId.get(id) as AlarmRow | undefined;
  }

  get(id: string): Alarm {
    const r = this.row(id);
    if (!r) throw new ApiFailure('not_found', `no alarm with id ${id}`, 'input.id');
    return toAlarm(r);
  }

  history(id: string): Array<{ at: string; action: string; actor: string; note: string; severity: AlarmSeverity }> {
    const rows = this.db.prepare('SELECT at, action, actor, note, severity FROM alarm_events WHERE alarm_id = ? ORDER BY seq').all(id) as Array<{
      at: number;
      action: string;
      actor: string;
      note: string;
      severity: number;
    }>;
    return rows.map((r) => ({ at: toShanghaiIso(r.at), action: r.action, actor: r.actor, note: r.note, severity: severityOfRank(r.severity) }));
  }

  /** Open alarms of a sensor, and its recent history. */
  ofSensor(sensorId: string, limit: number): { open: Alarm[]; recent: Alarm[] } {
    const open = (this.db.prepare(`${ROW_SELECT} WHERE a.sensor_id = ? AND a.state <> 'cleared' ORDER BY a.raised_at DESC`).all(sensorId) as AlarmRow[]).map(toAlarm);
    const recent = (this.db.prepare(`${ROW_SELECT} WHERE a.sensor_id = ? ORDER BY a.raised_at DESC LIMIT ?`).all(sensorId, limit) as AlarmRow[]).map(toAlarm);
    return { open, recent };
  }

  list(q: AlarmQuery & { limit: number; offset: number }, parse: (iso: string) => number): { total: number; items: Alarm[]; counts: Record<AlarmSeverity, number> } {
    const where: string[] = [];
    const params: Array<string | number> = [];
    let cte = '';
    const inList = (col: string, values: readonly (string | number)[]): void => {
      where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    if (q.areaId) {
      cte = 'WITH RECURSIVE sub(id) AS (SELECT id FROM areas WHERE id = ? UNION ALL SELECT a2.id FROM areas a2 JOIN sub ON a2.parent_id = sub.id) ';
      params.push(q.areaId);
      where.push('a.grid_id IN (SELECT id FROM sub)');
    }
    if (q.open) inList('a.state', ['raised', 'acknowledged']);
    if (q.states && q.states.length > 0) inList('a.state', q.states);
    if (q.kinds && q.kinds.length > 0) inList('a.kind', q.kinds.filter((k) => (ALARM_KINDS as readonly string[]).includes(k)));
    if (q.sensorTypes && q.sensorTypes.length > 0) inList('a.sensor_type', q.sensorTypes);
    if (q.sensorId) {
      where.push('a.sensor_id = ?');
      params.push(q.sensorId);
    }
    if (q.departmentId) {
      where.push('a.department_id = ?');
      params.push(q.departmentId);
    }
    if (q.from) {
      where.push('a.raised_at >= ?');
      params.push(parse(q.from));
    }
    if (q.to) {
      where.push('a.raised_at < ?');
      params.push(parse(q.to));
    }
    const baseWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const countRows = this.db.prepare(`${cte}SELECT a.severity AS severity, COUNT(*) AS n FROM alarms a ${baseWhere} GROUP BY a.severity`).all(...params) as Array<{
      severity: number;
      n: number;
    }>;
    const counts: Record<AlarmSeverity, number> = { warning: 0, alarm: 0, critical: 0 };
    for (const c of countRows) counts[severityOfRank(c.severity)] += c.n;
    const sevWhere = [...where];
    const sevParams = [...params];
    if (q.severities && q.severities.length > 0) {
      sevWhere.push(`a.severity IN (${q.severities.map(() => '?').join(', ')})`);
      sevParams.push(...q.severities.map(severityRank));
    }
    const w = sevWhere.length ? `WHERE ${sevWhere.join(' AND ')}` : '';
    const total = this.db.prepare(`${cte}SELECT COUNT(*) FROM alarms a ${w}`).pluck().get(...sevParams) as number;
    const rows = this.db
      .prepare(`${cte}SELECT a.*, s.name AS sensor_name, s.unit AS unit FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id ${w} ORDER BY a.raised_at DESC, a.rid DESC LIMIT ? OFFSET ?`)
      .all(...sevParams, q.limit, q.offset) as AlarmRow[];
    return { total, items: rows.map(toAlarm), counts };
  }
}
