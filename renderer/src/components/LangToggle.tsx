import { useI18n } from '../i18n/I18nProvider';

export function LangToggle() {
  const { t, toggle, locale } = useI18n();
  return (
    <button type="button" className="lang-toggle" data-testid="lang-toggle" data-locale={locale} title={t('lang.toggleTitle')} onClick={toggle}>
      {t('lang.toggle')}
    </button>
  );
}
