/**
 * The indicator source kinds: fixed, parameterised queries over the store (no user SQL), each
 * answering one raw value per grid at an instant. Indicators of the same kind and window share one
 * GROUP BY pass (a SUM(condition) column each), so scoring 20,000 grids costs a handful of scans,
 * never a query per grid. Filters (codes, sources, types) are always bound parameters.
 *
 * Sources follow the store as it grows: sensor alarms read `alarms` (issue 5) and fall back to the
 * sensors' current status; warnings read `cap_alerts`; each indicator records what it read.
 */
import type { IndicatorDef, IndicatorSource } from '../../../shared/domain/indicators';
import { OPEN_STATES } from '../../../shared/domain/model';
import type { Db } from '../db/store';

const HOUR_MS = 3_600_000;
/** The partial covering index of unfinished cases (migration 005); queries repeat its WHERE to use it. */
const OPEN_INDEX = 'cases INDEXED BY cases_consult_open';
const OPEN_INDEX_WHERE = "state NOT IN ('closed', 'cancelled')";

export interface SourceRead {
  /** One column per indicator, aligned with the grids of the tree. */
  columns: Float64Array[];
  /** What each indicator read. */
  provenance: string[];
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const placeholders = (n: number): string => new Array<string>(n).fill('?').join(',');

/** SQL condition (and its parameters) selecting cases by class, category and source. */
function caseFilter(f: { classCodes?: string[] | undefined; categoryCodes?: string[] | undefined; sources?: string[] | undefined }): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (f.classCodes?.length) {
    parts.push(`class_code IN (${placeholders(f.classCodes.length)})`);
    params.push(...f.classCodes);
  }
  if (f.categoryCodes?.length) {
    parts.push(`category_code IN (${placeholders(f.categoryCodes.length)})`);
    params.push(...f.categoryCodes);
  }
  if (f.sources?.length) {
    parts.push(`source IN (${placeholders(f.sources.length)})`);
    params.push(...f.sources);
  }
  return { sql: parts.length ? `(${parts.join(' AND ')})` : '1', params };
}

type Group<K extends IndicatorSource['kind']> = { key: string; members: Array<{ i: number; source: Extract<IndicatorSource, { kind: K }> }> };

function groupBy<K extends IndicatorSource['kind']>(indicators: readonly IndicatorDef[], kind: K, keyOf: (s: Extract<IndicatorSource, { kind: K }>) => string): Array<Group<K>> {
  const groups = new Map<string, Group<K>>();
  indicators.forEach((ind, i) => {
    if (ind.source.kind !== kind) return;
    const source = ind.source as Extract<IndicatorSource, { kind: K }>;
    const key = keyOf(source);
    let g = groups.get(key);
    if (!g) {
      g = { key, members: [] };
      groups.set(key, g);
    }
    g.members.push({ i, source });
  });
  return [...groups.values()];
}

/**
 * Run one GROUP BY grid_id query whose select list has one SUM column per member, and scatter the
 * sums into the members' columns.
 */
function scatter(
  db: Db,
  gridIndex: Map<string, number>,
  columns: Float64Array[],
  members: ReadonlyArray<{ i: number }>,
  sumExprs: Array<{ sql: string; params: unknown[] }>,
  from: { sql: string; params: unknown[] },
  where: string,
  whereParams: unknown[],
): void {
  const select = sumExprs.map((e, k) => `TOTAL(${e.sql}) AS s${k}`).join(', ');
  const sql = `SELECT grid_id, ${select} FROM ${from.sql} WHERE ${where} AND grid_id IS NOT NULL GROUP BY grid_id`;
  // Positional parameters bind in textual order: the SUM columns, then FROM, then WHERE.
  const params = [...sumExprs.flatMap((e) => e.params), ...from.params, ...whereParams];
  const rows = db.prepare(sql).raw().all(...params) as unknown[][];
  for (const row of rows) {
    const g = gridIndex.get(row[0] as string);
    if (g === undefined) continue;
    members.forEach((m, k) => {
      columns[m.i]![g] = row[k + 1] as number;
    });
  }
}

export function readSources(db: Db, indicators: readonly IndicatorDef[], gridIndex: Map<string, number>, gridCount: number, asOf: number): SourceRead {
  const columns = indicators.map(() => new Float64Array(gridCount));
  const provenance = indicators.map(() => '');
  const openList = placeholders(OPEN_STATES.length);

  // Cases reported (or closed) in a window: one scan per (event, window).
  for (const g of groupBy(indicators, 'case_count', (s) => `${s.event}:${s.windowHours}`)) {
    const { event, windowHours } = g.members[0]!.source;
    const from = asOf - windowHours * HOUR_MS;
    const sums = g.members.map((m) => caseFilter(m.source));
    const column = event === 'closed' ? 'closed_at' : 'reported_at';
    const table = event === 'closed' ? 'cases INDEXED BY cases_consult_closed' : 'cases INDEXED BY cases_consult_window';
    scatter(db, gridIndex, columns, g.members, sums, { sql: table, params: [] }, `${column} >= ? AND ${column} < ? AND state <> 'cancelled'`, [from, asOf]);
    for (const m of g.members) provenance[m.i] = 'cases';
  }

  // Cases open and past their deadline at asOf: open now (and not closed since), or closed after asOf.
  const overdue = groupBy(indicators, 'overdue_cases', () => 'all')[0];
  if (overdue) {
    const sums = overdue.members.map((m) => caseFilter(m.source));
    scatter(
      db,
      gridIndex,
      columns,
      overdue.members,
      sums,
      {
        sql: `(SELECT grid_id, class_code, category_code, source FROM ${OPEN_INDEX}
                 WHERE ${OPEN_INDEX_WHERE} AND state IN (${openList}) AND deadline_at < ? AND reported_at < ?
               UNION ALL
               SELECT grid_id, class_code, category_code, source FROM cases INDEXED BY cases_consult_closed
                 WHERE closed_at >= ? AND deadline_at < ? AND reported_at < ? AND state NOT IN (${openList}))`,
        params: [...OPEN_STATES, asOf, asOf, asOf, asOf, asOf, ...OPEN_STATES],
      },
      '1',
      [],
    );
    for (const m of overdue.members) provenance[m.i] = 'cases';
  }

  const supervised = groupBy(indicators, 'supervised_cases', () => 'all')[0];
  if (supervised) {
    const sums = supervised.members.map((m) => caseFilter(m.source));
    scatter(db, gridIndex, columns, supervised.members, sums, { sql: OPEN_INDEX, params: [] }, `${OPEN_INDEX_WHERE} AND state IN (${openList}) AND supervised = 1 AND reported_at < ?`, [
      ...OPEN_STATES,
      asOf,
    ]);
    for (const m of supervised.members) provenance[m.i] = 'cases（督办标记为当前状态）';
  }

  // Sensor alarms raised in a window (device-health kinds excluded: they are offline devices).
  const alarmsTable = hasTable(db, 'alarms');
  for (const g of groupBy(indicators, 'sensor_alarms', (s) => String(s.windowHours))) {
    const types = g.members.map((m) => m.source.sensorTypes);
    const sums = types.map((t) => (t?.length ? { sql: `sensor_type IN (${placeholders(t.length)})`, params: [...t] } : { sql: '1', params: [] }));
    if (alarmsTable) {
      const from = asOf - g.members[0]!.source.windowHours * HOUR_MS;
      scatter(db, gridIndex, columns, g.members, sums, { sql: 'alarms', params: [] }, `raised_at >= ? AND raised_at < ? AND kind NOT IN ('offline', 'stuck')`, [from, asOf]);
      for (const m of g.members) provenance[m.i] = 'alarms';
    } else {
      const typed = types.map((t) => (t?.length ? { sql: `type IN (${placeholders(t.length)})`, params: [...t] } : { sql: '1', params: [] }));
      scatter(db, gridIndex, columns, g.members, typed, { sql: 'sensors', params: [] }, `status = 'alarm'`, []);
      for (const m of g.members) provenance[m.i] = 'sensors.status（无告警表时以当前告警状态代替）';
    }
  }

  // Devices offline now (no history of device status is kept, so this is always the current state).
  for (const m of groupBy(indicators, 'offline_devices', (s) => JSON.stringify(s)).flatMap((g) => g.members)) {
    const col = columns[m.i]!;
    const read: string[] = [];
    if (m.source.devices.includes('sensor')) {
      const types = m.source.sensorTypes;
      const typeSql = types?.length ? ` AND type IN (${placeholders(types.length)})` : '';
      const rows = db
        .prepare(`SELECT grid_id, COUNT(*) FROM sensors WHERE status = 'offline' AND grid_id IS NOT NULL${typeSql} GROUP BY grid_id`)
        .raw()
        .all(...(types ?? [])) as Array<[string, number]>;
      for (const [id, count] of rows) {
        const g = gridIndex.get(id);
        if (g !== undefined) col[g] = col[g]! + count;
      }
      read.push('sensors.status');
    }
    if (m.source.devices.includes('camera')) {
      const rows = db.prepare(`SELECT grid_id, COUNT(*) FROM cameras WHERE status IN ('offline', 'fault') AND grid_id IS NOT NULL GROUP BY grid_id`).raw().all() as Array<[string, number]>;
      for (const [id, count] of rows) {
        const g = gridIndex.get(id);
        if (g !== undefined) col[g] = col[g]! + count;
      }
      read.push('cameras.status');
    }
    provenance[m.i] = `${read.join(' + ')}（当前状态）`;
  }

  // Warnings in force at asOf, over the grids their area touches (no area: the whole city).
  const warningMembers = groupBy(indicators, 'warnings_in_force', (s) => s.minSeverity).flatMap((g) => g.members);
  if (warningMembers.length) {
    if (hasTable(db, 'cap_alerts')) {
      const alerts = db
        .prepare(
          `SELECT severity, min_x, min_y, max_x, max_y FROM cap_alerts
           WHERE status = 'Actual' AND msg_type <> 'Cancel' AND withdrawn IS NULL AND effective <= ? AND (expires IS NULL OR expires > ?)`,
        )
        .all(asOf, asOf) as Array<{ severity: string; min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null }>;
      const gridsIn = db.prepare(
        `SELECT a.id FROM areas_rtree r JOIN areas a ON a.rid = r.rid WHERE a.level = 5 AND r.max_x >= ? AND r.min_x <= ? AND r.max_y >= ? AND r.min_y <= ?`,
      );
      for (const alert of alerts) {
        const rank = capSeverityRank(alert.severity);
        const targets = warningMembers.filter((m) => rank >= minSeverityRank(m.source.minSeverity));
        if (!targets.length) continue;
        const ids =
          alert.min_x === null || alert.min_y === null || alert.max_x === null || alert.max_y === null
            ? null
            : (gridsIn.pluck().all(alert.min_x, alert.max_x, alert.min_y, alert.max_y) as string[]);
        for (const m of targets) {
          const col = columns[m.i]!;
          if (ids === null) for (let g = 0; g < gridCount; g++) col[g] = col[g]! + 1;
          else
            for (const id of ids) {
              const g = gridIndex.get(id);
              if (g !== undefined) col[g] = col[g]! + 1;
            }
        }
      }
      for (const m of warningMembers) provenance[m.i] = 'cap_alerts';
    } else {
      for (const m of warningMembers) provenance[m.i] = '无预警表（计为 0）';
    }
  }

  // Site inspection findings in a window.
  for (const g of groupBy(indicators, 'inspection_findings', (s) => String(s.windowHours))) {
    const from = asOf - g.members[0]!.source.windowHours * HOUR_MS;
    const sums = g.members.map((m) => ({ sql: m.source.majorOnly ? 'major_findings' : 'findings', params: [] }));
    scatter(db, gridIndex, columns, g.members, sums, { sql: 'site_inspections', params: [] }, 'inspected_at >= ? AND inspected_at < ?', [from, asOf]);
    for (const m of g.members) provenance[m.i] = 'site_inspections';
  }

  return { columns, provenance };
}

const CAP_RANK: Record<string, number> = { Unknown: 1, Minor: 1, Moderate: 2, Severe: 3, Extreme: 4 };
const capSeverityRank = (s: string): number => CAP_RANK[s] ?? 1;
const MIN_RANK: Record<string, number> = { minor: 1, moderate: 2, severe: 3, extreme: 4 };
const minSeverityRank = (s: string): number => MIN_RANK[s] ?? 1;
