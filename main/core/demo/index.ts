/**
 * The demo city (Hangzhou), generated deterministically from a seed into an empty store.
 *
 * Crash safety: everything, including the `meta` marker ('demo'), is written in ONE immediate
 * transaction. A kill at any moment leaves the store either without demo data (SQLite rolls the
 * unfinished transaction back on the next open) or with all of it; the next start regenerates
 * when the marker is missing.
 *
 * Scales:
 * - 'town' (the default, loaded at startup): 西湖区 and 余杭区 in 32 towns/streets with ~125 grids
 *   each (4,000 grids), ~5 cameras and ~3 sensors per grid, ~4 field staff per grid, ~400 cases a
 *   day over 30 days with full histories;
 * - 'district' (benchmarks): 20,000 grids, 18,000 cameras, 10,000 sensors, 1,000,000 cases over
 *   60 days; closed and cancelled cases keep a light history (see cases.ts).
 */
import type { Logger } from '../log';
import { getMeta, setMeta, type Db } from '../db/store';
import { buildAreas } from './areas';
import { generateCases } from './cases';
import { CITY } from './hangzhou';
import { Rng } from './prng';
import { buildCameras, buildDepartments, buildSensors, buildStaff, buildUnits, gridWeights } from './resources';
import { createWriter, withIndexesDeferred } from './writer';

export type DemoName = 'hangzhou';
export type DemoScale = 'town' | 'district';

export const DEMO_NAMES: readonly DemoName[] = ['hangzhou'];
export const DEMO_SCALES: readonly DemoScale[] = ['town', 'district'];
export const DEFAULT_DEMO_SEED = 20_261_121;
/** Bump when the generator's output changes; recorded in the marker. */
export const DEMO_GENERATOR_VERSION = 1;

export interface DemoOptions {
  name: DemoName;
  scale: DemoScale;
  /** The clock: cases are generated up to this instant (epoch ms). */
  now: number;
  log: Logger;
  seed?: number;
}

export interface DemoCounts {
  areas: number;
  towns: number;
  communities: number;
  grids: number;
  departments: number;
  units: number;
  staff: number;
  cameras: number;
  sensors: number;
  cases: number;
  caseEvents: number;
}

export interface DemoMarker {
  name: DemoName;
  scale: DemoScale;
  seed: number;
  generatedAt: number;
  generator: number;
  counts: DemoCounts;
  /** Wall-clock seconds the generation took (informative; not part of the deterministic data). */
  seconds: number;
}

export interface ScaleConfig {
  gridsPerTown: number;
  communitiesPerTown: readonly [number, number];
  /** Totals; null = per grid figures below. */
  cameras: number | null;
  sensors: number | null;
  camerasPerGrid: number;
  sensorsPerGrid: number;
  cases: number;
  days: number;
  history: 'full' | 'light';
}

export const SCALE_CONFIG: Readonly<Record<DemoScale, ScaleConfig>> = {
  town: {
    gridsPerTown: 125,
    communitiesPerTown: [8, 14],
    cameras: null,
    sensors: null,
    camerasPerGrid: 5,
    sensorsPerGrid: 3,
    cases: 12_000,
    days: 30,
    history: 'full',
  },
  district: {
    gridsPerTown: 625, // 32 towns → 20,000 grids
    communitiesPerTown: [12, 20],
    cameras: 18_000,
    sensors: 10_000,
    camerasPerGrid: 0,
    sensorsPerGrid: 0,
    cases: 1_000_000,
    days: 60,
    history: 'light',
  },
};

export const DEMO_META_KEY = 'demo';

/** Tables the demo fills: their secondary indexes are rebuilt once after the bulk load. */
const BULK_TABLES = ['areas', 'units', 'staff', 'cameras', 'sensors', 'cases', 'case_events', 'change_log'] as const;

export function readDemoMarker(db: Db): DemoMarker | null {
  const raw = getMeta(db, DEMO_META_KEY);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as DemoMarker;
  } catch {
    return null;
  }
}

/** Whether the store holds anything the demo would collide with. */
function storeHasData(db: Db): boolean {
  const row = db.prepare('SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM areas LIMIT 1)) + (SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1)) AS n').get() as {
    n: number;
  };
  return row.n > 0;
}

/**
 * Loads the demo city into an empty store; does nothing when a demo is already there (whatever its
 * scale) or when the store already holds other data.
 */
export async function ensureDemo(db: Db, opts: DemoOptions): Promise<void> {
  const existing = readDemoMarker(db);
  if (existing) {
    if (existing.name !== opts.name || existing.scale !== opts.scale) {
      opts.log.warn('demo.kept_existing', { existing: { name: existing.name, scale: existing.scale }, requested: { name: opts.name, scale: opts.scale } });
    } else opts.log.info('demo.present', { name: existing.name, scale: existing.scale, generatedAt: existing.generatedAt });
    return;
  }
  if (storeHasData(db)) {
    opts.log.warn('demo.skipped', { reason: 'the store already holds data that is not the demo; start with an empty --data-dir to get the demo' });
    return;
  }
  generateDemo(db, opts);
}

/**
 * Generates the demo in one transaction (see the module comment) and returns its marker. Throws
 * if the store already has a demo marker. `config` overrides the scale's sizes (benchmarks and
 * profiling use it; the marker records the scale name only).
 */
export function generateDemo(db: Db, opts: DemoOptions, config: ScaleConfig = SCALE_CONFIG[opts.scale]): DemoMarker {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const cfg = config;
  const log = opts.log;
  const started = performance.now();
  let stageStart = started;
  const stage = (name: string, fields: Record<string, unknown> = {}): void => {
    const t = performance.now();
    log.info('demo.stage', { stage: name, ms: Math.round(t - stageStart), ...fields });
    stageStart = t;
  };
  log.info('demo.started', { name: opts.name, scale: opts.scale, seed });

  const run = db.transaction((): DemoMarker => {
    if (readDemoMarker(db)) throw new Error('the store already has a demo');
    const rng = new Rng(seed);
    const now = opts.now;
    const w = createWriter(db, now);

    const built = withIndexesDeferred(db, BULK_TABLES, () => {
      const tree = buildAreas(rng.fork('areas'), { gridsPerTown: cfg.gridsPerTown, communitiesPerTown: cfg.communitiesPerTown });
      for (const a of tree.all) w.area(a);
      stage('areas', { areas: tree.all.length, grids: tree.grids.length });

      const departments = buildDepartments();
      for (const d of departments) w.department(d);
      const units = buildUnits(tree, rng.fork('units'));
      for (const u of units) w.unit(u);
      const weights = gridWeights(tree);
      const staff = buildStaff(tree, units, weights, now, rng.fork('staff'));
      for (const s of staff.rows) w.staff(s);
      stage('staff', { units: units.length, staff: staff.rows.length });

      const cameras = buildCameras(tree, weights, cfg.cameras ?? Math.round(tree.grids.length * cfg.camerasPerGrid), rng.fork('cameras'));
      for (const c of cameras.rows) w.camera(c);
      const sensors = buildSensors(tree, weights, cfg.sensors ?? Math.round(tree.grids.length * cfg.sensorsPerGrid), now, rng.fork('sensors'));
      for (const s of sensors.rows) w.sensor(s);
      stage('devices', { cameras: cameras.rows.length, sensors: sensors.rows.length });

      const generated = generateCases(
        { tree, workforce: staff, cameras: cameras.rows, sensors: sensors.rows, gridWeights: weights, now, rng: rng.fork('history') },
        { total: cfg.cases, days: cfg.days, history: cfg.history },
        { caseRow: (r) => w.caseRow(r), event: (r) => w.event(r) },
      );
      stage('cases', { cases: generated.cases, events: generated.events });
      const counts: DemoCounts = {
        areas: tree.all.length,
        towns: tree.towns.length,
        communities: tree.communities.length,
        grids: tree.grids.length,
        departments: departments.length,
        units: units.length,
        staff: staff.rows.length,
        cameras: cameras.rows.length,
        sensors: sensors.rows.length,
        cases: generated.cases,
        caseEvents: generated.events,
      };
      return { rootId: tree.city.id, counts };
    });
    stage('indexes');

    const marker: DemoMarker = {
      name: opts.name,
      scale: opts.scale,
      seed,
      generatedAt: now,
      generator: DEMO_GENERATOR_VERSION,
      counts: built.counts,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    setMeta(db, 'root_area_id', built.rootId);
    setMeta(db, 'centre_name', CITY.centreName);
    setMeta(db, 'centre_name_en', CITY.centreNameEn);
    setMeta(db, DEMO_META_KEY, JSON.stringify(marker));
    return marker;
  });
  // A bigger page cache and two sorter threads for the bulk load and the index builds; the
  // connection's own settings come back afterwards.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const threads = db.pragma('threads', { simple: true }) as number;
  let marker: DemoMarker;
  try {
    db.pragma(`cache_size = ${Math.min(cacheSize, -262_144)}`);
    db.pragma('threads = 2');
    marker = run.immediate();
  } finally {
    db.pragma(`cache_size = ${Math.trunc(cacheSize)}`);
    db.pragma(`threads = ${Math.trunc(threads)}`);
  }
  marker.seconds = Math.round(performance.now() - started) / 1000;
  log.info('demo.generated', { name: marker.name, scale: marker.scale, seconds: marker.seconds, ...marker.counts });
  return marker;
}
