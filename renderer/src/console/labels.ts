/** Labels the console composes from i18n keys (pure). */
import type { ApiError } from '../../../shared/api';
import type { TFunction } from '../i18n/I18nProvider';

/** 未督办 / 中心督办 / 区级督办 / 市级督办. */
export function supervisionName(level: number, t: TFunction): string {
  const l = Math.max(0, Math.min(3, Math.round(level))) as 0 | 1 | 2 | 3;
  return t(`supervision.${l}`);
}

/** An API error as an operator reads it: what happened in words, the core's detail after it. */
export function errorText(e: ApiError, t: TFunction): string {
  switch (e.code) {
    case 'conflict':
      return t('error.conflict');
    case 'invalid_transition':
      return t('error.invalid_transition', { message: e.message });
    case 'forbidden':
      return t('error.forbidden', { message: e.message });
    case 'validation':
      return t('error.validation', { message: e.message });
    case 'unavailable':
      return t('error.unavailable');
    default:
      return t('error.other', { message: e.message });
  }
}
