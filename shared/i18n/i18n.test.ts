import { describe, expect, it } from 'vitest';
import { CATEGORY_CLASSES } from '../domain/catalogue';
import { CASE_SOURCES, CASE_STATES, URGENCIES } from '../domain/model';
import { categoryLabel, classLabel, format, isMessageKey, MESSAGES, translate, translateDynamic } from './index';

describe('i18n', () => {
  it('gives every locale the same keys, none empty except deliberate blanks', () => {
    const zhKeys = Object.keys(MESSAGES['zh-CN']).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(zhKeys);
    for (const key of zhKeys) expect(MESSAGES['zh-CN'][key as keyof (typeof MESSAGES)['zh-CN']]).not.toBe('');
  });

  it('labels every state, source, urgency and category class', () => {
    for (const s of CASE_STATES) expect(isMessageKey(`state.${s}`)).toBe(true);
    for (const s of CASE_SOURCES) expect(isMessageKey(`source.${s}`)).toBe(true);
    for (const u of URGENCIES) expect(isMessageKey(`urgency.${u}`)).toBe(true);
    for (const c of CATEGORY_CLASSES) {
      expect(classLabel('zh-CN', c.code)).toBe(c.name);
      expect(classLabel('en', c.code)).toBe(c.nameEn);
    }
  });

  it('keeps placeholders consistent between locales', () => {
    const names = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(MESSAGES['zh-CN']) as Array<keyof (typeof MESSAGES)['zh-CN']>) {
      expect(names(MESSAGES.en[key]), key).toEqual(names(MESSAGES['zh-CN'][key]));
    }
  });

  it('formats placeholders and leaves unknown ones', () => {
    expect(format('共 {n} 件 {x}', { n: 12 })).toBe('共 12 件 {x}');
    expect(translate('zh-CN', 'console.total', { n: '10000+' })).toBe('共 10000+ 件');
    expect(translate('en', 'state.closed')).toBe('Closed');
  });

  it('translates run-time keys or says it cannot', () => {
    expect(translateDynamic('zh-CN', 'action.dispatch')).toBe('派遣');
    expect(translateDynamic('zh-CN', 'action.no_such_action')).toBeNull();
  });

  it('names categories from the catalogue', () => {
    expect(categoryLabel('zh-CN', '0101')).toBe('暴露垃圾');
    expect(categoryLabel('en', '0101')).toBe('Exposed rubbish');
    expect(categoryLabel('en', '9999')).toBe('9999');
  });
});
