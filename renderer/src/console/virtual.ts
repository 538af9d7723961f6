/** Arithmetic of the virtual list and of paging (pure). */

export interface RowRange {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
}

/** Rows intersecting the viewport, plus `overscan` rows on each side, clamped to the list. */
export function visibleRange(scrollTop: number, viewportPx: number, rowPx: number, rowCount: number, overscan = 6): RowRange {
  if (rowCount <= 0 || rowPx <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowPx);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportPx)) / rowPx);
  return { start: Math.max(0, Math.min(rowCount, first - overscan)), end: Math.max(0, Math.min(rowCount, last + overscan)) };
}

/** The pages (of `pageSize` rows) that hold the rows of a range. */
export function pagesFor(range: RowRange, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const out: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) out.push(p);
  return out;
}

/** The scrollTop that brings a row fully into view (unchanged when it already is). */
export function scrollToReveal(index: number, scrollTop: number, viewportPx: number, rowPx: number): number {
  const top = index * rowPx;
  const bottom = top + rowPx;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportPx) return bottom - viewportPx;
  return scrollTop;
}

/**
 * How many rows the list offers. Normally `total`; when the core capped the count (10,000+),
 * the list grows a page at a time as long as the furthest loaded page comes back full.
 */
export function rowCountFor(total: number, capped: boolean, loaded: ReadonlyMap<number, { length: number }>, pageSize: number): number {
  if (!capped || loaded.size === 0) return total;
  const furthest = Math.max(...loaded.keys());
  const len = loaded.get(furthest)!.length;
  const end = furthest * pageSize + len;
  return Math.max(total, len === pageSize ? end + pageSize : end);
}
