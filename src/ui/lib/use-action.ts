import { useState } from 'preact/hooks';
import type { RequestError } from './client';

export interface ActionState {
  /** The key of the action running now (a button shows it as busy), if any. */
  busy?: string;
  /** What the last action failed with; cleared when the next one starts. */
  error?: RequestError;
  run(key: string, action: () => Promise<void>): Promise<void>;
}

/** A view's buttons that call the gateway: which one is working, and the last failure. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<RequestError>();
  async function run(key: string, action: () => Promise<void>): Promise<void> {
    setBusy(key);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err as RequestError);
    } finally {
      setBusy(undefined);
    }
  }
  return { busy, error, run };
}
