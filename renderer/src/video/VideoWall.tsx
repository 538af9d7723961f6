/**
 * The video wall panel: layouts 1/4/9/16 and 1+5; cameras dropped onto tiles (from the map, a
 * list or another tile); saved presets; a tour cycling a group of cameras through the tiles;
 * full screen per tile; the per-origin cap on live streams (tiles beyond it say so); linkage
 * (视图联动) filling the tiles with the cameras that see a case, an alarm or a point, ended when
 * the case closes.
 */
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type ReactNode, type Ref } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Locale } from '../../../shared/i18n';
import {
  capForOrigin,
  DEFAULT_VIDEO_SETTINGS,
  LAYOUT_TILE_COUNT,
  WALL_LAYOUTS,
  type CameraDetail,
  type LinkageResult,
  type Tour,
  type VideoSettings,
  type WallLayout,
  type WallPreset,
} from '../../../shared/domain/video';
import { detectCaps, pickStream, resolveStreamUrl, type HlsPreference } from './engines';
import { videoT, type VideoT } from './labels';
import { VideoPlayer, type PlayerReport } from './VideoPlayer';
import { admit } from './wall/cap';
import { dropOnTile, hasCameraDrag, readCameraDragData, setCameraDragData } from './wall/drag';
import { fitTiles, layoutGeometry } from './wall/layout';
import { tourPage, tourPages } from './wall/tour';
import './video.css';

export type LinkTarget = { caseId: string } | { alarmId: string } | { point: [number, number] };

export interface VideoWallHandle {
  /** Show a camera: in the first empty tile, else the focused/first tile. */
  show(cameraId: string): void;
  setTiles(tiles: Array<string | null>): void;
  setLayout(layout: WallLayout): void;
  startTour(tour: Tour): void;
  stopTour(): void;
  tiles(): Array<string | null>;
}

export interface VideoWallProps {
  api: ApiClient;
  locale?: Locale;
  initialLayout?: WallLayout;
  initialTiles?: Array<string | null>;
  /** Linkage: the tiles follow the cameras that see this target until it closes. */
  linkTarget?: LinkTarget | null;
  /** Overrides the settings' per-origin cap. */
  maxLivePerOrigin?: number;
  hlsEngine?: HlsPreference;
  /** Base for root-relative stream URLs (default: the page's location). */
  mediaBase?: string;
  toolbar?: boolean;
  /** Report player states to the host (video.report; default true). */
  reportHealth?: boolean;
  onTilesChange?(tiles: Array<string | null>): void;
  onLinkage?(result: LinkageResult | null): void;
  className?: string;
  ref?: Ref<VideoWallHandle>;
}

const CAMERA_CACHE_MAX = 256;

interface TourState extends Tour {
  page: number;
}

type Banner = { kind: 'info' | 'ended'; text: string } | null;

export function VideoWall(props: VideoWallProps) {
  const { api, locale = 'zh-CN', toolbar = true, reportHealth = true, hlsEngine = 'auto' } = props;
  const t = useMemo(() => videoT(locale), [locale]);
  const [layout, setLayoutState] = useState<WallLayout>(props.initialLayout ?? '4');
  const [tiles, setTilesState] = useState<Array<string | null>>(() => fitTiles(props.initialTiles ?? [], props.initialLayout ?? '4'));
  const [tour, setTour] = useState<TourState | null>(null);
  const [cameras, setCameras] = useState<ReadonlyMap<string, CameraDetail>>(new Map());
  const [settings, setSettings] = useState<VideoSettings>(DEFAULT_VIDEO_SETTINGS);
  const [maximised, setMaximised] = useState<number | null>(null);
  const [banner, setBanner] = useState<Banner>(null);
  const [retryTokens, setRetryTokens] = useState<ReadonlyMap<string, number>>(new Map());
  /** Ids the registry does not know (deleted, mistyped in a preset). */
  const [unknown, setUnknown] = useState<ReadonlySet<string>>(new Set());
  const tilesRef = useRef(tiles);
  tilesRef.current = tiles;
  const onTilesChange = useRef(props.onTilesChange);
  onTilesChange.current = props.onTilesChange;
  const onLinkage = useRef(props.onLinkage);
  onLinkage.current = props.onLinkage;

  const setTiles = useCallback((next: Array<string | null>) => {
    setTilesState(next);
    onTilesChange.current?.(next);
  }, []);
  const setLayout = useCallback(
    (next: WallLayout) => {
      setLayoutState(next);
      setMaximised(null);
      setTiles(fitTiles(tilesRef.current, next));
    },
    [setTiles],
  );

  // ---- settings
  useEffect(() => {
    let live = true;
    void api.call('video.settings.get', {}).then((r) => {
      if (live && r.ok) setSettings(r.value);
    });
    const off = api.on('video.settingsChanged', (s) => setSettings(s));
    return () => {
      live = false;
      off();
    };
  }, [api]);

  // ---- camera details for the tiles in view
  const wanted = useMemo(() => [...new Set(tiles.filter((x): x is string => x !== null))], [tiles]);
  const missing = wanted.filter((id) => !cameras.has(id) && !unknown.has(id));
  const missingKey = missing.join(',');
  useEffect(() => {
    if (missingKey === '') return;
    let live = true;
    const ids = missingKey.split(',');
    void api.call('cameras.getMany', { ids }).then((r) => {
      if (!live || !r.ok) return;
      setCameras((prev) => {
        const next = new Map(prev);
        for (const c of r.value) next.set(c.id, c);
        // A wall runs for days: keep the cache to the cameras in view once it grows.
        if (next.size > CAMERA_CACHE_MAX) {
          const inView = new Set(tilesRef.current);
          for (const id of next.keys()) if (!inView.has(id)) next.delete(id);
        }
        return next;
      });
      const found = new Set(r.value.map((c) => c.id));
      if (ids.some((id) => !found.has(id))) setUnknown((prev) => new Set([...prev, ...ids.filter((id) => !found.has(id))]));
    });
    return () => {
      live = false;
    };
  }, [api, missingKey]);
  useEffect(
    () =>
      api.on('camera.changed', ({ ids }) => {
        // Forget changed cameras; the ones in view are fetched again.
        setUnknown((prev) => (ids.some((id) => prev.has(id)) ? new Set([...prev].filter((id) => !ids.includes(id))) : prev));
        setCameras((prev) => {
          if (!ids.some((id) => prev.has(id))) return prev;
          const next = new Map(prev);
          for (const id of ids) next.delete(id);
          return next;
        });
      }),
    [api],
  );

  // ---- the host probe found a failed stream reachable again: retry it now
  useEffect(
    () =>
      api.on('video.health', ({ health }) => {
        if (health.method !== 'probe' || health.reachable !== true || health.state !== 'unknown') return;
        if (!tilesRef.current.includes(health.cameraId)) return;
        setRetryTokens((prev) => new Map(prev).set(health.cameraId, (prev.get(health.cameraId) ?? 0) + 1));
      }),
    [api],
  );

  // ---- tour
  const tileCount = LAYOUT_TILE_COUNT[layout];
  useEffect(() => {
    if (!tour) return;
    setTiles(tourPage(tour.cameraIds, tileCount, tour.page));
  }, [tour, tileCount, setTiles]);
  useEffect(() => {
    if (!tour || tourPages(tour.cameraIds.length, tileCount) <= 1) return;
    const timer = setTimeout(() => setTour((cur) => (cur ? { ...cur, page: cur.page + 1 } : cur)), tour.intervalS * 1000);
    return () => clearTimeout(timer);
  }, [tour, tileCount]);

  // ---- linkage
  const target = props.linkTarget ?? null;
  const targetKey = target ? JSON.stringify(target) : '';
  useEffect(() => {
    if (!targetKey) return;
    const tgt = JSON.parse(targetKey) as LinkTarget;
    let live = true;
    setTour(null);
    void api.call('video.linkedCameras', { ...tgt, limit: LAYOUT_TILE_COUNT[layout] }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setBanner({ kind: 'ended', text: r.error.message });
        onLinkage.current?.(null);
        return;
      }
      onLinkage.current?.(r.value);
      if (!r.value.active) {
        setTiles(fitTiles([], layout));
        setBanner({ kind: 'ended', text: r.value.reason === 'open' || r.value.reason === 'point' ? t('link.none') : t(`link.ended.${r.value.reason}`) });
        return;
      }
      setTiles(fitTiles(r.value.cameras.map((c) => c.camera.id), layout));
      setCameras((prev) => {
        const next = new Map(prev);
        for (const c of r.value.cameras) next.set(c.camera.id, c.camera);
        return next;
      });
      const n = r.value.cameras.length;
      const text =
        n === 0
          ? t('link.none')
          : r.value.target.kind === 'point'
            ? t('link.point', { n, r: r.value.radiusM })
            : t('link.case', { id: r.value.target.id ?? '', n, r: r.value.radiusM });
      setBanner({ kind: 'info', text });
    });
    const off = api.on('video.linkageEnded', (e) => {
      if (('caseId' in tgt && e.caseId === tgt.caseId) || ('alarmId' in tgt && e.alarmId === tgt.alarmId)) {
        setTiles(fitTiles([], layout));
        setBanner({ kind: 'ended', text: t(`link.ended.${e.reason}`) });
        onLinkage.current?.(null);
      }
    });
    return () => {
      live = false;
      off();
    };
    // `layout` is read when the target changes, not followed (a layout change keeps the linked tiles).
  }, [api, targetKey, t, setTiles]);

  // ---- imperative handle
  useImperativeHandle(
    props.ref,
    () => ({
      show(cameraId) {
        const cur = tilesRef.current;
        if (cur.includes(cameraId)) return;
        const empty = cur.indexOf(null);
        setTour(null);
        setTiles(dropOnTile(cur, empty >= 0 ? empty : (maximised ?? 0), { cameraId }));
      },
      setTiles(next) {
        setTour(null);
        setTiles(fitTiles(next, layout));
      },
      setLayout,
      startTour(tr) {
        setTour({ ...tr, page: 0 });
      },
      stopTour() {
        setTour(null);
      },
      tiles: () => tilesRef.current,
    }),
    [layout, maximised, setLayout, setTiles],
  );

  // ---- streams and the per-origin cap
  const caps = useMemo(() => detectCaps(window), []);
  const base = props.mediaBase ?? window.location.href;
  const tileStreams = tiles.map((id) => {
    const cam = id ? cameras.get(id) : undefined;
    const picked = cam ? pickStream(cam.streams, caps, hlsEngine) : null;
    return { camera: cam ?? null, picked, url: picked ? resolveStreamUrl(picked.stream.url, base) : null };
  });
  const capFor = (origin: string): number => capForOrigin({ maxLivePerOrigin: props.maxLivePerOrigin ?? settings.maxLivePerOrigin, originCaps: settings.originCaps }, origin);
  const admission = admit(
    tileStreams.map((s) => ({ stream: s.picked?.stream ?? null, url: s.url })),
    capFor,
  );

  const report = useCallback(
    (r: PlayerReport) => {
      if (!reportHealth) return;
      const input: { cameraId: string; streamIndex: number; state: PlayerReport['state']; detail: string; firstFrameMs?: number } = {
        cameraId: r.cameraId,
        streamIndex: r.streamIndex,
        state: r.state,
        detail: r.detail.slice(0, 300),
      };
      if (r.firstFrameMs !== undefined) input.firstFrameMs = r.firstFrameMs;
      void api.call('video.report', input);
    },
    [api, reportHealth],
  );

  const geometry = layoutGeometry(layout);
  const exitMaximised = useCallback(() => setMaximised(null), []);
  useEffect(() => {
    if (maximised === null) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') exitMaximised();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [maximised, exitMaximised]);

  return (
    <div className={`vw${props.className ? ` ${props.className}` : ''}`} data-testid="video-wall" data-layout={layout} data-tour={tour ? 'on' : 'off'}>
      {toolbar && (
        <WallToolbar
          api={api}
          t={t}
          layout={layout}
          tiles={tiles}
          tour={tour}
          tileCount={tileCount}
          defaultIntervalS={settings.tourIntervalS}
          onLayout={setLayout}
          onClear={() => {
            setTour(null);
            setTiles(fitTiles([], layout));
          }}
          onTour={(tr) => setTour(tr ? { ...tr, page: 0 } : null)}
          onApplyPreset={(p) => {
            setLayoutState(p.layout);
            setMaximised(null);
            setTour(p.tour ? { ...p.tour, page: 0 } : null);
            if (!p.tour) setTiles(fitTiles(p.tiles, p.layout));
          }}
        />
      )}
      {banner && (
        <div className={`vw-banner vw-banner-${banner.kind}`} data-testid="video-wall-banner" data-kind={banner.kind}>
          {banner.text}
        </div>
      )}
      <div className="vw-grid" style={{ gridTemplateColumns: `repeat(${geometry.columns}, 1fr)`, gridTemplateRows: `repeat(${geometry.rows}, 1fr)` }}>
        {geometry.tiles.map((box, i) => {
          const id = tiles[i] ?? null;
          const s = tileStreams[i]!;
          const admitted = admission.admitted[i] ?? true;
          const origin = admission.origin[i] ?? null;
          const tileState = !id ? 'empty' : unknown.has(id) ? 'unknown' : !s.camera ? 'loading' : !s.picked ? 'no_stream' : admitted ? 'active' : 'over_cap';
          return (
            <WallTile
              key={i}
              index={i}
              box={box}
              maximised={maximised === i}
              hidden={maximised !== null && maximised !== i}
              tileState={tileState}
              cameraId={id}
              onDropCamera={(payload) => {
                setTour(null);
                setTiles(dropOnTile(tilesRef.current, i, payload));
              }}
              onRemove={() => {
                setTour(null);
                const next = [...tilesRef.current];
                next[i] = null;
                setTiles(next);
              }}
              onMaximise={(on) => setMaximised(on ? i : null)}
              t={t}
            >
              {id && s.camera && (
                <VideoPlayer
                  key={`${id}#${s.picked?.index ?? -1}`}
                  cameraId={id}
                  cameraName={s.camera.name}
                  stream={s.picked?.stream ?? null}
                  streamIndex={s.picked?.index ?? 0}
                  active={admitted}
                  inactiveText={t('state.over_cap', { cap: origin ? capFor(origin) : 0 })}
                  mediaBase={base}
                  hlsEngine={hlsEngine}
                  stallMs={settings.stallMs}
                  connectTimeoutMs={settings.connectTimeoutMs}
                  locale={locale}
                  retryToken={retryTokens.get(id) ?? 0}
                  onReport={report}
                />
              )}
            </WallTile>
          );
        })}
      </div>
    </div>
  );
}

interface WallTileProps {
  index: number;
  box: ReturnType<typeof layoutGeometry>['tiles'][number];
  maximised: boolean;
  hidden: boolean;
  tileState: 'empty' | 'loading' | 'unknown' | 'no_stream' | 'active' | 'over_cap';
  cameraId: string | null;
  onDropCamera(payload: { cameraId: string; fromTile?: number }): void;
  onRemove(): void;
  onMaximise(on: boolean): void;
  t: VideoT;
  children?: ReactNode;
}

function WallTile(p: WallTileProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);
  const fullscreen = (): void => {
    const el = ref.current;
    if (p.maximised) {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      p.onMaximise(false);
      return;
    }
    p.onMaximise(true);
    // Real full screen where the browser allows it; the panel-wide tile remains otherwise.
    if (el && typeof el.requestFullscreen === 'function') void el.requestFullscreen().catch(() => undefined);
  };
  const { maximised } = p;
  const onMaximise = useRef(p.onMaximise);
  onMaximise.current = p.onMaximise;
  useEffect(() => {
    if (!maximised) return;
    // Leaving the browser's full screen (Esc, its own controls) also leaves the maximised tile.
    let wasFull = false;
    const onChange = (): void => {
      if (document.fullscreenElement === ref.current) wasFull = true;
      else if (wasFull) onMaximise.current(false);
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [maximised]);

  const style = p.maximised
    ? { gridColumn: '1 / -1', gridRow: '1 / -1' }
    : { gridColumn: `${p.box.col} / span ${p.box.colSpan}`, gridRow: `${p.box.row} / span ${p.box.rowSpan}` };
  return (
    <div
      ref={ref}
      className={`vw-tile${over ? ' vw-tile-over' : ''}${p.maximised ? ' vw-tile-max' : ''}`}
      style={p.hidden ? { ...style, display: 'none' } : style}
      data-testid="video-tile"
      data-index={p.index}
      data-camera-id={p.cameraId ?? ''}
      data-tile-state={p.tileState}
      draggable={p.cameraId !== null}
      onDragStart={(e) => {
        if (p.cameraId) setCameraDragData(e.dataTransfer, { cameraId: p.cameraId, fromTile: p.index });
      }}
      onDragOver={(e) => {
        if (hasCameraDrag(e.dataTransfer)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          if (!over) setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const payload = readCameraDragData(e.dataTransfer);
        if (!payload) return;
        e.preventDefault();
        p.onDropCamera(payload);
      }}
    >
      {p.children}
      {p.tileState === 'empty' && <div className="vw-empty">{p.t('state.empty')}</div>}
      {p.tileState === 'unknown' && <div className="vw-empty">{p.t('state.unknown', { id: p.cameraId ?? '' })}</div>}
      {p.cameraId && (
        <div className="vw-tile-tools">
          <button type="button" data-testid="tile-fullscreen" title={p.maximised ? p.t('fullscreen.exit') : p.t('fullscreen')} onClick={fullscreen}>
            {p.maximised ? '⤡' : '⤢'}
          </button>
          <button type="button" data-testid="tile-remove" title={p.t('clear.tile')} onClick={p.onRemove}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}

interface ToolbarProps {
  api: ApiClient;
  t: VideoT;
  layout: WallLayout;
  tiles: Array<string | null>;
  tour: TourState | null;
  tileCount: number;
  defaultIntervalS: number;
  onLayout(l: WallLayout): void;
  onClear(): void;
  onTour(t: Tour | null): void;
  onApplyPreset(p: WallPreset): void;
}

function WallToolbar(p: ToolbarProps) {
  const { api, t } = p;
  const [presets, setPresets] = useState<WallPreset[]>([]);
  const [selected, setSelected] = useState('');
  const [name, setName] = useState('');
  const [intervalS, setIntervalS] = useState(p.defaultIntervalS);
  useEffect(() => setIntervalS(p.defaultIntervalS), [p.defaultIntervalS]);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      void api.call('video.presets.list', {}).then((r) => {
        if (live && r.ok) setPresets(r.value);
      });
    };
    load();
    const off = api.on('video.presetsChanged', load);
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const tourGroup = p.tour?.cameraIds ?? p.tiles.filter((x): x is string => x !== null);
  const pages = p.tour ? tourPages(p.tour.cameraIds.length, p.tileCount) : 0;
  return (
    <div className="vw-toolbar" data-testid="video-wall-toolbar">
      <span className="vw-tool-label">{t('layout')}</span>
      {WALL_LAYOUTS.map((l) => (
        <button key={l} type="button" className={l === p.layout ? 'on' : ''} data-testid={`layout-${l}`} onClick={() => p.onLayout(l)}>
          {l}
        </button>
      ))}
      <button type="button" data-testid="wall-clear" onClick={p.onClear}>
        {t('clear')}
      </button>
      <span className="vw-sep" />
      <span className="vw-tool-label">{t('tour')}</span>
      <input
        type="number"
        min={3}
        max={3600}
        value={intervalS}
        title={t('tour.interval')}
        aria-label={t('tour.interval')}
        data-testid="tour-interval"
        onChange={(e) => setIntervalS(Math.max(3, Math.min(3600, Math.round(Number(e.target.value)) || 3)))}
      />
      {p.tour ? (
        <button type="button" data-testid="tour-stop" onClick={() => p.onTour(null)}>
          {t('tour.stop')}
        </button>
      ) : (
        <button type="button" data-testid="tour-start" disabled={tourGroup.length === 0} onClick={() => p.onTour({ cameraIds: tourGroup, intervalS })}>
          {t('tour.start')}
        </button>
      )}
      {p.tour && pages > 1 && <span className="vw-tool-label">{t('tour.page', { page: (p.tour.page % pages) + 1, pages, s: p.tour.intervalS })}</span>}
      <span className="vw-sep" />
      <span className="vw-tool-label">{t('preset')}</span>
      <select
        value={selected}
        data-testid="preset-select"
        aria-label={t('preset')}
        onChange={(e) => {
          setSelected(e.target.value);
          const preset = presets.find((x) => x.id === e.target.value);
          if (preset) p.onApplyPreset(preset);
        }}
      >
        <option value="">{t('preset.none')}</option>
        {presets.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
      {selected && (
        <button
          type="button"
          data-testid="preset-delete"
          onClick={() => {
            void api.call('video.presets.delete', { id: selected });
            setSelected('');
          }}
        >
          {t('preset.delete')}
        </button>
      )}
      <input value={name} placeholder={t('preset.name')} aria-label={t('preset.name')} data-testid="preset-name" maxLength={60} onChange={(e) => setName(e.target.value)} />
      <button
        type="button"
        data-testid="preset-save"
        disabled={name.trim() === ''}
        onClick={() => {
          void api
            .call('video.presets.save', { name: name.trim(), layout: p.layout, tiles: p.tiles, tour: p.tour ? { cameraIds: p.tour.cameraIds, intervalS: p.tour.intervalS } : null })
            .then((r) => {
              if (r.ok) {
                setSelected(r.value.id);
                setName('');
              }
            });
        }}
      >
        {t('preset.save')}
      </button>
    </div>
  );
}
