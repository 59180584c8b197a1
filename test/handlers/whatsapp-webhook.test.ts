import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPORTS_KEY,
  SENT_KEY,
  type SentRecord,
  type WhatsAppReports,
} from '../../src/core/channels/whatsapp/records';
import { type FakeGraph, signWhatsApp, startFakeGraph, waPayloads } from '../fakes/whatsapp-graph';
import { createGate, createScriptedRouter, type ScriptedRouter } from '../helpers/scripted-router';
import { whatsappSetup } from '../helpers/whatsapp-context';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph();
});
afterAll(() => graph.close());

const VERIFY = 'verify-token-for-tests-42';

function setup(
  whatsapp: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
  models?: ScriptedRouter,
) {
  const router = models ?? createScriptedRouter();
  const { ctx, app } = whatsappSetup(graph, { verifyToken: VERIFY, whatsapp, env, models: router });
  const post = (body: unknown, signature?: string | null) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const sig = signature === undefined ? signWhatsApp(raw, graph.appSecret) : signature;
    return app.request('/whatsapp/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sig === null ? {} : { 'x-hub-signature-256': sig }),
      },
      body: raw,
    });
  };
  return { ctx, app, post, router };
}

const get = (app: ReturnType<typeof setup>['app'], query: string) =>
  app.request(`/whatsapp/webhook?${query}`);

describe('GET /whatsapp/webhook (Meta handshake)', () => {
  it('echoes hub.challenge for the right verify token, 403 for a wrong or missing one', async () => {
    const { app } = setup();
    const ok = await get(app, `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await get(app, 'hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).status).toBe(403);
    expect((await get(app, 'hub.mode=subscribe&hub.challenge=1')).status).toBe(403);
    expect((await get(app, `hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(
      400,
    );
  });

  it('403s every handshake when no verify token is configured', async () => {
    const { app } = setup({}, { WHATSAPP_VERIFY_TOKEN: undefined });
    expect((await get(app, 'hub.mode=subscribe&hub.verify_token=&hub.challenge=1')).status).toBe(403);
    expect((await get(app, 'hub.mode=subscribe&hub.verify_token=anything&hub.challenge=1')).status).toBe(403);
  });

  it('is not served when the channel is off or in web mode', async () => {
    expect(
      (
        await get(
          setup({ enabled: false }).app,
          `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`,
        )
      ).status,
    ).toBe(404);
    expect(
      (await get(setup({ mode: 'web' }).app, `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`))
        .status,
    ).toBe(404);
  });
});

describe('POST /whatsapp/webhook', () => {
  it('checks the signature: good 200, wrong 401, missing 401, malformed 401; nothing spooled on a 401', async () => {
    const { ctx, post } = setup();
    const body = waPayloads.text(graph.phoneNumberId, { text: 'sig check', id: 'wamid.sig1' });
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, signWhatsApp(JSON.stringify(body), 'another-secret'))).status).toBe(401);
    expect((await post(body, 'sha256=zz')).status).toBe(401);
    // A signature over different bytes (whitespace changed) fails too: the raw body is what is signed.
    expect(
      (await post(JSON.stringify(body, null, 1), signWhatsApp(JSON.stringify(body), graph.appSecret))).status,
    ).toBe(401);
    expect(await ctx.store.keys('spool:')).toEqual([]);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, accepted: 1, duplicates: 0 });
    await ctx.settle();
    expect(graph.sent('15551234567').map((m) => m.body)).toContain('echo: sig check');
  });

  it('fails closed without an app secret (401 even for a body signed with the empty key)', async () => {
    const { post } = setup({}, { WHATSAPP_APP_SECRET: undefined });
    const body = waPayloads.text(graph.phoneNumberId, { text: 'x' });
    expect((await post(body, signWhatsApp(JSON.stringify(body), ''))).status).toBe(401);
  });

  it('refuses bad bodies with a 400 after a good signature', async () => {
    const { post } = setup();
    expect((await post('{not json')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post({ object: 'page', entry: [] })).status).toBe(400);
    expect((await post({ object: 'whatsapp_business_account', entry: 'x' })).status).toBe(400);
  });

  it('spools before the 200 and answers a duplicate delivery once', async () => {
    const model = createGate();
    const router = createScriptedRouter({ replies: [{ text: 'slow answer', after: model.promise }] });
    const { ctx, post } = setup({}, {}, router);
    const body = waPayloads.text(graph.phoneNumberId, {
      from: '15557770001',
      text: 'once please',
      id: 'wamid.dup1',
    });
    const first = await post(body);
    expect(first.status).toBe(200);
    expect((await ctx.store.keys('spool:whatsapp:')).length).toBe(1);
    const second = await post(body);
    expect(await second.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    model.open();
    await ctx.settle();
    expect(graph.sent('15557770001').map((m) => m.body)).toEqual(['slow answer']);
    expect(router.requests).toHaveLength(1);
  });

  it('marks the message read with the typing indicator before answering', async () => {
    const { ctx, post } = setup();
    await post(
      waPayloads.text(graph.phoneNumberId, { from: '15557770002', text: 'read me', id: 'wamid.read1' }),
    );
    await ctx.settle();
    const read = graph.calls.find((c) => c.body.status === 'read' && c.body.message_id === 'wamid.read1');
    expect(read?.body.typing_indicator).toEqual({ type: 'text' });
  });

  it('splits a long reply at 4096 characters', async () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const { ctx, post } = setup({}, {}, createScriptedRouter({ replies: [{ text: long }] }));
    await post(waPayloads.text(graph.phoneNumberId, { from: '15557770003', text: 'long please' }));
    await ctx.settle();
    const parts = graph.sent('15557770003').map((m) => m.body);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join(' ').split(/\s+/)).toEqual(long.split(' '));
  });

  it('the 24-hour window error is a clear error, not a silent drop, and is not retried', async () => {
    graph.windowClosed.add('15557770004');
    try {
      const { ctx, post } = setup();
      await post(waPayloads.text(graph.phoneNumberId, { from: '15557770004', text: 'late' }));
      await ctx.settle();
      const errors = ctx.lines.filter((l) => l.level === 'error').map((l) => l.line);
      expect(errors.join('\n')).toMatch(
        /more than 24 hours have passed since they last wrote \(WhatsApp error 131047\)/,
      );
      const attempts = graph.calls.filter((c) => c.body.to === '15557770004' && c.body.type === 'text');
      expect(attempts).toHaveLength(1);
      expect(ctx.pipeline.stats().failed).toBe(1);
      expect(await ctx.store.keys('spool:')).toEqual([]);
    } finally {
      graph.windowClosed.delete('15557770004');
    }
  });

  it('records delivery statuses and logs a failed one with its reason', async () => {
    const { ctx, post } = setup();
    await post(waPayloads.status(graph.phoneNumberId, { id: 'wamid.out1', status: 'delivered' }));
    await post(waPayloads.status(graph.phoneNumberId, { id: 'wamid.out1', status: 'read' }));
    const res = await post(
      waPayloads.status(graph.phoneNumberId, { id: 'wamid.out2', status: 'failed', errorCode: 131047 }),
    );
    expect(await res.json()).toMatchObject({ statuses: 1, accepted: 0 });
    const reports = await ctx.store.get<WhatsAppReports>(REPORTS_KEY);
    expect(reports?.counts).toEqual({ delivered: 1, read: 1, failed: 1 });
    expect(reports?.lastFailure).toMatchObject({ messageId: 'wamid.out2', error: { code: 131047 } });
    expect(ctx.lines.map((l) => l.line).join('\n')).toMatch(
      /\[whatsapp\] message wamid.out2 to \+15551234567 was not delivered: more than 24 hours/,
    );
  });

  it('a reply to the bot carries the quoted text; a reaction is recorded, not answered', async () => {
    const { ctx, post, router } = setup();
    await post(waPayloads.text(graph.phoneNumberId, { from: '15557770005', text: 'first' }));
    await ctx.settle();
    const ours = graph.calls.length;
    const sentId = (await ctx.store.get<SentRecord[]>(SENT_KEY))!.at(-1)!.id;
    await post(
      waPayloads.reaction(graph.phoneNumberId, { from: '15557770005', messageId: sentId, emoji: '👍' }),
    );
    await ctx.settle();
    expect(graph.calls.slice(ours).filter((c) => c.body.type === 'text')).toEqual([]);
    expect(ctx.lines.map((l) => l.line).join('\n')).toContain('reacted 👍 to "echo: first"');
    await post(
      waPayloads.text(graph.phoneNumberId, { from: '15557770005', text: 'about that', contextId: sentId }),
    );
    await ctx.settle();
    const last = router.requests.at(-1)!;
    expect(JSON.stringify(last.messages.at(-1))).toContain('(replying to: \\"echo: first\\")');
  });

  it('downloads an image through the Graph API and hands it to the model', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    graph.addMedia('media-777', png, 'image/png');
    const { ctx, post, router } = setup();
    await post(
      waPayloads.image(graph.phoneNumberId, {
        from: '15557770006',
        mediaId: 'media-777',
        caption: 'what is this?',
      }),
    );
    await ctx.settle();
    const content = router.requests.at(-1)!.messages.at(-1)!.content as Array<Record<string, unknown>>;
    expect(content).toContainEqual({
      type: 'image',
      mimeType: 'image/png',
      dataBase64: Buffer.from(png).toString('base64'),
    });
    expect(JSON.stringify(content)).toContain('what is this?');
  });

  it('policies: pairing for strangers by default, allowFrom with a + number, groups by allowlist', async () => {
    const { ctx, post } = setup({ dmPolicy: 'pairing', allowFrom: ['+15557770008'] });
    await post(waPayloads.text(graph.phoneNumberId, { from: '15557770007', text: 'hi stranger' }));
    await post(waPayloads.text(graph.phoneNumberId, { from: '15557770008', text: 'hi friend' }));
    await ctx.settle();
    expect(graph.sent('15557770007')[0]?.body).toMatch(
      /pairing code is [A-Z0-9]{6}[\s\S]*krabkrab pairing approve whatsapp/,
    );
    expect(graph.sent('15557770008').map((m) => m.body)).toEqual(['echo: hi friend']);
    // Messages for another number of the same app are not answered from this one.
    const other = await post(waPayloads.text('999999999', { from: '15557770008', text: 'wrong number' }));
    expect(await other.json()).toMatchObject({ accepted: 0, ignored: 1 });
  });
});
