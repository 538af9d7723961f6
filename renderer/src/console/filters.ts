/** The console's filter state and its translation into a cases.list query (pure). */
import type { CaseQuery } from '../../../shared/api/cases';
import type { CASE_SORTS } from '../../../shared/api/cases';
import type { CaseSource, CaseState, Urgency } from '../../../shared/domain/model';

export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseFilters {
  states: readonly CaseState[];
  sources: readonly CaseSource[];
  urgencies: readonly Urgency[];
  classCode: string | null;
  districtId: string | null;
  townId: string | null;
  overdue: boolean;
  supervised: boolean;
  text: string;
  sort: CaseSort;
}

export const EMPTY_FILTERS: CaseFilters = {
  states: [],
  sources: [],
  urgencies: [],
  classCode: null,
  districtId: null,
  townId: null,
  overdue: false,
  supervised: false,
  text: '',
  sort: 'urgency_deadline',
};

/** Add the value if absent, remove it if present; keeps the given order of `all`. */
export function toggleIn<T>(list: readonly T[], value: T, all: readonly T[]): T[] {
  const set = new Set(list);
  if (set.has(value)) set.delete(value);
  else set.add(value);
  return all.filter((v) => set.has(v));
}

export function toCaseQuery(f: CaseFilters, page: { limit: number; offset: number }): CaseQuery {
  const q: CaseQuery = { sort: f.sort, limit: page.limit, offset: page.offset };
  if (f.states.length > 0) q.states = [...f.states];
  if (f.sources.length > 0) q.sources = [...f.sources];
  if (f.urgencies.length > 0) q.urgencies = [...f.urgencies];
  if (f.classCode !== null) q.classCodes = [f.classCode];
  const areaId = f.townId ?? f.districtId;
  if (areaId !== null) q.areaId = areaId;
  if (f.overdue) q.overdue = true;
  if (f.supervised) q.supervised = true;
  const text = f.text.trim().slice(0, 100);
  if (text.length > 0) q.text = text;
  return q;
}

/** A stable key of the filters: pages loaded for one key are thrown away when it changes. */
export function filtersKey(f: CaseFilters): string {
  return JSON.stringify(toCaseQuery(f, { limit: 1, offset: 0 }));
}

export function isFiltered(f: CaseFilters): boolean {
  return filtersKey(f) !== filtersKey({ ...EMPTY_FILTERS, sort: f.sort });
}
