/**
 * 批量导入案件 (cases.importCsv): paste or choose a CSV (columns in CSV_IMPORT_COLUMNS), check it
 * with a dry run that lists every bad row by line, then import — all rows in one transaction, or
 * none when any row is bad. Rows that look like duplicates of open cases are listed too.
 */
import { useState } from 'react';
import type { ApiError, MethodOutput } from '../../../../shared/api';
import { CSV_IMPORT_COLUMNS } from '../../../../shared/api/workflow';
import type { WorkflowRole } from '../../../../shared/domain/workflow';
import { useApi } from '../../api/ApiContext';
import { useI18n } from '../../i18n/I18nProvider';
import { errorText } from '../labels';
import { Dialog } from './Dialog';

type Result = MethodOutput<'cases.importCsv'>;

export interface ImportCasesDialogProps {
  actor: string | null;
  role: WorkflowRole;
  onImported(count: number): void;
  onClose(): void;
}

export function ImportCasesDialog({ actor, role, onImported, onClose }: ImportCasesDialogProps) {
  const { t } = useI18n();
  const api = useApi();
  const [csv, setCsv] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const run = async (dryRun: boolean): Promise<void> => {
    if (actor === null || csv.trim() === '') return;
    setBusy(true);
    setError(null);
    const r = await api.call('cases.importCsv', { csv, dryRun, actor, role });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      setResult(null);
      return;
    }
    setResult(r.value);
    if (!r.value.dryRun && r.value.imported > 0) onImported(r.value.imported);
  };

  const checked = result !== null && result.dryRun && result.errors.length === 0;
  return (
    <Dialog
      title={t('importCases.title')}
      testId="dialog-import-cases"
      onCancel={onClose}
      onConfirm={() => void run(!checked)}
      confirmLabel={checked ? t('importCases.run', { n: result.rows }) : t('importCases.dry')}
      confirmDisabled={actor === null || csv.trim() === '' || (result !== null && !result.dryRun)}
      busy={busy}
      error={error ? errorText(error, t) : actor === null ? t('seat.nameRequired') : null}
      wide
    >
      <p className="dlg-note-block import-columns">
        {t('importCases.columns')}{' '}
        {CSV_IMPORT_COLUMNS.map((c) => (
          <code key={c.name} className={c.required ? 'req' : ''} title={c.description}>
            {c.name}
          </code>
        ))}
      </p>
      <label className="btn btn-small file-btn">
        {t('sensors.import.file')}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file)
              void file.text().then((text) => {
                setCsv(text);
                setResult(null);
              });
          }}
        />
      </label>
      <textarea
        className="import-text"
        rows={9}
        spellCheck={false}
        value={csv}
        data-testid="import-cases-text"
        placeholder="source,category_code,lon,lat,urgency,address,description"
        onChange={(e) => {
          setCsv(e.target.value);
          setResult(null);
        }}
      />
      {result && (
        <div className="import-result" data-testid="import-cases-result" data-errors={result.errors.length} data-imported={result.imported} data-dry={result.dryRun ? '1' : '0'}>
          <p className={`action-msg ${result.errors.length > 0 ? 'error' : 'ok'}`}>
            {result.dryRun
              ? result.errors.length > 0
                ? t('importCases.dryErrors', { rows: result.rows, errors: result.errors.length })
                : t('importCases.dryOk', { rows: result.rows, dups: result.duplicates.length })
              : t('importCases.done', { n: result.imported })}
          </p>
          {result.errors.length > 0 && (
            <table className="import-errors">
              <thead>
                <tr>
                  <th>{t('importCases.line')}</th>
                  <th>{t('importCases.column')}</th>
                  <th>{t('sensors.import.message')}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.slice(0, 500).map((e, i) => (
                  <tr key={`${e.line}-${i}`} data-line={e.line}>
                    <td>{e.line}</td>
                    <td>{e.column ?? '—'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.duplicates.length > 0 && <p className="dlg-note-block warn">{t('importCases.duplicates', { lines: result.duplicates.map((d) => d.line).join(', ') })}</p>}
        </div>
      )}
    </Dialog>
  );
}
