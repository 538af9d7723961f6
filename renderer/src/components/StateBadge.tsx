import type { CSSProperties } from 'react';
import type { CaseState, Urgency } from '../../../shared/domain/model';
import { useT } from '../i18n/I18nProvider';
import { STATE_COLOURS, URGENCY_COLOURS } from '../theme/colours';

export function StateBadge({ state }: { state: CaseState }) {
  const t = useT();
  return (
    <span className="state-badge" data-state={state} style={{ '--c': STATE_COLOURS[state] } as CSSProperties}>
      {t(`state.${state}`)}
    </span>
  );
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const t = useT();
  return (
    <span className="urgency-tag" data-urgency={urgency} style={{ '--c': URGENCY_COLOURS[urgency] } as CSSProperties}>
      {t(`urgency.${urgency}`)}
    </span>
  );
}
