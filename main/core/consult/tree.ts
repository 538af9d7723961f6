/** The area tree the scores roll up: grids → communities → towns → districts → city. */
import type { AreaMeasure, RollupNode } from '../../../shared/domain/scoring';
import { getMeta, type Db } from '../db/store';

export interface AreaTree {
  readonly ids: string[];
  readonly names: string[];
  /** 1 city … 5 grid. */
  readonly levels: Uint8Array;
  readonly parent: Int32Array;
  readonly nodes: RollupNode[];
  readonly index: Map<string, number>;
  /** Grid order: node index of each grid, grid ids, and grid position by id. */
  readonly gridNodes: Int32Array;
  readonly gridIds: string[];
  readonly gridIndex: Map<string, number>;
  readonly gridMeasures: AreaMeasure[];
  /** The root the indices are read at: meta root_area_id, else the first area of the top level. */
  readonly root: number;
  readonly signature: string;
}

const cache = new WeakMap<Db, AreaTree>();

/** Cheap fingerprint of the areas that matter to scoring (not their colours). */
function signature(db: Db): string {
  const r = db.prepare('SELECT COUNT(*) AS n, MAX(rid) AS maxRid, TOTAL(population) AS pop, TOTAL(area_km2) AS km2 FROM areas').get() as {
    n: number;
    maxRid: number | null;
    pop: number;
    km2: number;
  };
  return `${r.n}:${r.maxRid ?? 0}:${r.pop}:${r.km2}:${getMeta(db, 'root_area_id') ?? ''}`;
}

export function loadTree(db: Db): AreaTree {
  const sig = signature(db);
  const hit = cache.get(db);
  if (hit && hit.signature === sig) return hit;
  const rows = db.prepare('SELECT id, parent_id, level, name, population, area_km2 FROM areas ORDER BY level, code').all() as Array<{
    id: string;
    parent_id: string | null;
    level: number;
    name: string;
    population: number | null;
    area_km2: number | null;
  }>;
  const index = new Map<string, number>();
  rows.forEach((r, i) => index.set(r.id, i));
  const n = rows.length;
  const levels = new Uint8Array(n);
  const parent = new Int32Array(n);
  const nodes: RollupNode[] = [];
  const gridNodes: number[] = [];
  const gridIds: string[] = [];
  const gridMeasures: AreaMeasure[] = [];
  const gridIndex = new Map<string, number>();
  rows.forEach((r, i) => {
    levels[i] = r.level;
    const p = r.parent_id !== null ? (index.get(r.parent_id) ?? -1) : -1;
    parent[i] = p;
    nodes.push({ parent: p, level: r.level, population: r.population, areaKm2: r.area_km2 });
    if (r.level === 5) {
      gridIndex.set(r.id, gridIds.length);
      gridNodes.push(i);
      gridIds.push(r.id);
      gridMeasures.push({ population: r.population, areaKm2: r.area_km2 });
    }
  });
  const rootId = getMeta(db, 'root_area_id');
  const root = rootId !== null && index.has(rootId) ? index.get(rootId)! : n > 0 ? 0 : -1;
  const tree: AreaTree = {
    ids: rows.map((r) => r.id),
    names: rows.map((r) => r.name),
    levels,
    parent,
    nodes,
    index,
    gridNodes: Int32Array.from(gridNodes),
    gridIds,
    gridIndex,
    gridMeasures,
    root,
    signature: sig,
  };
  cache.set(db, tree);
  return tree;
}
