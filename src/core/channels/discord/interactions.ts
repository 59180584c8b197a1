import * as z from '../../zod';

/**
 * Discord interactions over HTTP (slash commands): the payloads, the `/ask` command and the
 * Ed25519 check. https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint
 */
export const INTERACTION_TYPE = { PING: 1, APPLICATION_COMMAND: 2 } as const;
export const RESPONSE_TYPE = { PONG: 1, CHANNEL_MESSAGE: 4, DEFERRED_CHANNEL_MESSAGE: 5 } as const;
/** Message flag: only the user who ran the command sees it. */
export const EPHEMERAL = 1 << 6;

/** Signed requests older (or newer) than this are refused, so a captured one cannot be replayed later. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** `/ask prompt:<text>`, as `krabkrab channels discord register-commands` registers it. */
export const ASK_COMMAND = {
  name: 'ask',
  description: 'Ask the assistant',
  type: 1,
  options: [{ type: 3, name: 'prompt', description: 'What to ask', required: true, max_length: 4000 }],
} as const;

export interface InteractionUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface Interaction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  data?: { name?: string; options?: Array<{ name: string; type: number; value?: unknown }> };
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string; type: number; name?: string; parent_id?: string | null };
  member?: { user?: InteractionUser; nick?: string | null };
  user?: InteractionUser;
}

/**
 * Checks Discord's Ed25519 signature over `timestamp + body` with the application's public
 * key, via discord-interactions `verifyKey` (WebCrypto, so it runs on Workers too).
 */
export async function verifyInteraction(
  body: string,
  signature: string,
  timestamp: string,
  publicKey: string,
  now: number,
): Promise<boolean> {
  const seconds = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - seconds * 1000) > MAX_SIGNATURE_AGE_MS) return false;
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^[0-9a-f]{64}$/i.test(publicKey)) return false;
  const module = await import('discord-interactions');
  // A CommonJS package: bundled (esbuild), its exports arrive as `default`; unbundled, as named exports.
  const verifyKey = module.verifyKey ?? (module as unknown as { default: typeof module }).default.verifyKey;
  return verifyKey(body, signature, timestamp, publicKey);
}

const interactionUserShape = z.looseObject({
  id: z.string(),
  username: z.string(),
  global_name: z.string().nullish(),
});

/** The fields the gateway reads, typed as Discord documents them (other fields pass through). */
const interactionShape = z.looseObject({
  id: z.string().optional(),
  application_id: z.string().optional(),
  type: z.number(),
  token: z.string().optional(),
  data: z
    .looseObject({
      name: z.string().optional(),
      options: z.array(z.looseObject({ name: z.string(), type: z.number(), value: z.unknown() })).optional(),
    })
    .optional(),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  channel: z
    .looseObject({
      id: z.string(),
      type: z.number(),
      name: z.string().optional(),
      parent_id: z.string().nullish(),
    })
    .optional(),
  member: z.looseObject({ user: interactionUserShape.optional(), nick: z.string().nullish() }).optional(),
  user: interactionUserShape.optional(),
});

/**
 * Parses a verified body; undefined when it is not an interaction, or a field the gateway reads
 * has another type than Discord documents (so a malformed one is a 400, not a TypeError later).
 */
export function parseInteraction(body: string): Interaction | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = interactionShape.safeParse(value);
  return parsed.success ? (parsed.data as Interaction) : undefined;
}

/** The `prompt` option of `/ask`, trimmed; undefined for any other command or an empty prompt. */
export function askPrompt(interaction: Interaction): string | undefined {
  if (
    interaction.type !== INTERACTION_TYPE.APPLICATION_COMMAND ||
    interaction.data?.name !== ASK_COMMAND.name
  )
    return undefined;
  const value = interaction.data.options?.find((option) => option.name === 'prompt')?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function interactionUser(interaction: Interaction): InteractionUser | undefined {
  return interaction.member?.user ?? interaction.user;
}
