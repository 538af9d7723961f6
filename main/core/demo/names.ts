/**
 * Names for the synthetic population of the demo: people (common surnames in Zhejiang, given
 * names), communities and villages (stem + 社区/村, with pinyin), phone numbers. All drawn from a
 * seeded Rng, so the same seed gives the same names.
 */
import { WeightedTable, type Rng } from './prng';

/** Surnames weighted roughly by frequency in Zhejiang. */
const SURNAMES = WeightedTable.of<string>([
  ['王', 7], ['陈', 7], ['张', 5], ['李', 5], ['徐', 4], ['吴', 4], ['周', 4], ['金', 3], ['沈', 3], ['朱', 3],
  ['杨', 3], ['胡', 3], ['黄', 3], ['刘', 3], ['钱', 2], ['施', 2], ['方', 2], ['叶', 2], ['汪', 2], ['何', 2],
  ['俞', 2], ['蒋', 2], ['孙', 2], ['林', 2], ['赵', 2], ['郑', 2], ['姚', 1], ['陆', 1], ['潘', 1], ['邵', 1],
  ['章', 1], ['楼', 1], ['应', 1], ['孔', 1], ['宋', 1], ['马', 1], ['高', 1], ['许', 1], ['程', 1], ['丁', 1],
  ['余', 1], ['姜', 1], ['童', 1], ['范', 1], ['顾', 1], ['袁', 1], ['毛', 1], ['傅', 1], ['谢', 1], ['韩', 1],
]);

const GIVEN_SINGLE = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '斌', '浩', '宇', '婷', '鑫', '帆', '琳', '晨', '颖', '波', '辉', '鹏', '燕', '红', '玲', '萍', '慧', '倩', '莉', '丹', '亮', '峰', '晶', '蕾', '俊', '毅', '琦', '昊'];
const GIVEN_FIRST = ['建', '志', '海', '晓', '丽', '文', '国', '卫', '红', '永', '佳', '子', '雨', '欣', '梓', '思', '一', '俊', '宏', '美', '春', '秋', '振', '家', '少', '立', '德', '雪', '冬', '浩', '天', '嘉'];
const GIVEN_SECOND = ['华', '国', '军', '强', '明', '东', '燕', '杰', '平', '英', '芳', '涛', '琪', '涵', '轩', '怡', '辰', '峰', '伟', '林', '洁', '霞', '敏', '斌', '波', '阳', '宁', '红', '亮', '荣', '良', '萍'];

export function personName(rng: Rng): string {
  const surname = SURNAMES.pick(rng);
  if (rng.chance(0.35)) return surname + rng.pick(GIVEN_SINGLE);
  return surname + rng.pick(GIVEN_FIRST) + rng.pick(GIVEN_SECOND);
}

/** 王先生 / 李女士: how call-takers record a caller who gives only a surname. */
export function maskedCallerName(rng: Rng): string {
  return SURNAMES.pick(rng) + (rng.chance(0.55) ? '先生' : '女士');
}

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '170', '176', '177', '180', '181', '182', '183', '187', '188', '189', '191', '199'];

const digits = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
};

export function mobileNumber(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + digits(rng, 8);
}

/** 138****5678: the shape the hotline hands over. */
export function maskedMobile(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}****${digits(rng, 4)}`;
}

/** Hangzhou landline: 0571-8xxxxxxx. */
export function officePhone(rng: Rng): string {
  return `0571-8${digits(rng, 7)}`;
}

/** Stems of community and village names, with pinyin. */
export const COMMUNITY_STEMS: ReadonlyArray<readonly [string, string]> = [
  ['紫金港', 'Zijingang'], ['西园', 'Xiyuan'], ['文鼎', 'Wending'], ['德加', 'Dejia'], ['振华', 'Zhenhua'], ['庙桥', 'Miaoqiao'],
  ['兰里', 'Lanli'], ['金家渡', 'Jinjiadu'], ['花园', 'Huayuan'], ['锦绣', 'Jinxiu'], ['和睦', 'Hemu'], ['春晖', 'Chunhui'],
  ['朝阳', 'Chaoyang'], ['阳光', 'Yangguang'], ['幸福', 'Xingfu'], ['桃源', 'Taoyuan'], ['梧桐', 'Wutong'], ['银杏', 'Yinxing'],
  ['香樟', 'Xiangzhang'], ['丹桂', 'Dangui'], ['玉泉', 'Yuquan'], ['清水', 'Qingshui'], ['荷花', 'Hehua'], ['东方', 'Dongfang'],
  ['新城', 'Xincheng'], ['湖畔', 'Hupan'], ['枫林', 'Fenglin'], ['星辰', 'Xingchen'], ['朝晖', 'Zhaohui'], ['翠竹', 'Cuizhu'],
  ['青山', 'Qingshan'], ['万家', 'Wanjia'], ['华丰', 'Huafeng'], ['永福', 'Yongfu'], ['长桥', 'Changqiao'], ['石桥', 'Shiqiao'],
  ['益乐', 'Yile'], ['嘉禾', 'Jiahe'], ['金色', 'Jinse'], ['蓝天', 'Lantian'], ['白荡', 'Baidang'], ['溪畔', 'Xipan'],
  ['双桥', 'Shuangqiao'], ['龙门', 'Longmen'], ['凤凰', 'Fenghuang'], ['仙桥', 'Xianqiao'], ['太平', 'Taiping'], ['安居', 'Anju'],
  ['康乐', 'Kangle'], ['新桥', 'Xinqiao'], ['石塘', 'Shitang'], ['官塘', 'Guantang'], ['南湖', 'Nanhu'], ['北港', 'Beigang'],
  ['西湾', 'Xiwan'], ['东港', 'Donggang'], ['前进', 'Qianjin'], ['联合', 'Lianhe'], ['红旗', 'Hongqi'], ['光明', 'Guangming'],
  ['新民', 'Xinmin'], ['民丰', 'Minfeng'], ['丰收', 'Fengshou'], ['五星', 'Wuxing'], ['七星', 'Qixing'], ['八字桥', 'Baziqiao'],
  ['上塘', 'Shangtang'], ['下湾', 'Xiawan'], ['沿河', 'Yanhe'], ['河西', 'Hexi'], ['河东', 'Hedong'], ['山前', 'Shanqian'],
  ['竹林', 'Zhulin'], ['茶园', 'Chayuan'], ['梅林', 'Meilin'], ['杏坞', 'Xingwu'], ['桃花', 'Taohua'], ['芦花', 'Luhua'],
  ['莲花', 'Lianhua'], ['云栖', 'Yunqi'], ['青龙', 'Qinglong'], ['白马', 'Baima'], ['金鸡', 'Jinji'], ['银湖', 'Yinhu'],
  ['翡翠', 'Feicui'], ['明月', 'Mingyue'], ['清风', 'Qingfeng'], ['紫阳', 'Ziyang'], ['宝石', 'Baoshi'], ['雅苑', 'Yayuan'],
  ['景苑', 'Jingyuan'], ['瑞园', 'Ruiyuan'], ['悦湖', 'Yuehu'], ['嘉苑', 'Jiayuan'], ['城西', 'Chengxi'], ['城北', 'Chengbei'],
  ['府前', 'Fuqian'], ['学府', 'Xuefu'], ['科创', 'Kechuang'], ['智慧', 'Zhihui'], ['未来', 'Weilai'], ['海创', 'Haichuang'],
  ['梦想', 'Mengxiang'], ['古桥', 'Guqiao'], ['塘北', 'Tangbei'], ['横山', 'Hengshan'], ['东风', 'Dongfeng'], ['中心', 'Zhongxin'],
  ['西溪', 'Xixi'], ['金星', 'Jinxing'], ['泰和', 'Taihe'], ['长乐', 'Changle'], ['宝寿', 'Baoshou'], ['安溪', 'Anxi'],
];
