/** Video settings, one JSON value in the settings table (key 'video'). */
import type { Db } from '../db/store';
import { prep } from '../db/sql';
import { DEFAULT_VIDEO_SETTINGS, videoSettingsSchema, type VideoSettings } from '../../../shared/domain/video';
import type { Logger } from '../log';

const KEY = 'video';

export function readVideoSettings(db: Db, log: Logger): VideoSettings {
  const raw = prep(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (raw === undefined) return DEFAULT_VIDEO_SETTINGS;
  try {
    // Unknown keys from a newer build are dropped; missing ones take their defaults.
    const stored = JSON.parse(raw) as Record<string, unknown>;
    const known = Object.fromEntries(Object.entries(stored).filter(([k]) => k in DEFAULT_VIDEO_SETTINGS));
    return videoSettingsSchema.parse(known);
  } catch (err) {
    log.warn('video.settings_unreadable', { error: err instanceof Error ? err.message : String(err) });
    return DEFAULT_VIDEO_SETTINGS;
  }
}

export function writeVideoSettings(db: Db, patch: Partial<VideoSettings>, now: number, log: Logger): VideoSettings {
  const next = videoSettingsSchema.parse({ ...readVideoSettings(db, log), ...patch });
  prep(
    db,
    `INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = settings.version + 1`,
  ).run(KEY, JSON.stringify(next), now);
  return next;
}
