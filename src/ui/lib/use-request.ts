import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp } from './app-context';
import type { RequestError } from './client';

export interface RequestState<T> {
  data?: T;
  error?: RequestError;
  loading: boolean;
  /** False when the gateway does not offer the method (yet). */
  available: boolean;
  reload(): void;
}

/** Calls a method when connected (again after every reconnect) and keeps its latest answer. */
export function useRequest<T>(method: string, params?: unknown, deps: unknown[] = []): RequestState<T> {
  const { client, generation, status } = useApp();
  const available = client.has(method);
  const [state, setState] = useState<{ data?: T; error?: RequestError; loading: boolean }>({
    loading: available,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const connected = status.state === 'connected';
  useEffect(() => {
    if (!available || !connected) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    client.request<T>(method, params).then(
      (data) => live && setState({ data, loading: false }),
      (error: RequestError) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [client, method, available, connected, generation, tick, ...deps]);

  return { ...state, available, reload };
}
