/**
 * Chinese public holidays and adjusted working days (调休), as data, one entry per year.
 *
 * Sources (State Council General Office notices; text checked against the Xinhua releases):
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12.
 *   (First year under the revised 《全国年节及纪念日放假办法》: Spring Festival and Labour Day each
 *   gained one statutory day.)
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04 (新华社北京11月4日电).
 *
 * `holidays` lists every day off of each holiday block, including the days that fall on a weekend
 * anyway; `workdays` lists the weekend days that are working days (调休上班). Add a year when the
 * State Council publishes it (usually in November), or edit the calendar in the store
 * (`calendar.set`), which overrides this shipped default.
 */
export interface YearSchedule {
  /** Days off, 'YYYY-MM-DD' (Asia/Shanghai calendar days). */
  holidays: string[];
  /** Weekend days that are working days, 'YYYY-MM-DD'. */
  workdays: string[];
  /** Where the schedule comes from. */
  source: string;
}

const range = (first: string, last: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

export const CN_SCHEDULES: Readonly<Record<string, YearSchedule>> = {
  '2025': {
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）',
    holidays: [
      '2025-01-01', // 元旦：1月1日（周三）放假1天，不调休
      ...range('2025-01-28', '2025-02-04'), // 春节：1月28日（除夕）至2月4日（正月初七），共8天
      ...range('2025-04-04', '2025-04-06'), // 清明节：4月4日至6日，共3天
      ...range('2025-05-01', '2025-05-05'), // 劳动节：5月1日至5日，共5天
      ...range('2025-05-31', '2025-06-02'), // 端午节：5月31日至6月2日，共3天
      ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节：10月1日至8日，共8天
    ],
    workdays: [
      '2025-01-26', // 春节调休：1月26日（周日）上班
      '2025-02-08', // 春节调休：2月8日（周六）上班
      '2025-04-27', // 劳动节调休：4月27日（周日）上班
      '2025-09-28', // 国庆调休：9月28日（周日）上班
      '2025-10-11', // 国庆调休：10月11日（周六）上班
    ],
  },
  '2026': {
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社发布）',
    holidays: [
      ...range('2026-01-01', '2026-01-03'), // 元旦：1月1日（周四）至3日（周六），共3天
      ...range('2026-02-15', '2026-02-23'), // 春节：2月15日（腊月二十八）至23日（正月初七），共9天
      ...range('2026-04-04', '2026-04-06'), // 清明节：4月4日（周六）至6日（周一），共3天
      ...range('2026-05-01', '2026-05-05'), // 劳动节：5月1日（周五）至5日（周二），共5天
      ...range('2026-06-19', '2026-06-21'), // 端午节：6月19日（周五）至21日（周日），共3天
      ...range('2026-09-25', '2026-09-27'), // 中秋节：9月25日（周五）至27日（周日），共3天
      ...range('2026-10-01', '2026-10-07'), // 国庆节：10月1日（周四）至7日（周三），共7天
    ],
    workdays: [
      '2026-01-04', // 元旦调休：1月4日（周日）上班
      '2026-02-14', // 春节调休：2月14日（周六）上班
      '2026-02-28', // 春节调休：2月28日（周六）上班
      '2026-05-09', // 劳动节调休：5月9日（周六）上班
      '2026-09-20', // 国庆调休：9月20日（周日）上班
      '2026-10-10', // 国庆调休：10月10日（周六）上班
    ],
  },
};
