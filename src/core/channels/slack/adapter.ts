import type { KrabConfig } from '../../config/schema';
import type { GatewayContext } from '../../context';
import { GatewayError } from '../../errors';
import { chunkText } from '../../pipeline/chunk-text';
import { admitFromGroupTable } from '../group-table';
import type { ChannelAdapter, InboundMessage } from '../types';
import { slackCall } from './api';
import { toSlackMrkdwn } from './format';
import { resolveBotToken, slackApiBase, slackConfigOf } from './settings';

/**
 * Slack advises at most 4,000 characters of `text` (it truncates past 40,000), so the growth of the
 * mrkdwn conversion (escapes, links) stays far below the hard limit.
 * https://api.slack.com/methods/chat.postMessage#truncating
 */
export const SLACK_TEXT_LIMIT = 4000;

/** The Slack side of the shared pipeline: policies from `channels.slack`, replies with chat.postMessage in the thread. */
export function createSlackAdapter(
  ctx: Pick<GatewayContext, 'env' | 'store' | 'logs' | 'config'>,
  doFetch?: typeof fetch,
): ChannelAdapter {
  return {
    id: 'slack',
    textLimit: SLACK_TEXT_LIMIT,
    policy(config) {
      const slack = slackConfigOf(config);
      return {
        dmPolicy: slack.dmPolicy ?? 'pairing',
        allowFrom: slack.allowFrom ?? [],
        groupPolicy: slack.groupPolicy ?? 'allowlist',
      };
    },
    admitGroup: admitSlackChannel,
    async send(target, text) {
      const config = slackConfigOf(ctx.config());
      const token = await resolveBotToken(ctx, config);
      if (!token)
        throw new GatewayError(
          'UNAVAILABLE',
          'slack has no bot token: set SLACK_BOT_TOKEN or run krabkrab channels add slack',
          {
            retryable: true,
          },
        );
      ctx.logs.redactor.add(token);
      const base = slackApiBase(ctx.env, config);
      for (const chunk of text.length > SLACK_TEXT_LIMIT ? chunkText(text, SLACK_TEXT_LIMIT) : [text]) {
        await slackCall(
          base,
          token,
          'chat.postMessage',
          {
            channel: target.chatId,
            text: toSlackMrkdwn(chunk),
            ...(target.threadId ? { thread_ts: target.threadId } : {}),
            unfurl_links: false,
          },
          doFetch,
        );
      }
    },
  };
}

/** Slack channels are listed by id under `channels.slack.channels` (see `admitFromGroupTable`). */
export function admitSlackChannel(message: InboundMessage, config: KrabConfig) {
  const slack = slackConfigOf(config);
  return admitFromGroupTable({ ...slack, groups: slack.channels }, message.chat.id);
}
