// The webhook baseline: a bare hono handler on @hono/node-server that reads the JSON body and
// answers 200, measured beside the gateway in the same run. `node bench/hono-baseline.mjs <port>`
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/telegram/webhook', async (c) => {
  await c.req.json();
  return c.json({ ok: true });
});
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' }, () =>
  console.log('listening'),
);
process.on('SIGTERM', () => process.exit(0));
