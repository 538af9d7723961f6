/**
 * The shipped category catalogue, in the spirit of GB/T 30428.2 (数字化城市管理 部件和事件).
 * It is the initial data of the editable, versioned catalogue held in the store; edit it there.
 * Each subcategory: default responsible department, handling time limit (working hours or
 * working days, the clock starts at dispatch), filing condition (立案条件) and closing condition (结案条件).
 */
export type DepartmentCode = 'GA' | 'JJ' | 'CG' | 'SJ' | 'YJ' | 'XF' | 'SW' | 'HB' | 'WJ' | 'ZJ' | 'JZ' | 'YL' | 'JT';

export interface DepartmentSeed {
  code: DepartmentCode;
  name: string;
  nameEn: string;
  kind: 'public_security' | 'enforcement' | 'regulation' | 'emergency' | 'utility' | 'street' | 'services';
}

export const DEPARTMENTS: readonly DepartmentSeed[] = [
  { code: 'GA', name: '公安分局', nameEn: 'Public Security Bureau', kind: 'public_security' },
  { code: 'JJ', name: '交警大队', nameEn: 'Traffic Police', kind: 'public_security' },
  { code: 'CG', name: '城管执法局', nameEn: 'City Management Enforcement', kind: 'enforcement' },
  { code: 'SJ', name: '市场监管局', nameEn: 'Market Regulation', kind: 'regulation' },
  { code: 'YJ', name: '应急管理局', nameEn: 'Emergency Management', kind: 'emergency' },
  { code: 'XF', name: '消防救援大队', nameEn: 'Fire and Rescue', kind: 'emergency' },
  { code: 'SW', name: '水务集团', nameEn: 'Water Affairs', kind: 'utility' },
  { code: 'HB', name: '生态环境分局', nameEn: 'Ecology and Environment', kind: 'regulation' },
  { code: 'WJ', name: '卫健局', nameEn: 'Health Commission', kind: 'services' },
  { code: 'ZJ', name: '住建局', nameEn: 'Housing and Construction', kind: 'regulation' },
  { code: 'JZ', name: '街道（镇）办事处', nameEn: 'Street / Town Office', kind: 'street' },
  { code: 'YL', name: '园林绿化中心', nameEn: 'Parks and Greening', kind: 'utility' },
  { code: 'JT', name: '交通运输局', nameEn: 'Transport Bureau', kind: 'utility' },
];

export interface CategoryClass {
  code: string;
  /** 部件 (component: a physical asset) or 事件 (event: a behaviour or situation). */
  kind: 'component' | 'event';
  name: string;
  nameEn: string;
}

export interface TimeLimit {
  unit: 'work_hours' | 'work_days';
  value: number;
}

export interface CategorySeed {
  code: string;
  classCode: string;
  name: string;
  nameEn: string;
  department: DepartmentCode;
  limit: TimeLimit;
  filing: string;
  closing: string;
}

export const CATEGORY_CLASSES: readonly CategoryClass[] = [
  { code: '01', kind: 'event', name: '市容环境', nameEn: 'City appearance' },
  { code: '02', kind: 'event', name: '宣传广告', nameEn: 'Advertising' },
  { code: '03', kind: 'event', name: '施工管理', nameEn: 'Construction' },
  { code: '04', kind: 'event', name: '街面秩序', nameEn: 'Street order' },
  { code: '05', kind: 'event', name: '突发事件', nameEn: 'Emergencies' },
  { code: '06', kind: 'component', name: '市政公用设施', nameEn: 'Public utilities' },
  { code: '07', kind: 'component', name: '交通设施', nameEn: 'Traffic facilities' },
  { code: '08', kind: 'component', name: '园林绿化', nameEn: 'Parks and greenery' },
  { code: '09', kind: 'event', name: '房屋土地', nameEn: 'Buildings and land' },
  { code: '10', kind: 'event', name: '社会治理', nameEn: 'Social governance' },
  { code: '11', kind: 'event', name: '安全生产', nameEn: 'Production safety' },
];

const h = (value: number): TimeLimit => ({ unit: 'work_hours', value });
const d = (value: number): TimeLimit => ({ unit: 'work_days', value });
const c = (
  code: string,
  name: string,
  nameEn: string,
  department: DepartmentCode,
  limit: TimeLimit,
  filing: string,
  closing: string,
): CategorySeed => ({ code, classCode: code.slice(0, 2), name, nameEn, department, limit, filing, closing });

export const CATEGORIES: readonly CategorySeed[] = [
  // 01 市容环境
  c('0101', '暴露垃圾', 'Exposed rubbish', 'CG', d(1), '垃圾暴露面积大于0.5平方米', '垃圾清除，地面无残留'),
  c('0102', '积存垃圾渣土', 'Accumulated waste and muck', 'CG', d(2), '积存垃圾渣土超过1立方米', '清运完毕'),
  c('0103', '道路不洁', 'Unclean road', 'CG', h(5), '路面有明显污物、油渍', '路面清洁'),
  c('0104', '水域不洁', 'Polluted water surface', 'SW', d(2), '水面漂浮物面积大于1平方米', '水面清洁'),
  c('0105', '绿地脏乱', 'Littered green space', 'YL', d(1), '绿地内垃圾杂物明显', '绿地整洁'),
  c('0106', '垃圾满溢', 'Overflowing bins', 'CG', h(4), '垃圾桶（箱）满溢', '清运完毕，周边整洁'),
  c('0107', '焚烧垃圾树叶', 'Burning rubbish', 'HB', h(2), '发现露天焚烧', '明火扑灭，现场清理'),
  c('0108', '油烟污染', 'Cooking fume pollution', 'HB', d(5), '餐饮油烟直排', '安装净化设施或停止排放'),
  // 02 宣传广告
  c('0201', '非法小广告', 'Illegal flyers', 'CG', d(1), '张贴涂写面积大于0.1平方米', '清除干净'),
  c('0202', '违规户外广告', 'Unauthorised billboard', 'CG', d(5), '未经审批设置', '拆除或补办手续'),
  c('0203', '广告牌匾破损', 'Damaged sign', 'CG', d(3), '牌匾破损、缺字', '修复或拆除'),
  c('0204', '占道宣传', 'Promotion blocking the road', 'CG', h(4), '占用人行道开展宣传', '撤离'),
  c('0205', '条幅横幅违规', 'Unauthorised banners', 'CG', d(1), '未经许可悬挂', '拆除'),
  // 03 施工管理
  c('0301', '施工扰民', 'Construction noise', 'ZJ', d(2), '夜间施工噪声投诉', '停止违规施工'),
  c('0302', '施工废弃料', 'Construction waste', 'ZJ', d(4), '施工废料堆放于工地外', '清运完毕'),
  c('0303', '道路遗撒', 'Spillage from trucks', 'CG', h(6), '运输车辆遗撒', '路面清理完毕'),
  c('0304', '工地围挡破损', 'Damaged site hoarding', 'ZJ', d(3), '围挡破损、缺失', '修复'),
  c('0305', '违法建设', 'Illegal construction', 'CG', d(15), '未取得规划许可建设', '拆除或依法处理'),
  c('0306', '工地扬尘', 'Site dust', 'HB', d(1), '未覆盖、未洒水降尘', '落实防尘措施'),
  c('0307', '渣土车违规', 'Muck truck violations', 'JJ', d(2), '渣土车未密闭、超载', '依法处理'),
  // 04 街面秩序
  c('0401', '无照经营游商', 'Unlicensed street vending', 'CG', h(4), '流动摊贩占道', '摊贩离开，现场整洁'),
  c('0402', '店外经营', 'Trading outside the shop', 'CG', h(8), '超出门窗经营', '恢复店内经营'),
  c('0403', '占道堆物', 'Objects blocking the way', 'CG', h(8), '占用道路堆放物品', '清理完毕'),
  c('0404', '非机动车乱停放', 'Bicycles parked badly', 'JJ', h(4), '共享单车等堆积影响通行', '摆放整齐'),
  c('0405', '机动车乱停放', 'Illegal car parking', 'JJ', h(2), '占用消防通道、人行道停车', '车辆驶离'),
  c('0406', '露天烧烤', 'Open-air barbecue', 'CG', h(2), '露天烧烤经营', '停止经营，清理现场'),
  c('0407', '乞讨卖艺', 'Begging and busking', 'JZ', h(4), '影响通行或秩序', '劝离或救助'),
  c('0408', '黑车拉客', 'Unlicensed taxis', 'JT', d(1), '站点周边揽客', '依法处理'),
  // 05 突发事件
  c('0501', '路面塌陷', 'Road collapse', 'ZJ', h(2), '路面塌陷、空洞', '围挡警示并修复'),
  c('0502', '自来水管破裂', 'Burst water main', 'SW', h(2), '管道破裂漏水', '关阀抢修完毕'),
  c('0503', '燃气泄漏', 'Gas leak', 'YJ', h(1), '闻到燃气味或报警', '排除隐患'),
  c('0504', '道路积水', 'Road flooding', 'SW', h(2), '积水深度超过15厘米', '积水排除'),
  c('0505', '火灾', 'Fire', 'XF', h(1), '发现明火或烟雾', '火灾扑灭，现场处置'),
  c('0506', '交通事故', 'Traffic accident', 'JJ', h(1), '发生交通事故', '现场处置完毕'),
  c('0507', '树木倒伏', 'Fallen tree', 'YL', h(4), '树木倒伏影响通行', '清理完毕'),
  c('0508', '危险化学品泄漏', 'Hazardous chemical leak', 'YJ', h(1), '发现泄漏', '险情排除'),
  c('0509', '人员聚集', 'Crowd gathering', 'GA', h(1), '异常聚集', '人员疏散'),
  // 06 市政公用设施
  c('0601', '井盖破损缺失', 'Broken or missing manhole cover', 'SW', h(4), '井盖破损、缺失、移位', '更换或复位'),
  c('0602', '路灯不亮', 'Street light out', 'ZJ', d(2), '连续三盏以上或单盏不亮', '恢复照明'),
  c('0603', '消防栓损坏', 'Damaged fire hydrant', 'XF', d(2), '消防栓损坏、漏水', '修复'),
  c('0604', '雨水箅子堵塞', 'Blocked drain grate', 'SW', d(1), '雨水箅子堵塞', '疏通'),
  c('0605', '人行道板破损', 'Broken paving', 'ZJ', d(5), '破损面积大于1平方米', '修复'),
  c('0606', '公厕设施损坏', 'Public toilet damaged', 'CG', d(2), '设施损坏或无法使用', '修复'),
  c('0607', '垃圾箱破损', 'Damaged litter bin', 'CG', d(3), '垃圾箱破损', '更换或修复'),
  c('0608', '电力设施隐患', 'Power facility hazard', 'YJ', h(8), '电线裸露、设施倾斜', '排除隐患'),
  // 07 交通设施
  c('0701', '交通信号灯故障', 'Traffic light fault', 'JJ', h(4), '信号灯不亮或故障', '恢复正常'),
  c('0702', '交通标志损坏', 'Damaged traffic sign', 'JJ', d(3), '标志破损、被遮挡', '修复或更换'),
  c('0703', '护栏损坏', 'Damaged guardrail', 'JT', d(3), '护栏破损、倒伏', '修复'),
  c('0704', '公交站亭损坏', 'Damaged bus shelter', 'JT', d(3), '站亭破损', '修复'),
  c('0705', '道路破损', 'Damaged road surface', 'JT', d(5), '坑槽面积大于0.5平方米', '修补'),
  c('0706', '隔离墩缺失', 'Missing bollards', 'JJ', d(2), '隔离设施缺失', '补齐'),
  // 08 园林绿化
  c('0801', '行道树缺株', 'Missing street tree', 'YL', d(10), '行道树缺株', '补植'),
  c('0802', '绿地破坏', 'Damaged green space', 'YL', d(5), '绿地被踩踏、侵占', '恢复绿地'),
  c('0803', '树木枯死', 'Dead tree', 'YL', d(5), '树木枯死', '移除或补植'),
  c('0804', '古树名木损伤', 'Damaged heritage tree', 'YL', d(2), '古树名木受损', '养护处理'),
  c('0805', '绿化遮挡', 'Greenery blocking view', 'YL', d(3), '遮挡路灯、信号灯或视线', '修剪完毕'),
  // 09 房屋土地
  c('0901', '违章搭建', 'Unauthorised extension', 'CG', d(15), '违规搭建构筑物', '拆除'),
  c('0902', '危房隐患', 'Dangerous building', 'ZJ', d(3), '房屋开裂、倾斜', '排险或撤离'),
  c('0903', '非法占用土地', 'Illegal land use', 'ZJ', d(15), '擅自占用土地', '依法处理'),
  c('0904', '群租房', 'Overcrowded rental', 'JZ', d(5), '群租隐患', '整改完毕'),
  // 10 社会治理
  c('1001', '邻里纠纷', 'Neighbour dispute', 'JZ', d(3), '当事人请求调解', '调解完成'),
  c('1002', '噪声扰民', 'Noise nuisance', 'HB', d(2), '噪声超标投诉', '噪声消除'),
  c('1003', '物业纠纷', 'Property management dispute', 'ZJ', d(5), '业主投诉', '协调完成'),
  c('1004', '欠薪讨薪', 'Unpaid wages', 'JZ', d(5), '劳动者反映欠薪', '协调支付'),
  c('1005', '食品安全', 'Food safety', 'SJ', d(2), '食品安全投诉', '查处完毕'),
  c('1006', '治安隐患', 'Public security hazard', 'GA', h(8), '发现治安隐患', '隐患消除'),
  c('1007', '公共卫生', 'Public health', 'WJ', d(2), '公共卫生隐患', '处置完毕'),
  // 11 安全生产
  c('1101', '消防通道堵塞', 'Blocked fire lane', 'XF', h(4), '消防通道被占用', '通道畅通'),
  c('1102', '电动车违规充电', 'Illegal e-bike charging', 'XF', h(8), '楼道内充电、飞线充电', '整改完毕'),
  c('1103', '企业安全隐患', 'Enterprise safety hazard', 'YJ', d(3), '检查发现隐患', '整改完毕'),
  c('1104', '燃气使用隐患', 'Unsafe gas use', 'YJ', d(1), '餐饮场所燃气隐患', '整改完毕'),
];

export const categoryByCode: ReadonlyMap<string, CategorySeed> = new Map(CATEGORIES.map((x) => [x.code, x]));
export const classByCode: ReadonlyMap<string, CategoryClass> = new Map(CATEGORY_CLASSES.map((x) => [x.code, x]));
