/**
 * Areas (行政区划): the boundaries and names of every level are drawn by maplibre (style.ts, so
 * they stay over any basemap and labels avoid each other); this module adds the drill-down: the
 * children of the selected area as pickable shapes (a click drills into them) and the selected
 * area's outline.
 */
import type { GeoJsonLayerProps } from '@deck.gl/layers';
import type { AreaFeatureCollection } from '../../../../shared/api/areas';
import { AREA_LEVELS, type AreaLevel } from '../../../../shared/domain/model';
import type { MapLayers } from '../../../../shared/domain/map';
import { SELECTION_GLOW, SELECTION_LINE } from './colours';
import { asGeoJson, type AreaProperties } from './geojson';
import { placement, type LayerContext, type OverlayPlacement } from './types';

export type AreasSettings = MapLayers['areas'];

export interface AreaGeometries {
  district: AreaFeatureCollection;
  town: AreaFeatureCollection;
  community: AreaFeatureCollection;
  grid: AreaFeatureCollection;
}

export interface DrillData {
  /** The children of the selected area (what a click drills into). */
  children: AreaFeatureCollection;
  /** The selected area's own shape (empty for the city). */
  selected: AreaFeatureCollection;
  childLevel: AreaLevel | null;
}

const EMPTY: AreaFeatureCollection = { type: 'FeatureCollection', features: [] };

/** Which level sits below each one (communities' children are grids). */
export function childLevelOf(level: AreaLevel | 'city'): AreaLevel | null {
  const i = AREA_LEVELS.indexOf(level);
  return i >= 0 && i < AREA_LEVELS.length - 1 ? AREA_LEVELS[i + 1]! : null;
}

/**
 * The drill-down data of a selection: with nothing selected, the districts; else the selected
 * area (found at its level) and its children. A town's children are its communities (its grids
 * are drawn by the grids layer and are pickable too).
 */
export function drillData(geo: AreaGeometries, selected: { id: string; level: AreaLevel } | null): DrillData {
  if (!selected) return { children: geo.district, selected: EMPTY, childLevel: 'district' };
  const own = selected.level === 'city' ? null : geo[selected.level];
  const self = own ? own.features.filter((f) => f.id === selected.id) : [];
  const childLevel = childLevelOf(selected.level);
  const pool = childLevel && childLevel !== 'city' ? geo[childLevel] : null;
  const children = pool ? pool.features.filter((f) => f.properties.parentId === selected.id) : [];
  return { children: { type: 'FeatureCollection', features: children }, selected: { type: 'FeatureCollection', features: self }, childLevel };
}

export function areaChildLayerProps(settings: AreasSettings, d: DrillData, ctx: LayerContext): GeoJsonLayerProps<AreaProperties> & OverlayPlacement {
  return {
    id: 'areas-children',
    data: asGeoJson(d.children),
    visible: settings.visible && d.childLevel !== 'grid',
    opacity: settings.opacity,
    filled: true,
    stroked: false,
    // Nearly invisible: the shapes are there to be hovered and clicked.
    getFillColor: [34, 228, 255, 6],
    pickable: true,
    autoHighlight: true,
    highlightColor: [34, 228, 255, 55],
    // Over the grid fills (under the points), so that a click picks the child area.
    ...placement(ctx.beforePoints),
  };
}

export function selectedAreaLayerProps(settings: AreasSettings, d: DrillData, ctx: LayerContext, glow: boolean): GeoJsonLayerProps<AreaProperties> & OverlayPlacement {
  return {
    id: glow ? 'areas-selected-glow' : 'areas-selected',
    data: asGeoJson(d.selected),
    visible: settings.visible && d.selected.features.length > 0,
    opacity: settings.opacity,
    filled: false,
    stroked: true,
    getLineColor: glow ? SELECTION_GLOW : SELECTION_LINE,
    getLineWidth: glow ? 9 : 2.5,
    lineWidthUnits: 'pixels',
    lineWidthScale: ctx.scale,
    lineJointRounded: true,
    pickable: false,
    ...placement(ctx.beforePoints),
  };
}
