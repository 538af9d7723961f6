import type { Migration } from './types';
import { CATEGORIES, CATEGORY_CLASSES } from '../../../../shared/domain/catalogue';

/**
 * The closed loop (issue 3):
 * - the category catalogue in the store (classes and subcategories seeded from
 *   shared/domain/catalogue.ts), versioned: every edit bumps `version`, records who and when on
 *   the row, and appends the full row to `catalogue_history`;
 * - workflow columns on `cases`: the allotted working time (limit + approved extensions), the 80 %
 *   warning instant and flag, the instant the clock was paused, the supervision (督办) level;
 * - `case_queue`: the active cases in a narrow table kept by triggers, for the console's queue;
 * - `case_facts` and `eval_rollup`: the evaluation's narrow per-case facts and its per day / week /
 *   month rollups, derived data without change_log triggers (built and kept in step by the core);
 * - indexes for the deadline scans, the evaluation windows and the dispatcher's queries.
 */
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

/**
 * The states in which the handling clock runs (shared/domain/workflow.ts CLOCK_STATES), as the
 * literal the partial scan indexes are defined with: queries that want those indexes must repeat
 * it verbatim (SQLite proves a partial index usable by comparing the terms).
 */
export const CLOCK_STATES_SQL = "('dispatched', 'accepted', 'rework')";

const QUEUE_COLUMNS =
  'case_rid, state, urgency, deadline_at, reported_at, source, class_code, category_code, grid_id, community_id, town_id, district_id, department_id, overdue, supervised, code, title, address';
const queueValues = (p: 'NEW'): string =>
  QUEUE_COLUMNS.split(', ')
    .map((c) => `${p}.${c === 'case_rid' ? 'rid' : c}`)
    .join(', ');
const QUEUE_TRIGGERS = `
CREATE TRIGGER cases_queue_i AFTER INSERT ON cases WHEN NEW.state NOT IN ('closed', 'cancelled') BEGIN
  INSERT OR REPLACE INTO case_queue(${QUEUE_COLUMNS}) VALUES (${queueValues('NEW')});
END;
CREATE TRIGGER cases_queue_u AFTER UPDATE OF state, urgency, deadline_at, reported_at, source, class_code, category_code, grid_id, community_id,
  town_id, district_id, department_id, overdue, supervised, code, title, address ON cases BEGIN
  DELETE FROM case_queue WHERE case_rid = OLD.rid;
  INSERT OR REPLACE INTO case_queue(${QUEUE_COLUMNS}) SELECT ${queueValues('NEW')} WHERE NEW.state NOT IN ('closed', 'cancelled');
END;
CREATE TRIGGER cases_queue_d AFTER DELETE ON cases BEGIN
  DELETE FROM case_queue WHERE case_rid = OLD.rid;
END;`;

export const migration002: Migration = {
  version: 2,
  name: 'closed_loop',
  up(db) {
    db.exec(`
CREATE TABLE category_classes (
  code TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('component', 'event')),
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE categories (
  code TEXT PRIMARY KEY,
  class_code TEXT NOT NULL REFERENCES category_classes(code),
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  department_code TEXT NOT NULL,          -- departments.code of the default responsible department
  limit_unit TEXT NOT NULL CHECK (limit_unit IN ('work_hours', 'work_days')),
  limit_value REAL NOT NULL CHECK (limit_value > 0),
  filing TEXT NOT NULL,                   -- 立案条件
  closing TEXT NOT NULL,                  -- 结案条件
  keywords TEXT NOT NULL DEFAULT '',      -- comma separated (Open311 keywords)
  active INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX categories_class ON categories(class_code, sort);

CREATE TABLE catalogue_history (
  seq INTEGER PRIMARY KEY,
  entity TEXT NOT NULL CHECK (entity IN ('class', 'category')),
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('seed', 'create', 'update')),
  note TEXT NOT NULL DEFAULT '',
  snapshot TEXT NOT NULL                  -- JSON of the row after the change
);
CREATE UNIQUE INDEX catalogue_history_version ON catalogue_history(entity, code, version);

ALTER TABLE cases ADD COLUMN limit_ms INTEGER;                          -- allotted working time: limit + approved extensions
ALTER TABLE cases ADD COLUMN warn_at INTEGER;                           -- when 80 % of it will be used (预警)
ALTER TABLE cases ADD COLUMN warning INTEGER NOT NULL DEFAULT 0;        -- 1 once past 80 %
ALTER TABLE cases ADD COLUMN paused_at INTEGER;                         -- clock paused since (handled, suspended)
ALTER TABLE cases ADD COLUMN supervision_level INTEGER NOT NULL DEFAULT 0 CHECK (supervision_level BETWEEN 0 AND 3);

-- The evaluation's narrow copy of each case (no change_log triggers: derived data). Group keys are
-- integers: departments.rowid, units.rowid, areas.rid (0 = none). Rebuilt by the core from cases,
-- change_log and case_events (main/core/cases/facts.ts); never edited by hand.
CREATE TABLE case_facts (
  case_rid INTEGER PRIMARY KEY,           -- cases.rid
  reported_at INTEGER NOT NULL,
  registered_at INTEGER,
  dispatched_at INTEGER,
  closed_at INTEGER,                      -- set only for state 'closed'
  deadline_at INTEGER,
  due_at INTEGER,                         -- when the case fell due: MIN(closed_at, deadline_at); NULL if cancelled or never dispatched nor closed
  last_at INTEGER NOT NULL,               -- the latest of the instants above
  state TEXT NOT NULL,
  overdue INTEGER NOT NULL DEFAULT 0,
  dept INTEGER NOT NULL DEFAULT 0,
  unit INTEGER NOT NULL DEFAULT 0,
  grid INTEGER NOT NULL DEFAULT 0,
  community INTEGER NOT NULL DEFAULT 0,
  town INTEGER NOT NULL DEFAULT 0,
  district INTEGER NOT NULL DEFAULT 0,
  rework_count INTEGER NOT NULL DEFAULT 0,    -- verify_fail events
  return_count INTEGER NOT NULL DEFAULT 0,    -- return events
  extension_count INTEGER NOT NULL DEFAULT 0, -- approve_extension (or 'extend') events
  handled_at INTEGER,                         -- last handle event
  handling_ms INTEGER                         -- working time from dispatch to the handling feedback (closed cases)
);
CREATE INDEX case_facts_reported ON case_facts(reported_at);
CREATE INDEX case_facts_active ON case_facts(last_at, reported_at);
CREATE INDEX case_facts_due ON case_facts(due_at) WHERE due_at IS NOT NULL;

-- Evaluation rollups: the figures of every week (from Monday) and month bucket per group, kept in
-- step with case_facts. period 1 week, 2 month (0 would be a day: days are computed from
-- case_facts); bucket = Shanghai day number of its first day; kind 0 all, 1 department, 2 unit, 3 grid, 4 community, 5 town, 6 district; key as in case_facts.
CREATE TABLE eval_rollup (
  period INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  key INTEGER NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  registered INTEGER NOT NULL DEFAULT 0,
  dispatched INTEGER NOT NULL DEFAULT 0,
  extended INTEGER NOT NULL DEFAULT 0,
  closed INTEGER NOT NULL DEFAULT 0,
  reworked INTEGER NOT NULL DEFAULT 0,
  handling_ms_sum INTEGER NOT NULL DEFAULT 0,
  handling_n INTEGER NOT NULL DEFAULT 0,
  due INTEGER NOT NULL DEFAULT 0,
  deferred INTEGER NOT NULL DEFAULT 0,
  closed_due INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 0,
  overdue INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (period, bucket, kind, key)
) WITHOUT ROWID;

-- The console's queue: a narrow copy of every active case (not closed, not cancelled: ~2 % of a
-- store), kept exact by triggers on cases, so any writer keeps it current. Queue queries scan it
-- (tens of thousands of narrow rows) and read only the page they show from cases.
CREATE TABLE case_queue (
  case_rid INTEGER PRIMARY KEY,           -- cases.rid
  state TEXT NOT NULL,
  urgency INTEGER NOT NULL,
  deadline_at INTEGER,
  reported_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  class_code TEXT NOT NULL,
  category_code TEXT NOT NULL,
  grid_id TEXT, community_id TEXT, town_id TEXT, district_id TEXT,
  department_id TEXT,
  overdue INTEGER NOT NULL,
  supervised INTEGER NOT NULL,
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  address TEXT NOT NULL
);
-- The default queue order (cases.list sort 'urgency_deadline'): the first page is read in order.
CREATE INDEX case_queue_order ON case_queue(urgency DESC, deadline_at IS NULL, deadline_at, reported_at DESC);
${QUEUE_TRIGGERS}

-- Deadline scans: only cases whose clock runs, not yet flagged.
CREATE INDEX cases_scan_overdue ON cases(deadline_at) WHERE state IN ${CLOCK_STATES_SQL} AND overdue = 0;
CREATE INDEX cases_scan_warning ON cases(warn_at) WHERE state IN ${CLOCK_STATES_SQL} AND warning = 0;
CREATE INDEX cases_scan_unset ON cases(rid) WHERE state IN ${CLOCK_STATES_SQL} AND deadline_at IS NOT NULL AND limit_ms IS NULL;
-- Routing: the open load of each staff member. Evaluation: returns by the returning unit.
CREATE INDEX cases_assignee ON cases(assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX case_events_action ON case_events(action, at);
`);
    db.exec([changeLogTriggers('category_classes', 'code'), changeLogTriggers('categories', 'code')].join('\n'));

    const now = Date.now();
    const actor = 'system:seed';
    const insClass = db.prepare(
      'INSERT INTO category_classes(code, kind, name, name_en, sort, active, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, 1, ?, ?, 1)',
    );
    const insCat = db.prepare(
      `INSERT INTO categories(code, class_code, name, name_en, department_code, limit_unit, limit_value, filing, closing, keywords, active, sort, updated_at, updated_by, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 1)`,
    );
    const insHist = db.prepare("INSERT INTO catalogue_history(entity, code, version, at, actor, op, note, snapshot) VALUES (?, ?, 1, ?, ?, 'seed', '', ?)");
    CATEGORY_CLASSES.forEach((k, i) => {
      insClass.run(k.code, k.kind, k.name, k.nameEn, i, now, actor);
      insHist.run('class', k.code, now, actor, JSON.stringify({ ...k, sort: i, active: true }));
    });
    CATEGORIES.forEach((c, i) => {
      const cls = CATEGORY_CLASSES.find((k) => k.code === c.classCode);
      const keywords = [c.name, c.nameEn, cls?.name ?? ''].filter(Boolean).join(',');
      insCat.run(c.code, c.classCode, c.name, c.nameEn, c.department, c.limit.unit, c.limit.value, c.filing, c.closing, keywords, i, now, actor);
      insHist.run('category', c.code, now, actor, JSON.stringify({ ...c, keywords, sort: i, active: true }));
    });

    // Existing cases keep their supervision flag as level 1. case_facts and eval_rollup are derived
    // data: the core builds them from the cases and their history when it opens the store.
    db.exec('UPDATE cases SET supervision_level = 1 WHERE supervised = 1 AND supervision_level = 0');
    db.exec(`INSERT INTO case_queue(${QUEUE_COLUMNS}) SELECT rid, ${QUEUE_COLUMNS.split(', ').slice(1).join(', ')} FROM cases WHERE state NOT IN ('closed', 'cancelled')`);
  },
};
