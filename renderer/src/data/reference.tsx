/**
 * Reference data that many views label things with: area names (district, town, grid) and
 * departments. Loaded once per page, refreshed every 10 minutes and after reconnecting.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Area, Department } from '../../../shared/domain/model';
import type { Locale } from '../../../shared/i18n';
import { useApiQuery } from '../api/useApiQuery';

export interface ReferenceData {
  districts: readonly Area[];
  towns: readonly Area[];
  areaById: ReadonlyMap<string, Area>;
  departmentById: ReadonlyMap<string, Department>;
  loaded: boolean;
}

const EMPTY: ReferenceData = { districts: [], towns: [], areaById: new Map(), departmentById: new Map(), loaded: false };
const ReferenceContext = createContext<ReferenceData>(EMPTY);
const REFRESH_MS = 10 * 60_000;

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const districts = useApiQuery('areas.list', { level: 'district', limit: 50_000 }, { refreshMs: REFRESH_MS });
  const towns = useApiQuery('areas.list', { level: 'town', limit: 50_000 }, { refreshMs: REFRESH_MS });
  const grids = useApiQuery('areas.list', { level: 'grid', limit: 50_000 }, { refreshMs: REFRESH_MS });
  const departments = useApiQuery('departments.list', {}, { refreshMs: REFRESH_MS });

  const value = useMemo<ReferenceData>(() => {
    const byName = (a: Area, b: Area): number => a.code.localeCompare(b.code);
    const d = [...(districts.data ?? [])].sort(byName);
    const t = [...(towns.data ?? [])].sort(byName);
    const areaById = new Map<string, Area>();
    for (const a of [...d, ...t, ...(grids.data ?? [])]) areaById.set(a.id, a);
    return {
      districts: d,
      towns: t,
      areaById,
      departmentById: new Map((departments.data?.departments ?? []).map((x) => [x.id, x])),
      loaded: districts.data !== null && towns.data !== null && grids.data !== null && departments.data !== null,
    };
  }, [districts.data, towns.data, grids.data, departments.data]);

  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

export function useReference(): ReferenceData {
  return useContext(ReferenceContext);
}

/** An area's name in the locale (English falls back to the Chinese name). */
export function areaLabel(area: Area | undefined, locale: Locale): string | null {
  if (!area) return null;
  return locale === 'en' ? (area.nameEn ?? area.name) : area.name;
}

export function departmentLabel(dept: Department | undefined, locale: Locale): string | null {
  if (!dept) return null;
  return locale === 'en' ? dept.nameEn : dept.name;
}
