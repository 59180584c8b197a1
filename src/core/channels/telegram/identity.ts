import type { Store } from '../../storage/store';
import type { TelegramApi } from './api';
import type { TelegramBotIdentity } from './normalize';
import { TELEGRAM_IDENTITY_KEY } from './settings';

const known = new WeakMap<Store, TelegramBotIdentity>();

/** Keeps the bot's `getMe` answer in memory and in the store (the webhook handler reads it from there). */
export async function rememberTelegramIdentity(store: Store, identity: TelegramBotIdentity): Promise<void> {
  known.set(store, identity);
  await store.set(TELEGRAM_IDENTITY_KEY, identity);
}

/**
 * The bot's identity: from memory, else the store, else `getMe` (a Worker that never ran the
 * Node service learns it on its first webhook).
 */
export async function telegramIdentity(
  store: Store,
  api: () => Promise<TelegramApi>,
): Promise<TelegramBotIdentity> {
  const cached = known.get(store);
  if (cached) return cached;
  const stored = await store.get<TelegramBotIdentity>(TELEGRAM_IDENTITY_KEY);
  if (stored && typeof stored.id === 'number' && typeof stored.username === 'string') {
    known.set(store, stored);
    return stored;
  }
  const me = await (await api()).getMe();
  const identity: TelegramBotIdentity = { id: me.id, username: me.username, firstName: me.first_name };
  await rememberTelegramIdentity(store, identity);
  return identity;
}
