/** The console's filter state and its translation into a cases.list query (pure). */
import type { CaseQuery } from '../../../shared/api/cases';
import type { CASE_SORTS } from '../../../shared/api/cases';
import { CASE_STATES, OPEN_STATES, type CaseSource, type CaseState, type Urgency } from '../../../shared/domain/model';

export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseFilters {
  states: readonly CaseState[];
  sources: readonly CaseSource[];
  urgencies: readonly Urgency[];
  classCode: string | null;
  /** A subcategory of the class (or of any class). */
  categoryCode: string | null;
  districtId: string | null;
  townId: string | null;
  overdue: boolean;
  supervised: boolean;
  text: string;
  sort: CaseSort;
}

/** No filter at all: every case in every state. */
export const EMPTY_FILTERS: CaseFilters = {
  states: [],
  sources: [],
  urgencies: [],
  classCode: null,
  categoryCode: null,
  districtId: null,
  townId: null,
  overdue: false,
  supervised: false,
  text: '',
  sort: 'urgency_deadline',
};

/** What a seat starts with: 待办, the open cases of the closed loop (OPEN_STATES). */
export const DEFAULT_FILTERS: CaseFilters = { ...EMPTY_FILTERS, states: [...OPEN_STATES] };

/** Which quick state preset the filters match: 待办 (open), 全部 (all), or neither. */
export function statePreset(states: readonly CaseState[]): 'open' | 'all' | null {
  if (states.length === 0 || states.length === CASE_STATES.length) return 'all';
  if (states.length === OPEN_STATES.length && OPEN_STATES.every((s) => states.includes(s))) return 'open';
  return null;
}

/** Add the value if absent, remove it if present; keeps the given order of `all`. */
export function toggleIn<T>(list: readonly T[], value: T, all: readonly T[]): T[] {
  const set = new Set(list);
  if (set.has(value)) set.delete(value);
  else set.add(value);
  return all.filter((v) => set.has(v));
}

export function toCaseQuery(f: CaseFilters, page: { limit: number; offset: number }): CaseQuery {
  const q: CaseQuery = { sort: f.sort, limit: page.limit, offset: page.offset };
  if (f.states.length > 0 && f.states.length < CASE_STATES.length) q.states = [...f.states];
  if (f.sources.length > 0) q.sources = [...f.sources];
  if (f.urgencies.length > 0) q.urgencies = [...f.urgencies];
  if (f.classCode !== null) q.classCodes = [f.classCode];
  if (f.categoryCode !== null) q.categoryCodes = [f.categoryCode];
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

/** Whether the filters differ from the seat's default (待办, nothing else). */
export function isFiltered(f: CaseFilters): boolean {
  return filtersKey(f) !== filtersKey({ ...DEFAULT_FILTERS, sort: f.sort });
}
