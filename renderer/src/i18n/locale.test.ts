import { describe, expect, it } from 'vitest';
import { initialLocale, LOCALE_STORAGE_KEY, parseLangParam } from './locale';

const memory = (init: Record<string, string> = {}) => {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};

describe('locale choice', () => {
  it('reads ?lang and remembers it', () => {
    const s = memory();
    expect(initialLocale('?lang=en', s)).toBe('en');
    expect(s.m.get(LOCALE_STORAGE_KEY)).toBe('en');
    expect(initialLocale('', s)).toBe('en');
    expect(initialLocale('?lang=zh', s)).toBe('zh-CN');
    expect(initialLocale('', s)).toBe('zh-CN');
  });

  it('defaults to zh-CN and ignores junk', () => {
    expect(initialLocale('?lang=fr', memory({ [LOCALE_STORAGE_KEY]: 'xx' }))).toBe('zh-CN');
    expect(initialLocale('', null)).toBe('zh-CN');
    expect(parseLangParam('EN-gb')).toBe('en');
    expect(parseLangParam(null)).toBeNull();
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: (): string | null => {
        throw new Error('denied');
      },
      setItem: (): void => {
        throw new Error('denied');
      },
    };
    expect(initialLocale('?lang=en', broken)).toBe('en');
    expect(initialLocale('', broken)).toBe('zh-CN');
  });
});
