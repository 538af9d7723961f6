import type { Migration } from './types';

/**
 * The situation map (issue 4): positions of field staff over time (trails of the last hour,
 * kept a few days), and saved map views (versioned JSON bodies, shared/domain/map.ts). The
 * walls' shared map state and the basemap setting live in `settings` ('map.state', 'map.basemap').
 */
export const migration006: Migration = {
  version: 6,
  name: 'map',
  up(db) {
    db.exec(`
CREATE TABLE staff_positions (
  staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  at INTEGER NOT NULL, -- epoch ms
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  PRIMARY KEY (staff_id, at)
) WITHOUT ROWID;
CREATE INDEX staff_positions_at ON staff_positions(at);

CREATE TABLE map_views (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL, -- versioned JSON body {v, name, centre, zoom, areaId, layers}
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TRIGGER map_views_ci AFTER INSERT ON map_views BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, 'map_views', NEW.id, 'insert', NEW.version);
END;
CREATE TRIGGER map_views_cu AFTER UPDATE ON map_views BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, 'map_views', NEW.id, 'update', NEW.version);
END;
CREATE TRIGGER map_views_cd AFTER DELETE ON map_views BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (CAST(unixepoch('subsec') * 1000 AS INTEGER), 'map_views', OLD.id, 'delete', OLD.version);
END;
`);
  },
};
