import type { ReactNode } from 'react';
import type { ApiClient } from '../../../../shared/api';
import type { CaseWorkflow } from '../../../../shared/api/workflow';
import type { CaseDetail, Unit } from '../../../../shared/domain/model';
import type { Locale } from '../../../../shared/i18n';
import type { ReferenceData } from '../../data/reference';
import type { TFunction } from '../../i18n/I18nProvider';
import type { Seat } from '../seat';

export interface DetailContext {
  detail: CaseDetail;
  /** The workflow view for the seat's role (null while it loads). */
  workflow: CaseWorkflow | null;
  now: number;
  locale: Locale;
  t: TFunction;
  reference: ReferenceData;
  /** Units of every department (departments.list), by id. */
  units: ReadonlyMap<string, Unit>;
  /** Names of the case's area chain, city → grid (from areas.get). */
  areaChain: readonly string[];
  api: ApiClient;
  seat: Seat;
  /** Open another case in the detail (a duplicate, a linked case). */
  onOpenCase(id: string): void;
  /** Merge this case into another open case (the duplicates panel). */
  onMerge(targetId: string): void;
  /** Whether a workflow call is in flight (buttons wait). */
  busy: boolean;
}

export interface DetailSection {
  id: string;
  render(ctx: DetailContext): ReactNode;
}
