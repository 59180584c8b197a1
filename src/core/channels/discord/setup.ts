import type { KrabConfig } from '../../config/schema';
import type { EnvRecord } from '../../env';
import type { SetupDeps, SetupResult } from '../channel-def';
import { hasMessageContentIntent } from './invite';
import { discordApiBase } from './rest';

/** Three dot-separated base64url parts, as the developer portal's Bot → Reset Token hands out. */
const TOKEN_SHAPE = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/;

/** https://discord.com/developers/docs/resources/application#application-object (the fields used). */
interface Application {
  id?: string;
  verify_key?: string;
  flags?: number;
}

/** `<base>/v10<path>` unless the configured base names a version already. */
export function discordUrl(env: EnvRecord, config: KrabConfig, path: string): string {
  const base = discordApiBase(config, env);
  return `${/\/v\d+$/.test(base) ? base : `${base}/v10`}${path}`;
}

/**
 * `channels add discord` and the Control UI's "Add Discord": `GET /users/@me` proves the token
 * (https://discord.com/developers/docs/resources/user#get-current-user); the application
 * (`GET /oauth2/applications/@me`, best effort) gives the id and public key the interactions
 * endpoint needs, which are not secrets and go into `channels.discord`.
 */
export async function validateDiscordSetup(
  values: Record<string, string | undefined>,
  { env, config, fetch: doFetch = fetch }: SetupDeps,
): Promise<SetupResult> {
  const token = values.token?.trim();
  if (!token) return { ok: false, error: 'the bot token is missing' };
  if (!TOKEN_SHAPE.test(token))
    return {
      ok: false,
      error:
        'that does not look like a bot token (three dot-separated parts, from Bot → Reset Token; not the client secret or public key)',
    };
  const headers = { authorization: `Bot ${token}` };
  let me: { username?: string };
  try {
    const res = await doFetch(discordUrl(env, config, '/users/@me'), { headers });
    if (res.status === 401 || res.status === 403)
      return { ok: false, error: `Discord rejected the bot token (HTTP ${res.status})` };
    if (!res.ok) return { ok: false, error: `Discord answered HTTP ${res.status}` };
    me = (await res.json()) as { username?: string };
  } catch (error) {
    return { ok: false, error: `cannot reach Discord: ${(error as Error).message}` };
  }
  const app: Application = await doFetch(discordUrl(env, config, '/oauth2/applications/@me'), { headers })
    .then((res) => (res.ok ? (res.json() as Promise<Application>) : {}))
    .catch(() => ({}));
  const notes =
    app.flags !== undefined && !hasMessageContentIntent(app.flags)
      ? [
          'the Message Content intent is off; enable it under Bot → Privileged Gateway Intents, or messages arrive empty',
        ]
      : [];
  return {
    ok: true,
    ...(me.username ? { account: me.username } : {}),
    config: {
      ...(app.id ? { applicationId: app.id } : {}),
      ...(app.verify_key ? { publicKey: app.verify_key } : {}),
    },
    notes,
  };
}
