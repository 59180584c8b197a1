import type { ChannelDef } from '../../../core/channels/channel-def';
import { CHANNEL_LIST, enabledChannels } from '../../../core/channels/channels';
import type { KrabConfig } from '../../../core/config/schema';
import { resolveSecretWithSource } from '../../../core/secrets';
import { createNodeStore } from '../node-store';
import { probe } from './probe';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

/**
 * The channels that run (`ChannelDef.enabled`, the gateway's own decision) each have their token;
 * `--deep` logs in once (getMe, /users/@me, auth.test) to prove it works. A section that is written but does
 * not run (no credentials found) is said so.
 */
export const channelsCheck: DoctorCheck = {
  name: 'channels',
  async run(input) {
    // A missing config is the minimal one: nothing configured yet. An invalid one is reported by the config check.
    if (input.config.ok === false) return [];
    const config: KrabConfig = input.config.ok === true ? input.config.value.config : {};
    const channels = enabledChannels(config, input.env);
    const idle = idleSections(config, channels);
    if (channels.length === 0) {
      return [
        {
          check: 'channels',
          level: 'warn',
          message: 'no channel configured: nobody can message the agent yet',
          fix: 'e.g. krabkrab channels add telegram --token <token>, or set TELEGRAM_BOT_TOKEN',
        },
        ...idle,
      ];
    }
    const store = createNodeStore(input.stateDir);
    try {
      const checked = await Promise.all(channels.map((def) => checkChannel(input, config, def, store)));
      return [...checked.flat(), ...idle];
    } finally {
      await store.dispose();
    }
  },
};

/** Sections present, not `enabled: false`, that do not run: their credentials are missing. */
function idleSections(config: KrabConfig, running: ChannelDef[]): CheckResult[] {
  const sections = (config.channels ?? {}) as Record<string, { enabled?: boolean } | undefined>;
  return CHANNEL_LIST.filter(
    (def) => sections[def.id] && sections[def.id]?.enabled !== false && !running.includes(def),
  ).map((def) => ({
    check: 'channels',
    level: 'warn',
    message: `${def.id}: configured but not running: no credentials found in env or config`,
    fix: `krabkrab channels add ${def.id}, or set channels.${def.id}.enabled true`,
  }));
}

async function checkChannel(
  input: DoctorInput,
  config: KrabConfig,
  def: ChannelDef,
  store: ReturnType<typeof createNodeStore>,
): Promise<CheckResult[]> {
  const spec = def.tokenProbe;
  if (!spec) return [{ check: 'channels', level: 'ok', message: `${def.id}: configured` }];
  const name = def.id;
  const token = await resolveSecretWithSource(
    { env: input.env, store },
    spec.secret,
    spec.configValue(config),
  );
  if (!token) {
    return [
      {
        check: 'channels',
        level: 'warn',
        message: `${name}: enabled but no bot token`,
        fix: `set ${spec.secret} (fly secrets set ${spec.secret}=...) or krabkrab secrets set ${spec.secret}`,
      },
    ];
  }
  const source = token.source === 'config' ? 'config' : `${token.source} ${spec.secret}`;
  if (!input.deep)
    return [{ check: 'channels', level: 'ok', message: `${name}: bot token present (${source})` }];
  const { url, headers } = spec.request(input.env, config, token.value);
  const answered = await probe(input.fetch, url, headers, input.timeoutMs);
  const refused = answered.level === 'ok' ? spec.refusal?.(answered.body) : undefined;
  const outcome = refused ? { level: 'error' as const, text: `rejected (${refused})` } : answered;
  const bot = outcome.level === 'ok' ? spec.botName(outcome.body) : undefined;
  return [
    {
      check: 'channels',
      level: outcome.level,
      message: `${name}: bot token (${source}) ${outcome.text}${bot ? `: logged in as ${bot}` : ''}`,
      ...(outcome.level === 'error' ? { fix: `replace ${spec.secret} with the token of a live bot` } : {}),
    },
  ];
}
