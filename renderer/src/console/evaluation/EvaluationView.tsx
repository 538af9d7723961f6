/**
 * 综合评价 (console tab): evaluation.query grouped by department, unit, grid, community, town or
 * district for a day, week or month — received, registered, dispatched, due, closed, 结案率,
 * 按期结案率, 返工率, 延期率, 回退率, average handling time and overdue — in a sortable table with the
 * total; rows are virtualised (a month by grid is thousands of rows). CSV export downloads
 * evaluation.csv (UTF-8 with BOM for Excel).
 */
import { useMemo, useState, type CSSProperties } from 'react';
import { EVALUATION_GROUPS, EVALUATION_PERIODS, type EvaluationGroup, type EvaluationPeriod, type EvaluationInput, type EvaluationRow } from '../../../../shared/api/evaluation';
import { shanghaiDay } from '../../../../shared/time';
import { useApi } from '../../api/ApiContext';
import { useApiQuery } from '../../api/useApiQuery';
import { areaLabel, departmentLabel, useReference } from '../../data/reference';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDateTime } from '../../time/format';
import { errorText } from '../labels';
import { VirtualList } from '../VirtualList';
import { csvWithBom, EVAL_COLUMNS, formatCell, rateTone, sortRows, type EvalColumnKey, type SortDir } from './columns';

const ROW = 32;

export function EvaluationView() {
  const { t, locale } = useI18n();
  const api = useApi();
  const reference = useReference();
  const [groupBy, setGroupBy] = useState<EvaluationGroup>('unit');
  const [period, setPeriod] = useState<EvaluationPeriod>('month');
  const [date, setDate] = useState(() => shanghaiDay(Date.now()));
  const [departmentId, setDepartmentId] = useState('');
  const [areaId, setAreaId] = useState('');
  const [sort, setSort] = useState<{ key: EvalColumnKey | 'name'; dir: SortDir }>({ key: 'received', dir: 'desc' });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  const input = useMemo((): EvaluationInput => {
    const q: EvaluationInput = { groupBy, period };
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) q.date = date;
    if (departmentId) q.departmentId = departmentId;
    if (areaId) q.areaId = areaId;
    return q;
  }, [groupBy, period, date, departmentId, areaId]);
  const result = useApiQuery('evaluation.query', input, { refreshOn: ['case.created', 'case.updated'], debounceMs: 2000 });
  const data = result.data;
  const rows = useMemo(() => (data ? sortRows(data.rows, sort.key, sort.dir) : []), [data, sort]);

  const exportCsv = async (): Promise<void> => {
    setExporting(true);
    setExportError(null);
    const r = await api.call('evaluation.csv', input);
    setExporting(false);
    if (!r.ok) {
      setExportError(errorText(r.error, t));
      return;
    }
    const blob = new Blob([csvWithBom(r.value.csv)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const header = (key: EvalColumnKey | 'name', label: string, className = '') => (
    <button
      type="button"
      className={`eval-sort ${className}${sort.key === key ? ` on ${sort.dir}` : ''}`}
      onClick={() => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' }))}
      data-col={key}
    >
      {label}
    </button>
  );

  return (
    <section className="eval" data-testid="evaluation" data-period={period} data-group={groupBy} data-loaded={data ? '1' : '0'}>
      <div className="eval-controls">
        <div className="seg" role="radiogroup" aria-label={t('eval.groupBy')}>
          {EVALUATION_GROUPS.map((g) => (
            <button key={g} type="button" role="radio" className="seg-btn" aria-checked={groupBy === g} data-group={g} onClick={() => setGroupBy(g)}>
              {t(`eval.group.${g}`)}
            </button>
          ))}
        </div>
        <div className="seg" role="radiogroup" aria-label={t('eval.period')}>
          {EVALUATION_PERIODS.map((p) => (
            <button key={p} type="button" role="radio" className="seg-btn" aria-checked={period === p} data-period={p} onClick={() => setPeriod(p)}>
              {t(`eval.period.${p}`)}
            </button>
          ))}
        </div>
        <label className="eval-field">
          <span>{t('eval.date')}</span>
          <input type="date" value={date} data-testid="eval-date" onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="eval-field">
          <span>{t('eval.department')}</span>
          <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} data-testid="eval-department">
            <option value="">{t('console.filter.all')}</option>
            {[...reference.departmentById.values()].map((d) => (
              <option key={d.id} value={d.id}>
                {departmentLabel(d, locale)}
              </option>
            ))}
          </select>
        </label>
        <label className="eval-field">
          <span>{t('eval.area')}</span>
          <select value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            <option value="">{t('console.filter.all')}</option>
            {reference.districts.map((d) => (
              <optgroup key={d.id} label={areaLabel(d, locale) ?? d.name}>
                <option value={d.id}>{areaLabel(d, locale)}</option>
                {reference.towns
                  .filter((x) => x.parentId === d.id)
                  .map((x) => (
                    <option key={x.id} value={x.id}>
                      {'　'}
                      {areaLabel(x, locale)}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <span className="eval-window">
          {data ? t('eval.window', { from: formatDateTime(data.from, t), to: formatDateTime(data.to, t), asOf: formatDateTime(data.asOf, t) }) : t('panel.loading')}
          {result.stale && <span className="stale-marker">{t('panel.stale')}</span>}
        </span>
        <button type="button" className="btn" data-testid="eval-export" disabled={exporting || !data} onClick={() => void exportCsv()}>
          {exporting ? t('dialog.working') : t('eval.export')}
        </button>
      </div>
      {(exportError || result.error) && (
        <div className="queue-error" role="alert">
          {exportError ?? (result.error ? errorText(result.error, t) : '')}
        </div>
      )}
      {data && <EvalKpis total={data.total} />}
      <div className="eval-table" style={{ '--cols': EVAL_COLUMNS.length } as CSSProperties}>
        <div className="eval-row eval-head">
          {header('name', t(`eval.group.${groupBy}`), 'eval-name')}
          {EVAL_COLUMNS.map((c) => (
            <span key={c.key}>{header(c.key, t(`eval.col.${c.key}`))}</span>
          ))}
        </div>
        {data && <EvalRowView row={data.total} total />}
        {data && rows.length === 0 ? (
          <div className="queue-empty">{t('eval.empty')}</div>
        ) : (
          <VirtualList testId="eval-rows" className="eval-body" rowCount={rows.length} rowHeight={ROW} resetKey={JSON.stringify(input)} renderRow={(i) => (rows[i] ? <EvalRowView row={rows[i]} /> : null)} />
        )}
      </div>
    </section>
  );
}

function EvalRowView({ row, total = false }: { row: EvaluationRow; total?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={`eval-row${total ? ' eval-total' : ''}`} data-key={total ? 'total' : (row.key ?? 'none')} data-testid={total ? 'eval-total' : undefined}>
      <span className="eval-name" title={row.name}>
        {total ? t('eval.total') : row.key === null ? t('eval.unassigned') : row.name}
      </span>
      {EVAL_COLUMNS.map((c) => (
        <span key={c.key} className={`eval-cell ${c.kind}`} data-col={c.key} data-value={row[c.key] ?? ''} data-tone={rateTone(c, row[c.key]) ?? undefined}>
          {formatCell(row, c)}
        </span>
      ))}
    </div>
  );
}

/** The headline rates of the whole selection, as big figures over the table. */
function EvalKpis({ total }: { total: EvaluationRow }) {
  const { t } = useI18n();
  const keys: EvalColumnKey[] = ['received', 'closed', 'closeRate', 'onTimeRate', 'reworkRate', 'extensionRate', 'returnRate', 'avgHandlingWorkHours', 'overdue'];
  return (
    <div className="eval-kpis" data-testid="eval-kpis">
      {keys.map((k) => {
        const col = EVAL_COLUMNS.find((c) => c.key === k)!;
        return (
          <div key={k} className="eval-kpi" data-col={k} data-tone={rateTone(col, total[k]) ?? undefined}>
            <b>{formatCell(total, col)}</b>
            <span>{t(`eval.col.${k}`)}</span>
          </div>
        );
      })}
    </div>
  );
}
