/**
 * Alarm sounds generated with WebAudio (no audio files): one pattern per severity.
 * - warning: two soft sine chimes;
 * - alarm: three square beeps;
 * - critical: a rising siren, three sweeps.
 * Browsers start an AudioContext suspended until the page is interacted with (unless the wall's
 * Chromium runs with --autoplay-policy=no-user-gesture-required); the player reports that state
 * so the strip can show "sound is off, click to enable" instead of staying silent unnoticed.
 */
import type { AlarmSeverity } from '../../../shared/domain/monitoring';

export type SoundState = 'running' | 'suspended' | 'unavailable';

export interface AlarmSoundPlayer {
  play(severity: AlarmSeverity): void;
  state(): SoundState;
  /** Try to start audio (call from a click). */
  resume(): Promise<void>;
  /** Called when the state changes; returns the unsubscribe function. */
  subscribe(listener: (state: SoundState) => void): () => void;
}

interface Tone {
  at: number;
  dur: number;
  type: OscillatorType;
  from: number;
  to: number;
  gain: number;
}

const PATTERNS: Readonly<Record<AlarmSeverity, readonly Tone[]>> = {
  warning: [
    { at: 0, dur: 0.16, type: 'sine', from: 660, to: 660, gain: 0.18 },
    { at: 0.26, dur: 0.22, type: 'sine', from: 880, to: 880, gain: 0.18 },
  ],
  alarm: [0, 0.26, 0.52].map((at) => ({ at, dur: 0.18, type: 'square' as const, from: 880, to: 880, gain: 0.1 })),
  critical: [0, 0.7, 1.4].map((at) => ({ at, dur: 0.62, type: 'sawtooth' as const, from: 600, to: 1400, gain: 0.12 })),
};

const RANK: Readonly<Record<AlarmSeverity, number>> = { warning: 1, alarm: 2, critical: 3 };

/** The pattern's length in seconds (a new sound does not start over one still playing). */
export const patternSeconds = (s: AlarmSeverity): number => Math.max(...PATTERNS[s].map((t) => t.at + t.dur));

export function createWebAudioPlayer(): AlarmSoundPlayer {
  let ctx: AudioContext | null = null;
  let busyUntil = 0;
  let busyRank = 0;
  const listeners = new Set<(s: SoundState) => void>();
  const Ctor: typeof AudioContext | undefined = typeof window !== 'undefined' ? window.AudioContext : undefined;

  const context = (): AudioContext | null => {
    if (ctx || !Ctor) return ctx;
    try {
      ctx = new Ctor();
      ctx.onstatechange = () => {
        for (const l of [...listeners]) l(state());
      };
    } catch {
      ctx = null;
    }
    return ctx;
  };
  const state = (): SoundState => {
    const c = context();
    if (!c) return 'unavailable';
    return c.state === 'running' ? 'running' : 'suspended';
  };

  return {
    play(severity) {
      const c = context();
      if (!c || c.state !== 'running') return;
      // A burst of alarms sounds once: while a pattern plays, equal or lower ones are dropped and
      // a higher one follows it.
      const rank = RANK[severity];
      if (c.currentTime < busyUntil && rank <= busyRank) return;
      busyRank = rank;
      const start = Math.max(c.currentTime + 0.02, busyUntil);
      for (const tone of PATTERNS[severity]) {
        const osc = c.createOscillator();
        const gain = c.createGain();
        const t0 = start + tone.at;
        osc.type = tone.type;
        osc.frequency.setValueAtTime(tone.from, t0);
        if (tone.to !== tone.from) osc.frequency.linearRampToValueAtTime(tone.to, t0 + tone.dur);
        gain.gain.setValueAtTime(0, t0);
        gain.gain.linearRampToValueAtTime(tone.gain, t0 + 0.02);
        gain.gain.setValueAtTime(tone.gain, t0 + tone.dur - 0.04);
        gain.gain.linearRampToValueAtTime(0, t0 + tone.dur);
        osc.connect(gain).connect(c.destination);
        osc.start(t0);
        osc.stop(t0 + tone.dur + 0.01);
      }
      busyUntil = start + patternSeconds(severity) + 0.15;
    },
    state,
    async resume() {
      const c = context();
      if (c && c.state !== 'running') await c.resume();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
