/**
 * The walls' shared map state (map.state.get, then the 'map.state' events): what every attached
 * wall shows and what the console's layer panel edits.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MapStateEnvelope } from '../../../../shared/api/map';
import type { MethodInput, Result } from '../../../../shared/api';
import { useApi, useEvent, useOnReconnect } from '../../api/ApiContext';

export interface MapStateHandle {
  env: MapStateEnvelope | null;
  error: string | null;
  update(patch: Omit<MethodInput<'map.state.update'>, 'actor'>): Promise<Result<MapStateEnvelope>>;
}

export function useMapState(actor: string): MapStateHandle {
  const api = useApi();
  const [env, setEnv] = useState<MapStateEnvelope | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void api.call('map.state.get', {}).then((r) => {
      if (r.ok) setEnv((cur) => (cur && cur.version > r.value.version ? cur : r.value));
      else setError(r.error.message);
    });
  }, [api]);
  useEffect(load, [load]);
  useOnReconnect(load);
  useEvent('map.state', (e) => setEnv((cur) => (cur && cur.version > e.version ? cur : e)));
  const update = useCallback(
    async (patch: Omit<MethodInput<'map.state.update'>, 'actor'>) => {
      const r = await api.call('map.state.update', { ...patch, actor });
      if (r.ok) setEnv((cur) => (cur && cur.version > r.value.version ? cur : r.value));
      else setError(r.error.message);
      return r;
    },
    [api, actor],
  );
  return { env, error, update };
}
