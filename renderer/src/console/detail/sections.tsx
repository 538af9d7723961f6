/**
 * The sections of the case detail panel, in order. This list is the console's extension point:
 * later features (workflow action buttons, the dispatch dialog's trigger, a map inset) add a
 * DetailSection here instead of editing the panel.
 */
import { DescriptionSection, FactsSection, HeadlineSection, ReporterSection } from './FactSections';
import { HistorySection } from './HistorySection';
import type { DetailSection } from './types';

export type { DetailContext, DetailSection } from './types';

export const DETAIL_SECTIONS: readonly DetailSection[] = [
  { id: 'headline', render: (ctx) => <HeadlineSection {...ctx} /> },
  { id: 'facts', render: (ctx) => <FactsSection {...ctx} /> },
  { id: 'description', render: (ctx) => <DescriptionSection {...ctx} /> },
  { id: 'reporter', render: (ctx) => <ReporterSection {...ctx} /> },
  { id: 'history', render: (ctx) => <HistorySection {...ctx} /> },
];
