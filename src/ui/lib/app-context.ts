import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ClientStatus, GatewayClient } from './client';
import type { LogBuffer } from './log-buffer';

/** What every view gets: the live connection, its status, and the shared log tail. */
export interface AppState {
  client: GatewayClient;
  status: ClientStatus;
  /** Bumped on every (re)connect, so views reload their data after an outage. */
  generation: number;
  logs: LogBuffer;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppContext');
  return state;
}
