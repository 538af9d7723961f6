/**
 * The alarm strip (告警条): the open alarms, most severe first, unacknowledged ones pulsing, with a
 * sound per severity when an alarm is raised, rises in severity or escalates; an unacknowledged
 * critical alarm sounds again every `repeatCriticalMs`.
 * A console seat may mute its own strip (remembered per seat in the browser); a wall strip
 * (`allowMute={false}`) cannot be muted, and when the browser blocks audio it says so on screen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { Alarm } from '../../../shared/api/monitoring';
import type { Locale } from '../../../shared/i18n';
import { formatHm } from '../time/format';
import { monitoringT } from './labels';
import { compareForStrip, countBySeverity, mergeOpen, muteKey, soundFor, SEVERITY_COLOURS } from './logic';
import { createWebAudioPlayer, type AlarmSoundPlayer, type SoundState } from './sound';
import './monitoring.css';

export interface AlarmStripProps {
  api: ApiClient;
  locale?: Locale;
  /** Which seat this strip belongs to (mute is remembered per seat). */
  seatId?: string;
  /** Console seats may mute; the wall never does (default true). */
  allowMute?: boolean;
  /** How many alarms to show (the rest are counted). */
  maxItems?: number;
  /** Repeat the sound of unacknowledged critical alarms this often (0: never; default 30 s). */
  repeatCriticalMs?: number;
  /** Injected in tests; default WebAudio. */
  player?: AlarmSoundPlayer;
  onSelect?(alarm: Alarm): void;
  className?: string;
}

const readMuted = (seatId: string): boolean => {
  try {
    return window.localStorage.getItem(muteKey(seatId)) === '1';
  } catch {
    return false;
  }
};

export function AlarmStrip(props: AlarmStripProps) {
  const { api, locale = 'zh-CN', seatId = 'default', allowMute = true, maxItems = 8, repeatCriticalMs = 30_000, onSelect } = props;
  const t = useMemo(() => monitoringT(locale), [locale]);
  const player = useMemo(() => props.player ?? createWebAudioPlayer(), [props.player]);
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [muted, setMuted] = useState(() => allowMute && readMuted(seatId));
  const [sound, setSound] = useState<SoundState>(() => player.state());
  const silent = useRef(muted);
  useEffect(() => {
    silent.current = allowMute && muted;
  }, [allowMute, muted]);
  useEffect(() => player.subscribe(setSound), [player]);

  const load = useCallback(() => {
    void api.call('alarms.list', { open: true, limit: 200 }).then((r) => {
      if (r.ok) setAlarms([...r.value.items].sort(compareForStrip));
    });
  }, [api]);

  useEffect(() => {
    load();
    const timer = setInterval(load, 60_000); // a safety net; events keep it current
    const offRaised = api.on('alarm.raised', ({ alarm }) => {
      setAlarms((list) => mergeOpen(list, alarm));
      const s = soundFor('raised', alarm);
      if (s && !silent.current) player.play(s);
    });
    const offUpdated = api.on('alarm.updated', ({ alarm, action }) => {
      setAlarms((list) => mergeOpen(list, alarm));
      const s = soundFor(action, alarm);
      if (s && !silent.current) player.play(s);
    });
    return () => {
      clearInterval(timer);
      offRaised();
      offUpdated();
    };
  }, [api, load, player]);

  // an unacknowledged critical alarm keeps calling for attention
  useEffect(() => {
    if (!repeatCriticalMs) return undefined;
    const timer = setInterval(() => {
      if (!silent.current && alarms.some((a) => a.severity === 'critical' && a.state === 'raised')) player.play('critical');
    }, repeatCriticalMs);
    return () => clearInterval(timer);
  }, [alarms, player, repeatCriticalMs]);

  const toggleMute = (): void => {
    const next = !muted;
    setMuted(next);
    try {
      if (next) window.localStorage.setItem(muteKey(seatId), '1');
      else window.localStorage.removeItem(muteKey(seatId));
    } catch {
      // storage unavailable: the choice lasts for this page only
    }
  };

  const counts = countBySeverity(alarms);
  const shown = alarms.slice(0, maxItems);
  return (
    <div className={`mon-strip${props.className ? ` ${props.className}` : ''}`} data-testid="alarm-strip" role="region" aria-label={t('strip.title')}>
      <div className="mon-strip-head">
        <span className="mon-strip-title">{t('strip.title')}</span>
        {(['critical', 'alarm', 'warning'] as const).map((s) => (
          <span key={s} className={`mon-count mon-sev-${s}`} data-severity={s} title={t(`severity.${s}`)}>
            {t(`severity.${s}`)} {counts[s]}
          </span>
        ))}
        {sound !== 'running' && sound !== 'unavailable' && !(allowMute && muted) && (
          <button type="button" className="mon-sound-blocked" onClick={() => void player.resume()} data-testid="alarm-sound-blocked">
            {t('strip.sound_blocked')}
          </button>
        )}
        {allowMute && (
          <button type="button" className="mon-mute" aria-pressed={muted} onClick={toggleMute} data-testid="alarm-mute" title={muted ? t('strip.muted') : t('strip.mute')}>
            {muted ? `🔇 ${t('strip.unmute')}` : `🔔 ${t('strip.mute')}`}
          </button>
        )}
      </div>
      <ul className="mon-strip-items">
        {shown.length === 0 && <li className="mon-strip-none">{t('strip.none')}</li>}
        {shown.map((a) => (
          <li
            key={a.id}
            className={`mon-strip-item mon-sev-${a.severity}${a.state === 'raised' ? ' mon-pulse' : ''}`}
            style={{ borderColor: SEVERITY_COLOURS[a.severity] }}
            data-alarm-id={a.id}
            data-severity={a.severity}
            data-state={a.state}
            onClick={() => onSelect?.(a)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onSelect?.(a);
            }}
            tabIndex={0}
          >
            <span className="mon-badge" style={{ background: SEVERITY_COLOURS[a.severity] }}>
              {t(`severity.${a.severity}`)}
            </span>
            <span className="mon-strip-sensor">{a.sensorName}</span>
            <span className="mon-strip-message">{a.message}</span>
            <span className="mon-strip-time">{formatHm(a.raisedAt)}</span>
            {a.state === 'acknowledged' && <span className="mon-strip-ack">{t('state.acknowledged')}</span>}
          </li>
        ))}
        {alarms.length > shown.length && <li className="mon-strip-more">{t('strip.more', { n: alarms.length - shown.length })}</li>}
      </ul>
    </div>
  );
}
