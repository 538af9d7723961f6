/**
 * The chair's console for the morning consultation: open the session, step the agenda like a
 * presentation clicker (→/PageDown next, ←/PageUp back, Home/End, digits jump), open rows live on
 * the wall, record decisions (会商纪要) that become dispatched cases, and export the briefing PDF.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Briefing, Focus, Session } from '../../../shared/api/consult';
import { CATEGORIES } from '../../../shared/domain/catalogue';
import type { Urgency } from '../../../shared/domain/model';
import { FocusPanel } from './FocusPanel';
import { call, CallError, useCall, useConsultSession, useDecisions } from './hooks';
import { defaultDeadline, isFormField, keyToStep, localInputToIso, shortTime, type StepTarget } from './logic';
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
  const { session, loaded, reload } = useConsultSession(api);
  const decisions = useDecisions(api, session?.id ?? null);
  const [chair, setChair] = useState(storedChair);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  const actor = chair.trim() || '会商主持人';

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
      say('会商已开始，大屏已跟随');
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
        <div className="cc-title">{open ? open.title : '每日会商 · 主持台'}</div>
        <label className="cc-chair">
          主持人
          <input value={chair} onChange={(e) => setChair(e.target.value)} placeholder="姓名" data-testid="chair-name" />
        </label>
        {open ? (
          <>
            <div className="cc-nav">
              <button onClick={() => go('prev')} data-testid="step-prev" title="← / PageUp">
                上一项
              </button>
              <span>
                {open.currentIndex + 1} / {open.agenda.items.length}
              </span>
              <button onClick={() => go('next')} data-testid="step-next" title="→ / PageDown">
                下一项
              </button>
            </div>
            <ExportButton api={api} session={open} actor={actor} onDone={say} />
            <button
              className="danger"
              onClick={() => void run(() => call(api, 'consult.session.close', { id: open.id, actor }).then(() => say('会商已结束')))}
            >
              结束会商
            </button>
          </>
        ) : (
          <button className="primary" onClick={openSession} disabled={!loaded} data-testid="session-open">
            开始今日会商
          </button>
        )}
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
                <span className="t">{it.title}</span>
              </button>
            ))}
            <p className="dim small">→ / PageDown 下一项 · ← / PageUp 上一项 · 数字键跳转</p>
          </nav>
          <section className="cc-preview" data-testid="cc-preview" data-kind={item.kind}>
            <h2>
              {open.currentIndex + 1}. {item.title}
            </h2>
            <p className="cc-summary">{item.summary}</p>
            <ItemView api={api} item={item} compact actions={actions} decisions={decisions} focusId={open.focus?.kind === 'area' ? open.focus.id : null} />
            {open.focus ? <FocusPanel api={api} focus={open.focus} modelId={primaryModel} onClose={() => focus(null)} onOpen={focus} /> : null}
          </section>
          <aside className="cc-side">
            <DecisionForm api={api} session={open} actor={actor} prefill={prefill} itemId={item.id} onDone={say} />
            <h3>本次会商纪要（{decisions.length}）</h3>
            <DecisionTable rows={decisions} />
            <BriefingHistory api={api} />
          </aside>
        </div>
      ) : (
        <div className="cc-empty">{loaded ? '尚未开始今日会商。填写主持人后点击“开始今日会商”，议程将按近24小时数据生成。' : '连接中…'}</div>
      )}
    </div>
  );
}

function DecisionForm({ api, session, actor, prefill, itemId, onDone }: { api: ApiClient; session: Session; actor: string; prefill: Prefill | null; itemId: string; onDone: (text: string, error?: boolean) => void }) {
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
      onDone('请填写完成时限', true);
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
        onDone(d.caseCode ? `决定已记录，已转为案件 ${d.caseCode}（${d.caseError ? `未派遣：${d.caseError}` : '已派遣'}）` : `决定已记录，转办未成功：${d.caseError ?? ''}`, !!d.caseError);
      },
      (err: unknown) => {
        setBusy(false);
        onDone(errorText(err), true);
      },
    );
  };

  return (
    <form className="decision-form" onSubmit={submit} data-testid="decision-form">
      <h3>记录决定</h3>
      <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="决定事项（如：某网格占道经营专项整治）" required minLength={2} maxLength={80} data-testid="decision-title" />
      <textarea value={detail} onChange={(e) => setDetail(e.target.value)} placeholder="要求与说明" rows={2} maxLength={2000} />
      <div className="row">
        <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} required data-testid="decision-department">
          <option value="">责任部门</option>
          {deps.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <select value={areaId} onChange={(e) => setAreaId(e.target.value)} required data-testid="decision-area">
          <option value="">区域</option>
          {extraArea ? <option value={extraArea.id}>{extraArea.name}</option> : null}
          <optgroup label="街道/镇">
            {(towns.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="社区/村">
            {(communities.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="row">
        <select value={category} onChange={(e) => setCategory(e.target.value)} title="案件类别（默认按部门）">
          <option value="">类别（按部门默认）</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {c.name}
            </option>
          ))}
        </select>
        <select value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
          <option value="normal">一般</option>
          <option value="urgent">紧急</option>
          <option value="critical">特急</option>
        </select>
      </div>
      <label className="row">
        完成时限
        <input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} required data-testid="decision-deadline" />
      </label>
      <button type="submit" className="primary" disabled={busy} data-testid="decision-submit">
        {busy ? '记录中…' : '记录并派遣'}
      </button>
    </form>
  );
}

/** Open a stored briefing: fetched through the API (works over IPC and WebSocket alike) and shown from a blob. */
async function openBriefing(api: ApiClient, b: Briefing): Promise<void> {
  const { base64 } = await call(api, 'consult.briefings.content', { id: b.id });
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener';
  a.download = `${b.day}-每日会商简报.pdf`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ExportButton({ api, session, actor, onDone }: { api: ApiClient; session: Session; actor: string; onDone: (text: string, error?: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const exportPdf = (): void => {
    setBusy(true);
    call(api, 'consult.briefings.create', { sessionId: session.id, actor }).then(
      (b) => {
        setBusy(false);
        onDone(`简报已导出：${b.pages} 页，${Math.round(b.bytes / 1024)} KB，用时 ${(b.ms / 1000).toFixed(1)} 秒`);
      },
      (err: unknown) => {
        setBusy(false);
        onDone(errorText(err), true);
      },
    );
  };
  return (
    <button onClick={exportPdf} disabled={busy} data-testid="export-briefing">
      {busy ? '导出中…' : '导出简报 PDF'}
    </button>
  );
}

function BriefingHistory({ api }: { api: ApiClient }) {
  const list = useCall(api, 'consult.briefings.list', { limit: 10 }, 'briefings');
  const { reload } = list;
  useEffect(() => api.on('consult.briefing', () => reload()), [api, reload]);
  return (
    <div className="briefings" data-testid="briefing-history">
      <h3>简报历史</h3>
      {(list.data ?? []).length === 0 ? <div className="dim small">暂无</div> : null}
      <ul>
        {(list.data ?? []).map((b) => (
          <li key={b.id} data-testid="briefing-row" data-url={b.url} data-pages={b.pages}>
            <button className="link" onClick={() => void openBriefing(api, b).catch(() => undefined)}>
              {b.title}
            </button>
            <span className="dim small">
              {shortTime(b.createdAt)} · {b.pages} 页 · {b.createdBy}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
