/** The header's live facts: system.info, the mode (pushed), and the heartbeat. */
import { useState } from 'react';
import type { EventPayload, MethodOutput } from '../../../shared/api';
import type { Mode } from '../../../shared/domain/model';
import { useEvent } from '../api/ApiContext';
import { useApiQuery, type QueryState } from '../api/useApiQuery';

export type SystemInfo = MethodOutput<'system.info'>;

export interface ModeState {
  mode: Mode;
  since: string;
}

export function useSystemInfo(): QueryState<SystemInfo> {
  return useApiQuery('system.info', {}, { refreshMs: 60_000, refreshOn: ['case.created'], debounceMs: 5_000 });
}

/** The newer of two mode states (by the time the mode was set). */
export function newerMode(a: ModeState | null, b: ModeState | null): ModeState | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.since) > Date.parse(a.since) ? b : a;
}

/** The mode from system.info or from system.mode events, whichever was set last. */
export function useMode(info: SystemInfo | null): ModeState | null {
  const [pushed, setPushed] = useState<ModeState | null>(null);
  useEvent('system.mode', (p) => setPushed({ mode: p.mode, since: p.modeSince }));
  return newerMode(info ? { mode: info.mode, since: info.modeSince } : null, pushed);
}

export interface Heartbeat {
  /** When this client last received a heartbeat (its own clock, epoch ms). */
  receivedAt: number;
  payload: EventPayload<'system.heartbeat'>;
}

export function useHeartbeat(): Heartbeat | null {
  const [beat, setBeat] = useState<Heartbeat | null>(null);
  useEvent('system.heartbeat', (payload) => setBeat({ receivedAt: Date.now(), payload }));
  return beat;
}
