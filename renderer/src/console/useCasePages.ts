/**
 * The console's case queue, paged by the core: pages of PAGE_SIZE rows are fetched as the virtual
 * list scrolls to them and dropped when the filters change. Pushed case events refresh the pages
 * on screen (debounced), so the queue stays live without refetching everything; a changed case
 * already on screen is updated in place at once.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api';
import type { CaseSummary } from '../../../shared/domain/model';
import { useApi, useOnReconnect } from '../api/ApiContext';
import { filtersKey, toCaseQuery, type CaseFilters } from './filters';
import { pagesFor, rowCountFor, type RowRange } from './virtual';

export const PAGE_SIZE = 100;
const EVENT_DEBOUNCE_MS = 1_500;

export interface CasePages {
  /** null until the first page arrived. */
  total: number | null;
  capped: boolean;
  rowCount: number;
  row(index: number): CaseSummary | undefined;
  /** The row index of a case among the loaded pages, or null. */
  indexOf(id: string): number | null;
  /** Tell the hook which rows are on screen; it fetches what is missing. */
  showRange(range: RowRange): void;
  error: ApiError | null;
  refresh(): void;
  /** Changes whenever rows changed (for memoised renderers). */
  version: number;
}

export function useCasePages(filters: CaseFilters): CasePages {
  const client = useApi();
  const key = filtersKey(filters);
  const filtersRef = useRef(filters);
  const pages = useRef(new Map<number, CaseSummary[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const range = useRef<RowRange>({ start: 0, end: PAGE_SIZE });
  const [meta, setMeta] = useState<{ total: number | null; capped: boolean; error: ApiError | null; version: number }>({
    total: null,
    capped: false,
    error: null,
    version: 0,
  });

  const fetchPage = useCallback(
    (page: number, force: boolean) => {
      if (!force && (pages.current.has(page) || inFlight.current.has(page))) return;
      const gen = generation.current;
      inFlight.current.add(page);
      void client.call('cases.list', toCaseQuery(filtersRef.current, { limit: PAGE_SIZE, offset: page * PAGE_SIZE })).then((r) => {
        if (gen !== generation.current) return;
        inFlight.current.delete(page);
        if (!r.ok) {
          setMeta((m) => ({ ...m, error: r.error }));
          return;
        }
        pages.current.set(page, r.value.items);
        setMeta((m) => ({ total: r.value.total, capped: r.value.capped, error: null, version: m.version + 1 }));
      });
    },
    [client],
  );

  const fetchVisible = useCallback(
    (force: boolean) => {
      const wanted = pagesFor(range.current, PAGE_SIZE);
      if (wanted.length === 0) wanted.push(0);
      for (const p of wanted) fetchPage(p, force);
    },
    [fetchPage],
  );

  // New filters: forget every page and start from the top. A layout effect, so the reset happens
  // before the list's own (passive) effects ask for rows.
  const appliedKey = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (appliedKey.current === key) return;
    appliedKey.current = key;
    filtersRef.current = filters;
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    range.current = { start: 0, end: PAGE_SIZE };
    setMeta((m) => ({ total: null, capped: false, error: null, version: m.version + 1 }));
    // `key` stands for the filters' content (the filters object itself may be new on every render).
  }, [key]);
  useEffect(() => fetchVisible(false), [key, fetchVisible]);

  const refresh = useCallback(() => {
    // Keep what is on screen until the new answers arrive; drop pages that are off screen.
    const keep = new Set(pagesFor(range.current, PAGE_SIZE));
    for (const p of [...pages.current.keys()]) if (!keep.has(p)) pages.current.delete(p);
    inFlight.current = new Set();
    generation.current++;
    fetchVisible(true);
  }, [fetchVisible]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const trigger = (): void => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, EVENT_DEBOUNCE_MS);
    };
    // A changed case that is on screen shows its new state at once; the debounced refresh then
    // brings the order and the filters up to date (it may leave or join the list).
    const patch = (c: CaseSummary): void => {
      for (const [page, items] of pages.current) {
        const i = items.findIndex((x) => x.id === c.id);
        if (i < 0) continue;
        const next = items.slice();
        next[i] = c;
        pages.current.set(page, next);
        setMeta((m) => ({ ...m, version: m.version + 1 }));
        return;
      }
    };
    const offs = [
      client.on('case.created', trigger),
      client.on('case.updated', (p) => {
        patch(p.case);
        trigger();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, refresh]);

  useOnReconnect(refresh);

  const showRange = useCallback(
    (r: RowRange) => {
      range.current = r;
      fetchVisible(false);
    },
    [fetchVisible],
  );

  const total = meta.total;
  return {
    total,
    capped: meta.capped,
    rowCount: total === null ? 0 : rowCountFor(total, meta.capped, pages.current, PAGE_SIZE),
    row: (i) => pages.current.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    indexOf: (id) => {
      for (const [page, items] of pages.current) {
        const i = items.findIndex((c) => c.id === id);
        if (i >= 0) return page * PAGE_SIZE + i;
      }
      return null;
    },
    showRange,
    error: meta.error,
    refresh,
    version: meta.version,
  };
}
