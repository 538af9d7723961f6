/**
 * Pure helpers of the consultation screens: the chair's keys (a presentation clicker sends
 * PageDown/PageUp, keyboards →/←), deadlines in Asia/Shanghai, number formatting, labels and
 * agenda titles and summaries in the locale, and the projection of the five-colour map.
 */
import type { AgendaItem, Decision } from '../../../shared/api/consult';
import { RISK_LEVEL_HEX } from '../../../shared/domain/indicators';
import type { CaseState } from '../../../shared/domain/model';
import { BBoxBuilder } from '../../../shared/geo';
import { categoryLabel, translate, translateDynamic, type Locale, type MessageKey, type MessageParams } from '../../../shared/i18n';
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDay, shanghaiDayStart } from '../../../shared/time';

export type StepTarget = 'next' | 'prev' | 'first' | 'last' | number;

export type ConsultRole = 'wall' | 'chair';

/** The consultation screen's role from the query string: `?role=chair` is the chair's console. */
export function consultRoleFrom(search: string): ConsultRole {
  return new URLSearchParams(search).get('role') === 'chair' ? 'chair' : 'wall';
}

/**
 * The agenda step a key asks for, or null. Keys typed into a form field are never steps.
 * Digits 1–9 jump to that item.
 */
export function keyToStep(key: string, inFormField: boolean): StepTarget | null {
  if (inFormField) return null;
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
    case 'ArrowDown':
      return 'next';
    case 'ArrowLeft':
    case 'PageUp':
    case 'ArrowUp':
      return 'prev';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return /^[1-9]$/.test(key) ? Number(key) - 1 : null;
  }
}

/** Whether a keyboard event target is somewhere the user types. */
export function isFormField(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}

/** Value of a datetime-local input ('YYYY-MM-DDTHH:mm', read as Shanghai time) → ISO with +08:00. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** An instant as a datetime-local value in Shanghai time. */
export function toLocalInput(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** The default deadline of a decision: tomorrow 18:00 (Shanghai). */
export function defaultDeadline(now: number): string {
  const tomorrow = shanghaiDayStart(shanghaiDay(now)) + DAY_MS;
  return toLocalInput(tomorrow + 18 * 3_600_000);
}

export const signed = (v: number | null, digits = 1): string => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`);
export const fixed = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));
/** 'MM-DD HH:mm' of an ISO time. */
export const shortTime = (iso: string | null): string => (iso ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : '—');

export const levelColour = (level: number): string => RISK_LEVEL_HEX[level] ?? '#3b4a5e';
/** The five-colour level's name (红/Red …). */
export const levelName = (locale: Locale, level: number): string => translateDynamic(locale, `risk.${level}`) ?? '—';

export const outcomeLabel = (locale: Locale, outcome: Decision['outcome']): string => translate(locale, `consult.outcome.${outcome}`);
export const OUTCOME_COLOUR: Readonly<Record<Decision['outcome'], string>> = {
  failed: '#ff4d4f',
  in_progress: '#22e4ff',
  overdue: '#f2994a',
  done: '#27a35a',
  done_late: '#f2c94c',
};

export const stateLabel = (locale: Locale, state: CaseState): string => translate(locale, `state.${state}`);

/** A sensor type's name (水位/Water level …); the type itself if unknown. */
export const sensorLabel = (locale: Locale, type: string): string => translateDynamic(locale, `sensorType.${type}`) ?? type;

/** A case history action's name (派遣/Dispatch …); the action itself if unknown. */
export const actionLabel = (locale: Locale, action: string): string => translateDynamic(locale, `action.${action}`) ?? action;

/** A CAP warning's `colour/severity` (e.g. red/Extreme) with the colour named in the locale. */
export function warningSeverity(locale: Locale, severity: string): string {
  const [colour, rest] = severity.split('/', 2);
  const name = colour ? translateDynamic(locale, `consult.warnColour.${colour}`) : null;
  return name ? (rest ? `${name}/${rest}` : name) : severity;
}

/** An index's name in the locale (the six indices carry both; indicator and model names are data). */
export const indexName = (locale: Locale, idx: { name: string; nameEn: string }): string => (locale === 'en' && idx.nameEn ? idx.nameEn : idx.name);

/** The title the host gives a session when the chair names none (main/core/consult/sessions.ts). */
export const defaultSessionTitle = (day: string): string => `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 每日会商`;

/** A session's title in the locale: the host's default title is rebuilt; a title the chair gave is data. */
export function sessionTitle(locale: Locale, title: string, day: string): string {
  if (locale === 'zh-CN' || title !== defaultSessionTitle(day)) return title;
  return translate(locale, 'consult.session.title', { day });
}

const BRIEFING_SUFFIX = ' 会商简报';

/** A briefing's title in the locale (the host stores `<session title> 会商简报`). */
export function briefingTitle(locale: Locale, title: string, day: string): string {
  if (locale === 'zh-CN' || !title.endsWith(BRIEFING_SUFFIX)) return title;
  return translate(locale, 'consult.briefing.name', { title: sessionTitle(locale, title.slice(0, -BRIEFING_SUFFIX.length), day) });
}

/** Where the alarm figures came from: the host's two fallback notes are named in the locale. */
export function sourceLabel(locale: Locale, source: string): string {
  if (source.startsWith('sensors.status（')) return translate(locale, 'consult.source.sensorsFallback');
  if (source === '无预警表') return translate(locale, 'consult.source.noWarningTable');
  return source;
}

/** An agenda item's title, by its kind (the host's title is Chinese). */
export const itemTitle = (locale: Locale, item: Pick<AgendaItem, 'kind' | 'title'>): string => translateDynamic(locale, `consult.agenda.${item.kind}.title`) ?? item.title;

/** An agenda item's short name for the wall's step bar. */
export const itemStep = (locale: Locale, item: Pick<AgendaItem, 'kind' | 'title'>): string => translateDynamic(locale, `consult.agenda.${item.kind}.step`) ?? item.title;

/**
 * How many of the grids that changed colour went up, or null when the list the host sent is cut
 * short before the first downgrade (it sends upgrades first, then downgrades).
 */
export function upgradedCount(item: { changed: ReadonlyArray<{ from: number; to: number }>; changedTotal: number }): number | null {
  const up = item.changed.filter((c) => c.to > c.from).length;
  return up < item.changed.length || item.changed.length >= item.changedTotal ? up : null;
}

/**
 * An agenda item's summary in the locale. zh-CN shows the host's sentence; other locales build it
 * from the item's figures (names of areas, models, cases and warnings are data and stay as they are).
 */
export function itemSummary(locale: Locale, item: AgendaItem): string {
  if (locale === 'zh-CN') return item.summary;
  return summarySentences(locale, item).join(' ');
}

/** The sentences of an item's summary, built from its figures in the locale. */
export function summarySentences(locale: Locale, item: AgendaItem): string[] {
  const t = (key: MessageKey, params?: MessageParams): string => translate(locale, key, params);
  const list = (parts: readonly string[]): string => parts.join(t('consult.list.sep'));
  switch (item.kind) {
    case 'overview': {
      const f = item.figures;
      const out = [
        t('consult.summary.overview', {
          reported: f.reported24h,
          change: signed(f.reported24h - f.reportedPrev24h, 0),
          closed: f.closed24h,
          open: f.open,
          overdue: f.overdue,
          supervised: f.supervised,
        }),
      ];
      const worst = [...item.indices].sort((a, b) => a.value - b.value)[0];
      if (worst) out.push(t('consult.summary.overview.lowest', { name: indexName(locale, worst), value: worst.value }));
      const falling = item.indices.filter((i) => i.yesterday !== null && i.value < i.yesterday).map((i) => indexName(locale, i));
      if (falling.length) out.push(t('consult.summary.overview.falling', { names: list(falling) }));
      return out;
    }
    case 'map': {
      const c = item.counts;
      const up = upgradedCount(item);
      const out = [
        t('consult.summary.map.counts', { model: item.modelName, red: c[4] ?? 0, orange: c[3] ?? 0, yellow: c[2] ?? 0, blue: c[1] ?? 0, green: c[0] ?? 0 }),
        up === null
          ? t('consult.summary.map.changed', { changed: item.changedTotal })
          : t('consult.summary.map.changedSplit', { changed: item.changedTotal, up, down: item.changedTotal - up }),
      ];
      const worst = item.worst[0];
      if (worst) out.push(t('consult.summary.map.worst', { name: joinName(worst.parentName, worst.name), score: worst.score, level: levelName(locale, worst.level) }));
      return out;
    }
    case 'cases': {
      const out = [t('consult.summary.cases', { overdue: item.overdueTotal, supervised: item.supervisedTotal })];
      const top = item.byDepartment[0];
      if (top) out.push(t('consult.summary.cases.topDepartment', { name: top.name, n: top.overdue }));
      const longest = item.overdue[0];
      if (longest) out.push(t('consult.summary.cases.longest', { code: longest.code, title: longest.title, h: longest.overdueHours }));
      return out;
    }
    case 'hotspots': {
      const out = [
        item.categories.length
          ? t('consult.summary.hotspots.categories', {
              list: list(item.categories.slice(0, 3).map((c) => t('consult.summary.hotspots.category', { name: categoryLabel(locale, c.code), n: c.count, avg: c.baseline }))),
            })
          : t('consult.summary.hotspots.noCategory'),
      ];
      if (item.places.length)
        out.push(t('consult.summary.hotspots.places', { list: list(item.places.slice(0, 3).map((p) => t('consult.summary.hotspots.place', { name: `${p.parentName}${p.name}`, n: p.count }))) }));
      return out;
    }
    case 'alarms': {
      const types = list(item.byType.slice(0, 3).map((b) => t('consult.summary.alarms.type', { type: sensorLabel(locale, b.type), n: b.count })));
      const first = item.warnings[0];
      return [
        item.byType.length ? t('consult.summary.alarms.countTypes', { n: item.sensorAlarms, types }) : t('consult.summary.alarms.count', { n: item.sensorAlarms }),
        t('consult.summary.alarms.offline', { sensors: item.offline.sensors, cameras: item.offline.cameras }),
        first ? t('consult.summary.alarms.warningsFirst', { n: item.warnings.length, headline: first.headline }) : t('consult.summary.alarms.warnings', { n: item.warnings.length }),
      ];
    }
    case 'followup': {
      if (item.decisions.length === 0) return [t('consult.summary.followup.none')];
      const count = (o: Decision['outcome']): number => item.decisions.filter((d) => d.outcome === o).length;
      return [
        t('consult.summary.followup', {
          n: item.decisions.length,
          done: count('done') + count('done_late'),
          late: count('done_late'),
          open: count('in_progress'),
          overdue: count('overdue'),
          failed: count('failed'),
        }),
      ];
    }
    case 'minutes':
      return [t('consult.summary.minutes')];
  }
}

/** A grid's full name: its community first, unless the name already starts with it. */
export const joinName = (parent: string, name: string): string => (name.startsWith(parent) ? name : `${parent}${name}`);

export interface Projection {
  /** Canvas position of a lon/lat. */
  at(lon: number, lat: number): [number, number];
  /** The lon/lat at a canvas position. */
  invert(x: number, y: number): [number, number];
  scale: number;
}

/** Fit a lon/lat box into a w×h canvas (equirectangular, x shrunk by cos of the middle latitude). */
export function fitProjection(bbox: readonly [number, number, number, number], w: number, h: number, pad = 12): Projection {
  const [minX, minY, maxX, maxY] = bbox;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const dx = Math.max(1e-9, (maxX - minX) * k);
  const dy = Math.max(1e-9, maxY - minY);
  const scale = Math.min((w - 2 * pad) / dx, (h - 2 * pad) / dy);
  const ox = (w - dx * scale) / 2;
  const oy = (h - dy * scale) / 2;
  return {
    at: (lon, lat) => [ox + (lon - minX) * k * scale, oy + (maxY - lat) * scale],
    invert: (x, y) => [minX + (x - ox) / (k * scale), maxY - (y - oy) / scale],
    scale,
  };
}

/** The bounding box of polygon coordinates (Polygon or MultiPolygon rings). */
export function bboxOf(geometries: ReadonlyArray<{ type: string; coordinates: readonly unknown[] }>): [number, number, number, number] | null {
  const b = new BBoxBuilder();
  const visit = (v: unknown): void => {
    if (!Array.isArray(v)) return;
    if (typeof v[0] === 'number' && typeof v[1] === 'number') {
      b.add(v[0], v[1]);
      return;
    }
    for (const c of v) visit(c);
  };
  for (const g of geometries) visit(g.coordinates);
  return b.box();
}
