/** Which locale a page starts in: ?lang= wins (and is remembered), then localStorage, then zh-CN. */
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../../shared/i18n';

export const LOCALE_STORAGE_KEY = 'cityops.lang';

export function parseLangParam(value: string | null): Locale | null {
  if (value === null) return null;
  const v = value.toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v === 'zh-cn' || v.startsWith('zh-')) return 'zh-CN';
  return null;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function initialLocale(search: string, storage: StorageLike | null): Locale {
  const fromUrl = parseLangParam(new URLSearchParams(search).get('lang'));
  if (fromUrl) {
    saveLocale(storage, fromUrl);
    return fromUrl;
  }
  const stored = readStored(storage);
  return stored ?? DEFAULT_LOCALE;
}

function readStored(storage: StorageLike | null): Locale | null {
  try {
    const v = storage?.getItem(LOCALE_STORAGE_KEY) ?? null;
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

export function saveLocale(storage: StorageLike | null, locale: Locale): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Storage may be unavailable (private mode, quota); the choice then lasts for this page only.
  }
}
