/**
 * Stream health per camera for lists and the map: the worst state of the camera's streams, kept
 * current by the video.health event. Pass the camera ids in view (up to 2,000).
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api';
import type { StreamState } from '../../../shared/domain/video';

const RANK: Record<StreamState, number> = { unknown: 0, playing: 1, connecting: 2, stalled: 3, failed: 4 };

export function worstState(states: Iterable<StreamState>): StreamState {
  let worst: StreamState = 'unknown';
  for (const s of states) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

export function useStreamHealth(api: ApiClient, cameraIds: readonly string[]): ReadonlyMap<string, StreamState> {
  const [byCamera, setByCamera] = useState<ReadonlyMap<string, StreamState>>(new Map());
  const key = cameraIds.slice(0, 2_000).join(',');
  useEffect(() => {
    if (!key) {
      setByCamera(new Map());
      return;
    }
    const ids = key.split(',');
    const wanted = new Set(ids);
    const streams = new Map<string, Map<number, StreamState>>();
    const publish = (): void => {
      const out = new Map<string, StreamState>();
      for (const [id, m] of streams) out.set(id, worstState(m.values()));
      setByCamera(out);
    };
    let live = true;
    void api.call('video.health', { cameraIds: ids }).then((r) => {
      if (!live || !r.ok) return;
      for (const h of r.value) {
        if (!streams.has(h.cameraId)) streams.set(h.cameraId, new Map());
        streams.get(h.cameraId)!.set(h.streamIndex, h.state);
      }
      publish();
    });
    const off = api.on('video.health', ({ health }) => {
      if (!wanted.has(health.cameraId)) return;
      if (!streams.has(health.cameraId)) streams.set(health.cameraId, new Map());
      streams.get(health.cameraId)!.set(health.streamIndex, health.state);
      publish();
    });
    return () => {
      live = false;
      off();
    };
  }, [api, key]);
  return byCamera;
}
