import type { MethodOutput } from '../../../../shared/api';

export type Overview = MethodOutput<'stats.overview'>;

export interface OverviewPanelProps {
  data: Overview | null;
  stale: boolean;
}
