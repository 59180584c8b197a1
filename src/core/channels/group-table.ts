import type { groupPolicy, groupTable } from '../config/sections/policy';
import type { z } from '../zod';

/** A channel's group settings where groups are listed by chat id (Telegram, WhatsApp, Signal). */
export interface GroupTableSettings {
  groupPolicy?: z.infer<typeof groupPolicy>;
  groups?: z.infer<typeof groupTable>;
  requireMention?: boolean;
}

/**
 * `groupPolicy` (default `allowlist`): `open` answers every group but those with `allow: false`,
 * `allowlist` only groups with `allow: true` (`groups."*"` covers all), `disabled` none.
 * `requireMention` (default true) comes from the group, then `groups."*"`, then the channel.
 */
export function admitFromGroupTable(
  settings: GroupTableSettings,
  chatId: string,
): { allowed: boolean; requireMention: boolean } {
  const group = settings.groups?.[chatId];
  const fallback = settings.groups?.['*'];
  const allow = group?.allow ?? fallback?.allow;
  const policy = settings.groupPolicy ?? 'allowlist';
  const allowed = policy === 'open' ? allow !== false : policy === 'allowlist' ? allow === true : false;
  const requireMention = group?.requireMention ?? fallback?.requireMention ?? settings.requireMention ?? true;
  return { allowed, requireMention };
}
