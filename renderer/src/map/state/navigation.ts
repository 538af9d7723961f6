/**
 * Drill-down and time helpers (pure): the area index built from the boundaries the map loads,
 * breadcrumbs, extents, and the time control's presets.
 */
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import type { TimeSelection } from '../../../../shared/domain/map';
import { REPLAY_DAYS } from '../../../../shared/domain/map';
import type { AreaLevel } from '../../../../shared/domain/model';
import { bboxOfGeometry, type AreaGeometry, type BBox } from '../../../../shared/geo';
import { DAY_MS, shanghaiDayStart, shanghaiDay, toShanghaiIso } from '../../../../shared/time';

export interface AreaNode {
  id: string;
  name: string;
  code: string;
  level: AreaLevel;
  parentId: string | null;
  bbox: BBox;
  feature: AreaFeatureCollection['features'][number];
}

export type AreaIndex = ReadonlyMap<string, AreaNode>;

/** Index every area of the given collections by id. */
export function indexAreas(collections: ReadonlyArray<AreaFeatureCollection | null>): AreaIndex {
  const out = new Map<string, AreaNode>();
  for (const fc of collections) {
    if (!fc) continue;
    for (const f of fc.features) {
      const p = f.properties;
      out.set(f.id, { id: f.id, name: p.name, code: p.code, level: p.level, parentId: p.parentId, bbox: bboxOfGeometry(f.geometry as unknown as AreaGeometry), feature: f });
    }
  }
  return out;
}

/** The chain from the top (below the city) down to the area; unknown ids give []. */
export function breadcrumbs(index: AreaIndex, areaId: string | null): AreaNode[] {
  const chain: AreaNode[] = [];
  let id = areaId;
  const seen = new Set<string>();
  while (id && !seen.has(id)) {
    seen.add(id);
    const node = index.get(id);
    if (!node) break;
    chain.unshift(node);
    id = node.parentId;
  }
  return chain;
}

/** Where a click on an area leads: into it (its level's children show next). */
export function drillTarget(index: AreaIndex, areaId: string): AreaNode | null {
  return index.get(areaId) ?? null;
}

/** The parent of the selected area (null: the city). */
export function parentOf(index: AreaIndex, areaId: string | null): string | null {
  if (!areaId) return null;
  const node = index.get(areaId);
  return node && node.parentId && index.has(node.parentId) ? node.parentId : null;
}

export type WindowPreset = '1h' | '24h' | 'today' | '7d' | '30d';
export const WINDOW_PRESETS: readonly WindowPreset[] = ['1h', '24h', 'today', '7d', '30d'];

export function presetWindow(preset: WindowPreset, now: number): TimeSelection {
  const from = (() => {
    switch (preset) {
      case '1h':
        return now - 3_600_000;
      case '24h':
        return now - DAY_MS;
      case 'today':
        return shanghaiDayStart(shanghaiDay(now));
      case '7d':
        return now - 7 * DAY_MS;
      case '30d':
        return now - REPLAY_DAYS * DAY_MS + 60_000;
    }
  })();
  return { mode: 'window', from: toShanghaiIso(from), to: toShanghaiIso(now) };
}

/** Slider position (0 = REPLAY_DAYS ago, 1 = now) ⇄ instant, in whole hours back. */
export const SLIDER_STEPS = REPLAY_DAYS * 24;

export function sliderToMoment(step: number, now: number): number {
  const hoursBack = Math.max(0, Math.min(SLIDER_STEPS, SLIDER_STEPS - Math.round(step)));
  return now - hoursBack * 3_600_000;
}

export function momentToSlider(at: number, now: number): number {
  return Math.max(0, Math.min(SLIDER_STEPS, SLIDER_STEPS - Math.round((now - at) / 3_600_000)));
}
