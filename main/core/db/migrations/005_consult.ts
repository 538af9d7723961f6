import type { Migration } from './types';

/**
 * The morning consultation (issue 7): versioned indicator models, daily score runs (the
 * five-colour map and the safety indices read them), consultation sessions with their frozen
 * agenda, decisions (会商纪要) that become closed-loop cases, the briefing history, and the site
 * inspections (平安码) that the inspection-findings indicator reads.
 */
const logged = (table: string): string => `
CREATE TRIGGER ${table}_ci AFTER INSERT ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, '${table}', NEW.id, 'insert', NEW.version);
END;
CREATE TRIGGER ${table}_cu AFTER UPDATE ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (NEW.updated_at, '${table}', NEW.id, 'update', NEW.version);
END;
CREATE TRIGGER ${table}_cd AFTER DELETE ON ${table} BEGIN
  INSERT INTO change_log(at, entity, entity_id, op, version) VALUES (CAST(unixepoch('subsec') * 1000 AS INTEGER), '${table}', OLD.id, 'delete', OLD.version);
END;`;

export const migration005: Migration = {
  version: 5,
  name: 'consult',
  up(db) {
    db.exec(`
CREATE TABLE consult_models (
  id TEXT PRIMARY KEY,
  current_revision INTEGER NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- Every revision of every model, whole: results name the revision they were computed with.
CREATE TABLE consult_model_revisions (
  model_id TEXT NOT NULL REFERENCES consult_models(id),
  revision INTEGER NOT NULL,
  format INTEGER NOT NULL,
  config TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  changes TEXT NOT NULL DEFAULT '[]', -- JSON [{path, from, to}] against the previous revision
  PRIMARY KEY (model_id, revision)
) WITHOUT ROWID;

-- One scoring run per model revision and Shanghai day: final once the day is over.
CREATE TABLE consult_runs (
  id INTEGER PRIMARY KEY,
  model_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  day TEXT NOT NULL,
  as_of INTEGER NOT NULL, -- the instant the data was read at (end of day, or now for today)
  computed_at INTEGER NOT NULL,
  final INTEGER NOT NULL DEFAULT 0,
  ms REAL NOT NULL DEFAULT 0,
  bounds TEXT NOT NULL DEFAULT '[]', -- JSON [{lo, hi}] per indicator (min–max bounds used)
  sources TEXT NOT NULL DEFAULT '[]', -- JSON [{indicatorId, table, note}]: what each indicator read
  FOREIGN KEY (model_id, revision) REFERENCES consult_model_revisions(model_id, revision),
  UNIQUE (model_id, revision, day)
);
CREATE INDEX consult_runs_day ON consult_runs(model_id, day);

CREATE TABLE consult_scores (
  run_id INTEGER NOT NULL REFERENCES consult_runs(id) ON DELETE CASCADE,
  area_id TEXT NOT NULL,
  area_level INTEGER NOT NULL,
  score REAL NOT NULL,
  base REAL NOT NULL,
  coefficient REAL NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
  raw TEXT NOT NULL, -- JSON per indicator: raw values (sums for areas above grids)
  norm TEXT, -- JSON per indicator, grids only: normalised values (null = not applicable)
  contrib TEXT NOT NULL, -- JSON per indicator: score points contributed
  PRIMARY KEY (run_id, area_id)
) WITHOUT ROWID;
CREATE INDEX consult_scores_level ON consult_scores(run_id, area_level, score);

CREATE TABLE consult_sessions (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  title TEXT NOT NULL,
  chair TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  agenda TEXT NOT NULL, -- JSON, frozen when the session opens (the briefing shows what was discussed)
  generated_at INTEGER NOT NULL,
  current_index INTEGER NOT NULL DEFAULT 0,
  focus TEXT, -- JSON {kind, id} of an object opened live on the wall, or NULL
  last_actor TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consult_sessions_day ON consult_sessions(day, opened_at);

CREATE TABLE consult_decisions (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES consult_sessions(id),
  seq INTEGER NOT NULL,
  item_id TEXT,
  title TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  department_id TEXT NOT NULL,
  area_id TEXT NOT NULL,
  category_code TEXT NOT NULL,
  urgency INTEGER NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 2),
  deadline_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  case_id TEXT, -- the closed-loop case (source 'consultation') once created
  case_code TEXT,
  case_error TEXT, -- why the case could not be created or dispatched (retry with consult.decisions.retry)
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (session_id, seq)
);
CREATE INDEX consult_decisions_recorded ON consult_decisions(recorded_at);
CREATE INDEX consult_decisions_case ON consult_decisions(case_id);

CREATE TABLE consult_briefings (
  id TEXT PRIMARY KEY,
  session_id TEXT REFERENCES consult_sessions(id),
  day TEXT NOT NULL,
  title TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  file TEXT NOT NULL, -- relative to the data directory
  bytes INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  ms INTEGER NOT NULL
);
CREATE INDEX consult_briefings_created ON consult_briefings(created_at);

-- Covering indexes for scoring: every indicator reads one range of one of them (sources.ts pins
-- them with INDEXED BY), so 20,000 grids over a million cases score without touching the table.
CREATE INDEX cases_consult_window ON cases(reported_at, grid_id, class_code, category_code, source, state);
CREATE INDEX cases_consult_closed ON cases(closed_at, grid_id, class_code, category_code, source, state, deadline_at, reported_at)
  WHERE closed_at IS NOT NULL;
CREATE INDEX cases_consult_open ON cases(deadline_at, grid_id, class_code, category_code, source, supervised, reported_at, state)
  WHERE state NOT IN ('closed', 'cancelled');

-- Site inspections (enterprise and building-site 平安码 checks): the inspection-findings indicator.
CREATE TABLE site_inspections (
  id TEXT PRIMARY KEY,
  site_name TEXT NOT NULL,
  site_code TEXT,
  grid_id TEXT REFERENCES areas(id),
  inspected_at INTEGER NOT NULL,
  findings INTEGER NOT NULL DEFAULT 0 CHECK (findings >= 0),
  major_findings INTEGER NOT NULL DEFAULT 0 CHECK (major_findings >= 0),
  inspector TEXT,
  note TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX site_inspections_grid ON site_inspections(grid_id, inspected_at);
CREATE INDEX site_inspections_at ON site_inspections(inspected_at);
`);
    db.exec(['consult_sessions', 'consult_decisions', 'site_inspections'].map(logged).join('\n'));
  },
};
