import { getAtPath, parseDottedPath } from '../config/dotted-path';
import { redactConfig } from '../config/redact';
import type { GatewayContext } from '../context';
import { envVar } from '../env';
import { GatewayError } from '../errors';
import type { LogHub } from '../log/logger';
import { credentialKey } from '../secrets';
import type { SetupField } from './channel-def';
import { CHANNEL_LIST, channelDef } from './channels';

/** A secret is a token or key: anything longer than this is a paste gone wrong. */
export const MAX_SECRET_CHARS = 10 * 1024;
/** How long the platform may take to answer the one validating call. */
export const SETUP_TIMEOUT_MS = 15_000;

/** A secret as typed or pasted: trimmed, refused when empty, too long, or holding spaces or line breaks. */
export function checkSecretValue(label: string, value: string | undefined): string {
  const text = (value ?? '').trim();
  if (!text) throw new GatewayError('INVALID_PARAMS', `${label}: empty`);
  if (text.length > MAX_SECRET_CHARS)
    throw new GatewayError('PAYLOAD_TOO_LARGE', `${label}: longer than 10 KB (${text.length} characters)`);
  if (/\s/.test(text))
    throw new GatewayError(
      'INVALID_PARAMS',
      `${label}: contains spaces or line breaks; paste the value alone`,
    );
  return text;
}

/**
 * What setting a channel up uses: the gateway's context from the control connection, or the one
 * `krabkrab channels add` builds over the state dir. One implementation for the browser and the shell.
 */
export type SetupContext = Pick<
  GatewayContext,
  'env' | 'store' | 'config' | 'configStore' | 'clock' | 'log'
> & {
  logs?: Pick<LogHub, 'redactor'>;
};

/** Setups running now, per gateway: a double submit is refused instead of validating twice. */
const running = new WeakMap<SetupContext, Set<string>>();

/** One "Add <Channel>" form in `channels.catalog`: the channel's setup fields, never a value. */
export interface SetupEntry {
  id: string;
  label: string;
  fields: SetupField[];
}

export interface ChannelSetupResult {
  channel: string;
  /** The account the platform named (`@krab_bot`), when it did. */
  account?: string;
  /** Things the owner should know (an env var that wins over the stored value). */
  notes: string[];
}

/** The setup forms of the channels that have one, from the CHANNELS table. */
export function setupCatalog(): SetupEntry[] {
  return CHANNEL_LIST.flatMap((def) =>
    def.setup ? [{ id: def.id, label: def.label, fields: def.setup.fields }] : [],
  );
}

/**
 * Sets a channel up from its form: checks the values, validates them against the platform with
 * one call (exactly as `krabkrab channels add` does), stores the secrets in the credentials area
 * (never in krabkrab.json), writes the non-secret values and `enabled: true` to the config. The
 * running gateway then starts the channel; its status shows the login.
 */
export async function setupChannel(
  ctx: SetupContext,
  id: string,
  values: Record<string, string>,
  options: { fetch?: typeof fetch } = {},
): Promise<ChannelSetupResult> {
  const def = channelDef(id);
  if (!def?.setup) throw new GatewayError('NOT_FOUND', `no channel ${JSON.stringify(id)} to set up here`);
  const known = new Set(def.setup.fields.map((field) => field.name));
  const unknown = Object.keys(values).find((name) => !known.has(name));
  if (unknown)
    throw new GatewayError('INVALID_PARAMS', `${def.label} has no field ${JSON.stringify(unknown)}`);
  const clean: Record<string, string | undefined> = {};
  for (const field of def.setup.fields) {
    const raw = values[field.name];
    if ((raw === undefined || raw.trim() === '') && field.optional) continue;
    if (field.secret) clean[field.name] = checkSecretValue(field.label, raw);
    else {
      const text = (raw ?? '').trim();
      if (!text) throw new GatewayError('INVALID_PARAMS', `${field.label}: empty`);
      if (text.length > 1024) throw new GatewayError('PAYLOAD_TOO_LARGE', `${field.label}: too long`);
      clean[field.name] = text;
    }
  }

  const busy = running.get(ctx) ?? new Set<string>();
  running.set(ctx, busy);
  if (busy.has(def.id))
    throw new GatewayError('CONFLICT', `${def.label} is already being set up; wait for that answer`);
  busy.add(def.id);
  try {
    const result = await withTimeout(
      ctx,
      def.setup.validate(clean, {
        env: ctx.env,
        config: ctx.config(),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
      SETUP_TIMEOUT_MS,
      def.label,
    );
    if (!result.ok) throw new GatewayError('BAD_REQUEST', `${def.label} did not accept it: ${result.error}`);

    const notes: string[] = [...(result.notes ?? [])];
    for (const field of def.setup.fields) {
      const value = clean[field.name];
      if (!field.secret || !field.env || value === undefined) continue;
      // The shell may hand in the value from its env: that is where it lives, so nothing is stored.
      const fromEnv = envVar(ctx.env, field.env);
      if (fromEnv?.trim() === value) {
        notes.push(`using ${field.env} from the environment (nothing stored)`);
        continue;
      }
      await ctx.store.set(credentialKey(field.env), value);
      ctx.logs?.redactor.add(value);
      if (fromEnv) notes.push(`${field.env} is set in the environment and wins over the stored value`);
      else {
        // A value in krabkrab.json (literal or ${VAR}) is read before the stored one.
        const inConfig = (def.secrets[field.env]?.configPaths ?? []).find(
          (path) => getAtPath(ctx.configStore.current().raw, parseDottedPath(path)).found,
        );
        if (inConfig) notes.push(`${inConfig} in krabkrab.json wins over the stored value; remove it`);
      }
    }
    // The document as the Config view sends it (literal secrets as the redaction marker, which keeps them).
    const raw = redactConfig(structuredClone(ctx.configStore.current().raw ?? {})) as Record<string, unknown>;
    const channels = (raw.channels ?? {}) as Record<string, Record<string, unknown>>;
    const section: Record<string, unknown> = {
      ...(channels[def.id] ?? {}),
      ...(result.config ?? {}),
      enabled: true,
    };
    for (const field of def.setup.fields) {
      const value = clean[field.name];
      if (field.secret || !field.configPath || value === undefined) continue;
      section[field.configPath.split('.').pop() as string] = value;
    }
    raw.channels = { ...channels, [def.id]: section };
    await ctx.configStore.apply(raw);
    ctx.log.info(`${def.id} set up${result.account ? ` (${result.account})` : ''}`);
    return { channel: def.id, ...(result.account ? { account: result.account } : {}), notes };
  } finally {
    busy.delete(def.id);
  }
}

/** The platform's answer, or a TIMEOUT naming it when it takes longer than `ms` on the gateway's clock. */
export function withTimeout<T>(
  ctx: Pick<GatewayContext, 'clock'>,
  work: Promise<T>,
  ms: number,
  label: string,
): Promise<T> {
  let cancel = () => {};
  const timeout = new Promise<never>((_, reject) => {
    cancel = ctx.clock.setTimer(
      () =>
        reject(
          new GatewayError(
            'TIMEOUT',
            `${label} did not answer within ${Math.round(ms / 1000)} s; try again`,
            {
              retryable: true,
            },
          ),
        ),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => cancel());
}
