import { useEffect, useMemo, useRef, useState } from 'react';
import type { Alarm } from '../../../shared/api/monitoring';
import type { CaseSummary, Unit } from '../../../shared/domain/model';
import { useApi } from '../api/ApiContext';
import { useApiQuery } from '../api/useApiQuery';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { useI18n } from '../i18n/I18nProvider';
import { ActionBar } from './ActionBar';
import { actionForKey, isShortcutTarget } from './actions';
import { CaseTable } from './CaseTable';
import { ConsoleHeader } from './ConsoleHeader';
import { CaseDetailPanel } from './detail/CaseDetailPanel';
import { ActionDialog } from './dialogs/ActionDialog';
import { DispatchDialog } from './dialogs/DispatchDialog';
import { ImportCasesDialog } from './dialogs/ImportCasesDialog';
import { NewCaseDialog } from './dialogs/NewCaseDialog';
import { EvaluationView } from './evaluation/EvaluationView';
import { FilterPanel, SortSelect } from './FilterPanel';
import { DEFAULT_FILTERS, filtersKey, type CaseFilters } from './filters';
import { MapTab } from './map/MapTab';
import { MonitoringView } from './monitoring/MonitoringView';
import { actorOf } from './seat';
import { SensorRegistry } from './sensors/SensorRegistry';
import { tabFromHash, type ConsoleTab } from './tabs';
import { useCasePages } from './useCasePages';
import { useCaseRecord } from './useCaseRecord';
import { useSeat } from './useSeat';
import { useWorkflowActions } from './useWorkflowActions';
import './console.css';

const TEXT_DEBOUNCE_MS = 300;

/**
 * The operator console (坐席): tabs for the case queue, the evaluation (综合评价), monitoring
 * (监测预警), the sensor registry and the map (态势地图: the layer panel and a wall preview), under a header with the seat and the live alarm strip.
 * The queue tab is filters | the case queue | the open case with its actions. Layout slots are
 * named (console-filters, console-queue, console-detail); the detail panel's content is extended
 * through DETAIL_SECTIONS.
 *
 * Keys on the queue: ↑/↓ move, Enter opens, the letter on an action button takes that action
 * (R 立案, D 派遣, A 签收, H 处置反馈, P 核查通过, F 核查不通过, B 回退, X 不予立案, E 延期申请,
 * S 督办, G 挂账…), N a new case, / the search box.
 */
export function ConsoleScreen() {
  const { t } = useI18n();
  const api = useApi();
  const [tab, setTabState] = useState<ConsoleTab>(() => tabFromHash(window.location.hash));
  const [visited, setVisited] = useState<ReadonlySet<ConsoleTab>>(() => new Set([tab]));
  const [seat, setSeat] = useSeat();
  const [filters, setFilters] = useState<CaseFilters>(DEFAULT_FILTERS);
  const [text, setText] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [newCase, setNewCase] = useState(false);
  const [importing, setImporting] = useState(false);
  const [alarm, setAlarm] = useState<Alarm | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const pages = useCasePages(filters);
  const record = useCaseRecord(selected, seat.role);
  const actions = useWorkflowActions(api, record, seat, t);
  const departments = useApiQuery('departments.list', {}, { refreshMs: 10 * 60_000 });
  const units = useMemo(() => new Map<string, Unit>((departments.data?.units ?? []).map((u) => [u.id, u])), [departments.data]);

  const setTab = (next: ConsoleTab): void => {
    setTabState(next);
    setVisited((v) => (v.has(next) ? v : new Set([...v, next])));
    window.history.replaceState(null, '', `#${next}`);
  };
  const openCase = (id: string): void => {
    setSelected(id);
    setTab('queue');
  };

  useEffect(() => {
    if (text === filters.text) return undefined;
    const timer = setTimeout(() => setFilters((f) => ({ ...f, text })), TEXT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters.text]);

  useEffect(() => {
    if (pages.total !== null) document.body.dataset.ready = '1';
  }, [pages.total]);

  // The queue's keyboard shortcuts (not while typing, not while a dialog is open).
  const keyState = useRef({ tab, dialogOpen: false, allowed: record.workflow?.allowedActions ?? null, request: actions.request });
  useEffect(() => {
    keyState.current = { tab, dialogOpen: newCase || importing || actions.dialog !== null, allowed: record.workflow?.allowedActions ?? null, request: actions.request };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = keyState.current;
      if (s.tab !== 'queue' || s.dialogOpen || e.repeat) return;
      if (!isShortcutTarget(e.target instanceof HTMLElement ? e.target : null, e)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      if (e.key === 'n' || e.key === 'N') {
        e.preventDefault();
        setNewCase(true);
        return;
      }
      const action = s.allowed ? actionForKey(e.key, s.allowed) : null;
      if (action) {
        e.preventDefault();
        s.request(action);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const totalText = pages.total === null ? '…' : pages.capped ? `${pages.total}+` : String(pages.total);
  const actor = actorOf(seat);
  return (
    <div className="console" data-tab={tab}>
      <ConsoleHeader
        tab={tab}
        onTab={setTab}
        seat={seat}
        onSeat={setSeat}
        onNewCase={() => setNewCase(true)}
        onAlarm={(a) => {
          setAlarm(a);
          setTab('monitoring');
        }}
      />
      <div className="console-body" hidden={tab !== 'queue'} data-testid="queue-tab">
        <div className="console-filters">
          <FilterPanel filters={filters} onChange={setFilters} text={text} onText={setText} searchRef={searchRef} />
        </div>
        <section className="console-queue">
          <div className="queue-bar">
            <span className="queue-total" data-testid="case-total" data-total={pages.total ?? ''} data-capped={pages.capped ? '1' : '0'}>
              {t('console.total', { n: totalText })}
            </span>
            {pages.error && (
              <span className="queue-error" role="alert">
                {t('console.loadFailed', { message: pages.error.message })}
                <button type="button" onClick={pages.refresh}>
                  {t('console.retry')}
                </button>
              </span>
            )}
            <span className="queue-keys">{t('console.keysShort')}</span>
            <button type="button" className="btn btn-small" data-testid="import-cases" onClick={() => setImporting(true)}>
              {t('importCases.button')}
            </button>
            <SortSelect value={filters.sort} onChange={(sort) => setFilters((f) => ({ ...f, sort }))} />
          </div>
          {pages.total === 0 ? (
            <div className="queue-empty">{t('console.noResults')}</div>
          ) : (
            <CaseTable pages={pages} openId={selected} onOpen={(c: CaseSummary) => setSelected(c.id)} resetKey={filtersKey(filters)} />
          )}
        </section>
        <div className="console-detail">
          <CaseDetailPanel
            caseId={selected}
            record={record}
            api={api}
            seat={seat}
            units={units}
            busy={actions.busy}
            onOpenCase={setSelected}
            onMerge={actions.merge}
            actions={
              <ActionBar
                allowed={record.workflow?.allowedActions ?? null}
                seat={seat}
                busy={actions.busy}
                onAction={actions.request}
                message={actions.message?.caseId === selected ? actions.message : null}
              />
            }
          />
        </div>
      </div>
      {visited.has('evaluation') && (
        <div className="console-page" hidden={tab !== 'evaluation'} data-testid="evaluation-tab">
          <ErrorBoundary name="evaluation" fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
            <EvaluationView />
          </ErrorBoundary>
        </div>
      )}
      {visited.has('monitoring') && (
        <div className="console-page" hidden={tab !== 'monitoring'} data-testid="monitoring-tab">
          <ErrorBoundary name="monitoring" fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
            <MonitoringView actor={actor} alarm={alarm} onAlarm={setAlarm} onOpenCase={openCase} />
          </ErrorBoundary>
        </div>
      )}
      {visited.has('sensors') && (
        <div className="console-page" hidden={tab !== 'sensors'} data-testid="sensors-tab">
          <ErrorBoundary name="sensors" fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
            <SensorRegistry />
          </ErrorBoundary>
        </div>
      )}
      {/* Mounted only while shown: a hidden WebGL map would keep drawing and polling behind the other tabs. */}
      {tab === 'map' && (
        <div className="console-page console-page-map" data-testid="map-tab">
          <ErrorBoundary name="map" fallback={<div className="panel-fallback">{t('panel.error')}</div>}>
            <MapTab actor={actor ?? 'console'} />
          </ErrorBoundary>
        </div>
      )}

      {actions.dialog === 'dispatch' && record.detail && (
        <DispatchDialog
          caseId={record.detail.id}
          caseCode={record.detail.code}
          busy={actions.busy}
          error={actions.dialogError}
          onSubmit={actions.submit}
          onCancel={actions.closeDialog}
        />
      )}
      {actions.dialog !== null && actions.dialog !== 'dispatch' && record.detail && record.workflow && (
        <ActionDialog
          action={actions.dialog}
          caseCode={record.detail.code}
          workflow={record.workflow}
          busy={actions.busy}
          error={actions.dialogError}
          onSubmit={actions.submit}
          onCancel={actions.closeDialog}
        />
      )}
      {importing && (
        <ImportCasesDialog
          actor={actor}
          role={seat.role}
          onImported={() => pages.refresh()}
          onClose={() => setImporting(false)}
        />
      )}
      {newCase && (
        <NewCaseDialog
          actor={actor}
          role={seat.role}
          onCreated={(id) => openCase(id)}
          onClose={() => setNewCase(false)}
        />
      )}
    </div>
  );
}
