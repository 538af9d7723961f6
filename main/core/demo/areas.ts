/**
 * The area tree of the demo city: 杭州市 (level 1) → its 13 real districts (level 2) → the real
 * towns/streets of 西湖区 and 余杭区 (level 3, synthetic boundaries) → communities/villages
 * (level 4) → grid cells (level 5). Every level tiles its parent exactly: a child is the parent's
 * polygon clipped to a Voronoi cell, so children never overlap and leave no gaps.
 */
import { areaKm2, type AreaGeometry } from '../../../shared/geo';
import {
  apportion,
  fromGeometry,
  labelPoint,
  pointInShape,
  shapeArea,
  shapeBox,
  spreadSites,
  toGeometry,
  voronoiTiles,
  type Box,
  type Pt,
  type Shape,
} from './geometry';
import { CITY, DISTRICT_POPULATION, loadBoundaries, SUBDIVIDED, townNameEn, townShortName, type TownDef } from './hangzhou';
import { areaId, pad, unitId } from './ids';
import { COMMUNITY_STEMS } from './names';
import { valueNoise, type Rng } from './prng';

export type AreaLevel = 1 | 2 | 3 | 4 | 5;

export interface AreaRow {
  rid: number;
  id: string;
  parentId: string | null;
  level: AreaLevel;
  code: string;
  name: string;
  nameEn: string;
  /** A point inside the area (the centroid when that lies inside). */
  cx: number;
  cy: number;
  box: Box;
  geometry: AreaGeometry;
  population: number;
  areaKm2: number;
  risk: number;
  responsibleUnitId: string | null;
}

export interface DistrictInfo {
  area: AreaRow;
  casePrefix: string | null;
}

export interface TownInfo {
  area: AreaRow;
  def: TownDef;
  district: DistrictInfo;
  /** 三墩镇 → 三墩 */
  short: string;
  /** Two-digit position of the town in its district (01, 02…), used in device codes. */
  index: number;
  /** Indices into AreaTree.grids. */
  grids: number[];
}

export interface GridInfo {
  area: AreaRow;
  /** The stored (rounded) geometry as pieces, for sampling points. */
  shape: Shape;
  town: TownInfo;
  community: AreaRow;
}

export interface AreaTree {
  city: AreaRow;
  districts: DistrictInfo[];
  towns: TownInfo[];
  communities: AreaRow[];
  grids: GridInfo[];
  /** Every area, parents before children (the insertion order). */
  all: AreaRow[];
}

export interface AreaOptions {
  gridsPerTown: number;
  /** Communities per town: drawn uniformly from this range. */
  communitiesPerTown: readonly [number, number];
}

/** Share of grids per risk level 0 (green) … 4 (red). */
const RISK_SHARES = [0.42, 0.28, 0.17, 0.09, 0.04] as const;

const round2 = (v: number): number => Math.round(v * 100) / 100;

export function buildAreas(rng: Rng, opts: AreaOptions): AreaTree {
  const all: AreaRow[] = [];
  const riskNoise = valueNoise(rng.fork('risk').int(1, 2 ** 31), 0.025);
  const rawRisk = new Map<AreaRow, number>();
  let rid = 0;

  const makeArea = (
    level: AreaLevel,
    code: string,
    name: string,
    nameEn: string,
    parentId: string | null,
    geometry: AreaGeometry,
    population: number,
    preferred: Pt | null,
  ): { row: AreaRow; shape: Shape } => {
    const shape = fromGeometry(geometry);
    const at = preferred && pointInShape(preferred[0], preferred[1], shape) ? preferred : labelPoint(shape);
    const row: AreaRow = {
      rid: ++rid,
      id: areaId(code),
      parentId,
      level,
      code,
      name,
      nameEn,
      cx: Math.round(at[0] * 1e6) / 1e6,
      cy: Math.round(at[1] * 1e6) / 1e6,
      box: shapeBox(shape),
      geometry,
      population,
      areaKm2: round2(areaKm2(geometry)),
      risk: 0,
      responsibleUnitId: null,
    };
    all.push(row);
    rawRisk.set(row, riskNoise(at[0], at[1]));
    return { row, shape };
  };

  // Level 1 and 2: the city and its real districts.
  const boundaries = loadBoundaries();
  const features = boundaries.districts;
  const subdivided = new Map(SUBDIVIDED.map((d) => [d.adcode, d]));
  const districtPopulation = (adcode: string): number => {
    const sd = subdivided.get(adcode);
    if (sd) return sd.towns.reduce((s, t) => s + t.population, 0);
    return DISTRICT_POPULATION[adcode] ?? 0;
  };
  const cityPopulation = features.reduce((s, f) => s + districtPopulation(f.adcode), 0);
  const city = makeArea(1, CITY.code, CITY.name, CITY.nameEn, null, boundaries.city, cityPopulation, null).row;

  const districts: DistrictInfo[] = [];
  const towns: TownInfo[] = [];
  const communities: AreaRow[] = [];
  const grids: GridInfo[] = [];

  for (const f of features) {
    const sd = subdivided.get(f.adcode);
    const d = makeArea(2, f.adcode, f.name, f.nameEn, city.id, f.geometry, districtPopulation(f.adcode), f.seat);
    const district: DistrictInfo = { area: d.row, casePrefix: sd?.casePrefix ?? null };
    districts.push(district);
    if (!sd) continue;
    const kx = Math.cos((((d.row.box.minY + d.row.box.maxY) / 2) * Math.PI) / 180);
    const drng = rng.fork(`district:${f.adcode}`);

    // Level 3: towns, seeded at their approximate real centres.
    const sites: Pt[] = sd.towns.map((t) => t.at);
    const townTiles = voronoiTiles(d.shape, sites, kx);
    const usedStems = new Set<string>();
    sd.towns.forEach((def, ti) => {
      const townCode = `${f.adcode}-${pad(ti + 1, 3)}`;
      const tile = townTiles[ti]!;
      if (tile.length === 0) throw new Error(`town ${def.name} has an empty tile: its seed lies outside ${f.name}`);
      const t = makeArea(3, townCode, def.name, townNameEn(def), d.row.id, toGeometry(tile), def.population, def.at);
      const town: TownInfo = { area: t.row, def, district, short: townShortName(def), index: ti + 1, grids: [] };
      towns.push(town);
      const trng = drng.fork(`town:${ti}`);

      // Level 4: communities, blue-noise seeds relaxed towards equal size.
      const nc = trng.int(opts.communitiesPerTown[0], opts.communitiesPerTown[1]);
      const cSites = spreadSites(t.shape, nc, trng.fork('community-sites'), kx, 3);
      const cTiles = voronoiTiles(t.shape, cSites, kx);
      const cAreas = cTiles.map((tile) => shapeArea(tile));
      const cPops = apportion(
        def.population,
        cAreas.map((a) => Math.sqrt(a) * trng.range(0.6, 1.4)),
      );
      const gridCounts = apportion(opts.gridsPerTown, cAreas, 3);
      const cNames = communityNames(town, nc, usedStems, trng.fork('community-names'));
      cTiles.forEach((tile, ci) => {
        if (tile.length === 0) return;
        const cCode = `${townCode}-${pad(ci + 1, 3)}`;
        const [cName, cNameEn] = cNames[ci]!;
        const c = makeArea(4, cCode, cName, cNameEn, t.row.id, toGeometry(tile), cPops[ci]!, cSites[ci]!);
        communities.push(c.row);

        // Level 5: grid cells, a relaxed (honeycomb-like) lattice clipped to the community.
        const ng = gridCounts[ci]!;
        const grng = trng.fork(`grids:${ci}`);
        const gSites = spreadSites(c.shape, ng, grng, kx, 2);
        const gTiles = voronoiTiles(c.shape, gSites, kx);
        const gPops = apportion(
          c.row.population,
          gTiles.map((tl) => Math.pow(shapeArea(tl), 0.3) * grng.range(0.7, 1.3)),
        );
        let n = 0;
        gTiles.forEach((gTile, gi) => {
          if (gTile.length === 0) return;
          n++;
          const gCode = `${cCode}-${pad(n, 3)}`;
          const g = makeArea(5, gCode, `${cName}第${n}网格`, `${cNameEn} Grid ${n}`, c.row.id, toGeometry(gTile), gPops[gi]!, gSites[gi]!);
          g.row.responsibleUnitId = unitId('JZ', townCode);
          town.grids.push(grids.length);
          grids.push({ area: g.row, shape: g.shape, town, community: c.row });
        });
      });
    });
  }

  assignRisk(grids.map((g) => g.area), rawRisk);
  assignRisk(communities, rawRisk);
  assignRisk(towns.map((t) => t.area), rawRisk);
  assignRisk(
    districts.map((d) => d.area),
    rawRisk,
  );
  city.risk = Math.round(districts.reduce((s, d) => s + d.area.risk, 0) / districts.length);
  return { city, districts, towns, communities, grids, all };
}

/** Risk levels by rank of the smooth noise value, so neighbours have similar colours. */
function assignRisk(rows: AreaRow[], raw: Map<AreaRow, number>): void {
  const order = rows.slice().sort((a, b) => raw.get(a)! - raw.get(b)! || a.rid - b.rid);
  let acc = 0;
  const bounds = RISK_SHARES.map((s) => (acc += s));
  order.forEach((row, i) => {
    const q = (i + 0.5) / order.length;
    row.risk = Math.min(4, bounds.findIndex((b) => q < b));
  });
}

/**
 * Names for the communities of a town: the first is named after the town (三墩社区), the others
 * from the stems, unique within the district (once the stems run out, prefixed with the town's
 * name: 良渚阳光社区); towns (镇) have villages (村) as well as communities.
 */
function communityNames(town: TownInfo, n: number, used: Set<string>, rng: Rng): Array<[string, string]> {
  const out: Array<[string, string]> = [[`${town.short}社区`, `${town.def.pinyin} Community`]];
  const fresh = rng.shuffle(COMMUNITY_STEMS.filter(([zh]) => !used.has(zh) && zh !== town.short));
  const reused = rng.shuffle(COMMUNITY_STEMS.filter(([zh]) => used.has(zh) && zh !== town.short));
  for (let i = 1; i < n; i++) {
    let stem: readonly [string, string];
    const next = fresh[i - 1];
    if (next) {
      stem = next;
      used.add(stem[0]);
    } else {
      const base = reused[(i - 1 - fresh.length) % reused.length]!;
      stem = [`${town.short}${base[0]}`, `${town.def.pinyin} ${base[1]}`];
    }
    const village = town.def.kind === 'town' ? rng.chance(0.55) : rng.chance(0.08);
    out.push(village ? [`${stem[0]}村`, `${stem[1]} Village`] : [`${stem[0]}社区`, `${stem[1]} Community`]);
  }
  return out;
}
