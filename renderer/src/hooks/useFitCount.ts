import { useCallback, useEffect, useState } from 'react';

/**
 * How many rows of `rowPx` fit in an element's height: lists on the wall show whole rows only,
 * never a scrollbar or a half-cut row. Returns a callback ref for the element and the count.
 */
export function useFitCount(rowPx: number, min = 1): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [count, setCount] = useState(min);
  const ref = useCallback((node: HTMLElement | null) => setEl(node), []);
  useEffect(() => {
    if (!el || rowPx <= 0) return undefined;
    const measure = (): void => setCount(Math.max(min, Math.floor(el.clientHeight / rowPx)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el, rowPx, min]);
  return [ref, count];
}
