import { join } from 'node:path';
import { randomToken } from '../../../core/auth/token';
import { createGraphClient } from '../../../core/channels/whatsapp/graph';
import {
  ACCESS_TOKEN_SECRET,
  APP_SECRET_SECRET,
  graphApiRoot,
  VERIFY_TOKEN_SECRET,
  WHATSAPP_WEBHOOK_PATH,
} from '../../../core/channels/whatsapp/settings';
import { envVar } from '../../../core/env';
import { credentialKey } from '../../../core/secrets';
import { TUNNEL_URL_KEY } from '../../../core/tunnel/state';
import type { ChannelAction } from '../cli/channels-command';
import { configSet } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';

const flag = (values: Record<string, unknown>, name: string) =>
  typeof values[name] === 'string' ? (values[name] as string).trim() || undefined : undefined;

/**
 * `krabkrab channels add whatsapp --phone-number-id <id> --token <access token> --app-secret <secret>`
 * (from `fly ssh console`): checks the id and token with `GET /{phoneNumberId}`, stores the secrets
 * in the credentials area (0600, never in krabkrab.json), keeps or generates the verify token,
 * enables the channel, and prints what to paste into Meta's console: the callback URL and the
 * verify token.
 */
export const addWhatsAppChannel: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const current = await readConfigFile(configPath, io.env);
  const whatsapp = current.ok === true ? (current.value.config.channels?.whatsapp ?? {}) : {};
  const phoneNumberId = flag(values, 'phone-number-id') ?? whatsapp.phoneNumberId;
  if (!phoneNumberId || !/^\d+$/.test(phoneNumberId))
    throw new CliError(
      "pass the phone number id from Meta's console (WhatsApp > API Setup): channels add whatsapp --phone-number-id <digits> --token <access token> --app-secret <app secret>",
      EXIT.USAGE,
    );
  const given: Record<string, string | undefined> = {
    [ACCESS_TOKEN_SECRET]: flag(values, 'token'),
    [APP_SECRET_SECRET]: flag(values, 'app-secret'),
    [VERIFY_TOKEN_SECRET]: flag(values, 'verify-token'),
  };
  const fromEnv = (name: string) => envVar(io.env, name)?.trim();
  const store = createNodeStore(stateDir);
  try {
    const token =
      given[ACCESS_TOKEN_SECRET] ??
      fromEnv(ACCESS_TOKEN_SECRET) ??
      (await store.get<string>(credentialKey(ACCESS_TOKEN_SECRET)));
    if (!token)
      throw new CliError('pass the access token: --token <token> (or set WHATSAPP_ACCESS_TOKEN)', EXIT.USAGE);
    const appSecret =
      given[APP_SECRET_SECRET] ??
      fromEnv(APP_SECRET_SECRET) ??
      (await store.get<string>(credentialKey(APP_SECRET_SECRET)));
    if (!appSecret)
      throw new CliError(
        'pass the app secret (Meta app > App settings > Basic): --app-secret <secret> (or set WHATSAPP_APP_SECRET); without it no webhook can be verified',
        EXIT.USAGE,
      );

    let phone: { displayPhoneNumber?: string; verifiedName?: string };
    try {
      phone = await createGraphClient({
        root: graphApiRoot(io.env, whatsapp),
        phoneNumberId,
        token,
      }).phoneNumber();
    } catch (error) {
      throw new CliError(`credentials not accepted: ${(error as Error).message}`);
    }

    const notes: string[] = [];
    for (const name of [ACCESS_TOKEN_SECRET, APP_SECRET_SECRET, VERIFY_TOKEN_SECRET]) {
      const value = given[name];
      if (!value) continue;
      if (fromEnv(name) && fromEnv(name) !== value)
        notes.push(`warning: ${name} is set in the environment and wins over the stored value`);
      await store.set(credentialKey(name), value);
      notes.push(`stored ${name} in ${join(stateDir, 'credentials', 'secrets', name)} (mode 0600)`);
    }
    let verifyToken =
      given[VERIFY_TOKEN_SECRET] ??
      fromEnv(VERIFY_TOKEN_SECRET) ??
      whatsapp.verifyToken ??
      (await store.get<string>(credentialKey(VERIFY_TOKEN_SECRET))) ??
      undefined;
    if (!verifyToken) {
      verifyToken = randomToken(24);
      await store.set(credentialKey(VERIFY_TOKEN_SECRET), verifyToken);
      notes.push(`generated a verify token and stored it as ${VERIFY_TOKEN_SECRET} (mode 0600)`);
    }
    const base =
      (await store.get<string>(TUNNEL_URL_KEY)) ??
      (current.ok === true ? current.value.config.gateway?.publicUrl : undefined);

    const silent = { ...io, stdout: () => {} };
    await configSet(['channels.whatsapp.phoneNumberId', JSON.stringify(phoneNumberId)], values, silent);
    await configSet(['channels.whatsapp.mode', '"cloud"'], values, silent);
    await configSet(['channels.whatsapp.enabled', 'true'], values, silent);
    notes.push(
      `set channels.whatsapp (enabled, mode "cloud", phoneNumberId ${phoneNumberId}) in ${configPath}`,
    );

    const callback = base
      ? `${base.replace(/\/+$/, '')}${WHATSAPP_WEBHOOK_PATH}`
      : `https://<your-app>.fly.dev${WHATSAPP_WEBHOOK_PATH}`;
    const number = phone.displayPhoneNumber ?? phoneNumberId;
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, channel: 'whatsapp', number, callbackUrl: callback, verifyToken, configPath })}\n`,
      );
      return EXIT.OK;
    }
    io.stdout(
      [
        `whatsapp: the token works for ${number}${phone.verifiedName ? ` (${phone.verifiedName})` : ''}`,
        ...notes.map((note) => `  ${note}`),
        "paste into Meta's console (WhatsApp > Configuration > Webhook):",
        `  Callback URL:  ${callback}`,
        `  Verify token:  ${verifyToken}`,
        ...(base
          ? []
          : ["  (no public URL known yet: use your app's https URL, or set gateway.publicUrl / a tunnel)"]),
        '  then subscribe to the "messages" webhook field.',
        'next: a running gateway reloads krabkrab.json ("[whatsapp] logged in to whatsapp as ...");',
        '  a stranger who writes gets a pairing code: krabkrab pairing approve whatsapp <code>',
        '',
      ].join('\n'),
    );
    return EXIT.OK;
  } finally {
    await store.dispose();
  }
};
