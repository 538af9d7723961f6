/**
 * UI strings: zh-CN (default) and en. Pure TypeScript, shared by every screen.
 * Labels of domain objects (category names, departments) that live in the catalogue come from
 * there through categoryLabel()/className() so the catalogue stays the single source.
 */
import { categoryByCode } from '../domain/catalogue';
import { en } from './en';
import type { Locale, MessageKey, MessageParams, Messages } from './types';
import { zhCN } from './zh-CN';

export type { Locale, MessageKey, MessageParams, Messages } from './types';
export { LOCALES } from './types';

export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const MESSAGES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

export const isLocale = (value: unknown): value is Locale => value === 'zh-CN' || value === 'en';

export const isMessageKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(zhCN, key);

/** Fill `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return format(MESSAGES[locale][key], params);
}

/** A key built at run time (e.g. `action.${name}`): its label, or null when there is none. */
export function translateDynamic(locale: Locale, key: string, params?: MessageParams): string | null {
  return isMessageKey(key) ? translate(locale, key, params) : null;
}

/** The subcategory's name from the catalogue, in the locale; the code itself if unknown. */
export function categoryLabel(locale: Locale, categoryCode: string): string {
  const c = categoryByCode.get(categoryCode);
  if (!c) return categoryCode;
  return locale === 'en' ? c.nameEn : c.name;
}

/** The category class's label (class.01 …); the code itself if unknown. */
export function classLabel(locale: Locale, classCode: string): string {
  return translateDynamic(locale, `class.${classCode}`) ?? classCode;
}
