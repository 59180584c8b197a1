/**
 * What the bot needs in a channel, as Discord's permission bits
 * (https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags).
 */
export const BOT_PERMISSIONS: Record<string, bigint> = {
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
};

/** Application flags saying the Message Content intent is switched on (full or, for small bots, limited). */
const MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19);

export function botPermissions(): string {
  return Object.values(BOT_PERMISSIONS)
    .reduce((sum, bit) => sum | bit, 0n)
    .toString();
}

/** The link the owner opens to add the bot (and its slash commands) to a server. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: botPermissions(),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}

/** Whether the application's flags show the privileged Message Content intent enabled. */
export function hasMessageContentIntent(flags: number | undefined): boolean {
  return ((flags ?? 0) & MESSAGE_CONTENT_FLAGS) !== 0;
}
