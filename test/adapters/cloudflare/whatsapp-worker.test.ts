import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../../fakes/anthropic-server';
import { deliverWhatsApp, type FakeGraph, startFakeGraph, waPayloads } from '../../fakes/whatsapp-graph';
import { startWorker, type WorkerTarget } from '../../helpers/worker-target';

let graph: FakeGraph;
let llm: FakeLlmServer;
let worker: WorkerTarget;
beforeAll(async () => {
  graph = await startFakeGraph();
  llm = await startFakeAnthropic();
  worker = await startWorker(
    {
      WHATSAPP_ACCESS_TOKEN: graph.token,
      WHATSAPP_APP_SECRET: graph.appSecret,
      WHATSAPP_VERIFY_TOKEN: 'worker-verify-token',
      WHATSAPP_API_BASE: graph.origin,
      ANTHROPIC_API_KEY: 'sk-ant-worker-test-0123456789',
      ANTHROPIC_BASE_URL: llm.origin,
      krabkrab_GATEWAY_TOKEN: 'worker-gateway-token-0123456789',
    },
    {
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: { whatsapp: { enabled: true, phoneNumberId: graph.phoneNumberId, dmPolicy: 'open' } },
    },
  );
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await graph?.close();
  await llm?.close();
});

describe('whatsapp cloud webhook on Workers (workerd via miniflare)', () => {
  it('answers the handshake, refuses bad signatures, spools and replies through the Graph API', async () => {
    const hook = `${worker.url}/whatsapp/webhook`;
    const hs = await fetch(
      `${hook}?hub.mode=subscribe&hub.verify_token=worker-verify-token&hub.challenge=4242`,
    );
    expect([hs.status, await hs.text()]).toEqual([200, '4242']);
    expect((await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(
      403,
    );

    const body = waPayloads.text(graph.phoneNumberId, {
      from: '15558880001',
      id: 'wamid.worker1',
      text: 'hello worker',
    });
    expect((await deliverWhatsApp(hook, body, graph.appSecret, null)).status).toBe(401);
    expect((await deliverWhatsApp(hook, body, 'wrong-secret')).status).toBe(401);
    const res = await deliverWhatsApp(hook, body, graph.appSecret);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 1 });
    const sent = await graph.waitFor((c) => c.body.type === 'text' && c.body.to === '15558880001', 15_000);
    expect(sent.body.text?.body).toBe('echo: hello worker');
    expect((await deliverWhatsApp(hook, body, graph.appSecret)).json).toMatchObject({ duplicates: 1 });
  });
});
