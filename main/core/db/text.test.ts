import { describe, expect, it } from 'vitest';
import { bigramDocument, bigramList, bigramMatch } from './text';

describe('case text bigrams', () => {
  it('pairs neighbouring characters within runs of letters and digits, lower-cased, each once', () => {
    expect(bigramList('井盖破损')).toEqual(['井盖', '盖破', '破损']);
    expect(bigramList('文三路 12号，AJ-2026')).toEqual(['文三', '三路', '12', '2号', 'aj', '20', '02', '26']);
    expect(bigramList('哈哈哈')).toEqual(['哈哈']);
    expect(bigramList('路')).toEqual([]);
    expect(bigramList('，。 ！')).toEqual([]);
    expect(bigramDocument('占道经营')).toBe('占道 道经 经营');
  });

  it('asks for every bigram of the searched text, or nothing when it has none', () => {
    expect(bigramMatch('井盖')).toBe('"井盖"');
    expect(bigramMatch('古墩路')).toBe('"古墩" AND "墩路"');
    expect(bigramMatch('路')).toBeNull();
    expect(bigramMatch('"; DROP')).toBe('"dr" AND "ro" AND "op"');
  });
});
