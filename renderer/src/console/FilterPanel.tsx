/**
 * The console's filters: 待办 (open) / 全部 (all) in one click, chips for states, urgency and
 * sources, selects for class, subcategory and area, overdue and supervised toggles.
 */
import type { CSSProperties, RefObject } from 'react';
import { CASE_SORTS } from '../../../shared/api/cases';
import { CATEGORY_CLASSES } from '../../../shared/domain/catalogue';
import { CASE_SOURCES, CASE_STATES, URGENCIES } from '../../../shared/domain/model';
import { classLabel } from '../../../shared/i18n';
import { useApiQuery } from '../api/useApiQuery';
import { areaLabel, useReference } from '../data/reference';
import { useI18n } from '../i18n/I18nProvider';
import { SOURCE_COLOURS, STATE_COLOURS, URGENCY_COLOURS } from '../theme/colours';
import { DEFAULT_FILTERS, statePreset, toggleIn, type CaseFilters, type CaseSort } from './filters';

interface FilterPanelProps {
  filters: CaseFilters;
  onChange(next: CaseFilters): void;
  /** The search box's own text (debounced into filters.text by the screen). */
  text: string;
  onText(text: string): void;
  /** The search box, for the '/' shortcut. */
  searchRef?: RefObject<HTMLInputElement | null>;
}

export function FilterPanel({ filters, onChange, text, onText, searchRef }: FilterPanelProps) {
  const { t, locale } = useI18n();
  const ref = useReference();
  const set = (patch: Partial<CaseFilters>): void => onChange({ ...filters, ...patch });
  const towns = filters.districtId ? ref.towns.filter((x) => x.parentId === filters.districtId) : ref.towns;
  const catalogue = useApiQuery('categories.list', {}, { refreshMs: 10 * 60_000 });
  const subcategories = (catalogue.data?.categories ?? []).filter((c) => filters.classCode === null || c.classCode === filters.classCode);
  const preset = statePreset(filters.states);

  return (
    <aside className="filters" data-testid="filters">
      <input
        ref={searchRef}
        className="filter-search"
        type="search"
        data-testid="filter-text"
        placeholder={t('console.filter.text')}
        value={text}
        maxLength={100}
        onChange={(e) => onText(e.target.value)}
      />

      <div className="seg seg-wide" role="radiogroup" aria-label={t('console.filter.state')} data-testid="state-preset">
        <button type="button" role="radio" className="seg-btn" aria-checked={preset === 'open'} data-preset="open" onClick={() => set({ states: [...DEFAULT_FILTERS.states] })}>
          {t('console.filter.open')}
        </button>
        <button type="button" role="radio" className="seg-btn" aria-checked={preset === 'all'} data-preset="all" onClick={() => set({ states: [] })}>
          {t('console.filter.allStates')}
        </button>
      </div>

      <fieldset className="filter-group" data-filter="state">
        <legend>{t('console.filter.state')}</legend>
        <div className="chips">
          {CASE_STATES.map((s) => (
            <button
              key={s}
              type="button"
              className="chip"
              data-value={s}
              aria-pressed={filters.states.includes(s)}
              style={{ '--c': STATE_COLOURS[s] } as CSSProperties}
              onClick={() => set({ states: toggleIn(filters.states, s, CASE_STATES) })}
            >
              {t(`state.${s}`)}
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset className="filter-group" data-filter="urgency">
        <legend>{t('console.filter.urgency')}</legend>
        <div className="chips">
          {URGENCIES.map((u) => (
            <button
              key={u}
              type="button"
              className="chip"
              data-value={u}
              aria-pressed={filters.urgencies.includes(u)}
              style={{ '--c': URGENCY_COLOURS[u] } as CSSProperties}
              onClick={() => set({ urgencies: toggleIn(filters.urgencies, u, URGENCIES) })}
            >
              {t(`urgency.${u}`)}
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset className="filter-group" data-filter="source">
        <legend>{t('console.filter.source')}</legend>
        <div className="chips">
          {CASE_SOURCES.map((s) => (
            <button
              key={s}
              type="button"
              className="chip"
              data-value={s}
              aria-pressed={filters.sources.includes(s)}
              style={{ '--c': SOURCE_COLOURS[s] } as CSSProperties}
              onClick={() => set({ sources: toggleIn(filters.sources, s, CASE_SOURCES) })}
            >
              {t(`source.${s}`)}
            </button>
          ))}
        </div>
      </fieldset>

      <label className="filter-field">
        <span>{t('console.filter.class')}</span>
        <select data-testid="filter-class" value={filters.classCode ?? ''} onChange={(e) => set({ classCode: e.target.value || null, categoryCode: null })}>
          <option value="">{t('console.filter.all')}</option>
          {CATEGORY_CLASSES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {classLabel(locale, c.code)}
            </option>
          ))}
        </select>
      </label>

      <label className="filter-field">
        <span>{t('console.filter.category')}</span>
        <select data-testid="filter-category" value={filters.categoryCode ?? ''} onChange={(e) => set({ categoryCode: e.target.value || null })}>
          <option value="">{t('console.filter.all')}</option>
          {subcategories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {locale === 'en' ? c.nameEn : c.name}
            </option>
          ))}
        </select>
      </label>

      <label className="filter-field">
        <span>{t('console.filter.district')}</span>
        <select data-testid="filter-district" value={filters.districtId ?? ''} onChange={(e) => set({ districtId: e.target.value || null, townId: null })}>
          <option value="">{t('console.filter.all')}</option>
          {ref.districts.map((d) => (
            <option key={d.id} value={d.id}>
              {areaLabel(d, locale)}
            </option>
          ))}
        </select>
      </label>

      <label className="filter-field">
        <span>{t('console.filter.town')}</span>
        <select data-testid="filter-town" value={filters.townId ?? ''} disabled={towns.length === 0} onChange={(e) => set({ townId: e.target.value || null })}>
          <option value="">{t('console.filter.all')}</option>
          {towns.map((x) => (
            <option key={x.id} value={x.id}>
              {areaLabel(x, locale)}
            </option>
          ))}
        </select>
      </label>

      <div className="filter-toggles">
        <label className="toggle">
          <input type="checkbox" data-testid="filter-overdue" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
          <span>{t('console.filter.overdue')}</span>
        </label>
        <label className="toggle">
          <input type="checkbox" data-testid="filter-supervised" checked={filters.supervised} onChange={(e) => set({ supervised: e.target.checked })} />
          <span>{t('console.filter.supervised')}</span>
        </label>
      </div>

      <button
        type="button"
        className="filter-reset"
        data-testid="filter-reset"
        onClick={() => {
          onText('');
          onChange({ ...DEFAULT_FILTERS, sort: filters.sort });
        }}
      >
        {t('console.filter.reset')}
      </button>
    </aside>
  );
}

export function SortSelect({ value, onChange }: { value: CaseSort; onChange(s: CaseSort): void }) {
  const { t } = useI18n();
  return (
    <label className="sort-select">
      <span>{t('console.sort')}</span>
      <select data-testid="sort" value={value} onChange={(e) => onChange(CASE_SORTS.find((s) => s === e.target.value) ?? 'urgency_deadline')}>
        {CASE_SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`sort.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
