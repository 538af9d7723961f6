/**
 * The chair's console for the morning consultation: open the session, step the agenda like a
 * presentation clicker (→/PageDown next, ←/PageUp back, Home/End, digits jump), open rows live on
 * the wall, record decisions (会商纪要) that become dispatched cases, and export the briefing PDF.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Briefing, Focus, Session } from '../../../shared/api/consult';
import { CATEGORIES } from '../../../shared/domain/catalogue';
import { URGENCIES, type Urgency } from '../../../shared/domain/model';
import { LangToggle } from '../components/LangToggle';
import { useI18n } from '../i18n/I18nProvider';
import { FocusPanel } from './FocusPanel';
import { call, CallError, useCall, useConsultSession, useDecisions } from './hooks';
import { briefingTitle, defaultDeadline, isFormField, itemSummary, itemTitle, keyToStep, localInputToIso, sessionTitle, shortTime, type StepTarget } from './logic';
import { DecisionTable, ItemView, type ChairActions } from './views';

const CHAIR_KEY = 'cityops.consult.chair';

function storedChair(): string {
  try {
    return window.localStorage.getItem(CHAIR_KEY) ?? '';
  } catch {
    return '';
  }
}

function errorText(err: unknown): string {
  return err instanceof CallError ? `${err.error.message}` : err instanceof Error ? err.message : String(err);
}

interface Prefill {
  areaId: string;
  areaName: string;
  title: string;
  itemId: string;
}

export function ChairConsole({ api }: { api: ApiClient }) {
  const { t, locale } = useI18n();
  const { session, loaded, reload } = useConsultSession(api);
  const decisions = useDecisions(api, session?.id ?? null);
  const [chair, setChair] = useState(storedChair);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  const actor = chair.trim() || t('consult.chair.defaultActor');

  const say = (text: string, error = false): void => setMessage({ text, error });
  const run = useCallback(async (what: () => Promise<unknown>): Promise<void> => {
    try {
      await what();
    } catch (err) {
      setMessage({ text: errorText(err), error: true });
    }
  }, []);

  const open = session?.state === 'open' ? session : null;
  const go = useCallback(
    (to: StepTarget) => {
      if (!open) return;
      void run(() => call(api, 'consult.session.goto', { id: open.id, to, actor }));
    },
    [api, open, actor, run],
  );
  const focus = useCallback(
    (f: Focus | null) => {
      if (!open) return;
      void run(() => call(api, 'consult.session.focus', { id: open.id, focus: f, actor }));
    },
    [api, open, actor, run],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const typing = isFormField(e.target as HTMLElement | null);
      if (e.key === 'Escape' && !typing) {
        focus(null);
        return;
      }
      const step = keyToStep(e.key, typing);
      if (step === null) return;
      e.preventDefault();
      go(step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, focus]);

  const openSession = (): void => {
    try {
      window.localStorage.setItem(CHAIR_KEY, chair.trim());
    } catch {
      // A browser without storage: the name is asked again next time.
    }
    void run(async () => {
      await call(api, 'consult.session.open', { chair: actor });
      reload();
      say(t('consult.chair.opened'));
    });
  };

  const item = open ? (open.agenda.items[open.currentIndex] ?? null) : null;
  const actions: ChairActions | undefined = open
    ? {
        openCase: (id) => focus({ kind: 'case', id }),
        openArea: (id) => focus({ kind: 'area', id }),
        decideFor: (areaId, areaName, title) => setPrefill({ areaId, areaName, title, itemId: item?.id ?? '' }),
      }
    : undefined;
  const mapItem = open?.agenda.items.find((i) => i.kind === 'map');
  const primaryModel = mapItem?.kind === 'map' ? mapItem.modelId : 'composite';

  return (
    <div className="chair-console" data-testid="chair-console" data-ready={loaded ? '1' : '0'} data-session={open?.id ?? ''} data-index={open?.currentIndex ?? -1}>
      <header className="cc-header">
        <div className="cc-title">{open ? sessionTitle(locale, open.title, open.day) : t('consult.chair.title')}</div>
        <label className="cc-chair">
          {t('consult.chair.label')}
          <input value={chair} onChange={(e) => setChair(e.target.value)} placeholder={t('consult.chair.placeholder')} data-testid="chair-name" />
        </label>
        {open ? (
          <>
            <div className="cc-nav">
              <button onClick={() => go('prev')} data-testid="step-prev" title="← / PageUp">
                {t('consult.nav.prev')}
              </button>
              <span>
                {open.currentIndex + 1} / {open.agenda.items.length}
              </span>
              <button onClick={() => go('next')} data-testid="step-next" title="→ / PageDown">
                {t('consult.nav.next')}
              </button>
            </div>
            <ExportButton api={api} session={open} actor={actor} onDone={say} />
            <button
              className="danger"
              onClick={() => void run(() => call(api, 'consult.session.close', { id: open.id, actor }).then(() => say(t('consult.chair.closed'))))}
            >
              {t('consult.chair.close')}
            </button>
          </>
        ) : (
          <button className="primary" onClick={openSession} disabled={!loaded} data-testid="session-open">
            {t('consult.chair.open')}
          </button>
        )}
        <LangToggle />
      </header>
      {message ? (
        <div className={`cc-message${message.error ? ' error' : ''}`} data-testid="cc-message" onClick={() => setMessage(null)}>
          {message.text}
        </div>
      ) : null}
      {open && item ? (
        <div className="cc-body">
          <nav className="cc-agenda">
            {open.agenda.items.map((it, i) => (
              <button key={it.id} className={`cc-agenda-item${i === open.currentIndex ? ' current' : ''}`} onClick={() => go(i)} data-testid={`agenda-item-${i}`}>
                <span className="n">{i + 1}</span>
                <span className="t">{itemTitle(locale, it)}</span>
              </button>
            ))}
            <p className="dim small">{t('consult.nav.hint')}</p>
          </nav>
          <section className="cc-preview" data-testid="cc-preview" data-kind={item.kind}>
            <h2>
              {open.currentIndex + 1}. {itemTitle(locale, item)}
            </h2>
            <p className="cc-summary" data-testid="cc-summary">
              {itemSummary(locale, item)}
            </p>
            <ItemView api={api} item={item} compact actions={actions} decisions={decisions} focusId={open.focus?.kind === 'area' ? open.focus.id : null} />
            {open.focus ? <FocusPanel api={api} focus={open.focus} modelId={primaryModel} onClose={() => focus(null)} onOpen={focus} /> : null}
          </section>
          <aside className="cc-side">
            <DecisionForm api={api} session={open} actor={actor} prefill={prefill} itemId={item.id} onDone={say} />
            <h3>{t('consult.minutes.count', { n: decisions.length })}</h3>
            <DecisionTable rows={decisions} />
            <BriefingHistory api={api} />
          </aside>
        </div>
      ) : (
        <div className="cc-empty">{loaded ? t('consult.chair.empty') : t('consult.connecting')}</div>
      )}
    </div>
  );
}

function DecisionForm({ api, session, actor, prefill, itemId, onDone }: { api: ApiClient; session: Session; actor: string; prefill: Prefill | null; itemId: string; onDone: (text: string, error?: boolean) => void }) {
  const { t, locale } = useI18n();
  const departments = useCall(api, 'departments.list', {}, 'departments');
  const towns = useCall(api, 'areas.list', { level: 'town', limit: 5000 }, 'towns');
  const communities = useCall(api, 'areas.list', { level: 'community', limit: 5000 }, 'communities');
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [areaId, setAreaId] = useState('');
  const [extraArea, setExtraArea] = useState<{ id: string; name: string } | null>(null);
  const [category, setCategory] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [deadline, setDeadline] = useState(() => defaultDeadline(Date.now()));
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!prefill) return;
    setTitle(prefill.title);
    setAreaId(prefill.areaId);
    setExtraArea({ id: prefill.areaId, name: prefill.areaName });
  }, [prefill]);

  const deps = departments.data?.departments ?? [];
  const depCode = deps.find((d) => d.id === departmentId)?.code;
  const categories = CATEGORIES.filter((c) => !depCode || c.department === depCode);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const iso = localInputToIso(deadline);
    if (!iso) {
      onDone(t('consult.decision.deadlineRequired'), true);
      return;
    }
    setBusy(true);
    call(api, 'consult.decisions.record', {
      sessionId: session.id,
      itemId: prefill?.itemId || itemId,
      title: title.trim(),
      detail: detail.trim(),
      departmentId,
      areaId,
      ...(category ? { categoryCode: category } : {}),
      urgency,
      deadline: iso,
      actor,
    }).then(
      (d) => {
        setBusy(false);
        setTitle('');
        setDetail('');
        onDone(
          d.caseCode
            ? t('consult.decision.recorded', {
                code: d.caseCode,
                status: d.caseError ? t('consult.decision.notDispatched', { error: d.caseError }) : t('consult.decision.dispatched'),
              })
            : t('consult.decision.caseFailed', { error: d.caseError ?? '' }),
          !!d.caseError,
        );
      },
      (err: unknown) => {
        setBusy(false);
        onDone(errorText(err), true);
      },
    );
  };

  return (
    <form className="decision-form" onSubmit={submit} data-testid="decision-form">
      <h3>{t('consult.decision.heading')}</h3>
      <input
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        placeholder={t('consult.decision.titlePlaceholder')}
        required
        minLength={2}
        maxLength={80}
        data-testid="decision-title"
      />
      <textarea value={detail} onChange={(e) => setDetail(e.target.value)} placeholder={t('consult.decision.detail')} rows={2} maxLength={2000} />
      <div className="row">
        <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} required data-testid="decision-department">
          <option value="">{t('consult.decision.department')}</option>
          {deps.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <select value={areaId} onChange={(e) => setAreaId(e.target.value)} required data-testid="decision-area">
          <option value="">{t('consult.decision.area')}</option>
          {extraArea ? <option value={extraArea.id}>{extraArea.name}</option> : null}
          <optgroup label={t('consult.decision.towns')}>
            {(towns.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('consult.decision.communities')}>
            {(communities.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="row">
        <select value={category} onChange={(e) => setCategory(e.target.value)} title={t('consult.decision.categoryTitle')}>
          <option value="">{t('consult.decision.category')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {locale === 'en' ? c.nameEn : c.name}
            </option>
          ))}
        </select>
        <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
          {URGENCIES.map((u) => (
            <option key={u} value={u}>
              {t(`urgency.${u}`)}
            </option>
          ))}
        </select>
      </div>
      <label className="row">
        {t('consult.decision.deadline')}
        <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} required data-testid="decision-deadline" />
      </label>
      <button type="submit" className="primary" disabled={busy} data-testid="decision-submit">
        {busy ? t('consult.decision.saving') : t('consult.decision.submit')}
      </button>
    </form>
  );
}

/** Open a stored briefing: fetched through the API (works over IPC and WebSocket alike) and shown from a blob. */
async function openBriefing(api: ApiClient, b: Briefing, fileName: string): Promise<void> {
  const { base64 } = await call(api, 'consult.briefings.content', { id: b.id });
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener';
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ExportButton({ api, session, actor, onDone }: { api: ApiClient; session: Session; actor: string; onDone: (text: string, error?: boolean) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const exportPdf = (): void => {
    setBusy(true);
    call(api, 'consult.briefings.create', { sessionId: session.id, actor }).then(
      (b) => {
        setBusy(false);
        onDone(t('consult.briefing.exported', { pages: b.pages, kb: Math.round(b.bytes / 1024), s: (b.ms / 1000).toFixed(1) }));
      },
      (err: unknown) => {
        setBusy(false);
        onDone(errorText(err), true);
      },
    );
  };
  return (
    <button onClick={exportPdf} disabled={busy} data-testid="export-briefing" title={t('consult.briefing.exportTitle')}>
      {busy ? t('consult.briefing.exporting') : t('consult.briefing.export')}
    </button>
  );
}

function BriefingHistory({ api }: { api: ApiClient }) {
  const { t, locale } = useI18n();
  const list = useCall(api, 'consult.briefings.list', { limit: 10 }, 'briefings');
  const { reload } = list;
  useEffect(() => api.on('consult.briefing', () => reload()), [api, reload]);
  return (
    <div className="briefings" data-testid="briefing-history">
      <h3>{t('consult.briefing.history')}</h3>
      {(list.data ?? []).length === 0 ? <div className="dim small">{t('consult.none')}</div> : null}
      <ul>
        {(list.data ?? []).map((b) => (
          <li key={b.id} data-testid="briefing-row" data-url={b.url} data-pages={b.pages}>
            <button className="link" onClick={() => void openBriefing(api, b, t('consult.briefing.file', { day: b.day })).catch(() => undefined)}>
              {briefingTitle(locale, b.title, b.day)}
            </button>
            <span className="dim small">
              {shortTime(b.createdAt)} · {t('consult.briefing.pages', { n: b.pages })} · {b.createdBy}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
