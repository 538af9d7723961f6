import type { ModeState } from '../data/system';
import { useT } from '../i18n/I18nProvider';
import { formatShort } from '../time/format';

export function ModeBadge({ mode }: { mode: ModeState | null }) {
  const t = useT();
  if (!mode) return <span className="mode-badge" data-testid="mode-badge" />;
  return (
    <span className="mode-badge" data-testid="mode-badge" data-mode={mode.mode} title={t('header.modeSince', { time: formatShort(mode.since) })}>
      {t(`mode.${mode.mode}`)}
    </span>
  );
}
