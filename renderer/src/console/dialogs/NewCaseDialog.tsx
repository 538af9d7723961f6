/**
 * 新建案件: source, category (class → subcategory from categories.list), the point (clicked on the
 * small map or typed), address, urgency, description and reporter; optionally settled on the spot
 * (当场解决: registered and closed in one recorded step). After cases.create it shows the
 * duplicates the core flagged (same category, ≤ 50 m, ≤ 2 h) with a merge button each.
 */
import { useMemo, useState } from 'react';
import type { ApiError, MethodOutput } from '../../../../shared/api';
import type { CaseCreateInput } from '../../../../shared/api/workflow';
import { CASE_SOURCES, URGENCIES, type CaseSource, type Urgency } from '../../../../shared/domain/model';
import type { WorkflowRole } from '../../../../shared/domain/workflow';
import { useApi } from '../../api/ApiContext';
import { useApiQuery } from '../../api/useApiQuery';
import { useI18n } from '../../i18n/I18nProvider';
import { formatShort } from '../../time/format';
import { errorText } from '../labels';
import { PointPicker } from '../PointPicker';
import { Dialog, Field } from './Dialog';

type Created = MethodOutput<'cases.create'>;

export interface NewCaseDialogProps {
  /** Who records the case (null: the seat has no name yet, and the dialog says so). */
  actor: string | null;
  role: WorkflowRole;
  onCreated(caseId: string): void;
  onClose(): void;
}

const parseCoord = (s: string): number | null => {
  const v = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(v) ? v : null;
};

export function NewCaseDialog({ actor, role, onCreated, onClose }: NewCaseDialogProps) {
  const { t, locale } = useI18n();
  const api = useApi();
  const catalogue = useApiQuery('categories.list', {});
  const [source, setSource] = useState<CaseSource>('hotline');
  const [classCode, setClassCode] = useState('');
  const [categoryCode, setCategoryCode] = useState('');
  const [lonText, setLonText] = useState('');
  const [latText, setLatText] = useState('');
  const [townId, setTownId] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [reporterName, setReporterName] = useState('');
  const [reporterPhone, setReporterPhone] = useState('');
  const [settle, setSettle] = useState(false);
  const [settleNote, setSettleNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [merged, setMerged] = useState<string | null>(null);

  const lon = parseCoord(lonText);
  const lat = parseCoord(latText);
  const point: [number, number] | null = lon !== null && lat !== null && Math.abs(lon) <= 180 && Math.abs(lat) <= 90 ? [lon, lat] : null;
  const located = useApiQuery('areas.locate', { lon: point?.[0] ?? 0, lat: point?.[1] ?? 0 }, { enabled: point !== null });

  const classes = catalogue.data?.classes ?? [];
  const categories = useMemo(() => (catalogue.data?.categories ?? []).filter((c) => c.classCode === classCode), [catalogue.data, classCode]);
  const category = catalogue.data?.categories.find((c) => c.code === categoryCode) ?? null;
  const chain = located.data?.chain ?? [];
  const grid = chain.find((a) => a.level === 'grid') ?? null;

  const valid = actor !== null && category !== null && point !== null && (!settle || settleNote.trim().length >= 2);

  const create = async (): Promise<void> => {
    if (!valid || !point || !category || actor === null) return;
    setBusy(true);
    setError(null);
    const input: CaseCreateInput = {
      source,
      categoryCode: category.code,
      lon: point[0],
      lat: point[1],
      urgency,
      description: description.trim(),
      address: address.trim(),
      actor,
      role,
    };
    if (title.trim()) input.title = title.trim();
    if (reporterName.trim() || reporterPhone.trim()) {
      input.reporter = {};
      if (reporterName.trim()) input.reporter.name = reporterName.trim();
      if (reporterPhone.trim()) input.reporter.phone = reporterPhone.trim();
    }
    const r = await api.call('cases.create', input);
    if (!r.ok) {
      setBusy(false);
      setError(errorText(r.error, t));
      return;
    }
    let result = r.value;
    if (settle) {
      const s = await api.call('cases.act', { id: result.case.id, version: result.workflow.version, action: 'settle_on_spot', actor, role, note: settleNote.trim() });
      if (s.ok) result = { ...result, case: s.value.case, workflow: s.value.workflow };
      else setError(t('newCase.settleFailed', { message: errorText(s.error, t) }));
    }
    setBusy(false);
    setCreated(result);
    onCreated(result.case.id);
    if (result.duplicates.length === 0 && !settle) onClose();
  };

  const merge = async (targetId: string): Promise<void> => {
    if (!created || actor === null) return;
    setBusy(true);
    const r = await api.call('cases.merge', { sourceId: created.case.id, targetId, version: created.case.version, actor, role, note: t('duplicates.mergeNote') });
    setBusy(false);
    if (!r.ok) {
      setError(errorText(r.error, t));
      return;
    }
    setMerged(targetId);
    onCreated(targetId);
  };

  if (created) {
    return (
      <Dialog title={t('newCase.created', { code: created.case.code })} testId="dialog-new-case" onCancel={onClose} onConfirm={onClose} confirmLabel={t('dialog.close')} error={error} wide hideCancel>
        <p className="dlg-note-block" data-testid="new-case-result" data-case-id={created.case.id} data-state={created.case.state}>
          {t('newCase.createdState', { state: t(`state.${created.case.state}`), grid: grid?.name ?? t('detail.none') })}
        </p>
        {created.duplicates.length > 0 && (
          <div className="dup-warning" data-testid="new-case-duplicates">
            <h3>{t('duplicates.warning', { n: created.duplicates.length })}</h3>
            <ul className="dup-list">
              {created.duplicates.map((d) => (
                <li key={d.id} className={`dup-item${d.id === created.proposedMergeTarget ? ' proposed' : ''}`} data-case-id={d.id}>
                  <span className="dup-code">{d.code}</span>
                  <span className="dup-title">{d.title}</span>
                  <span className="dup-meta">{t('duplicates.meta', { m: Math.round(d.distanceM), min: Math.round(d.minutesApart), state: t(`state.${d.state}`), at: formatShort(d.reportedAt) })}</span>
                  {merged === d.id ? (
                    <span className="dup-done">{t('duplicates.merged')}</span>
                  ) : (
                    <button type="button" className="btn btn-small" disabled={busy || merged !== null} onClick={() => void merge(d.id)} data-action="merge">
                      {d.id === created.proposedMergeTarget ? `★ ${t('duplicates.mergeInto')}` : t('duplicates.mergeInto')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Dialog>
    );
  }

  return (
    <Dialog
      title={t('newCase.title')}
      testId="dialog-new-case"
      onCancel={onClose}
      onConfirm={() => void create()}
      confirmLabel={settle ? t('newCase.createSettle') : t('newCase.create')}
      confirmDisabled={!valid}
      busy={busy}
      error={error ?? (actor === null ? t('seat.nameRequired') : null)}
      wide
    >
      <div className="newcase">
        <div className="newcase-form">
          <div className="dlg-row">
            <Field label={t('newCase.source')}>
              <select value={source} data-testid="new-case-source" onChange={(e) => setSource(CASE_SOURCES.find((s) => s === e.target.value) ?? 'hotline')}>
                {CASE_SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {t(`source.${s}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('newCase.urgency')}>
              <div className="seg" role="radiogroup">
                {URGENCIES.map((u) => (
                  <button key={u} type="button" role="radio" className={`seg-btn urg-${u}`} aria-checked={urgency === u} onClick={() => setUrgency(u)}>
                    {t(`urgency.${u}`)}
                  </button>
                ))}
              </div>
            </Field>
          </div>
          <div className="dlg-row">
            <Field label={t('newCase.class')}>
              <select
                value={classCode}
                data-testid="new-case-class"
                onChange={(e) => {
                  setClassCode(e.target.value);
                  setCategoryCode('');
                }}
              >
                <option value="">{t('dispatch.choose')}</option>
                {classes.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.code} {locale === 'en' ? c.nameEn : c.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('newCase.category')}>
              <select value={categoryCode} data-testid="new-case-category" disabled={classCode === ''} onChange={(e) => setCategoryCode(e.target.value)}>
                <option value="">{t('dispatch.choose')}</option>
                {categories.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.code} {locale === 'en' ? c.nameEn : c.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {category && (
            <p className="dlg-note-block" data-testid="new-case-category-info">
              {t('newCase.categoryInfo', { limit: t(`limit.value.${category.limit.unit}`, { n: category.limit.value }), filing: category.filing })}
            </p>
          )}
          <div className="dlg-row">
            <Field label={t('newCase.lon')}>
              <input type="text" inputMode="decimal" value={lonText} data-testid="new-case-lon" onChange={(e) => setLonText(e.target.value)} placeholder="120.1234" />
            </Field>
            <Field label={t('newCase.lat')}>
              <input type="text" inputMode="decimal" value={latText} data-testid="new-case-lat" onChange={(e) => setLatText(e.target.value)} placeholder="30.2567" />
            </Field>
          </div>
          <p className={`dlg-note-block${point && !grid && located.data ? ' warn' : ''}`} data-testid="new-case-grid">
            {point === null ? t('newCase.noPoint') : grid ? chain.map((a) => a.name).join(' › ') : located.data ? t('newCase.outside') : t('panel.loading')}
          </p>
          <Field label={t('newCase.address')} wide>
            <input type="text" maxLength={300} value={address} data-testid="new-case-address" onChange={(e) => setAddress(e.target.value)} />
          </Field>
          <Field label={t('newCase.caseTitle')} hint={t('newCase.titleHint')} wide>
            <input type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field label={t('newCase.description')} wide>
            <textarea rows={3} maxLength={4000} value={description} data-testid="new-case-description" onChange={(e) => setDescription(e.target.value)} />
          </Field>
          <div className="dlg-row">
            <Field label={t('newCase.reporterName')}>
              <input type="text" maxLength={60} value={reporterName} onChange={(e) => setReporterName(e.target.value)} />
            </Field>
            <Field label={t('newCase.reporterPhone')}>
              <input type="tel" maxLength={40} value={reporterPhone} onChange={(e) => setReporterPhone(e.target.value)} />
            </Field>
          </div>
          <label className="toggle">
            <input type="checkbox" checked={settle} data-testid="new-case-settle" onChange={(e) => setSettle(e.target.checked)} />
            <span>{t('newCase.settle')}</span>
          </label>
          {settle && (
            <Field label={t('dialog.note.settle_on_spot')} wide>
              <textarea rows={2} maxLength={2000} value={settleNote} onChange={(e) => setSettleNote(e.target.value)} />
            </Field>
          )}
        </div>
        <PointPicker
          point={point}
          townId={townId}
          onTown={setTownId}
          onPick={(x, y) => {
            setLonText(x.toFixed(6));
            setLatText(y.toFixed(6));
          }}
        />
      </div>
    </Dialog>
  );
}
