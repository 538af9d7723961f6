/**
 * The monitoring components' strings: the `mon.*` keys of shared/i18n (zh-CN and en, complete by
 * type), read through a small adapter so the components keep their own short keys.
 */
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';

type Unprefixed<K, P extends string> = K extends `${P}${infer Rest}` ? Rest : never;

export type MonitoringLabelKey = Unprefixed<MessageKey, 'mon.'>;

export type MonitoringT = (key: MonitoringLabelKey, params?: Readonly<Record<string, string | number>>) => string;

export const monitoringT =
  (locale: Locale): MonitoringT =>
  (key, params) => {
    const full: MessageKey = `mon.${key}`;
    return translate(locale, full, params);
  };
