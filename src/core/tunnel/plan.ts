import { enabledChannels } from '../channels/channels';
import type { KrabConfig } from '../config/schema';
import type { tunnelSettings } from '../config/sections/gateway';
import type { EnvRecord } from '../env';
import { voiceCallConfigOf } from '../plugins/voice-call/enabled';
import type { z } from '../zod';

export type TunnelSettings = z.infer<typeof tunnelSettings>;
export type TunnelProvider = 'ngrok' | 'tailscale';
/** Who asked for a public URL: the gateway as a whole (Telegram's `webhookUrl: "auto"`), or a plugin for its own paths. */
export type TunnelUser = 'gateway' | 'voice-call';

/** One tunnel to run (or a fixed public URL to announce), shared by the users that chose the same provider. */
export interface TunnelPlan {
  provider: TunnelProvider | 'fixed';
  users: TunnelUser[];
  /** For Tailscale Funnel: the paths exposed (webhooks only, never the Control UI). */
  paths: string[];
  ngrok: NonNullable<TunnelSettings['ngrok']>;
  tailscale: NonNullable<TunnelSettings['tailscale']>;
  /** For `fixed`: the configured public URL. */
  url?: string;
  /** The plan whose URL is announced as the gateway's (`tunnel.url`, `state:tunnel-url`). */
  primary: boolean;
}

export interface TunnelChoice {
  provider?: TunnelProvider;
  /** The configured public base URL, used when no tunnel runs (or before it is up). */
  fixedUrl?: string;
  settings: TunnelSettings;
}

/** The voice webhooks' path prefix; Funnel exposes it when voice uses a Tailscale tunnel. */
export const VOICE_PATH = '/voice';

/** Which tunnel (or fixed URL) serves a user: the voice plugin's own `tunnel` wins over `gateway.tunnel` for its paths. */
export function tunnelChoice(config: KrabConfig, user: TunnelUser): TunnelChoice {
  const gateway = config.gateway?.tunnel ?? {};
  const gatewayChoice: TunnelChoice = {
    provider: gateway.provider === 'none' ? undefined : gateway.provider,
    fixedUrl: gateway.publicUrl ?? config.gateway?.publicUrl,
    settings: gateway,
  };
  if (user === 'gateway') return gatewayChoice;
  const voice = voiceCallConfigOf(config);
  if (!voice) return { settings: {} };
  const own = voice.tunnel ?? {};
  const provider = own.provider === 'none' ? undefined : (own.provider ?? gatewayChoice.provider);
  return {
    provider,
    fixedUrl: own.publicUrl ?? voice.publicUrl ?? gatewayChoice.fixedUrl,
    settings: {
      ngrok: { ...gateway.ngrok, ...own.ngrok },
      tailscale: { ...gateway.tailscale, ...own.tailscale },
    },
  };
}

/** Webhook paths the gateway serves for the enabled features (what Funnel exposes by default). */
export function webhookPaths(config: KrabConfig, env: EnvRecord): string[] {
  const paths: string[] = [];
  if (voiceCallConfigOf(config)) paths.push(VOICE_PATH);
  for (const def of enabledChannels(config, env)) paths.push(...(def.webhookPaths?.(config, env) ?? []));
  return paths;
}

/** The tunnels to run for a config: one per provider, shared by its users; or a fixed URL to announce. */
export function planTunnels(config: KrabConfig, env: EnvRecord = {}): TunnelPlan[] {
  const users: TunnelUser[] = voiceCallConfigOf(config) ? ['gateway', 'voice-call'] : ['gateway'];
  const plans: TunnelPlan[] = [];
  for (const user of users) {
    const choice = tunnelChoice(config, user);
    if (!choice.provider) continue;
    let plan = plans.find((p) => p.provider === choice.provider);
    if (!plan) {
      plan = { provider: choice.provider, users: [], paths: [], ngrok: {}, tailscale: {}, primary: false };
      plans.push(plan);
    }
    plan.users.push(user);
    plan.ngrok = { ...plan.ngrok, ...choice.settings.ngrok };
    plan.tailscale = { ...plan.tailscale, ...choice.settings.tailscale };
    const paths =
      choice.settings.tailscale?.paths ?? (user === 'voice-call' ? [VOICE_PATH] : webhookPaths(config, env));
    plan.paths = [...new Set([...plan.paths, ...paths])].sort();
  }
  const gatewayFixed = tunnelChoice(config, 'gateway').fixedUrl;
  if (plans.length === 0 && gatewayFixed) {
    plans.push({
      provider: 'fixed',
      users: ['gateway'],
      paths: [],
      ngrok: {},
      tailscale: {},
      url: gatewayFixed,
      primary: true,
    });
  }
  const primary = plans.find((p) => p.users.includes('gateway')) ?? plans[0];
  if (primary) primary.primary = true;
  return plans;
}
