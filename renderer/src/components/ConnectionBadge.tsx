import { useConnectionState } from '../api/ApiContext';
import { useT } from '../i18n/I18nProvider';

export function ConnectionBadge() {
  const state = useConnectionState();
  const t = useT();
  return (
    <span className="conn-badge" data-testid="connection" data-conn={state}>
      <span className="conn-dot" aria-hidden="true" />
      {t(`conn.${state}`)}
    </span>
  );
}
