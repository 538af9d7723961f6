/**
 * The sections of the case detail panel, in order. This list is the console's extension point:
 * a feature adds a DetailSection here instead of editing the panel. The workflow actions live in
 * the panel's fixed action bar (ActionBar), not in a section, so they never scroll away.
 */
import { AttachmentsSection } from './AttachmentsSection';
import { ClockSection } from './ClockSection';
import { DuplicatesSection } from './DuplicatesSection';
import { DescriptionSection, FactsSection, HeadlineSection, ReporterSection } from './FactSections';
import { HistorySection } from './HistorySection';
import { LocationSection } from './LocationSection';
import type { DetailSection } from './types';

export type { DetailContext, DetailSection } from './types';

export const DETAIL_SECTIONS: readonly DetailSection[] = [
  { id: 'headline', render: (ctx) => <HeadlineSection {...ctx} /> },
  { id: 'clock', render: (ctx) => <ClockSection {...ctx} /> },
  { id: 'duplicates', render: (ctx) => <DuplicatesSection {...ctx} /> },
  { id: 'facts', render: (ctx) => <FactsSection {...ctx} /> },
  { id: 'description', render: (ctx) => <DescriptionSection {...ctx} /> },
  { id: 'location', render: (ctx) => <LocationSection {...ctx} /> },
  { id: 'reporter', render: (ctx) => <ReporterSection {...ctx} /> },
  { id: 'attachments', render: (ctx) => <AttachmentsSection {...ctx} /> },
  { id: 'history', render: (ctx) => <HistorySection {...ctx} /> },
];
