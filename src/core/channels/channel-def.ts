import type { KrabConfig } from '../config/schema';
import type { GatewayContext } from '../context';
import type { EnvRecord } from '../env';
import type { z } from '../zod';
import type { ChannelAdapter } from './types';

/** The slice of a WebSocket a channel's connection uses (the platform's, or `ws` on Node 20). */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type SocketFactory = (url: string) => SocketLike;

/** A secret a channel reads by name (`krabkrab secrets set <NAME>`, env), and where the config may also hold it. */
export interface ChannelSecret {
  what: string;
  /** Dotted config paths that hold the same secret (the env var and `secrets set` win over them). */
  configPaths: string[];
}

/**
 * What a channel's outbound adapter, connection and login read of the gateway context (its
 * config, secrets, store, logs, clock, the channel registry and the pipeline it feeds). A channel
 * that needs more widens this pick, so the contract says what channels touch.
 */
export type ChannelContext = Pick<
  GatewayContext,
  'config' | 'env' | 'store' | 'log' | 'logs' | 'clock' | 'channels' | 'pipeline'
>;

/**
 * A webhook handler: web Request in, web Response out (the same on Node and Workers). It is a
 * route, so it gets the route table's context (the whole one), like every other route handler.
 */
export type ChannelRouteHandler = (
  req: Request,
  ctx: GatewayContext,
  info: { address: string },
) => Response | Promise<Response>;

/**
 * The channels' parts that load on first use (webhook handlers, outbound adapters): lazy.ts, which
 * the runtime imports once and hands in, so nothing here pulls them into the start.
 */
export type ChannelParts = typeof import('./lazy');

/** An HTTP route a channel serves on the gateway's port; its handler comes from the lazily loaded parts. */
export interface ChannelRoute {
  method: 'GET' | 'POST';
  /** A fixed path, or `*` with `match` for a path set in the config. */
  path: string;
  match?: (req: Request, ctx: Pick<GatewayContext, 'config'>) => boolean;
  handler: (parts: ChannelParts) => ChannelRouteHandler;
}

/** One value a channel's setup asks for (the CLI's flags, the Control UI's "Add <Channel>" form). */
export interface SetupField {
  /** The key in `validate`'s values (and the CLI flag, kebab-cased). */
  name: string;
  label: string;
  /** Where to find the value (`from @BotFather`), shown under the field. */
  hint?: string;
  /** Stored in the credentials area under `env`, never in krabkrab.json; masked in forms. */
  secret: boolean;
  /** The env var / secret name it is read from (for secrets), if any. */
  env?: string;
  /** The config path a non-secret value is written to (`channels.whatsapp.phoneNumberId`). */
  configPath?: string;
  optional?: boolean;
}

export type SetupResult =
  | {
      ok: true;
      account?: string;
      /** Non-secret values the platform's answer gives, written into `channels.<id>` (Discord's application id). */
      config?: Record<string, unknown>;
      /** Things the owner should know (an intent that is off). */
      notes?: string[];
    }
  | { ok: false; error: string };

/** What `validate` may use: the env (API base overrides), the current config, and a fetch. */
export interface SetupDeps {
  env: EnvRecord;
  config: KrabConfig;
  fetch?: typeof fetch;
}

/** Checking a bot token with one call, for `doctor --deep` (Telegram `getMe`, Discord `/users/@me`, Slack `auth.test`). */
export interface TokenProbe {
  secret: string;
  configValue(config: KrabConfig): string | undefined;
  request(
    env: EnvRecord,
    config: KrabConfig,
    token: string,
  ): { url: string; headers: Record<string, string> };
  /** The bot's name from the answer's body. */
  botName(body: unknown): string | undefined;
  /** Why the platform refused the token in a 2xx answer (Slack's `{ ok: false, error }`), else undefined. */
  refusal?(body: unknown): string | undefined;
}

/**
 * A channel, once: everything the gateway's layers need to know about it. The `CHANNELS` table
 * (channels.ts) lists them; routes, secret names, tunnel paths, doctor, status, the CLI and the
 * Worker read it. Nothing here loads the channel's SDK or handlers: those are `import()`ed on use.
 */
export interface ChannelDef<Schema extends z.ZodType = z.ZodType> {
  id: string;
  /** The name people know it by (`Telegram`). */
  label: string;
  /** The zod schema of `channels.<id>`. */
  config: Schema;
  /**
   * THE decision whether the channel runs: `enabled: false` always wins, `enabled: true` runs it;
   * unset, whatever the channel's own credentials in env or config say. Every layer asks this.
   */
  enabled(config: KrabConfig, env: EnvRecord): boolean;
  secrets: Record<string, ChannelSecret>;
  routes?: ChannelRoute[];
  /** Paths a tunnel must expose for this config (Tailscale Funnel's list), when the channel is enabled. */
  webhookPaths?(config: KrabConfig, env: EnvRecord): string[];
  /**
   * The outbound adapter where no Node service runs it (Workers: replies to webhooks and spool
   * replays); undefined when this config sends nothing from there.
   */
  outbound?(ctx: ChannelContext, parts: ChannelParts): ChannelAdapter | undefined;
  /** What of this config needs a long-lived process, in words; undefined when it all works on Workers. */
  nodeOnly?(config: KrabConfig, env: EnvRecord): string | undefined;
  /**
   * For a channel without a Node service of its own: the connection a long-running runtime keeps
   * while it runs (Slack's Socket Mode), undefined when this config needs none. The runtime
   * registers `outbound` first and restarts both when the channel's config or secrets change.
   */
  connect?(
    ctx: ChannelContext,
    socket: SocketFactory,
    parts: ChannelParts,
  ): Promise<{ stop(): void } | undefined>;
  /** The bot's name once logged in (`[slack] logged in to slack as krab`), for the generic runner. */
  whoami?(ctx: ChannelContext): Promise<string>;
  /** The bot token checked by `doctor` (present) and `doctor --deep` (one login call). */
  tokenProbe?: TokenProbe;
  /**
   * For a channel linked by scanning a QR code with the phone (`channels login`, the Control UI's
   * "Link <label>" panel): what the panel is called and what the phone's owner does with the code.
   */
  qrLink?: { label: string; steps: string };
  /** The values `channels add` and the Control UI ask for, and one call that proves they work. */
  setup?: {
    fields: SetupField[];
    validate(values: Record<string, string | undefined>, deps: SetupDeps): Promise<SetupResult>;
  };
}

/** `enabled: false` wins, `true` runs; unset, it runs when `present` says its credentials are there. */
export function enabledBy(section: { enabled?: boolean } | undefined, present: () => boolean): boolean {
  return section?.enabled ?? present();
}
