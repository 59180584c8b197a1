/** Server events fanned out to every authenticated control connection (`channel.status`, `log`, ...). */
export interface EventHub {
  emit(event: string, payload: unknown): void;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  return {
    emit(event, payload) {
      for (const listener of listeners) {
        try {
          listener(event, payload);
        } catch {
          // One broken connection must not stop the others from hearing the event.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
