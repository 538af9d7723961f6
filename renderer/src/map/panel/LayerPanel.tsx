/**
 * The console's layer panel (图层控制): what every attached wall's map shows — per layer:
 * visibility, opacity, filters and its legend; the time control; the area the walls are drilled
 * into; saved views (save, show on the wall, rotation); the basemap; and a search that flies
 * the walls there. Everything goes through map.state.update / map.views.* / map.basemap.set, so
 * the walls follow through their events.
 *
 * Mount: <LayerPanel /> anywhere under the ApiProvider and I18nProvider (self-contained styles).
 */
import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import type { SearchHit } from '../../../../shared/api/map';
import { CATEGORY_CLASSES } from '../../../../shared/domain/catalogue';
import { CAMERA_STATUSES_ON_MAP, MAP_LAYER_KINDS, SENSOR_STATUSES_ON_MAP, type BasemapSetting, type MapLayerKind, type MapLayers, type MapLayersPatch } from '../../../../shared/domain/map';
import { ALARM_SEVERITIES } from '../../../../shared/domain/monitoring';
import { SENSOR_TYPES, STAFF_ROLES, URGENCIES } from '../../../../shared/domain/model';
import { classLabel, translate, type Locale } from '../../../../shared/i18n';
import { useApi, useEvent } from '../../api/ApiContext';
import { useApiQuery } from '../../api/useApiQuery';
import { useI18n } from '../../i18n/I18nProvider';
import { SearchBox } from '../controls/SearchBox';
import { TimeControl } from '../controls/TimeControl';
import { mapT, type MapT } from '../i18n';
import { ALARM_SEVERITY_COLOURS, CAMERA_STATUS_COLOURS, CASE_MARKER_COLOURS, HEAT_RANGE, RISK_HEX, rgbaCss, SENSOR_STATUS_COLOURS, STAFF_ROLE_COLOURS } from '../layers/colours';
import { useMapState } from '../state/useMapState';
import '../map.css';
import './panel.css';

export interface LayerPanelProps {
  /** Who acts (the seat), for the audit trail. */
  actor?: string;
}

type Chip = { value: string; label: string; colour?: string };

function Chips({ all, selected, onChange, testId }: { all: readonly Chip[]; selected: readonly string[]; onChange(next: string[]): void; testId: string }) {
  return (
    <div className="lp-chips" data-testid={testId}>
      {all.map((c) => {
        const on = selected.includes(c.value);
        return (
          <button
            key={c.value}
            type="button"
            className="lp-chip"
            aria-pressed={on}
            style={c.colour ? ({ '--c': c.colour } as CSSProperties) : undefined}
            onClick={() => onChange(on ? selected.filter((v) => v !== c.value) : [...selected, c.value])}
          >
            {c.colour && <span className="lp-dot" />}
            {c.label}
          </button>
        );
      })}
    </div>
  );
}

function Legend({ kind, t, locale }: { kind: MapLayerKind; t: MapT; locale: Locale }) {
  const item = (colour: string, label: string) => (
    <span key={label} className="lp-legend-item" style={{ '--c': colour } as CSSProperties}>
      <span className="lp-dot" />
      {label}
    </span>
  );
  switch (kind) {
    case 'grids':
      return <div className="lp-legend">{RISK_HEX.map((h, l) => item(h, translate(locale, `risk.${l as 0 | 1 | 2 | 3 | 4}`)))}</div>;
    case 'cases':
      return (
        <div className="lp-legend">
          {item(rgbaCss(CASE_MARKER_COLOURS.pending), t('legend.pending'))}
          {item(rgbaCss(CASE_MARKER_COLOURS.inProgress), t('legend.inProgress'))}
          {item(rgbaCss(CASE_MARKER_COLOURS.overdue), t('legend.overdue'))}
          {item(rgbaCss(CASE_MARKER_COLOURS.parked), t('legend.parked'))}
        </div>
      );
    case 'cameras':
      return <div className="lp-legend">{CAMERA_STATUSES_ON_MAP.map((s) => item(rgbaCss(CAMERA_STATUS_COLOURS[s]), t(`camera.${s}`)))}</div>;
    case 'sensors':
      return <div className="lp-legend">{SENSOR_STATUSES_ON_MAP.map((s) => item(rgbaCss(SENSOR_STATUS_COLOURS[s]), t(`sensor.${s}`)))}</div>;
    case 'forces':
      return <div className="lp-legend">{STAFF_ROLES.map((r) => item(rgbaCss(STAFF_ROLE_COLOURS[r]), t(`staff.${r}`)))}</div>;
    case 'alarms':
      return <div className="lp-legend">{ALARM_SEVERITIES.map((s) => item(rgbaCss(ALARM_SEVERITY_COLOURS[s]), t(`alarm.${s}`)))}</div>;
    case 'heat':
      return <div className="lp-legend lp-ramp" style={{ background: `linear-gradient(90deg, ${HEAT_RANGE.slice(1).map((c) => rgbaCss([c[0], c[1], c[2], 255])).join(', ')})` }} />;
    default:
      return null;
  }
}

function Filters({ kind, layers, t, locale, patch }: { kind: MapLayerKind; layers: MapLayers; t: MapT; locale: Locale; patch(p: MapLayersPatch): void }) {
  switch (kind) {
    case 'areas':
      return (
        <label className="lp-check">
          <input type="checkbox" checked={layers.areas.labels} onChange={(e) => patch({ areas: { labels: e.currentTarget.checked } })} />
          {t('panel.labels')}
        </label>
      );
    case 'grids':
      return (
        <div className="lp-seg">
          <span>{t('panel.colourBy')}</span>
          {(['model', 'field'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={layers.grids.colourBy === v} onClick={() => patch({ grids: { colourBy: v } })}>
              {t(`panel.colourBy.${v}`)}
            </button>
          ))}
        </div>
      );
    case 'heat':
      return (
        <>
          <div className="lp-seg">
            <span>{t('panel.heat.mode')}</span>
            {(['heat', 'hex'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={layers.heat.mode === v} onClick={() => patch({ heat: { mode: v } })}>
                {t(`panel.heat.${v}`)}
              </button>
            ))}
          </div>
          <div className="lp-seg">
            <span>{t('panel.heat.window')}</span>
            {[24, 72, 168, 720].map((h) => (
              <button key={h} type="button" aria-pressed={layers.heat.windowHours === h} onClick={() => patch({ heat: { windowHours: h } })}>
                {t('panel.heat.hours', { n: h })}
              </button>
            ))}
          </div>
        </>
      );
    case 'cameras':
      return (
        <>
          <Chips testId="filter-camera-status" all={CAMERA_STATUSES_ON_MAP.map((s) => ({ value: s, label: t(`camera.${s}`), colour: rgbaCss(CAMERA_STATUS_COLOURS[s]) }))} selected={layers.cameras.statuses} onChange={(v) => patch({ cameras: { statuses: v as MapLayers['cameras']['statuses'] } })} />
          <label className="lp-check">
            <input type="checkbox" checked={layers.cameras.fov} onChange={(e) => patch({ cameras: { fov: e.currentTarget.checked } })} />
            {t('panel.fov')}
          </label>
        </>
      );
    case 'sensors':
      return (
        <>
          <Chips testId="filter-sensor-type" all={SENSOR_TYPES.map((s) => ({ value: s, label: t(`sensorType.${s}`) }))} selected={layers.sensors.types} onChange={(v) => patch({ sensors: { types: v as MapLayers['sensors']['types'] } })} />
          <Chips testId="filter-sensor-status" all={SENSOR_STATUSES_ON_MAP.map((s) => ({ value: s, label: t(`sensor.${s}`), colour: rgbaCss(SENSOR_STATUS_COLOURS[s]) }))} selected={layers.sensors.statuses} onChange={(v) => patch({ sensors: { statuses: v as MapLayers['sensors']['statuses'] } })} />
        </>
      );
    case 'forces':
      return (
        <>
          <Chips testId="filter-roles" all={STAFF_ROLES.map((r) => ({ value: r, label: t(`staff.${r}`), colour: rgbaCss(STAFF_ROLE_COLOURS[r]) }))} selected={layers.forces.roles} onChange={(v) => patch({ forces: { roles: v as MapLayers['forces']['roles'] } })} />
          <label className="lp-check">
            <input type="checkbox" checked={layers.forces.trails} onChange={(e) => patch({ forces: { trails: e.currentTarget.checked } })} />
            {t('panel.trails')}
          </label>
        </>
      );
    case 'alarms':
      return <Chips testId="filter-severity" all={ALARM_SEVERITIES.map((s) => ({ value: s, label: t(`alarm.${s}`), colour: rgbaCss(ALARM_SEVERITY_COLOURS[s]) }))} selected={layers.alarms.severities} onChange={(v) => patch({ alarms: { severities: v as MapLayers['alarms']['severities'] } })} />;
    case 'cases':
      return (
        <>
          <div className="lp-seg">
            {(['open', 'all'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={layers.cases.scope === v} onClick={() => patch({ cases: { scope: v } })}>
                {t(`panel.scope.${v}`)}
              </button>
            ))}
            <label className="lp-check">
              <input type="checkbox" checked={layers.cases.cluster} onChange={(e) => patch({ cases: { cluster: e.currentTarget.checked } })} />
              {t('panel.cluster')}
            </label>
          </div>
          <Chips testId="filter-urgency" all={URGENCIES.map((u) => ({ value: u, label: translate(locale, `urgency.${u}`) }))} selected={layers.cases.urgencies} onChange={(v) => patch({ cases: { urgencies: v as MapLayers['cases']['urgencies'] } })} />
          <Chips testId="filter-class" all={CATEGORY_CLASSES.map((c) => ({ value: c.code, label: classLabel(locale, c.code) }))} selected={layers.cases.classCodes} onChange={(v) => patch({ cases: { classCodes: v } })} />
        </>
      );
    default:
      return null;
  }
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="lp-section" data-testid={testId}>
      <h3 className="lp-h">{title}</h3>
      {children}
    </section>
  );
}

function BasemapSection({ t, actor }: { t: MapT; actor: string }) {
  const api = useApi();
  const status = useApiQuery('map.basemap.get', {}, { refreshOn: ['map.basemap'], debounceMs: 100 });
  const files = useApiQuery('map.basemap.files', {}, { refreshOn: ['map.basemap'] });
  const [path, setPath] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = (setting: BasemapSetting): void => {
    setError(null);
    void api.call('map.basemap.set', { setting, actor }).then((r) => {
      if (!r.ok) setError(r.error.message);
      status.refresh();
    });
  };
  const s = status.data;
  return (
    <Section title={t('panel.basemap')} testId="lp-basemap">
      {s && (
        <div className="lp-status" data-ok={s.ok ? '1' : '0'}>
          {s.ok ? t('panel.basemap.ok', { name: s.source?.name ?? t('panel.basemap.bundled') }) : t('basemap.fallback', { message: s.message ?? '' })}
        </div>
      )}
      <button type="button" className="lp-button" onClick={() => apply({ kind: 'bundled' })}>
        {t('panel.basemap.bundled')}
      </button>
      <div className="lp-field">
        <span>{t('panel.basemap.file')}</span>
        <input list="lp-basemap-files" value={path} placeholder={files.data?.dir ?? ''} onChange={(e) => setPath(e.currentTarget.value)} />
        <datalist id="lp-basemap-files">
          {(files.data?.files ?? []).map((f) => (
            <option key={f.path} value={f.path}>
              {f.name}
            </option>
          ))}
        </datalist>
        <button type="button" className="lp-button" disabled={path.trim() === ''} onClick={() => apply({ kind: 'file', path: path.trim() })}>
          {t('panel.basemap.apply')}
        </button>
      </div>
      <div className="lp-field">
        <span>{t('panel.basemap.url')}</span>
        <input value={url} placeholder="http://10.0.0.1/tiles/{z}/{x}/{y}.png" onChange={(e) => setUrl(e.currentTarget.value)} />
        <button type="button" className="lp-button" disabled={url.trim() === ''} onClick={() => apply({ kind: 'url', url: url.trim(), type: 'raster', tileSize: 256, minzoom: 0, maxzoom: 18, attribution: '' })}>
          {t('panel.basemap.apply')}
        </button>
      </div>
      {error && <div className="lp-error">{t('panel.error', { message: error })}</div>}
    </Section>
  );
}

export function LayerPanel({ actor = 'console' }: LayerPanelProps) {
  const { locale } = useI18n();
  const t = useMemo(() => mapT(locale), [locale]);
  const api = useApi();
  const { env, update, error } = useMapState(actor);
  const views = useApiQuery('map.views.list', {}, { refreshOn: ['map.views'], debounceMs: 100 });
  const area = useApiQuery('areas.get', { id: env?.state.areaId ?? '-' }, { enabled: Boolean(env?.state.areaId) });
  const [viewName, setViewName] = useState('');
  const [note, setNote] = useState<string | null>(null);
  useEvent('map.state', () => setNote(null));
  if (!env) return <div className="layer-panel lp-loading">{error ?? t('card.loading')}</div>;
  const { state } = env;
  const patch = (p: MapLayersPatch): void => {
    void update({ layers: p });
  };
  const onSearch = (hit: SearchHit): void => {
    if (hit.kind === 'area') void update({ areaId: hit.id, flyTo: { areaId: hit.id } });
    else void update({ flyTo: { centre: [hit.lon, hit.lat], zoom: 16.5 } });
  };
  const areaName = state.areaId ? (area.data?.area.name ?? state.areaId) : t('crumb.city');
  return (
    <div className="layer-panel" data-testid="layer-panel" data-version={env.version}>
      <header className="lp-head">
        <h2>{t('panel.title')}</h2>
        <span className="lp-area" data-testid="lp-area">
          {t('panel.area', { name: areaName })}
          {state.areaId && (
            <button type="button" className="lp-link" onClick={() => void update({ areaId: null })}>
              {t('crumb.city')}
            </button>
          )}
        </span>
      </header>
      <Section title={t('panel.search')}>
        <SearchBox t={t} onPick={onSearch} />
      </Section>
      <Section title={t('panel.time')} testId="lp-time">
        <TimeControl time={state.time} t={t} onChange={(time) => void update({ time })} />
      </Section>
      <Section title={t('panel.layers')} testId="lp-layers">
        {[...MAP_LAYER_KINDS].reverse().map((kind) => {
          const l = state.layers[kind];
          return (
            <div key={kind} className="lp-layer" data-layer={kind} data-visible={l.visible ? '1' : '0'}>
              <div className="lp-layer-head">
                <label className="lp-check lp-name">
                  <input type="checkbox" data-testid={`toggle-${kind}`} checked={l.visible} onChange={(e) => patch({ [kind]: { visible: e.currentTarget.checked } } as MapLayersPatch)} />
                  {t(`layer.${kind}`)}
                </label>
                <input
                  type="range"
                  className="lp-opacity"
                  min={0}
                  max={100}
                  step={5}
                  value={Math.round(l.opacity * 100)}
                  aria-label={t('panel.opacity')}
                  title={`${t('panel.opacity')} ${Math.round(l.opacity * 100)}%`}
                  onChange={(e) => patch({ [kind]: { opacity: Number(e.currentTarget.value) / 100 } } as MapLayersPatch)}
                />
              </div>
              {l.visible && (
                <div className="lp-layer-body">
                  <Legend kind={kind} t={t} locale={locale} />
                  <Filters kind={kind} layers={state.layers} t={t} locale={locale} patch={patch} />
                </div>
              )}
            </div>
          );
        })}
      </Section>
      <Section title={t('panel.views')} testId="lp-views">
        <div className="lp-field">
          <input value={viewName} placeholder={t('panel.views.name')} onChange={(e) => setViewName(e.currentTarget.value)} />
          <button
            type="button"
            className="lp-button"
            disabled={viewName.trim() === ''}
            onClick={() =>
              void api.call('map.views.save', { name: viewName.trim(), areaId: state.areaId, layers: state.layers, actor }).then((r) => {
                setNote(r.ok ? t('map.savedAs', { name: r.value.name }) : t('panel.error', { message: r.error.message }));
                if (r.ok) setViewName('');
              })
            }
          >
            {t('panel.views.save')}
          </button>
        </div>
        {note && <div className="lp-note">{note}</div>}
        <ul className="lp-views">
          {(views.data ?? []).length === 0 && <li className="lp-note">{t('panel.views.none')}</li>}
          {(views.data ?? []).map((v) => (
            <li key={v.id}>
              <span className="lp-view-name">{v.name}</span>
              <button type="button" className="lp-link" onClick={() => void update({ layers: v.layers, areaId: v.areaId, flyTo: { centre: v.centre, zoom: v.zoom, areaId: v.areaId, viewId: v.id } })}>
                {t('panel.views.show')}
              </button>
              <button type="button" className="lp-link danger" onClick={() => void api.call('map.views.delete', { id: v.id, actor })}>
                {t('panel.views.delete')}
              </button>
            </li>
          ))}
        </ul>
        <div className="lp-seg">
          <label className="lp-check">
            <input type="checkbox" checked={state.rotation.enabled} onChange={(e) => void update({ rotation: { enabled: e.currentTarget.checked } })} />
            {t('panel.rotation')}
          </label>
          {[30, 60, 120, 300].map((s) => (
            <button key={s} type="button" aria-pressed={state.rotation.intervalS === s} onClick={() => void update({ rotation: { intervalS: s } })}>
              {t('panel.rotation.every', { n: s })}
            </button>
          ))}
        </div>
      </Section>
      <BasemapSection t={t} actor={actor} />
    </div>
  );
}
