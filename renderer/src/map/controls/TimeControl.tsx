/**
 * The time control: live, a moment in the last 30 days (slider by the hour), or a window (presets).
 * Changing it updates the shared map state: every wall redraws cases, alarms and density for it.
 */
import { useEffect, useState } from 'react';
import type { TimeSelection } from '../../../../shared/domain/map';
import { shanghaiDateTime } from '../../../../shared/time';
import type { MapT } from '../i18n';
import { momentToSlider, presetWindow, SLIDER_STEPS, sliderToMoment, WINDOW_PRESETS, type WindowPreset } from '../state/navigation';

export interface TimeControlProps {
  time: TimeSelection;
  t: MapT;
  onChange(time: TimeSelection): void;
  /** Compact (the wall) or with every control (the console panel). */
  compact?: boolean;
}

const presetKey = (p: WindowPreset) => `time.window.${p}` as const;

export function describeTime(time: TimeSelection, t: MapT): string {
  switch (time.mode) {
    case 'live':
      return t('time.live');
    case 'moment':
      return shanghaiDateTime(Date.parse(time.at));
    case 'window':
      return `${shanghaiDateTime(Date.parse(time.from))} – ${shanghaiDateTime(Date.parse(time.to)).slice(5)}`;
  }
}

export function TimeControl({ time, t, onChange, compact = false }: TimeControlProps) {
  const [now, setNow] = useState(() => Date.now());
  const [draft, setDraft] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const sliderValue = draft ?? (time.mode === 'moment' ? momentToSlider(Date.parse(time.at), now) : SLIDER_STEPS);
  const commit = (step: number): void => {
    setDraft(null);
    if (step >= SLIDER_STEPS) onChange({ mode: 'live' });
    else onChange({ mode: 'moment', at: new Date(sliderToMoment(step, Date.now())).toISOString() });
  };
  const hoursBack = SLIDER_STEPS - sliderValue;
  return (
    <div className={`map-time${compact ? ' compact' : ''}`} data-testid="time-control" data-mode={time.mode}>
      <div className="time-row">
        <button type="button" className="time-live" data-testid="time-live" data-active={time.mode === 'live' ? '1' : '0'} onClick={() => onChange({ mode: 'live' })}>
          <span className="live-dot" aria-hidden="true" />
          {t('time.live')}
        </button>
        {WINDOW_PRESETS.map((p) => (
          <button key={p} type="button" className="time-preset" data-testid={`time-window-${p}`} onClick={() => onChange(presetWindow(p, Date.now()))}>
            {t(presetKey(p))}
          </button>
        ))}
      </div>
      <div className="time-row">
        <input
          type="range"
          className="time-slider"
          data-testid="time-slider"
          min={0}
          max={SLIDER_STEPS}
          step={1}
          value={sliderValue}
          aria-label={t('time.slider')}
          title={t('time.slider')}
          onChange={(e) => setDraft(Number(e.currentTarget.value))}
          onPointerUp={(e) => commit(Number(e.currentTarget.value))}
          onKeyUp={(e) => commit(Number(e.currentTarget.value))}
        />
        <span className="time-label" data-testid="time-label" data-mode={time.mode}>
          {draft !== null
            ? hoursBack === 0
              ? t('time.live')
              : hoursBack >= 48
                ? t('time.daysAgo', { n: Math.round(hoursBack / 24) })
                : t('time.hoursAgo', { n: hoursBack })
            : describeTime(time, t)}
        </span>
      </div>
    </div>
  );
}
