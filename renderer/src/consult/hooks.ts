/**
 * Data of the consultation screens, over the ApiClient they are given (IPC or WebSocket alike):
 * one call kept for a component, the session the wall follows, and this session's decisions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, ApiError, MethodInput, MethodName, MethodOutput } from '../../../shared/api';
import type { Decision, Session, SessionState } from '../../../shared/api/consult';

export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'CallError';
  }
}

/** Call a method; throws CallError with the API's error when it fails. */
export async function call<M extends MethodName>(api: ApiClient, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await api.call(method, input);
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}

export interface CallState<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** One call kept for a component; re-run when `key` changes or on reload(). The last good answer stays on failure. */
export function useCall<M extends MethodName>(api: ApiClient, method: M, input: MethodInput<M> | null, key: string): CallState<MethodOutput<M>> {
  const [data, setData] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  // Declared before the fetching effect, so it has run when that one reads the input.
  useEffect(() => {
    inputRef.current = input;
  });
  useEffect(() => {
    const current = inputRef.current;
    if (current === null) return;
    let live = true;
    api.call(method, current).then(
      (r) => {
        if (!live) return;
        if (r.ok) {
          setData(r.value);
          setError(null);
        } else setError(r.error.message);
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, method, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

/**
 * The open consultation, followed live: a step or focus updates the state in place; a new session
 * (or one opened while none was) is fetched with its agenda.
 */
export function useConsultSession(api: ApiClient): { session: Session | null; loaded: boolean; error: string | null; reload(): void } {
  const [session, setSession] = useState<Session | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idRef = useRef<string | null>(null);
  const versionRef = useRef(0);

  const fetchCurrent = useCallback(() => {
    api.call('consult.session.current', {}).then((r) => {
      setLoaded(true);
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setError(null);
      idRef.current = r.value?.id ?? null;
      versionRef.current = r.value?.version ?? 0;
      setSession(r.value);
    }, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [api]);

  useEffect(() => {
    fetchCurrent();
    return api.on('consult.session', (state: SessionState) => {
      if (state.id !== idRef.current) {
        if (state.state === 'open') fetchCurrent();
        return;
      }
      if (state.version < versionRef.current) return;
      versionRef.current = state.version;
      if (state.state === 'closed') {
        setSession((prev) => (prev && prev.id === state.id ? { ...prev, ...state } : prev));
        return;
      }
      setSession((prev) => (prev && prev.id === state.id ? { ...prev, ...state } : prev));
    });
  }, [api, fetchCurrent]);

  return { session, loaded, error, reload: fetchCurrent };
}

/** The decisions of a session, refreshed when one is recorded or its case moves. */
export function useDecisions(api: ApiClient, sessionId: string | null): Decision[] {
  const [list, setList] = useState<Decision[]>([]);
  useEffect(() => {
    if (!sessionId) {
      setList([]);
      return;
    }
    let live = true;
    const load = (): void => {
      api.call('consult.decisions.list', { sessionId }).then((r) => {
        if (live && r.ok) setList(r.value);
      }, () => undefined);
    };
    load();
    const off = api.on('consult.decision', (d) => {
      if (d.sessionId === sessionId) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [api, sessionId]);
  return list;
}
