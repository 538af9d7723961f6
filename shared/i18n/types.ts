import type { zhCN } from './zh-CN';

/** The key set is zh-CN's. */
export type MessageKey = keyof typeof zhCN;

/** A complete locale: exactly the keys of zh-CN, any strings. */
export type Messages = { readonly [K in MessageKey]: string };

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type MessageParams = Readonly<Record<string, string | number>>;
