/**
 * 轮巡: a group of cameras cycled through the wall's tiles, one page at a time (pure).
 * Page k shows group[k·n … k·n+n−1], wrapping at the end of the group; a group that fits on one
 * page does not move.
 */
export function tourPages(groupSize: number, tiles: number): number {
  if (groupSize <= 0 || tiles <= 0) return 0;
  return Math.ceil(groupSize / tiles);
}

export function tourPage(group: readonly string[], tiles: number, page: number): Array<string | null> {
  const pages = tourPages(group.length, tiles);
  if (pages === 0) return Array.from({ length: tiles }, () => null);
  const p = ((page % pages) + pages) % pages;
  const out: Array<string | null> = [];
  for (let i = 0; i < tiles; i++) {
    if (i >= group.length) out.push(null);
    else out.push(group[(p * tiles + i) % group.length]!);
  }
  return out;
}
