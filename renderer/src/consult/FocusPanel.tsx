/**
 * An object opened live on the wall during the consultation: a case with its latest history, or an
 * area with the explanation of its score (each indicator's contribution and change since yesterday).
 */
import type { ApiClient } from '../../../shared/api';
import type { Focus } from '../../../shared/api/consult';
import { VideoPlayer } from '../video/VideoPlayer';
import { useCall } from './hooks';
import { fixed, levelColour, levelName, shortTime, signed, STATE_LABEL } from './logic';
import { categoryName } from './views';

export interface FocusPanelProps {
  api: ApiClient;
  focus: Focus;
  modelId: string;
  /** The chair's console: close the panel, or open something else live. */
  onClose?: () => void;
  onOpen?: (focus: Focus) => void;
}

export function FocusPanel({ api, focus, modelId, onClose, onOpen }: FocusPanelProps) {
  return (
    <div className="focus-panel" data-testid="focus-panel" data-kind={focus.kind}>
      {onClose ? (
        <button className="focus-close" onClick={onClose}>
          关闭
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
  const { data, error } = useCall(api, 'cameras.get', { id }, id);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">加载中…</div>;
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
  const { data } = useCall(api, 'video.linkedCameras', { caseId, limit: 4 }, caseId);
  if (!data || data.cameras.length === 0) return null;
  return (
    <div className="linked-cameras">
      <h3>附近摄像头</h3>
      {data.cameras.map((c) => (
        <button key={c.camera.id} onClick={() => onOpen({ kind: 'camera', id: c.camera.id })}>
          {c.camera.name} · {Math.round(c.distanceM)} 米
        </button>
      ))}
    </div>
  );
}

function CaseFocus({ api, id, onOpen }: { api: ApiClient; id: string; onOpen?: ((focus: Focus) => void) | undefined }) {
  const { data, error } = useCall(api, 'cases.get', { id }, id);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">加载中…</div>;
  return (
    <div className="focus-case">
      <div className="focus-title">
        <span className="mono">{data.code}</span> {data.title}
      </div>
      <dl className="facts">
        <dt>类别</dt>
        <dd>{categoryName(data.categoryCode)}</dd>
        <dt>状态</dt>
        <dd>
          {STATE_LABEL[data.state]}
          {data.overdue ? <span className="tag alarm">超期</span> : null}
          {data.supervised ? <span className="tag warn">督办</span> : null}
        </dd>
        <dt>地址</dt>
        <dd>{data.address || '—'}</dd>
        <dt>上报</dt>
        <dd>{shortTime(data.reportedAt)}</dd>
        <dt>时限</dt>
        <dd>{shortTime(data.deadlineAt)}</dd>
      </dl>
      <ol className="history">
        {data.history.slice(-6).map((h) => (
          <li key={h.seq}>
            <span className="dim">{shortTime(h.at)}</span> {h.action} · {h.actor}
            {h.note ? ` · ${h.note}` : ''}
          </li>
        ))}
      </ol>
      {onOpen ? <LinkedCameras api={api} caseId={data.id} onOpen={onOpen} /> : null}
    </div>
  );
}

function AreaFocus({ api, id, modelId }: { api: ApiClient; id: string; modelId: string }) {
  const { data, error } = useCall(api, 'consult.explain', { modelId, areaId: id }, `${modelId}:${id}`);
  if (error) return <div className="empty">{error}</div>;
  if (!data) return <div className="empty">加载中…</div>;
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
          {levelName(data.level)}
        </span>
        <span className="dim">较昨日 {signed(data.delta)}</span>
        {data.kind === 'precision' ? <span className="dim"> · 系数 {data.coefficient}</span> : null}
      </div>
      <table className="rows explain" data-testid="explain-table">
        <thead>
          <tr>
            <th>指标</th>
            <th className="num">原始值</th>
            <th className="num">归一化</th>
            <th>贡献</th>
            <th className="num">较昨日</th>
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
