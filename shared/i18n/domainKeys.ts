import type { AreaLevel, CaseSource, CaseState, Mode, Urgency } from '../domain/model';
import type { CASE_SORTS } from '../api/cases';
import type { ActorRole, WorkflowAction } from '../domain/workflow';

/** Labels every locale must give for the domain's enumerations. */
export type DomainLabelKeys = Record<
  | `state.${CaseState}`
  | `source.${CaseSource}`
  | `urgency.${Urgency}`
  | `level.${AreaLevel}`
  | `mode.${Mode}`
  | `risk.${0 | 1 | 2 | 3 | 4}`
  | `sort.${(typeof CASE_SORTS)[number]}`
  | `weekday.${0 | 1 | 2 | 3 | 4 | 5 | 6}`
  | `action.${WorkflowAction | 'report'}`
  | `role.${ActorRole}`,
  string
>;
