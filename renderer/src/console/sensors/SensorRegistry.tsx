/**
 * 设备台账 (console tab): the IoT sensor registry. A virtualised list (filter by area, type and
 * text), an editor (sensors.upsert with the version seen, so a concurrent edit is refused, not
 * overwritten) showing the type's default thresholds, and an import from CSV or GeoJSON with a
 * dry run that lists every bad row; a real import is atomic (nothing stored when a row is bad).
 */
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import type { ApiError, MethodOutput } from '../../../../shared/api';
import type { SensorDetail } from '../../../../shared/api/monitoring';
import { SENSOR_TYPES, type Sensor, type SensorType } from '../../../../shared/domain/model';
import { THRESHOLD_DIRECTIONS } from '../../../../shared/domain/monitoring';
import { useApi } from '../../api/ApiContext';
import { useApiQuery } from '../../api/useApiQuery';
import { areaLabel, departmentLabel, useReference } from '../../data/reference';
import { useI18n } from '../../i18n/I18nProvider';
import { SEVERITY_COLOURS } from '../../monitoring';
import { formatShort } from '../../time/format';
import { Field } from '../dialogs/Dialog';
import { errorText } from '../labels';
import { VirtualList } from '../VirtualList';
import { EMPTY_SENSOR_FORM, formFromSensor, toSensorInput, type FormErrors, type SensorForm } from './form';

const ROW = 34;
const STATUS_COLOURS = { normal: '#34d399', warning: SEVERITY_COLOURS.warning, alarm: SEVERITY_COLOURS.critical, offline: '#7b8794' } as const;

export function SensorRegistry() {
  const { t, locale } = useI18n();
  const reference = useReference();
  const [areaId, setAreaId] = useState('');
  const [type, setType] = useState<SensorType | ''>('');
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useApiQuery('sensors.list', areaId ? { areaId, limit: 50_000 } : { limit: 50_000 });
  const typeRules = useApiQuery('sensors.typeRules', {});

  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (list.data ?? []).filter((s) => (type === '' || s.type === type) && (q === '' || s.id.toLowerCase().includes(q) || s.name.toLowerCase().includes(q)));
  }, [list.data, type, text]);
  const selectedIndex = selected ? rows.findIndex((s) => s.id === selected) : -1;

  return (
    <div className="sensors-view">
      <section className="panel-box sensors-list" data-testid="sensor-list">
        <header className="box-bar">
          <span>{t('sensors.title')}</span>
          <span className="box-count">{t('sensors.count', { n: rows.length })}</span>
          <button
            type="button"
            className="btn btn-small"
            data-testid="sensor-new"
            onClick={() => {
              setSelected(null);
              setCreating(true);
            }}
          >
            {t('sensors.new')}
          </button>
        </header>
        <div className="sensors-filters">
          <input type="search" placeholder={t('sensors.search')} value={text} maxLength={80} onChange={(e) => setText(e.target.value)} data-testid="sensor-search" />
          <select value={type} onChange={(e) => setType(SENSOR_TYPES.find((x) => x === e.target.value) ?? '')}>
            <option value="">{t('sensors.allTypes')}</option>
            {SENSOR_TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`sensorType.${x}`)}
              </option>
            ))}
          </select>
          <select value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            <option value="">{t('console.filter.all')}</option>
            {reference.districts.map((d) => (
              <option key={d.id} value={d.id}>
                {areaLabel(d, locale)}
              </option>
            ))}
            {reference.towns.map((x) => (
              <option key={x.id} value={x.id}>
                {'　'}
                {areaLabel(x, locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="sensor-row sensor-head">
          <span>{t('sensors.col.id')}</span>
          <span>{t('sensors.col.name')}</span>
          <span>{t('sensors.col.type')}</span>
          <span>{t('sensors.col.value')}</span>
          <span>{t('sensors.col.status')}</span>
        </div>
        {list.data === null ? (
          <div className="box-empty">{t('panel.loading')}</div>
        ) : (
          <VirtualList
            testId="sensor-rows"
            rowCount={rows.length}
            rowHeight={ROW}
            resetKey={`${areaId}|${type}|${text}`}
            selectedIndex={selectedIndex >= 0 ? selectedIndex : null}
            onSelectIndex={(i) => {
              const s = rows[i];
              if (s) {
                setCreating(false);
                setSelected(s.id);
              }
            }}
            renderRow={(i) => {
              const s = rows[i];
              return s ? (
                <SensorRow
                  s={s}
                  on={s.id === selected}
                  onClick={() => {
                    setCreating(false);
                    setSelected(s.id);
                  }}
                />
              ) : null;
            }}
          />
        )}
      </section>
      <section className="panel-box sensors-edit">
        <header className="box-bar">
          <span>{creating ? t('sensors.new') : t('sensors.edit')}</span>
        </header>
        <div className="box-scroll">
          {creating || selected ? (
            <SensorEditor
              key={creating ? 'new' : selected}
              sensorId={creating ? null : selected}
              typeRules={typeRules.data ?? []}
              onSaved={(id) => {
                setCreating(false);
                setSelected(id);
                list.refresh();
              }}
            />
          ) : (
            <div className="box-empty">{t('sensors.pick')}</div>
          )}
        </div>
      </section>
      <section className="panel-box sensors-import">
        <header className="box-bar">
          <span>{t('sensors.import.title')}</span>
        </header>
        <div className="box-scroll">
          <SensorImport onImported={() => list.refresh()} />
        </div>
      </section>
    </div>
  );
}

function SensorRow({ s, on, onClick }: { s: Sensor; on: boolean; onClick(): void }) {
  const { t } = useI18n();
  return (
    <div className={`sensor-row${on ? ' on' : ''}`} data-sensor-id={s.id} onClick={onClick}>
      <span className="case-code">{s.id}</span>
      <span className="sensor-name">{s.name}</span>
      <span>{t(`sensorType.${s.type}`)}</span>
      <span className="sensor-value">
        {s.lastValue === null ? '—' : `${s.lastValue} ${s.unit}`}
        {s.lastAt && <small> · {formatShort(s.lastAt)}</small>}
      </span>
      <span className="sensor-status" style={{ '--c': STATUS_COLOURS[s.status] } as CSSProperties}>
        {t(`sensorStatus.${s.status}`)}
      </span>
    </div>
  );
}

type TypeRules = MethodOutput<'sensors.typeRules'>;

function SensorEditor({ sensorId, typeRules, onSaved }: { sensorId: string | null; typeRules: TypeRules; onSaved(id: string): void }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const reference = useReference();
  const [loaded, setLoaded] = useState<SensorDetail | null>(null);
  const [form, setForm] = useState<SensorForm>(EMPTY_SENSOR_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (sensorId === null) return undefined;
    let live = true;
    void api.call('sensors.get', { id: sensorId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setLoaded(r.value);
        setForm(formFromSensor(r.value));
      } else setResult({ tone: 'error', text: errorText(r.error, t) });
    });
    return () => {
      live = false;
    };
  }, [api, sensorId, t]);

  const rules = typeRules.find((r) => r.type === form.type) ?? null;
  const set = (patch: Partial<SensorForm>): void => setForm((f) => ({ ...f, ...patch }));
  const save = async (): Promise<void> => {
    const out = toSensorInput(form, loaded?.thresholds ?? {});
    if (!out.input) {
      setErrors(out.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const r = await api.call('sensors.upsert', loaded ? { ...out.input, expectedVersion: loaded.version } : out.input);
    setBusy(false);
    if (!r.ok) {
      setResult({ tone: 'error', text: errorText(r.error, t) });
      return;
    }
    setLoaded(r.value.sensor);
    setForm(formFromSensor(r.value.sensor));
    setResult({ tone: 'ok', text: t(r.value.created ? 'sensors.created' : 'sensors.saved', { id: r.value.sensor.id, v: r.value.sensor.version }) });
    onSaved(r.value.sensor.id);
  };

  if (sensorId !== null && loaded === null) return <div className="box-empty">{result?.text ?? t('panel.loading')}</div>;
  const err = (k: keyof SensorForm) => (errors[k] ? <span className="field-error">{t(errors[k])}</span> : null);
  return (
    <form
      className="sensor-form"
      data-testid="sensor-form"
      data-sensor-id={loaded?.id ?? ''}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <div className="dlg-row">
        <Field label={t('sensors.col.id')}>
          <input type="text" value={form.id} readOnly={loaded !== null} maxLength={80} data-testid="sensor-id" onChange={(e) => set({ id: e.target.value })} />
          {err('id')}
        </Field>
        <Field label={t('sensors.col.type')}>
          <select value={form.type} disabled={loaded !== null} onChange={(e) => set({ type: SENSOR_TYPES.find((x) => x === e.target.value) ?? form.type })}>
            {SENSOR_TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`sensorType.${x}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label={t('sensors.col.name')} wide>
        <input type="text" value={form.name} maxLength={120} data-testid="sensor-name" onChange={(e) => set({ name: e.target.value })} />
        {err('name')}
      </Field>
      <div className="dlg-row">
        <Field label={t('newCase.lon')}>
          <input type="text" inputMode="decimal" value={form.lon} onChange={(e) => set({ lon: e.target.value })} />
          {err('lon')}
        </Field>
        <Field label={t('newCase.lat')}>
          <input type="text" inputMode="decimal" value={form.lat} onChange={(e) => set({ lat: e.target.value })} />
          {err('lat')}
        </Field>
      </div>
      <div className="dlg-row">
        <Field label={t('sensors.department')}>
          <select value={form.departmentId} onChange={(e) => set({ departmentId: e.target.value })}>
            <option value="">{t('detail.none')}</option>
            {[...reference.departmentById.values()].map((d) => (
              <option key={d.id} value={d.id}>
                {departmentLabel(d, locale)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('sensors.interval')}>
          <input type="number" min={1} value={form.intervalS} onChange={(e) => set({ intervalS: e.target.value })} />
          {err('intervalS')}
        </Field>
        <Field label={t('sensors.unit')}>
          <input type="text" value={form.unit} maxLength={20} placeholder={rules?.unit ?? ''} onChange={(e) => set({ unit: e.target.value })} />
        </Field>
      </div>
      {loaded && (
        <p className="dlg-note-block">
          {t('sensors.gridDept', { grid: loaded.gridName ?? t('detail.none'), version: loaded.version, at: formatShort(loaded.updatedAt) })}
        </p>
      )}

      <fieldset className="sensor-ladder">
        <legend>{t('sensors.thresholds')}</legend>
        <label className="toggle">
          <input type="checkbox" checked={form.ownLadder} data-testid="sensor-own-ladder" onChange={(e) => set({ ownLadder: e.target.checked })} />
          <span>{t('sensors.ownLadder')}</span>
        </label>
        {rules && (
          <p className="dlg-note-block">
            {t('sensors.typeDefault', {
              type: t(`sensorType.${rules.type}`),
              dir: t(`sensors.dir.${rules.effective.dir}`),
              warn: rules.effective.warn ?? '—',
              alarm: rules.effective.alarm ?? '—',
              critical: rules.effective.critical ?? '—',
              unit: rules.unit,
            })}
          </p>
        )}
        <div className="dlg-row">
          <Field label={t('sensors.dir')}>
            <select value={form.dir} disabled={!form.ownLadder} onChange={(e) => set({ dir: THRESHOLD_DIRECTIONS.find((x) => x === e.target.value) ?? 'above' })}>
              {THRESHOLD_DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`sensors.dir.${d}`)}
                </option>
              ))}
            </select>
          </Field>
          {(['warn', 'alarm', 'critical'] as const).map((k) => (
            <Field key={k} label={t(`sensors.level.${k}`)}>
              <input type="text" inputMode="decimal" value={form[k]} disabled={!form.ownLadder} data-testid={`sensor-${k}`} onChange={(e) => set({ [k]: e.target.value })} />
              {err(k)}
            </Field>
          ))}
          <Field label={t('sensors.hysteresis')}>
            <input type="text" inputMode="decimal" value={form.hysteresis} placeholder={rules ? String(rules.effective.hysteresis) : ''} onChange={(e) => set({ hysteresis: e.target.value })} />
            {err('hysteresis')}
          </Field>
        </div>
      </fieldset>

      {result && (
        <div className={`action-msg ${result.tone}`} role={result.tone === 'error' ? 'alert' : 'status'} data-testid="sensor-result">
          {result.text}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sensor-save">
          {busy ? t('dialog.working') : t('sensors.save')}
        </button>
      </div>
    </form>
  );
}

type ImportResult = MethodOutput<'sensors.import'>;

function SensorImport({ onImported }: { onImported(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [format, setFormat] = useState<'csv' | 'geojson'>('csv');
  const [textIn, setTextIn] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<(ImportResult & { dry: boolean }) | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const run = async (dryRun: boolean): Promise<void> => {
    if (textIn.trim() === '') return;
    setBusy(true);
    setError(null);
    const r = await api.call('sensors.import', { format, text: textIn, dryRun, atomic: true });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      setResult(null);
      return;
    }
    setResult({ ...r.value, dry: dryRun });
    if (!dryRun && r.value.stored) onImported();
  };

  return (
    <div className="sensor-import" data-testid="sensor-import">
      <div className="seg" role="radiogroup">
        {(['csv', 'geojson'] as const).map((f) => (
          <button key={f} type="button" role="radio" className="seg-btn" aria-checked={format === f} onClick={() => setFormat(f)}>
            {f === 'csv' ? 'CSV' : 'GeoJSON'}
          </button>
        ))}
      </div>
      <p className="dlg-note-block">{format === 'csv' ? t('sensors.import.csvHint') : t('sensors.import.geojsonHint')}</p>
      <label className="btn btn-small file-btn">
        {t('sensors.import.file')}
        <input
          type="file"
          accept={format === 'csv' ? '.csv,text/csv' : '.geojson,.json,application/geo+json,application/json'}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            if (/\.(geo)?json$/i.test(file.name)) setFormat('geojson');
            else if (/\.csv$/i.test(file.name)) setFormat('csv');
            void file.text().then(setTextIn);
          }}
        />
      </label>
      <textarea rows={10} value={textIn} spellCheck={false} data-testid="sensor-import-text" placeholder={format === 'csv' ? 'id,name,type,unit,lon,lat,department,grid,interval_s,warn,alarm,critical,dir' : '{"type":"FeatureCollection","features":[…]}'} onChange={(e) => setTextIn(e.target.value)} />
      <div className="form-actions">
        <button type="button" className="btn" disabled={busy || textIn.trim() === ''} data-testid="sensor-import-dry" onClick={() => void run(true)}>
          {t('sensors.import.dry')}
        </button>
        <button type="button" className="btn btn-primary" disabled={busy || textIn.trim() === '' || (result !== null && result.dry && result.errors.length > 0)} data-testid="sensor-import-run" onClick={() => void run(false)}>
          {t('sensors.import.run')}
        </button>
      </div>
      {error && (
        <div className="action-msg error" role="alert">
          {errorText(error, t)}
        </div>
      )}
      {result && (
        <div className="import-result" data-testid="sensor-import-result" data-errors={result.errors.length} data-stored={result.stored ? '1' : '0'}>
          <p className={`action-msg ${result.errors.length > 0 ? 'error' : 'ok'}`}>
            {result.dry
              ? t('sensors.import.dryResult', { rows: result.rows, created: result.created, updated: result.updated, errors: result.errors.length })
              : result.stored
                ? t('sensors.import.stored', { created: result.created, updated: result.updated })
                : t('sensors.import.notStored', { errors: result.errors.length })}
          </p>
          {result.errors.length > 0 && (
            <table className="import-errors">
              <thead>
                <tr>
                  <th>{t('sensors.import.row')}</th>
                  <th>{t('sensors.col.id')}</th>
                  <th>{t('sensors.import.message')}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.slice(0, 500).map((e, i) => (
                  <tr key={`${e.row}-${i}`} data-row={e.row}>
                    <td>{e.row}</td>
                    <td>{e.id ?? '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
