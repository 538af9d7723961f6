/**
 * Point → grid resolution. Grid geometries are parsed once into memory (20,000 grids ≈ a few MB)
 * and looked up through the areas R*Tree, then an exact point-in-polygon test.
 */
import type { Db } from '../db/store';
import { pointInGeometry, type AreaGeometry } from '../../../shared/geo';

export interface GridChain {
  gridId: string | null;
  communityId: string | null;
  townId: string | null;
  districtId: string | null;
  cityId: string | null;
}

export class AreaLocator {
  private readonly geometries = new Map<number, { id: string; level: number; parentId: string | null; geometry: AreaGeometry }>();
  private readonly parents = new Map<string, { parentId: string | null; level: number }>();
  private readonly candidates;

  constructor(private readonly db: Db) {
    this.candidates = db.prepare(
      'SELECT r.rid FROM areas_rtree r WHERE r.min_x <= ? AND r.max_x >= ? AND r.min_y <= ? AND r.max_y >= ?',
    );
    this.reload();
  }

  /** Re-read geometries (after an import or the demo generation). */
  reload(): void {
    this.geometries.clear();
    this.parents.clear();
    const rows = this.db.prepare('SELECT rid, id, level, parent_id, geometry FROM areas').all() as Array<{
      rid: number;
      id: string;
      level: number;
      parent_id: string | null;
      geometry: string;
    }>;
    for (const r of rows) {
      this.parents.set(r.id, { parentId: r.parent_id, level: r.level });
      this.geometries.set(r.rid, { id: r.id, level: r.level, parentId: r.parent_id, geometry: JSON.parse(r.geometry) as AreaGeometry });
    }
  }

  /** The deepest area containing the point (a grid where grids exist), or null. */
  deepest(lon: number, lat: number): string | null {
    const rids = this.candidates.pluck().all(lon, lon, lat, lat) as number[];
    let best: { id: string; level: number } | null = null;
    for (const rid of rids) {
      const g = this.geometries.get(rid);
      if (!g || (best && g.level <= best.level)) continue;
      if (pointInGeometry(lon, lat, g.geometry)) best = { id: g.id, level: g.level };
    }
    return best ? best.id : null;
  }

  /** The chain of ids from the deepest containing area up to the city, by level. */
  chain(lon: number, lat: number): GridChain {
    const out: GridChain = { gridId: null, communityId: null, townId: null, districtId: null, cityId: null };
    let id = this.deepest(lon, lat);
    while (id) {
      const p = this.parents.get(id);
      if (!p) break;
      if (p.level === 5) out.gridId = id;
      else if (p.level === 4) out.communityId = id;
      else if (p.level === 3) out.townId = id;
      else if (p.level === 2) out.districtId = id;
      else if (p.level === 1) out.cityId = id;
      id = p.parentId;
    }
    return out;
  }

  /** Ids from the deepest area up to the root. */
  path(lon: number, lat: number): string[] {
    const ids: string[] = [];
    let id = this.deepest(lon, lat);
    while (id) {
      ids.push(id);
      id = this.parents.get(id)?.parentId ?? null;
    }
    return ids;
  }
}
