import { envVar } from '../../env';
import type { ChannelDef } from '../channel-def';
import { slackAuthTest } from './api';
import { slackConfig } from './config';
import { slackIdentity } from './events';
import {
  APP_TOKEN_SECRET,
  BOT_TOKEN_SECRET,
  resolveAppToken,
  SIGNING_SECRET,
  SLACK_EVENTS_PATH,
  slackApiBase,
  slackConfigOf,
  slackEnabled,
} from './settings';

/** Slack: the Events API on the gateway's port (any runtime), or Socket Mode with an app token (Node). */
export const SLACK: ChannelDef<typeof slackConfig> = {
  id: 'slack',
  label: 'Slack',
  config: slackConfig,
  enabled: (config, env) => slackEnabled(env, slackConfigOf(config)),
  secrets: {
    [BOT_TOKEN_SECRET]: { what: 'Slack bot token (xoxb-...)', configPaths: ['channels.slack.botToken'] },
    [SIGNING_SECRET]: {
      what: 'Slack signing secret (Events API)',
      configPaths: ['channels.slack.signingSecret'],
    },
    [APP_TOKEN_SECRET]: {
      what: 'Slack app token (xapp-..., Socket Mode)',
      configPaths: ['channels.slack.appToken'],
    },
  },
  routes: [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: (parts) => parts.handleSlackEvents }],
  webhookPaths: () => [SLACK_EVENTS_PATH],
  outbound: (ctx, parts) => parts.createSlackAdapter(ctx),
  nodeOnly: (config, env) =>
    (envVar(env, APP_TOKEN_SECRET) ?? slackConfigOf(config).appToken)
      ? `Slack Socket Mode (${APP_TOKEN_SECRET}); the Events API (${SLACK_EVENTS_PATH}) works here`
      : undefined,
  whoami: async (ctx) => (await slackIdentity(ctx)).user,
  // https://api.slack.com/methods/auth.test: a refused token is HTTP 200 with `{ ok: false, error }`.
  tokenProbe: {
    secret: BOT_TOKEN_SECRET,
    configValue: (config) => slackConfigOf(config).botToken,
    request: (env, config, token) => ({
      url: `${slackApiBase(env, slackConfigOf(config))}auth.test`,
      headers: { authorization: `Bearer ${token}` },
    }),
    botName: (body) => (body as { user?: string } | undefined)?.user,
    refusal: (body) => {
      const answer = body as { ok?: boolean; error?: string } | undefined;
      return answer?.ok === false ? String(answer.error ?? 'refused') : undefined;
    },
  },
  async connect(ctx, socket, parts) {
    const appToken = await resolveAppToken(ctx, slackConfigOf(ctx.config()));
    if (!appToken) return undefined;
    ctx.logs.redactor.add(appToken);
    return parts.runSlackSocketMode(ctx, {
      appToken,
      apiBase: slackApiBase(ctx.env, slackConfigOf(ctx.config())),
      socket,
    });
  },
  setup: {
    fields: [
      { name: 'botToken', label: 'Bot token (xoxb-...)', secret: true, env: BOT_TOKEN_SECRET },
      {
        name: 'signingSecret',
        label: 'Signing secret (Basic Information)',
        secret: true,
        env: SIGNING_SECRET,
      },
      {
        name: 'appToken',
        label: 'App token for Socket Mode (xapp-...)',
        secret: true,
        env: APP_TOKEN_SECRET,
        optional: true,
      },
    ],
    // https://api.slack.com/methods/auth.test
    async validate(values, { env, config, fetch: doFetch }) {
      const token = values.botToken?.trim();
      if (!token) return { ok: false, error: 'the bot token (xoxb-...) is missing' };
      try {
        const me = await slackAuthTest(slackApiBase(env, slackConfigOf(config)), token, doFetch);
        return { ok: true, account: me.user };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  },
};
