import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import type { KrabConfig } from '../../../src/core/config/schema';
import { planTunnels } from '../../../src/core/tunnel/plan';
import {
  publicBaseUrl,
  reportTunnel,
  TUNNEL_URL_KEY,
  tunnelStatusSection,
} from '../../../src/core/tunnel/state';
import { createTestContext } from '../../helpers/context';

function config(value: Record<string, unknown>): KrabConfig {
  const result = parseConfigValue(value, {});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value.config;
}

const voice = (cfg: Record<string, unknown> = {}) => ({
  plugins: { entries: { 'voice-call': { enabled: true, config: { provider: 'twilio', ...cfg } } } },
});

describe('planTunnels', () => {
  it("runs ngrok for the guide's voice config as written", () => {
    expect(planTunnels(config(voice({ tunnel: { provider: 'ngrok' } })))).toEqual([
      {
        provider: 'ngrok',
        users: ['voice-call'],
        paths: ['/voice'],
        ngrok: {},
        tailscale: {},
        primary: true,
      },
    ]);
  });

  it("loads the guide's voice config, and names the path of a wrong key", () => {
    expect(parseConfigValue(voice({ tunnel: { provider: 'ngrok' } }), {}).ok).toBe(true);
    const bad = parseConfigValue(voice({ tunnel: { provider: 'ngrokk' } }), {});
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.path).toBe('plugins.entries.voice-call.config.tunnel.provider');
    const number = parseConfigValue(voice({ inbound: { allowFrom: ['555-1234'] } }), {});
    expect(number.ok).toBe(false);
    if (!number.ok) expect(number.problems[0]!.message).toContain('E.164');
  });

  it("shares one tunnel when the voice plugin inherits the gateway's", () => {
    const plans = planTunnels(
      config({ gateway: { tunnel: { provider: 'ngrok', ngrok: { domain: 'krab.ngrok.app' } } }, ...voice() }),
    );
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      provider: 'ngrok',
      users: ['gateway', 'voice-call'],
      ngrok: { domain: 'krab.ngrok.app' },
      primary: true,
    });
  });

  it("lets the voice plugin's own tunnel win for its paths", () => {
    const plans = planTunnels(
      config({ gateway: { tunnel: { provider: 'ngrok' } }, ...voice({ tunnel: { provider: 'tailscale' } }) }),
    );
    expect(plans.map((p) => [p.provider, p.users, p.primary])).toEqual([
      ['ngrok', ['gateway'], true],
      ['tailscale', ['voice-call'], false],
    ]);
    expect(plans[1]!.paths).toEqual(['/voice']);
    expect(
      planTunnels(
        config({ gateway: { tunnel: { provider: 'ngrok' } }, ...voice({ tunnel: { provider: 'none' } }) }),
      ).map((p) => p.users),
    ).toEqual([['gateway']]);
  });

  it('funnels only webhook paths by default: voice and Telegram, never /', () => {
    const plans = planTunnels(
      config({
        gateway: { tunnel: { provider: 'tailscale' } },
        channels: { telegram: { webhookUrl: 'auto' } },
        ...voice(),
      }),
      { TELEGRAM_BOT_TOKEN: '1:token' },
    );
    expect(plans[0]!.paths).toEqual(['/telegram/webhook', '/voice']);
    // Telegram without a token does not run (CHANNELS' one decision), so its path stays closed.
    const tokenless = planTunnels(
      config({
        gateway: { tunnel: { provider: 'tailscale' } },
        channels: { telegram: { webhookUrl: 'auto' } },
      }),
    );
    expect(tokenless[0]!.paths).toEqual([]);
    const custom = planTunnels(
      config({ gateway: { tunnel: { provider: 'tailscale', tailscale: { paths: ['/hooks'] } } } }),
    );
    expect(custom[0]!.paths).toEqual(['/hooks']);
  });

  it("funnels each running channel's webhook paths from its ChannelDef: Discord's interactions once a public key is set", () => {
    const tailscale = { gateway: { tunnel: { provider: 'tailscale' } } };
    const paths = (channels: Record<string, unknown>, env: Record<string, string>) =>
      planTunnels(config({ ...tailscale, channels }), env)[0]!.paths;
    const discordToken = { DISCORD_BOT_TOKEN: 'discord-token' };
    expect(paths({ discord: {} }, discordToken)).toEqual([]);
    expect(paths({ discord: { publicKey: 'ab'.repeat(32) } }, discordToken)).toEqual([
      '/discord/interactions',
    ]);
    expect(paths({ discord: {} }, { ...discordToken, DISCORD_PUBLIC_KEY: 'ab'.repeat(32) })).toEqual([
      '/discord/interactions',
    ]);
    expect(
      paths(
        { whatsapp: { phoneNumberId: '1' }, slack: {} },
        { WHATSAPP_ACCESS_TOKEN: 'wa', SLACK_BOT_TOKEN: 'xoxb-1' },
      ),
    ).toEqual(['/slack/events', '/whatsapp/webhook']);
  });

  it('announces a fixed publicUrl, and plans nothing without tunnel or URL', () => {
    expect(planTunnels(config({ gateway: { publicUrl: 'https://krab.example.com' } }))).toMatchObject([
      { provider: 'fixed', url: 'https://krab.example.com', primary: true },
    ]);
    expect(planTunnels(config({ gateway: { mode: 'local' } }))).toEqual([]);
    expect(planTunnels(config(voice({ tunnel: { provider: 'ngrok' } }))).length).toBe(1);
    expect(
      planTunnels(
        config({
          plugins: {
            entries: { 'voice-call': { enabled: false, config: { tunnel: { provider: 'ngrok' } } } },
          },
        }),
      ),
    ).toEqual([]);
  });
});

describe('tunnel state', () => {
  it('logs, emits tunnel.url and stores the primary URL once per new URL; status shows it', async () => {
    const ctx = createTestContext({
      config: {
        gateway: { tunnel: { provider: 'ngrok' } },
        ...voice({ publicUrl: 'https://fixed.example.com' }),
      },
    });
    const events: Array<[string, unknown]> = [];
    ctx.events.subscribe((event, payload) => events.push([event, payload]));
    const plan = {
      provider: 'ngrok' as const,
      users: ['gateway' as const, 'voice-call' as const],
      primary: true,
      paths: [],
    };
    expect(publicBaseUrl(ctx, 'voice-call')).toBe('https://fixed.example.com');
    await reportTunnel(ctx, plan, { state: 'starting' });
    await reportTunnel(ctx, plan, { state: 'up', url: 'https://a1.ngrok-free.app' });
    await reportTunnel(ctx, plan, { state: 'up', url: 'https://a1.ngrok-free.app' });
    expect(publicBaseUrl(ctx, 'voice-call')).toBe('https://a1.ngrok-free.app');
    expect(await ctx.store.get(TUNNEL_URL_KEY)).toBe('https://a1.ngrok-free.app');
    expect(ctx.lines.filter((l) => l.line.startsWith('[tunnel] public URL')).map((l) => l.line)).toEqual([
      '[tunnel] public URL https://a1.ngrok-free.app (ngrok)',
    ]);
    expect(events.filter(([e]) => e === 'tunnel.url')).toEqual([
      ['tunnel.url', { url: 'https://a1.ngrok-free.app', provider: 'ngrok' }],
    ]);
    expect(tunnelStatusSection(ctx)).toMatchObject({
      url: 'https://a1.ngrok-free.app',
      tunnels: [{ provider: 'ngrok', state: 'up' }],
    });

    await reportTunnel(ctx, plan, { state: 'restarting', restarts: 1 });
    expect(publicBaseUrl(ctx, 'voice-call')).toBe('https://fixed.example.com');
    await reportTunnel(ctx, plan, { state: 'up', url: 'https://b2.ngrok-free.app' });
    expect(await ctx.store.get(TUNNEL_URL_KEY)).toBe('https://b2.ngrok-free.app');
    expect(events.filter(([e]) => e === 'tunnel.url')).toHaveLength(2);
  });
});
