import { describe, expect, it } from 'vitest';
import { CASE_STATES } from '../../../shared/domain/model';
import { DEFAULT_FILTERS, EMPTY_FILTERS, filtersKey, isFiltered, statePreset, toCaseQuery, toggleIn } from './filters';
import { pagesFor, rowCountFor, scrollToReveal, visibleRange } from './virtual';

describe('console filters', () => {
  it('sends only what is set', () => {
    expect(toCaseQuery(EMPTY_FILTERS, { limit: 100, offset: 200 })).toEqual({ sort: 'urgency_deadline', limit: 100, offset: 200 });
    const q = toCaseQuery(
      { ...EMPTY_FILTERS, states: ['closed'], classCode: '05', districtId: 'd1', townId: 't1', overdue: true, text: '  井盖  ' },
      { limit: 50, offset: 0 },
    );
    expect(q).toEqual({ sort: 'urgency_deadline', limit: 50, offset: 0, states: ['closed'], classCodes: ['05'], areaId: 't1', overdue: true, text: '井盖' });
    expect(toCaseQuery({ ...EMPTY_FILTERS, districtId: 'd1' }, { limit: 1, offset: 0 }).areaId).toBe('d1');
  });

  it('toggles values keeping the canonical order', () => {
    expect(toggleIn(['closed'], 'reported', CASE_STATES)).toEqual(['reported', 'closed']);
    expect(toggleIn(['reported', 'closed'], 'reported', CASE_STATES)).toEqual(['closed']);
  });

  it('tells filtered from the default (待办) and keys by query', () => {
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, sort: 'reported_desc' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, text: '   ' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, overdue: true })).toBe(true);
    expect(isFiltered(EMPTY_FILTERS)).toBe(true);
    expect(filtersKey({ ...EMPTY_FILTERS, sort: 'reported_desc' })).not.toBe(filtersKey(EMPTY_FILTERS));
  });

  it('starts with the open states and sends every state as no state filter', () => {
    expect(toCaseQuery(DEFAULT_FILTERS, { limit: 10, offset: 0 }).states).toEqual(['reported', 'registered', 'dispatched', 'accepted', 'returned', 'handled', 'rework']);
    expect(toCaseQuery({ ...EMPTY_FILTERS, states: [...CASE_STATES] }, { limit: 10, offset: 0 }).states).toBeUndefined();
    expect(toCaseQuery({ ...EMPTY_FILTERS, categoryCode: '0101' }, { limit: 10, offset: 0 }).categoryCodes).toEqual(['0101']);
    expect(statePreset(DEFAULT_FILTERS.states)).toBe('open');
    expect(statePreset([])).toBe('all');
    expect(statePreset(CASE_STATES)).toBe('all');
    expect(statePreset(['closed'])).toBeNull();
  });
});

describe('virtual list arithmetic', () => {
  it('renders the rows in view plus overscan, clamped', () => {
    expect(visibleRange(0, 360, 36, 1000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(3600, 360, 36, 1000, 5)).toEqual({ start: 95, end: 115 });
    expect(visibleRange(35_990, 360, 36, 1000, 5)).toEqual({ start: 994, end: 1000 });
    expect(visibleRange(0, 360, 36, 0)).toEqual({ start: 0, end: 0 });
  });

  it('maps ranges to pages', () => {
    expect(pagesFor({ start: 95, end: 115 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ start: 0, end: 100 }, 100)).toEqual([0]);
    expect(pagesFor({ start: 5, end: 5 }, 100)).toEqual([]);
  });

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 100, 360, 36)).toBe(0);
    expect(scrollToReveal(20, 0, 360, 36)).toBe(21 * 36 - 360);
    expect(scrollToReveal(5, 36, 360, 36)).toBe(36);
  });

  it('grows a capped list page by page', () => {
    const full = { length: 100 };
    expect(rowCountFor(42, false, new Map([[0, { length: 42 }]]), 100)).toBe(42);
    expect(rowCountFor(10_000, true, new Map([[0, full]]), 100)).toBe(10_000);
    expect(rowCountFor(10_000, true, new Map([[99, full]]), 100)).toBe(10_100);
    expect(rowCountFor(10_000, true, new Map([[100, full]]), 100)).toBe(10_200);
    expect(rowCountFor(10_000, true, new Map([[100, { length: 7 }]]), 100)).toBe(10_007);
  });
});
