/** The evaluation table's columns and their formatting (pure). */
import type { EvaluationRow } from '../../../../shared/api/evaluation';

export type EvalColumnKey = Exclude<keyof EvaluationRow, 'key' | 'name'>;

export interface EvalColumn {
  key: EvalColumnKey;
  kind: 'count' | 'rate' | 'hours';
  /** Higher is better (green), worse (red), or neutral. */
  good: 'high' | 'low' | null;
}

/** In the order the centre reads them: volume, closing, quality, time. */
export const EVAL_COLUMNS: readonly EvalColumn[] = [
  { key: 'received', kind: 'count', good: null },
  { key: 'registered', kind: 'count', good: null },
  { key: 'dispatched', kind: 'count', good: null },
  { key: 'due', kind: 'count', good: null },
  { key: 'deferred', kind: 'count', good: null },
  { key: 'closed', kind: 'count', good: null },
  { key: 'closeRate', kind: 'rate', good: 'high' },
  { key: 'onTimeRate', kind: 'rate', good: 'high' },
  { key: 'reworked', kind: 'count', good: null },
  { key: 'reworkRate', kind: 'rate', good: 'low' },
  { key: 'extended', kind: 'count', good: null },
  { key: 'extensionRate', kind: 'rate', good: 'low' },
  { key: 'returned', kind: 'count', good: null },
  { key: 'returnRate', kind: 'rate', good: 'low' },
  { key: 'avgHandlingWorkHours', kind: 'hours', good: 'low' },
  { key: 'overdue', kind: 'count', good: 'low' },
];

/** 0.9219 → "92.2%"; null (0 ÷ 0) → "—". */
export function formatRate(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)}%`;
}

export function formatHours(v: number | null): string {
  return v === null ? '—' : v.toFixed(1);
}

export function formatCell(row: EvaluationRow, col: EvalColumn): string {
  const v = row[col.key];
  if (col.kind === 'rate') return formatRate(v);
  if (col.kind === 'hours') return formatHours(v);
  return v === null ? '—' : String(v);
}

/**
 * A rate's tone against the thresholds centres commonly use: 结案率/按期结案率 ≥ 90 % good,
 * < 80 % bad; 返工率/延期率/回退率 ≤ 5 % good, > 15 % bad.
 */
export function rateTone(col: EvalColumn, v: number | null): 'good' | 'bad' | 'mid' | null {
  if (v === null || col.kind !== 'rate' || col.good === null) return null;
  if (col.good === 'high') return v >= 0.9 ? 'good' : v < 0.8 ? 'bad' : 'mid';
  return v <= 0.05 ? 'good' : v > 0.15 ? 'bad' : 'mid';
}

export type SortDir = 'asc' | 'desc';

/** Rows sorted by a column (nulls last) or by name; stable. */
export function sortRows(rows: readonly EvaluationRow[], key: EvalColumnKey | 'name', dir: SortDir): EvaluationRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      if (key === 'name') return sign * a.r.name.localeCompare(b.r.name, 'zh-CN') || a.i - b.i;
      const va = a.r[key];
      const vb = b.r[key];
      if (va === null && vb === null) return a.i - b.i;
      if (va === null) return 1;
      if (vb === null) return -1;
      return sign * (va - vb) || a.i - b.i;
    })
    .map((x) => x.r);
}

/** The CSV as a download: keep the core's BOM, add one when missing (Excel needs it for Chinese). */
export function csvWithBom(csv: string): string {
  return csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`;
}
