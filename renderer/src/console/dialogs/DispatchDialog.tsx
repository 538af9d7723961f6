/**
 * 派遣: the routing proposal (cases.proposeAssignee) — the category's department, the grid's
 * responsible unit, the unit proposed and why, the grid's workers and the nearest on-duty field
 * staff by last known position — preselected; the operator confirms or overrides any of it.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiError, MethodOutput } from '../../../../shared/api';
import type { Staff } from '../../../../shared/domain/model';
import { useApiQuery } from '../../api/useApiQuery';
import { departmentLabel, useReference } from '../../data/reference';
import { useI18n } from '../../i18n/I18nProvider';
import type { ActionFieldsInput } from '../actions';
import { errorText } from '../labels';
import { Dialog, Field } from './Dialog';

type Proposal = MethodOutput<'cases.proposeAssignee'>;
type ProposedStaff = Proposal['nearestStaff'][number];

export interface DispatchDialogProps {
  caseId: string;
  caseCode: string;
  busy: boolean;
  error: ApiError | null;
  onSubmit(input: Extract<ActionFieldsInput, { kind: 'dispatch' }>): void;
  onCancel(): void;
}

/** The person to preselect: on-duty staff of the proposed unit nearest first, else the grid's worker. */
export function preselectAssignee(p: Proposal): string | null {
  const unitId = p.unit?.id ?? null;
  const ofUnit = p.nearestStaff.find((s) => s.onDuty && s.unitId === unitId);
  if (ofUnit) return ofUnit.id;
  const worker = p.gridWorkers.find((s) => s.onDuty) ?? p.gridWorkers[0];
  return worker?.id ?? null;
}

export function DispatchDialog({ caseId, caseCode, busy, error, onSubmit, onCancel }: DispatchDialogProps) {
  const { t, locale } = useI18n();
  const reference = useReference();
  const proposal = useApiQuery('cases.proposeAssignee', { caseId, limit: 6 });
  const departments = useApiQuery('departments.list', {});
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [touchedNote, setTouchedNote] = useState(false);

  const p = proposal.data;
  useEffect(() => {
    if (!p) return;
    setDepartmentId((d) => d ?? p.department?.id ?? p.unit?.departmentId ?? null);
    setUnitId((u) => u ?? p.unit?.id ?? null);
    setAssigneeId((a) => a ?? preselectAssignee(p));
  }, [p]);

  const units = useMemo(() => (departments.data?.units ?? []).filter((u) => u.departmentId === departmentId), [departments.data, departmentId]);
  const unitName = (id: string | null): string => departments.data?.units.find((u) => u.id === id)?.name ?? p?.unit?.name ?? '';
  const staffUnitName = (s: Staff): string => departments.data?.units.find((u) => u.id === s.unitId)?.name ?? '';

  useEffect(() => {
    if (touchedNote || unitId === null) return;
    const name = departments.data?.units.find((u) => u.id === unitId)?.name ?? p?.unit?.name ?? null;
    if (name) setNote(t('dispatch.defaultNote', { unit: name }));
  }, [unitId, departments.data, p, touchedNote, t]);

  const valid = departmentId !== null && unitId !== null && units.some((u) => u.id === unitId);
  const submit = (): void => {
    if (!valid || departmentId === null || unitId === null) return;
    onSubmit({ kind: 'dispatch', note: note.trim(), departmentId, unitId, assigneeId });
  };

  const staffRows = (list: readonly ProposedStaff[], group: string) =>
    list.map((s) => (
      <label key={`${group}:${s.id}`} className={`staff-row${assigneeId === s.id ? ' on' : ''}${s.onDuty ? '' : ' off-duty'}`} data-staff-id={s.id}>
        <input type="radio" name="assignee" checked={assigneeId === s.id} onChange={() => setAssigneeId(s.id)} />
        <span className="staff-name">{s.name}</span>
        <span className="staff-role">{t(`staffRole.${s.role}`)}</span>
        <span className="staff-unit">{staffUnitName(s)}</span>
        <span className="staff-dist">{s.distanceM === null ? '—' : t('dispatch.distance', { m: Math.round(s.distanceM) })}</span>
        <span className="staff-age">{s.positionAgeMin === null ? t('dispatch.noPosition') : t('dispatch.positionAge', { n: Math.round(s.positionAgeMin) })}</span>
        <span className="staff-load">{t('dispatch.openCases', { n: s.openCases })}</span>
      </label>
    ));

  return (
    <Dialog
      title={
        <>
          {t('action.dispatch')} <span className="dlg-sub">{caseCode}</span>
        </>
      }
      testId="dialog-dispatch"
      onCancel={onCancel}
      onConfirm={submit}
      confirmLabel={t('dispatch.confirm')}
      confirmDisabled={!valid}
      busy={busy}
      error={error ? errorText(error, t) : proposal.error ? errorText(proposal.error, t) : null}
      wide
    >
      {!p ? (
        <div className="dlg-loading">{t('panel.loading')}</div>
      ) : (
        <>
          <dl className="proposal" data-testid="dispatch-proposal">
            <div>
              <dt>{t('dispatch.category')}</dt>
              <dd>
                {p.category ? `${p.category.code} ${p.category.name}` : t('detail.none')}
                {p.category && <small> · {t(`limit.value.${p.category.limit.unit}`, { n: p.category.limit.value })}</small>}
              </dd>
            </div>
            <div>
              <dt>{t('dispatch.department')}</dt>
              <dd>{p.department ? (departmentLabel(reference.departmentById.get(p.department.id), locale) ?? p.department.name) : t('detail.none')}</dd>
            </div>
            <div>
              <dt>{t('dispatch.grid')}</dt>
              <dd>{p.grid?.name ?? t('detail.none')}</dd>
            </div>
            <div>
              <dt>{t('dispatch.responsibleUnit')}</dt>
              <dd>{p.responsibleUnit?.name ?? t('detail.none')}</dd>
            </div>
            <div className="wide">
              <dt>{t('dispatch.proposedUnit')}</dt>
              <dd data-testid="proposed-unit" data-unit-id={p.unit?.id ?? ''}>
                {p.unit ? (
                  <>
                    <b>{p.unit.name}</b> <small>({t(`dispatch.reason.${p.unit.reason}`)})</small>
                  </>
                ) : (
                  t('dispatch.noUnit')
                )}
              </dd>
            </div>
          </dl>

          <div className="dlg-row">
            <Field label={t('dispatch.department')}>
              <select
                value={departmentId ?? ''}
                data-testid="dispatch-department"
                onChange={(e) => {
                  setDepartmentId(e.target.value || null);
                  setUnitId(null);
                }}
              >
                <option value="">{t('dispatch.choose')}</option>
                {(departments.data?.departments ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {departmentLabel(d, locale)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('dispatch.unit')}>
              <select value={unitId ?? ''} data-testid="dispatch-unit" onChange={(e) => setUnitId(e.target.value || null)}>
                <option value="">{t('dispatch.choose')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                    {u.id === p.unit?.id ? ` ★ ${t('dispatch.proposed')}` : ''}
                  </option>
                ))}
              </select>
            </Field>
          </div>

          <div className="staff-list" role="radiogroup" aria-label={t('dispatch.assignee')}>
            <div className="staff-head">
              <span>{t('dispatch.assignee')}</span>
              <label className={`staff-none${assigneeId === null ? ' on' : ''}`}>
                <input type="radio" name="assignee" checked={assigneeId === null} onChange={() => setAssigneeId(null)} />
                {t('dispatch.noAssignee')}
              </label>
            </div>
            {p.gridWorkers.length > 0 && <div className="staff-group">{t('dispatch.gridWorkers')}</div>}
            {staffRows(p.gridWorkers, 'grid')}
            <div className="staff-group">{t('dispatch.nearest')}</div>
            {p.nearestStaff.length === 0 ? <div className="staff-empty">{t('dispatch.noStaff')}</div> : staffRows(p.nearestStaff, 'near')}
          </div>

          <Field label={t('dispatch.note')} wide>
            <input
              type="text"
              maxLength={2000}
              value={note}
              data-testid="dispatch-note"
              onChange={(e) => {
                setTouchedNote(true);
                setNote(e.target.value);
              }}
            />
          </Field>
          {unitId !== null && unitId !== p.unit?.id && <p className="dlg-note-block warn">{t('dispatch.overridden', { unit: unitName(unitId) })}</p>}
        </>
      )}
    </Dialog>
  );
}
