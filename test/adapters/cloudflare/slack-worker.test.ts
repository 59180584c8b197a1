import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../../fakes/anthropic-server';
import { type FakeSlackApi, signSlack, startFakeSlackApi } from '../../fakes/slack-api';
import { startWorker, type WorkerTarget } from '../../helpers/worker-target';

const SECRET = 'worker-slack-signing-secret';
let slack: FakeSlackApi;
let llm: FakeLlmServer;
let worker: WorkerTarget;
beforeAll(async () => {
  slack = await startFakeSlackApi();
  llm = await startFakeAnthropic();
  worker = await startWorker(
    {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_BASE: slack.apiBase,
      ANTHROPIC_API_KEY: 'sk-ant-worker-test-0123456789',
      ANTHROPIC_BASE_URL: llm.origin,
      krabkrab_GATEWAY_TOKEN: 'worker-gateway-token-0123456789',
    },
    {
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: { slack: { dmPolicy: 'open' } },
    },
  );
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await slack?.close();
  await llm?.close();
});

async function deliver(body: unknown, headers: Record<string, string> = {}, secret = SECRET) {
  const text = JSON.stringify(body);
  const at = Math.floor(Date.now() / 1000);
  const res = await fetch(`${worker.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': await signSlack(secret, text, at),
      ...headers,
    },
    body: text,
  });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as unknown };
}

/** Waits (bounded) for the Worker's reply to reach the fake Slack API over HTTP. */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('slack Events API on Workers (workerd via miniflare)', () => {
  it('verifies the signature, answers url_verification, replies with chat.postMessage, and a retried delivery once', async () => {
    const challenge = await deliver({ type: 'url_verification', challenge: 'worker-challenge' });
    expect(challenge).toEqual({ status: 200, json: { challenge: 'worker-challenge' } });

    const event = {
      type: 'event_callback',
      team_id: 'T1',
      authorizations: [{ user_id: slack.botUserId, is_bot: true }],
      event: {
        type: 'message',
        channel: 'D9',
        channel_type: 'im',
        user: 'U9',
        text: 'hello worker',
        ts: '9.0001',
      },
    };
    expect((await deliver(event, {}, 'wrong-secret')).status).toBe(401);
    expect(slack.posted).toEqual([]);
    const res = await deliver(event);
    expect(res).toEqual({ status: 200, json: { ok: true, result: 'accepted' } });
    await until(() => slack.posted.length > 0, 'the reply');
    expect(slack.posted).toEqual([{ channel: 'D9', text: 'echo: hello worker', unfurl_links: false }]);

    // Slack retries a delivery it thinks was lost: the same event is acknowledged, not answered again.
    const retried = await deliver(event, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retried).toEqual({ status: 200, json: { ok: true, result: 'duplicate' } });
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });
});
