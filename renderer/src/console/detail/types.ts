import type { ReactNode } from 'react';
import type { CaseDetail } from '../../../../shared/domain/model';
import type { Locale } from '../../../../shared/i18n';
import type { ReferenceData } from '../../data/reference';
import type { TFunction } from '../../i18n/I18nProvider';

export interface DetailContext {
  detail: CaseDetail;
  now: number;
  locale: Locale;
  t: TFunction;
  reference: ReferenceData;
  /** Names of the case's area chain, city → grid (from areas.get). */
  areaChain: readonly string[];
}

export interface DetailSection {
  id: string;
  render(ctx: DetailContext): ReactNode;
}
