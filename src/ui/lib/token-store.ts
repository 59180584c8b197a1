/**
 * Where the gateway token lives in the browser: `sessionStorage` (gone when the tab closes) by
 * default, `localStorage` only when the owner ticks "remember on this device". It is never put in
 * a URL, a cookie or a log.
 */
export const TOKEN_KEY = 'krabkrab.gatewayToken';

export interface SavedToken {
  token: string;
  remember: boolean;
}

function storage(kind: 'local' | 'session'): Storage | undefined {
  try {
    return kind === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    // Storage can be disabled (privacy settings); the UI then just asks again.
    return undefined;
  }
}

export function loadToken(): SavedToken | undefined {
  const remembered = storage('local')?.getItem(TOKEN_KEY);
  if (remembered) return { token: remembered, remember: true };
  const session = storage('session')?.getItem(TOKEN_KEY);
  return session ? { token: session, remember: false } : undefined;
}

export function saveToken({ token, remember }: SavedToken): void {
  forgetToken();
  try {
    storage(remember ? 'local' : 'session')?.setItem(TOKEN_KEY, token);
  } catch {
    // Quota or disabled storage: the connection still works for this page.
  }
}

export function forgetToken(): void {
  storage('local')?.removeItem(TOKEN_KEY);
  storage('session')?.removeItem(TOKEN_KEY);
}
