import { randomToken } from '../../../core/auth/token';
import { WHATSAPP } from '../../../core/channels/whatsapp/def';
import {
  ACCESS_TOKEN_SECRET,
  APP_SECRET_SECRET,
  VERIFY_TOKEN_SECRET,
  WHATSAPP_WEBHOOK_PATH,
} from '../../../core/channels/whatsapp/settings';
import { envVar } from '../../../core/env';
import { credentialKey } from '../../../core/secrets';
import { TUNNEL_URL_KEY } from '../../../core/tunnel/state';
import { setupNotes } from '../cli/channel-add-generic';
import { setupChannelFromShell } from '../cli/channel-setup-shell';
import type { ChannelAction } from '../cli/channels-command';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';

const flag = (values: Record<string, unknown>, name: string) =>
  typeof values[name] === 'string' ? (values[name] as string).trim() || undefined : undefined;

/**
 * `krabkrab channels add whatsapp --phone-number-id <id> --token <access token> --app-secret <secret>`
 * (from `fly ssh console`): what the Control UI's "Add WhatsApp" does (`channels.setup`: checked with
 * `GET /{phoneNumberId}`, secrets stored 0600, mode "cloud", enabled), with values it may already
 * have (env, the credentials area) and a verify token generated when there is none. Prints what to
 * paste into Meta's console: the callback URL and the verify token.
 */
export const addWhatsAppChannel: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const current = await readConfigFile(configPath, io.env);
  const whatsapp = current.ok === true ? (current.value.config.channels?.whatsapp ?? {}) : {};
  const phoneNumberId = flag(values, 'phone-number-id') ?? whatsapp.phoneNumberId;
  if (!phoneNumberId)
    throw new CliError(
      "pass the phone number id from Meta's console (WhatsApp > API Setup): channels add whatsapp --phone-number-id <digits> --token <access token> --app-secret <app secret>",
      EXIT.USAGE,
    );
  const store = createNodeStore(stateDir);
  let fields: Record<string, string>;
  let base: string | undefined;
  try {
    const known = async (name: string, given: string | undefined) =>
      given ?? envVar(io.env, name)?.trim() ?? (await store.get<string>(credentialKey(name))) ?? undefined;
    const accessToken = await known(
      ACCESS_TOKEN_SECRET,
      flag(values, 'token') ?? flag(values, 'access-token'),
    );
    if (!accessToken)
      throw new CliError('pass the access token: --token <token> (or set WHATSAPP_ACCESS_TOKEN)', EXIT.USAGE);
    const appSecret = await known(APP_SECRET_SECRET, flag(values, 'app-secret'));
    if (!appSecret)
      throw new CliError(
        'pass the app secret (Meta app > App settings > Basic): --app-secret <secret> (or set WHATSAPP_APP_SECRET); without it no webhook can be verified',
        EXIT.USAGE,
      );
    const verifyToken =
      (await known(VERIFY_TOKEN_SECRET, flag(values, 'verify-token'))) ??
      whatsapp.verifyToken ??
      randomToken(24);
    fields = { phoneNumberId, accessToken, appSecret, verifyToken };
    base =
      (await store.get<string>(TUNNEL_URL_KEY)) ??
      (current.ok === true ? current.value.config.gateway?.publicUrl : undefined);
  } finally {
    await store.dispose();
  }

  const done = await setupChannelFromShell('whatsapp', fields, values, io, current);
  const callback = base
    ? `${base.replace(/\/+$/, '')}${WHATSAPP_WEBHOOK_PATH}`
    : `https://<your-app>.fly.dev${WHATSAPP_WEBHOOK_PATH}`;
  const number = done.result.account ?? phoneNumberId;
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ ok: true, channel: 'whatsapp', number, callbackUrl: callback, verifyToken: fields.verifyToken, configPath })}\n`,
    );
    return EXIT.OK;
  }
  io.stdout(
    [
      `whatsapp: the token works for ${number}`,
      ...setupNotes(WHATSAPP, fields, done, io).map((note) => `  ${note}`),
      "paste into Meta's console (WhatsApp > Configuration > Webhook):",
      `  Callback URL:  ${callback}`,
      `  Verify token:  ${fields.verifyToken}`,
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
};
