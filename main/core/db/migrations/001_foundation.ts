import type { Migration } from './types';

/**
 * The foundation schema. Conventions:
 * - every entity has a stable string `id` (plus an integer rowid `rid` where an R*Tree needs one),
 *   `updated_at` (epoch ms) and `version` (incremented on every update);
 * - times are epoch milliseconds (UTC) in INTEGER columns; the API speaks ISO-8601;
 * - every insert/update/delete of an entity is appended to `change_log` by triggers, so a sync with
 *   an upstream platform can read "what changed since seq N" without a schema rewrite.
 */
const ENTITIES = ['areas', 'departments', 'units', 'staff', 'cameras', 'sensors', 'cases', 'settings'] as const;

const changeLogTriggers = (table: string, key: string): string => `
CREATE TRIGGER ${table}_ci AFTER INSERT ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, '${table}', NEW.${key}, 'insert', NEW.version);
END;
CREATE TRIGGER ${table}_cu AFTER UPDATE ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, '${table}', NEW.${key}, 'update', NEW.version);
END;
CREATE TRIGGER ${table}_cd AFTER DELETE ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (CAST(unixepoch('subsec') * 1000 AS INTEGER), '${table}', OLD.${key}, 'delete', OLD.version);
END;`;

export const migration001: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  version INTEGER NOT NULL
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE areas (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  parent_id TEXT REFERENCES areas(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5), -- 1 city, 2 district, 3 town, 4 community, 5 grid
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT,
  cx REAL NOT NULL, cy REAL NOT NULL,
  min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
  geometry TEXT NOT NULL, -- GeoJSON geometry (Polygon or MultiPolygon), lon/lat WGS84
  population INTEGER,
  area_km2 REAL,
  risk_level INTEGER NOT NULL DEFAULT 0 CHECK (risk_level BETWEEN 0 AND 4),
  responsible_unit_id TEXT,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX areas_parent ON areas(parent_id);
CREATE INDEX areas_level ON areas(level);
CREATE UNIQUE INDEX areas_code ON areas(level, code);
CREATE VIRTUAL TABLE areas_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

CREATE TABLE departments (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE units (
  id TEXT PRIMARY KEY,
  department_id TEXT NOT NULL REFERENCES departments(id),
  name TEXT NOT NULL,
  area_id TEXT REFERENCES areas(id),
  phone TEXT,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_department ON units(department_id);
CREATE INDEX units_area ON units(area_id);

CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  department_id TEXT REFERENCES departments(id),
  unit_id TEXT REFERENCES units(id),
  grid_id TEXT REFERENCES areas(id),
  phone TEXT,
  lon REAL, lat REAL, position_at INTEGER,
  on_duty INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_grid ON staff(grid_id);
CREATE INDEX staff_unit ON staff(unit_id);

CREATE TABLE cameras (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  department_id TEXT REFERENCES departments(id),
  grid_id TEXT REFERENCES areas(id),
  lon REAL NOT NULL, lat REAL NOT NULL,
  heading REAL NOT NULL DEFAULT 0, -- degrees clockwise from north
  fov REAL NOT NULL DEFAULT 60,
  height_m REAL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'online',
  streams TEXT NOT NULL DEFAULT '[]', -- JSON [{kind, url, ...}]
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cameras_grid ON cameras(grid_id);
CREATE VIRTUAL TABLE cameras_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

CREATE TABLE sensors (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  unit TEXT NOT NULL,
  department_id TEXT REFERENCES departments(id),
  grid_id TEXT REFERENCES areas(id),
  lon REAL NOT NULL, lat REAL NOT NULL,
  interval_s INTEGER NOT NULL DEFAULT 300,
  thresholds TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'normal',
  last_value REAL, last_at INTEGER,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sensors_grid ON sensors(grid_id);
CREATE INDEX sensors_type ON sensors(type);

CREATE TABLE cases (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE, -- human case number, e.g. YH20261121-000123
  source TEXT NOT NULL,
  class_code TEXT NOT NULL,
  category_code TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  lon REAL NOT NULL, lat REAL NOT NULL,
  grid_id TEXT, community_id TEXT, town_id TEXT, district_id TEXT,
  urgency INTEGER NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 2), -- 0 一般, 1 紧急, 2 特急
  state TEXT NOT NULL,
  reporter_name TEXT, reporter_phone TEXT, -- personal data: masked at the API boundary
  department_id TEXT, unit_id TEXT, assignee_id TEXT,
  reported_at INTEGER NOT NULL,
  registered_at INTEGER, dispatched_at INTEGER, deadline_at INTEGER, closed_at INTEGER,
  overdue INTEGER NOT NULL DEFAULT 0,
  supervised INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL DEFAULT '{}', -- extensible JSON (attachments, links, external ids)
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_reported ON cases(reported_at);
CREATE INDEX cases_state_queue ON cases(state, urgency, deadline_at);
CREATE INDEX cases_state_reported ON cases(state, reported_at);
CREATE INDEX cases_district ON cases(district_id, reported_at);
CREATE INDEX cases_town ON cases(town_id, reported_at);
CREATE INDEX cases_community ON cases(community_id, reported_at);
CREATE INDEX cases_grid ON cases(grid_id, reported_at);
CREATE INDEX cases_source ON cases(source, reported_at);
CREATE INDEX cases_category ON cases(category_code, reported_at);
CREATE INDEX cases_department ON cases(department_id, reported_at);
CREATE INDEX cases_overdue ON cases(overdue, state) WHERE overdue = 1;
CREATE INDEX cases_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE case_events (
  seq INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT, to_state TEXT,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, seq);
CREATE INDEX case_events_at ON case_events(at);
`);
    db.exec(ENTITIES.map((t) => changeLogTriggers(t, t === 'settings' ? 'key' : 'id')).join('\n'));
  },
};
