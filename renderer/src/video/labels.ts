/**
 * The video components' strings: the `video.*` keys of shared/i18n (zh-CN and en, complete by
 * type), read through a small adapter so the components keep their own short keys.
 */
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';

type Unprefixed<K, P extends string> = K extends `${P}${infer Rest}` ? Rest : never;

export type VideoLabelKey = Unprefixed<MessageKey, 'video.'>;

export type VideoT = (key: VideoLabelKey, params?: Readonly<Record<string, string | number>>) => string;

export const videoT =
  (locale: Locale): VideoT =>
  (key, params) => {
    const full: MessageKey = `video.${key}`;
    return translate(locale, full, params);
  };
