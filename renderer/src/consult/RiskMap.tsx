/**
 * The five-colour map of the consultation: every grid filled with its colour in a model, towns
 * outlined and named, the grids that changed colour ringed. Drawn on a 2-D canvas (20,000 grids
 * redraw in milliseconds, no WebGL needed on the meeting-room PC); a click picks a grid.
 */
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import { pointInGeometry, type AreaGeometry } from '../../../shared/geo';
import { bboxOf, fitProjection, levelColour, type Projection } from './logic';

type Feature = AreaFeatureCollection['features'][number];

const geometryCache = new WeakMap<ApiClient, Map<string, Promise<AreaFeatureCollection>>>();

/** Area boundaries change rarely: fetched once per client and level. */
export function loadGeometry(api: ApiClient, level: 'grid' | 'town' | 'community'): Promise<AreaFeatureCollection> {
  let byLevel = geometryCache.get(api);
  if (!byLevel) {
    byLevel = new Map();
    geometryCache.set(api, byLevel);
  }
  let p = byLevel.get(level);
  if (!p) {
    p = api.call('areas.geometry', { level }).then((r) => {
      if (!r.ok) {
        byLevel.delete(level);
        throw new Error(r.error.message);
      }
      return r.value;
    });
    byLevel.set(level, p);
  }
  return p;
}

function tracePath(ctx: CanvasRenderingContext2D, f: Feature, proj: Projection): void {
  const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
  for (const poly of polys)
    for (const ring of poly) {
      ring.forEach((p, i) => {
        const [x, y] = proj.at(p[0]!, p[1]!);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
}

export interface RiskMapProps {
  api: ApiClient;
  modelId: string;
  day?: string;
  /** Grids to ring (changed colour). */
  highlight?: readonly string[];
  /** An area to ring strongly (opened live). */
  focusId?: string | null;
  onPick?: (areaId: string, name: string) => void;
  /** Font size of town names, CSS px. */
  labelPx?: number;
}

export function RiskMap({ api, modelId, day, highlight, focusId, onPick, labelPx = 14 }: RiskMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [grids, setGrids] = useState<AreaFeatureCollection | null>(null);
  const [towns, setTowns] = useState<AreaFeatureCollection | null>(null);
  const [levels, setLevels] = useState<Map<string, number>>(new Map());
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([loadGeometry(api, 'grid'), loadGeometry(api, 'town')]).then(
      ([g, t]) => {
        if (!live) return;
        setGrids(g);
        setTowns(t);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api.call('consult.scores', { modelId, level: 'grid', ...(day ? { day } : {}) }).then((r) => {
        if (!live) return;
        if (!r.ok) {
          setError(r.error.message);
          return;
        }
        setLevels(new Map(r.value.areaIds.map((id, i) => [id, r.value.levels[i]!])));
      }, () => undefined);
    };
    load();
    const off = api.on('consult.scores', (e) => {
      if (e.modelId === modelId && (!day || e.day === day)) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [api, modelId, day]);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const projection = useMemo(() => {
    if (!grids || size.w === 0) return null;
    const bbox = bboxOf(grids.features.map((f) => f.geometry));
    return bbox ? fitProjection(bbox, size.w, size.h) : null;
  }, [grids, size]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !grids || !projection) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.w * dpr);
    canvas.height = Math.round(size.h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    // One path per colour.
    const byLevel = new Map<number, Feature[]>();
    for (const f of grids.features) {
      const l = levels.get(f.id) ?? -1;
      let list = byLevel.get(l);
      if (!list) {
        list = [];
        byLevel.set(l, list);
      }
      list.push(f);
    }
    for (const [level, list] of byLevel) {
      ctx.beginPath();
      for (const f of list) tracePath(ctx, f, projection);
      ctx.fillStyle = level < 0 ? '#1b2a3d' : levelColour(level);
      ctx.globalAlpha = level < 0 ? 1 : 0.88;
      ctx.fill('evenodd');
    }
    ctx.globalAlpha = 1;
    if (grids.features.length < 6000) {
      ctx.beginPath();
      for (const f of grids.features) tracePath(ctx, f, projection);
      ctx.strokeStyle = 'rgba(2, 9, 20, 0.55)';
      ctx.lineWidth = 0.5;
      ctx.stroke();
    }
    if (towns) {
      ctx.beginPath();
      for (const f of towns.features) tracePath(ctx, f, projection);
      ctx.strokeStyle = 'rgba(226, 243, 255, 0.85)';
      ctx.lineWidth = 1.4;
      ctx.stroke();
    }
    const ring = (ids: ReadonlySet<string>, colour: string, width: number): void => {
      if (ids.size === 0) return;
      ctx.beginPath();
      for (const f of grids.features) if (ids.has(f.id)) tracePath(ctx, f, projection);
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.shadowColor = colour;
      ctx.shadowBlur = 8;
      ctx.stroke();
      ctx.shadowBlur = 0;
    };
    ring(new Set(highlight ?? []), '#ffffff', 2.5);
    if (focusId) ring(new Set([focusId]), '#22e4ff', 4);
    if (towns) {
      ctx.font = `600 ${labelPx}px 'Noto Sans CJK SC', sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (const f of towns.features) {
        const b = bboxOf([f.geometry]);
        if (!b) continue;
        const [x, y] = projection.at((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
        ctx.lineWidth = 3;
        ctx.strokeStyle = 'rgba(2, 9, 20, 0.8)';
        ctx.strokeText(f.properties.name, x, y);
        ctx.fillStyle = '#e2f3ff';
        ctx.fillText(f.properties.name, x, y);
      }
    }
  }, [grids, towns, levels, projection, highlight, focusId, size, labelPx]);

  const onClick = (e: MouseEvent<HTMLCanvasElement>): void => {
    if (!onPick || !projection || !grids) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const [lon, lat] = projection.invert(e.clientX - rect.left, e.clientY - rect.top);
    const hit = grids.features.find((f) => pointInGeometry(lon, lat, f.geometry as AreaGeometry));
    if (hit) onPick(hit.id, hit.properties.name);
  };

  return (
    <div className="consult-map" ref={boxRef} data-testid="consult-map" data-grids={grids?.features.length ?? 0} data-scored={levels.size}>
      <canvas ref={canvasRef} style={{ width: size.w, height: size.h, cursor: onPick ? 'crosshair' : 'default' }} onClick={onClick} />
      {error ? <div className="consult-map-error">{error}</div> : null}
    </div>
  );
}
