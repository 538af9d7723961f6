/**
 * Alarm → case (the closed loop, issue 3): an alarm of at least the configured severity files ONE
 * case through the registry's `cases.create` (source 'iot', category from the sensor type,
 * location and grid from the sensor, the alarm id as the external reference). Clearing the
 * alarm is recorded in the case's history.
 */
import type { MonitoringSettings } from '../../../shared/api/monitoring';
import type { CaseCreateInput } from '../../../shared/api/workflow';
import {
  DEVICE_HEALTH_KINDS,
  SENSOR_TYPE_INFO,
  URGENCY_OF_SEVERITY,
  severityOfRank,
  severityRank,
} from '../../../shared/domain/monitoring';
import { SENSOR_TYPES, type SensorType } from '../../../shared/domain/model';
import { shanghaiDateTime } from '../../../shared/time';
import type { CoreContext } from '../core';
import type { AlarmBook, AlarmRow } from './alarms';

const KIND_ZH = { threshold: '超限告警', rate: '突变告警', stuck: '数据停滞', offline: '设备离线' } as const;
export const IOT_ACTOR = '物联感知';

export class CaseBridge {
  private readonly inFlight = new Map<string, Promise<{ caseId: string; created: boolean }>>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly alarms: AlarmBook,
    private readonly settings: () => MonitoringSettings,
    /** Tell the screens the alarm changed (case filed or failed). */
    private readonly announce: (alarmId: string) => void,
  ) {}

  /** Whether this alarm should file a case by itself now. */
  wants(row: AlarmRow): boolean {
    const min = this.settings().caseSeverity;
    if (min === 'none' || row.case_id !== null || row.case_error !== null) return false;
    if (DEVICE_HEALTH_KINDS.includes(row.kind)) return false;
    return row.severity >= severityRank(min);
  }

  /** File the case (once; concurrent calls share the attempt). */
  file(alarmId: string, actor: string): Promise<{ caseId: string; created: boolean }> {
    const pending = this.inFlight.get(alarmId);
    if (pending) return pending;
    const p = this.create(alarmId, actor).finally(() => this.inFlight.delete(alarmId));
    this.inFlight.set(alarmId, p);
    return p;
  }

  private async create(alarmId: string, actor: string): Promise<{ caseId: string; created: boolean }> {
    const row = this.alarms.row(alarmId);
    if (!row) throw new Error(`no alarm with id ${alarmId}`);
    if (row.case_id) return { caseId: row.case_id, created: false };
    const type: SensorType = (SENSOR_TYPES as readonly string[]).includes(row.sensor_type) ? (row.sensor_type as SensorType) : 'temperature';
    const info = SENSOR_TYPE_INFO[type];
    const severity = severityOfRank(row.severity);
    const name = row.sensor_name ?? row.sensor_id;
    const input: CaseCreateInput = {
      source: 'iot',
      categoryCode: info.categoryCode,
      lon: row.lon,
      lat: row.lat,
      urgency: URGENCY_OF_SEVERITY[severity],
      title: `【物联${KIND_ZH[row.kind]}】${name}：${row.message}`.slice(0, 200),
      description: [
        `告警编号：${row.id}`,
        `设备：${name}（${row.sensor_id}，${info.name}）`,
        `告警内容：${row.message}`,
        `级别：${['', '预警', '告警', '严重告警'][row.severity]}`,
        `发生时间：${shanghaiDateTime(row.raised_at)}`,
      ].join('\n'),
      address: name.slice(0, 300),
      externalId: row.id,
      actor,
    };
    const res = await this.ctx.registry.invoke('cases.create', input, { transport: 'internal', client: 'monitoring' });
    const now = this.ctx.now();
    if (!res.ok) {
      this.alarms.setCaseError(alarmId, `${res.error.code}: ${res.error.message}`, now);
      this.ctx.log.warn('monitoring.case_failed', { alarm: alarmId, error: res.error });
      this.announce(alarmId);
      throw new Error(res.error.message);
    }
    const caseId = res.value.case.id;
    this.alarms.setCase(alarmId, caseId, actor, now);
    this.ctx.log.info('monitoring.case_filed', { alarm: alarmId, case: caseId });
    this.announce(alarmId);
    return { caseId, created: true };
  }

  /**
   * Consider alarms that were raised, rose in severity or escalated. The decision is taken now;
   * filing runs on the next turn of the event loop, outside the write path.
   */
  consider(alarmIds: readonly string[]): void {
    for (const id of alarmIds) {
      const row = this.alarms.row(id);
      if (!row || !this.wants(row)) continue;
      if (this.inFlight.has(id)) continue;
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.create(id, IOT_ACTOR))
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, p);
      p.catch((err: unknown) => this.ctx.log.debug('monitoring.case_not_filed', { alarm: id, error: String(err) }));
    }
  }

  /** Record in the case's history that its alarm cleared (the case itself follows its own workflow). */
  async recordClear(alarmId: string): Promise<void> {
    const row = this.alarms.row(alarmId);
    if (!row?.case_id || row.cleared_at === null) return;
    const db = this.ctx.db;
    const state = db.prepare('SELECT state FROM cases WHERE id = ?').pluck().get(row.case_id) as string | undefined;
    if (state === undefined) return;
    const note = row.auto_cleared === 1 ? `告警 ${row.id} 已自动解除：${row.clear_note ?? ''}` : `告警 ${row.id} 已由 ${row.cleared_by ?? ''} 手动解除：${row.clear_note ?? ''}`;
    db.prepare('INSERT INTO case_events(case_id, at, action, from_state, to_state, actor, role, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      row.case_id,
      row.cleared_at,
      'iot_alarm_cleared',
      state,
      state,
      row.auto_cleared === 1 ? IOT_ACTOR : (row.cleared_by ?? IOT_ACTOR),
      'system',
      note.slice(0, 2000),
      JSON.stringify({ alarmId: row.id, autoCleared: row.auto_cleared === 1 }),
    );
    const detail = await this.ctx.registry.invoke('cases.get', { id: row.case_id });
    if (detail.ok) this.ctx.bus.emit('case.updated', { case: detail.value, action: 'iot_alarm_cleared' });
  }
}
