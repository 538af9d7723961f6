/**
 * An object opened live on the wall during the consultation: a case with its latest history, or an
 * area with the explanation of its score (each indicator's contribution and change since yesterday).
 */
import type { ApiClient } from '../../../shared/api';
import type { Focus } from '../../../shared/api/consult';
import { categoryLabel } from '../../../shared/i18n';
import { useI18n } from '../i18n/I18nProvider';
import { VideoPlayer } from '../video/VideoPlayer';
import { useCall } from './hooks';
import { actionLabel, fixed, levelColour, levelName, shortTime, signed, stateLabel } from './logic';

export interface FocusPanelProps {
  api: ApiClient;
  focus: Focus;
  modelId: string;
  /** The chair's console: close the panel, or open something else live. */
  onClose?: () => void;
  onOpen?: (focus: Focus) => void;
}

export function FocusPanel({ api, focus, modelId, onClose, onOpen }: FocusPanelProps) {
  const { t } = useI18n();
  return (
    <div className="focus-panel" data-testid="focus-panel" data-kind={focus.kind}>
      {onClose ? (
        <button className="focus-close" onClick={onClose}>
          {t('consult.focus.close')}
        </button>
      ) : null}
      {focus.kind === 'case' ? (
        <CaseFocus api={api} id={focus.id} onOpen={onOpen} />
      ) : focus.kind === 'camera' ? (
        <CameraFocus api={api} id={focus.id} />
      ) : (
        <AreaFocus api={api} id={focus.id} modelId={modelId} />
      )}
    </div>
  );
}

function CameraFocus({ api, id }: { api: ApiClient; id: string }) {
  const { t } = useI18n();
  const { data, error } = useCall(api, 'cameras.get', { id }, id);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">{t('panel.loading')}</div>;
  return (
    <div className="focus-camera">
      <div className="focus-title">{data.name}</div>
      <div className="focus-video">
        <VideoPlayer cameraId={data.id} cameraName={data.name} stream={data.streams[0] ?? null} />
      </div>
    </div>
  );
}

/** Cameras that see the case (视图联动), for the chair to put on the wall. */
function LinkedCameras({ api, caseId, onOpen }: { api: ApiClient; caseId: string; onOpen: (focus: Focus) => void }) {
  const { t } = useI18n();
  const { data } = useCall(api, 'video.linkedCameras', { caseId, limit: 4 }, caseId);
  if (!data || data.cameras.length === 0) return null;
  return (
    <div className="linked-cameras">
      <h3>{t('consult.focus.cameras')}</h3>
      {data.cameras.map((c) => (
        <button key={c.camera.id} onClick={() => onOpen({ kind: 'camera', id: c.camera.id })}>
          {c.camera.name} · {t('consult.focus.distance', { m: Math.round(c.distanceM) })}
        </button>
      ))}
    </div>
  );
}

function CaseFocus({ api, id, onOpen }: { api: ApiClient; id: string; onOpen?: ((focus: Focus) => void) | undefined }) {
  const { t, locale } = useI18n();
  const { data, error } = useCall(api, 'cases.get', { id }, id);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">{t('panel.loading')}</div>;
  return (
    <div className="focus-case">
      <div className="focus-title">
        <span className="mono">{data.code}</span> {data.title}
      </div>
      <dl className="facts">
        <dt>{t('consult.fact.category')}</dt>
        <dd>{categoryLabel(locale, data.categoryCode)}</dd>
        <dt>{t('consult.fact.state')}</dt>
        <dd>
          {stateLabel(locale, data.state)}
          {data.overdue ? <span className="tag alarm">{t('consult.tag.overdue')}</span> : null}
          {data.supervised ? <span className="tag warn">{t('consult.tag.supervised')}</span> : null}
        </dd>
        <dt>{t('consult.fact.address')}</dt>
        <dd>{data.address || '—'}</dd>
        <dt>{t('consult.fact.reported')}</dt>
        <dd>{shortTime(data.reportedAt)}</dd>
        <dt>{t('consult.fact.deadline')}</dt>
        <dd>{shortTime(data.deadlineAt)}</dd>
      </dl>
      <ol className="history">
        {data.history.slice(-6).map((h) => (
          <li key={h.seq}>
            <span className="dim">{shortTime(h.at)}</span> {actionLabel(locale, h.action)} · {h.actor}
            {h.note ? ` · ${h.note}` : ''}
          </li>
        ))}
      </ol>
      {onOpen ? <LinkedCameras api={api} caseId={data.id} onOpen={onOpen} /> : null}
    </div>
  );
}

function AreaFocus({ api, id, modelId }: { api: ApiClient; id: string; modelId: string }) {
  const { t, locale } = useI18n();
  const { data, error } = useCall(api, 'consult.explain', { modelId, areaId: id }, `${modelId}:${id}`);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">{t('panel.loading')}</div>;
  const max = Math.max(1, ...data.indicators.map((i) => i.contribution));
  return (
    <div className="focus-area">
      <div className="focus-title">
        {data.area.name} · {data.modelName}
      </div>
      <div className="focus-score">
        <span className="score" style={{ color: levelColour(data.level) }}>
          {fixed(data.score)}
        </span>
        <span className="level-chip" style={{ background: levelColour(data.level) }}>
          {levelName(locale, data.level)}
        </span>
        <span className="dim">
          {t('consult.trend.day')} {signed(data.delta)}
        </span>
        {data.kind === 'precision' ? <span className="dim"> · {t('consult.focus.coefficient', { c: data.coefficient })}</span> : null}
      </div>
      <table className="rows explain" data-testid="explain-table">
        <thead>
          <tr>
            <th>{t('consult.explain.indicator')}</th>
            <th className="num">{t('consult.explain.raw')}</th>
            <th className="num">{t('consult.explain.normalised')}</th>
            <th>{t('consult.explain.contribution')}</th>
            <th className="num">{t('consult.explain.delta')}</th>
          </tr>
        </thead>
        <tbody>
          {data.indicators.map((i) => (
            <tr key={i.id}>
              <td>
                {i.name}
                <span className="dim small"> ×{i.weight}</span>
              </td>
              <td className="num">{fixed(i.raw, i.raw % 1 === 0 ? 0 : 2)}</td>
              <td className="num">{i.normalised === null ? '—' : fixed(i.normalised, 2)}</td>
              <td>
                <span className="contrib">
                  <span className="bar">
                    <span className="bar-fill accent" style={{ width: `${(i.contribution / max) * 100}%` }} />
                  </span>
                  <span className="num">{fixed(i.contribution)}</span>
                </span>
              </td>
              <td className="num">{signed(i.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
