/** Wall layouts as CSS grids (pure). 1+5: one big tile (2×2) and five small ones around it in 3×3. */
import { LAYOUT_TILE_COUNT, type WallLayout } from '../../../../shared/domain/video';

export interface TileBox {
  /** CSS grid placement: 1-based column/row start and span. */
  col: number;
  row: number;
  colSpan: number;
  rowSpan: number;
}

export interface LayoutGeometry {
  columns: number;
  rows: number;
  tiles: TileBox[];
}

export function layoutGeometry(layout: WallLayout): LayoutGeometry {
  if (layout === '1+5') {
    return {
      columns: 3,
      rows: 3,
      tiles: [
        { col: 1, row: 1, colSpan: 2, rowSpan: 2 },
        { col: 3, row: 1, colSpan: 1, rowSpan: 1 },
        { col: 3, row: 2, colSpan: 1, rowSpan: 1 },
        { col: 1, row: 3, colSpan: 1, rowSpan: 1 },
        { col: 2, row: 3, colSpan: 1, rowSpan: 1 },
        { col: 3, row: 3, colSpan: 1, rowSpan: 1 },
      ],
    };
  }
  const n = LAYOUT_TILE_COUNT[layout];
  const side = Math.round(Math.sqrt(n));
  return {
    columns: side,
    rows: side,
    tiles: Array.from({ length: n }, (_, i) => ({ col: (i % side) + 1, row: Math.floor(i / side) + 1, colSpan: 1, rowSpan: 1 })),
  };
}

/** Resize a tile list to a layout: keep what fits, pad with empty tiles. */
export function fitTiles(tiles: ReadonlyArray<string | null>, layout: WallLayout): Array<string | null> {
  const n = LAYOUT_TILE_COUNT[layout];
  return Array.from({ length: n }, (_, i) => tiles[i] ?? null);
}

/** The smallest layout that holds n tiles (linkage: "up to the layout's size"). */
export function layoutFor(n: number): WallLayout {
  if (n <= 1) return '1';
  if (n <= 4) return '4';
  if (n <= 6) return '1+5';
  if (n <= 9) return '9';
  return '16';
}
