/**
 * Calls one API method and keeps its answer for a component. Designed for a wall that must never
 * go blank: when a refresh fails, the last good answer stays and `stale` says so.
 * Refreshes on demand, on an interval, on pushed events (debounced) and after a reconnect.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, EventName, MethodInput, MethodName, MethodOutput } from '../../../shared/api';
import { useConnectionState, useOnReconnect, useTransport } from './ApiContext';

export interface QueryOptions {
  /** Refresh this often, ms. */
  refreshMs?: number;
  /** Refresh when one of these events arrives (debounced). */
  refreshOn?: readonly EventName[];
  /** Debounce for event-driven refreshes, ms (default 1500). */
  debounceMs?: number;
  /** Skip calling while false (e.g. an input is not known yet). */
  enabled?: boolean;
}

export interface QueryState<T> {
  /** The last good answer (kept when later refreshes fail). */
  data: T | null;
  /** The error of the last attempt, if it failed. */
  error: ApiError | null;
  /** True while a call is in flight. */
  loading: boolean;
  /** The data shown may be out of date: the last attempt failed or the link is down. */
  stale: boolean;
  /** When `data` was last received (epoch ms). */
  updatedAt: number | null;
  /** The input `data` answers (differs from the current input while a new one loads). */
  dataKey: string | null;
  refresh(): void;
}

export function useApiQuery<M extends MethodName>(method: M, input: MethodInput<M>, options: QueryOptions = {}): QueryState<MethodOutput<M>> {
  const { client } = useTransport();
  const connection = useConnectionState();
  const key = useMemo(() => `${method}:${JSON.stringify(input)}`, [method, input]);
  const inputRef = useRef(input);
  useEffect(() => {
    inputRef.current = input;
  });
  const enabled = options.enabled ?? true;

  const [state, setState] = useState<{ data: MethodOutput<M> | null; dataKey: string | null; error: ApiError | null; loading: boolean; updatedAt: number | null }>({
    data: null,
    dataKey: null,
    error: null,
    loading: enabled,
    updatedAt: null,
  });
  const seq = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    void client.call(method, inputRef.current).then((r) => {
      if (!mounted.current || mine !== seq.current) return;
      if (r.ok) setState({ data: r.value, dataKey: key, error: null, loading: false, updatedAt: Date.now() });
      else setState((s) => ({ ...s, error: r.error, loading: false }));
    });
  }, [client, method, key, enabled]);

  useEffect(run, [run]);

  useEffect(() => {
    if (!enabled || !options.refreshMs) return undefined;
    const timer = setInterval(run, options.refreshMs);
    return () => clearInterval(timer);
  }, [run, enabled, options.refreshMs]);

  const refreshOnRef = useRef(options.refreshOn);
  useEffect(() => {
    refreshOnRef.current = options.refreshOn;
  });
  const eventsKey = options.refreshOn ? options.refreshOn.join(',') : '';
  const debounceMs = options.debounceMs ?? 1500;
  useEffect(() => {
    const refreshOn = refreshOnRef.current ?? [];
    if (!enabled || refreshOn.length === 0) return undefined;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const trigger = (): void => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        run();
      }, debounceMs);
    };
    const offs = refreshOn.map((e) => client.on(e, trigger));
    return () => {
      offs.forEach((off) => off());
      if (timer !== null) clearTimeout(timer);
    };
    // eventsKey stands for the content of refreshOn, which callers usually pass as a new array.
  }, [client, eventsKey, debounceMs, run, enabled]);

  useOnReconnect(run);

  return {
    ...state,
    stale: state.data !== null && (state.error !== null || connection !== 'open'),
    refresh: run,
  };
}
