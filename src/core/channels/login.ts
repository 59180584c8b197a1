import { redactConfig } from '../config/redact';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { channelDef } from './channels';

/** The `channel.login` event and the `channels.login` answer: where a QR linking stands. */
export interface ChannelLoginState {
  channel: string;
  state: 'waiting' | 'linked' | 'failed';
  /** The text the QR code encodes (WhatsApp rotates it about every 20 s); absent until the first. */
  qr?: string;
  account?: string;
  error?: string;
}

/** What a linking gives back: the account, and the values for `channels.<id>` (WhatsApp: mode "web"). */
export interface LinkResult {
  account?: string;
  config: Record<string, unknown>;
}

/** One QR linking (WhatsApp Web, signal-cli link), run by the runtime that can (Node). */
export type ChannelLinker = (io: {
  onQr(qr: string): void;
  relink: boolean;
  signal: AbortSignal;
}) => Promise<LinkResult>;

interface Linking {
  linkers: Record<string, ChannelLinker>;
  running: Map<string, { state: ChannelLoginState; abort: AbortController }>;
}

const linkings = new WeakMap<object, Linking>();

/** Registers the linkers this runtime has; the returned function stops every linking in progress. */
export function attachChannelLinkers(ctx: object, linkers: Record<string, ChannelLinker>): () => void {
  const linking: Linking = { linkers, running: new Map() };
  linkings.set(ctx, linking);
  return () => {
    for (const { abort } of linking.running.values()) abort.abort();
  };
}

/** One "Link <label>" panel in `channels.catalog`: a channel linked with a QR code here. */
export interface LinkEntry {
  id: string;
  label: string;
  /** What the phone's owner does with the code. */
  steps: string;
}

/** The channels that can be linked with a QR code here (none on Workers), named by their `qrLink`. */
export function linkableChannels(ctx: object): LinkEntry[] {
  return Object.keys(linkings.get(ctx)?.linkers ?? {}).flatMap((id) => {
    const def = channelDef(id);
    return def ? [{ id, label: def.qrLink?.label ?? def.label, steps: def.qrLink?.steps ?? '' }] : [];
  });
}

/**
 * Starts linking `channel` (or answers where the one in progress stands: a double click starts
 * nothing twice). Each QR code and the outcome go out as `channel.login` events; once linked, the
 * channel's values and `enabled: true` are written to the config, and the running channel connects.
 */
export function startChannelLogin(
  ctx: Pick<GatewayContext, 'configStore' | 'log' | 'events'>,
  channel: string,
  relink = false,
): ChannelLoginState {
  const def = channelDef(channel);
  if (!def) throw new GatewayError('NOT_FOUND', `no channel ${JSON.stringify(channel)}`);
  const linking = linkings.get(ctx);
  const linker = linking && Object.hasOwn(linking.linkers, def.id) ? linking.linkers[def.id] : undefined;
  if (!linking || !linker)
    throw new GatewayError(
      'UNAVAILABLE',
      `${def.label} is not linked with a QR code on this gateway${linking ? '' : ' (it needs the Node gateway)'}`,
    );
  const open = linking.running.get(def.id);
  if (open) return open.state;

  const abort = new AbortController();
  const entry = { state: { channel: def.id, state: 'waiting' } as ChannelLoginState, abort };
  linking.running.set(def.id, entry);
  const publish = (state: ChannelLoginState) => {
    entry.state = state;
    ctx.events.emit('channel.login', state);
  };
  const log = ctx.log.scope(def.id);
  publish(entry.state);
  linker({ onQr: (qr) => publish({ channel: def.id, state: 'waiting', qr }), relink, signal: abort.signal })
    .then(async (result) => {
      // The document as the Config view sends it (literal secrets as the redaction marker, which keeps them).
      const raw = redactConfig(structuredClone(ctx.configStore.current().raw ?? {})) as Record<
        string,
        unknown
      >;
      const channels = (raw.channels ?? {}) as Record<string, Record<string, unknown>>;
      raw.channels = {
        ...channels,
        [def.id]: { ...(channels[def.id] ?? {}), ...result.config, enabled: true },
      };
      await ctx.configStore.apply(raw);
      log.info(`linked from the control connection${result.account ? ` as ${result.account}` : ''}`);
      publish({ channel: def.id, state: 'linked', ...(result.account ? { account: result.account } : {}) });
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`linking failed: ${message}`);
      publish({ channel: def.id, state: 'failed', error: message });
    })
    .finally(() => linking.running.delete(def.id));
  return entry.state;
}
