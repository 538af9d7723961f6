/** Monitoring settings, stored as one JSON row in `settings` (key 'monitoring'). */
import { monitoringSettingsSchema, type MonitoringSettings } from '../../../shared/api/monitoring';
import type { Db } from '../db/store';

export const DEFAULT_MONITORING_SETTINGS: MonitoringSettings = {
  rawRetentionDays: 7,
  minuteRetentionDays: 31,
  hourRetentionDays: 730,
  caseSeverity: 'alarm',
  escalateAfterMin: 10,
  futureToleranceS: 300,
  offlineAlarms: true,
};

const KEY = 'monitoring';

export function readMonitoringSettings(db: Db): MonitoringSettings {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (!raw) return { ...DEFAULT_MONITORING_SETTINGS };
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return { ...DEFAULT_MONITORING_SETTINGS };
  }
  const merged = { ...DEFAULT_MONITORING_SETTINGS, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
  const parsed = monitoringSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_MONITORING_SETTINGS };
}

export function writeMonitoringSettings(db: Db, settings: MonitoringSettings, now: number): void {
  db.prepare(
    `INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = version + 1`,
  ).run(KEY, JSON.stringify(settings), now);
}
