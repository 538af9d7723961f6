import type { Migration } from './types';

/**
 * Video: stream health per camera stream, saved wall presets, and the camera R*Tree kept complete
 * (cameras written before this migration get their R*Tree rows here; the video service keeps them
 * in step afterwards).
 */
export const migration004: Migration = {
  version: 4,
  name: 'video',
  up(db) {
    db.exec(`
CREATE TABLE stream_health (
  camera_id TEXT NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  stream_index INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('unknown', 'connecting', 'playing', 'stalled', 'failed')),
  method TEXT NOT NULL CHECK (method IN ('player', 'probe')),
  detail TEXT NOT NULL DEFAULT '',
  reachable INTEGER, -- 0/1, NULL unknown
  frames_advancing INTEGER, -- 0/1, NULL unknown
  failures INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_ok_at INTEGER,
  last_fail_at INTEGER,
  next_retry_at INTEGER,
  first_frame_ms REAL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (camera_id, stream_index)
) WITHOUT ROWID;
CREATE INDEX stream_health_state ON stream_health(state, next_retry_at);

CREATE TABLE video_presets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL, -- versioned JSON body {v, layout, tiles, tour} (shared/domain/video.ts)
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER video_presets_ci AFTER INSERT ON video_presets BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, 'video_presets', NEW.id, 'insert', NEW.version);
END;
CREATE TRIGGER video_presets_cu AFTER UPDATE ON video_presets BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, 'video_presets', NEW.id, 'update', NEW.version);
END;
CREATE TRIGGER video_presets_cd AFTER DELETE ON video_presets BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (CAST(unixepoch('subsec') * 1000 AS INTEGER), 'video_presets', OLD.id, 'delete', OLD.version);
END;

INSERT INTO cameras_rtree(rid, min_x, max_x, min_y, max_y)
  SELECT rid, lon, lon, lat, lat FROM cameras WHERE rid NOT IN (SELECT rid FROM cameras_rtree);
`);
  },
};
