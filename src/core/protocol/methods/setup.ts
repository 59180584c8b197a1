import { linkableChannels } from '../../channels/login';
import {
  checkSecretValue,
  SETUP_TIMEOUT_MS,
  setupCatalog,
  setupChannel,
  withTimeout,
} from '../../channels/setup';
import { envVar } from '../../env';
import { GatewayError } from '../../errors';
import { checkProviderKey } from '../../providers/key-check';
import { isKnownSecretName, SECRET_NAMES } from '../../secret-names';
import { credentialKey, resolveSecretWithSource } from '../../secrets';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { ChannelSetupAnswer, ChannelsCatalog, SecretsList } from '../payloads/setup';

/**
 * Onboarding from the Control UI (and the CLI): channel setup forms and write-only secrets.
 * Nothing here ever sends a secret back: answers say set or not, and where it comes from.
 */

/** The "Add <Channel>" forms: each channel's setup fields from the CHANNELS table. */
export const channelsCatalog = defineMethod(
  z.object({}).optional(),
  (_params, { ctx }): ChannelsCatalog => ({
    channels: setupCatalog(),
    /** Channels linked with a QR code here (`channels.login`): WhatsApp Web, Signal on Node. */
    linkable: linkableChannels(ctx),
  }),
);

export const channelsSetup = defineMethod(
  z.object({ channel: z.string().min(1).max(64), values: z.record(z.string(), z.string()) }),
  async ({ channel, values }, { ctx }): Promise<ChannelSetupAnswer> => ({
    ok: true,
    ...(await setupChannel(ctx, channel, values)),
  }),
);

/**
 * Stores a secret by name in the credentials area (0600, never krabkrab.json). Write-only: the
 * answer never holds it. `check`: a provider key is first tried with one cheap call (list models).
 */
export const secretsSet = defineMethod(
  z.object({ name: z.string().min(1).max(128), value: z.string(), check: z.boolean().optional() }),
  async ({ name, value, check }, { ctx }) => {
    if (!isKnownSecretName(name))
      throw new GatewayError('INVALID_PARAMS', `unknown secret ${JSON.stringify(name)}`);
    const clean = checkSecretValue(name, value);
    if (check) {
      const result = await withTimeout(ctx, checkProviderKey(ctx, name, clean), SETUP_TIMEOUT_MS, name);
      if (!result.ok) throw new GatewayError('BAD_REQUEST', result.error);
    }
    await ctx.store.set(credentialKey(name), clean);
    ctx.logs?.redactor.add(clean);
    ctx.log.info(`secret ${name} stored from the control connection`);
    return {
      ok: true,
      name,
      ...(envVar(ctx.env, name) ? { note: `${name} is set in the environment and wins` } : {}),
    };
  },
);

/** Which secrets are set and where from (env, config, stored), never their values. */
export const secretsList = defineMethod(
  z.object({}).optional(),
  async (_params, { ctx }): Promise<SecretsList> => {
    const secrets = await Promise.all(
      Object.entries(SECRET_NAMES).map(async ([name, spec]) => {
        const found = await resolveSecretWithSource(ctx, name);
        return { name, what: spec.what, set: Boolean(found), ...(found ? { source: found.source } : {}) };
      }),
    );
    return { secrets };
  },
);
