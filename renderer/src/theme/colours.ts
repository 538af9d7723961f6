/** Colours of domain values, shared by badges, bar lists and charts. */
import type { CaseSource, CaseState, Urgency } from '../../../shared/domain/model';

export const STATE_COLOURS: Readonly<Record<CaseState, string>> = {
  reported: '#22d3ee',
  registered: '#60a5fa',
  cancelled: '#7b8794',
  dispatched: '#a78bfa',
  accepted: '#fbbf24',
  returned: '#fb923c',
  handled: '#2dd4bf',
  rework: '#f472b6',
  suspended: '#9d8ec7',
  closed: '#34d399',
};

export const SOURCE_COLOURS: Readonly<Record<CaseSource, string>> = {
  grid: '#22d3ee',
  hotline: '#60a5fa',
  police110: '#f87171',
  video_ai: '#a78bfa',
  iot: '#2dd4bf',
  public: '#fbbf24',
  superior: '#f472b6',
  consultation: '#94a3b8',
};

export const URGENCY_COLOURS: Readonly<Record<Urgency, string>> = {
  normal: '#5b7a99',
  urgent: '#f59e0b',
  critical: '#ef4444',
};

export const CLASS_PALETTE = ['#22d3ee', '#60a5fa', '#a78bfa', '#f472b6', '#fbbf24', '#34d399', '#2dd4bf', '#fb923c', '#94a3b8', '#e879f9', '#38bdf8'] as const;

export const ACCENT = '#22e4ff';
export const ALARM = '#ff4d4f';
