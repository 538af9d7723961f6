import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../../shared/i18n';
import { saveLocale, type StorageLike } from './locale';

export type TFunction = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  locale: Locale;
  t: TFunction;
  setLocale(locale: Locale): void;
  toggle(): void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ initial, storage, children }: { initial: Locale; storage: StorageLike | null; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initial);
  const setLocale = useCallback(
    (next: Locale) => {
      saveLocale(storage, next);
      setLocaleState(next);
    },
    [storage],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18nValue>(
    () => ({
      locale,
      t: (key, params) => translate(locale, key, params),
      setLocale,
      toggle: () => setLocale(locale === 'en' ? 'zh-CN' : 'en'),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The translate function of the current locale. */
export function useT(): TFunction {
  return useI18n().t;
}
