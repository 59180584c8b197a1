// A fake `ngrok` agent for tests, behaving like the real CLI as far as the gateway can tell:
//   ngrok http <port> --log stdout --log-format json [--url https://x] [--config file.yml]
// It logs JSON lines on stdout ("starting web service" with its API address, "started tunnel"),
// serves the local agent API (GET /api/tunnels) on 127.0.0.1, refuses to run without an
// authtoken (ERR_NGROK_4018, like the real one) and exits on SIGTERM.
// Test knobs (env): FAKE_NGROK_STATE (a dir: starts.log / stops.log record each run),
// FAKE_NGROK_CRASH_AFTER_MS (the first run exits with code 1 after that long).

import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const log = (entry) =>
  process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), lvl: 'info', ...entry })}\n`);

if (args[0] !== 'http' || !/^\d+$/.test(args[1] ?? '')) {
  process.stderr.write('ERROR:  unknown command or missing port; usage: ngrok http <port>\n');
  process.exit(1);
}
const port = Number(args[1]);
let webAddr = '127.0.0.1:0';
let configToken;
const configFile = flag('config');
if (configFile) {
  const text = readFileSync(configFile, 'utf8');
  webAddr = /web_addr:\s*(\S+)/.exec(text)?.[1] ?? webAddr;
  configToken = /authtoken:\s*(\S+)/.exec(text)?.[1];
}
const state = process.env.FAKE_NGROK_STATE;
let runs = 0;
if (state) {
  appendFileSync(join(state, 'starts.log'), `${process.pid}\n`);
  runs = readFileSync(join(state, 'starts.log'), 'utf8').trim().split('\n').length;
}
if (!process.env.NGROK_AUTHTOKEN && !configToken) {
  process.stderr.write(
    'ERROR:  authentication failed: Usage of ngrok requires a verified account and authtoken.\nERROR:  \nERROR:  ERR_NGROK_4018\n',
  );
  process.exit(1);
}

const url = flag('url') ?? `https://${randomBytes(4).toString('hex')}.ngrok-free.app`;
const tunnel = {
  name: 'command_line',
  ID: randomBytes(8).toString('hex'),
  uri: '/api/tunnels/command_line',
  public_url: url,
  proto: 'https',
  config: { addr: `http://localhost:${port}`, inspect: true },
  metrics: {},
};
let started = false;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/tunnels') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ tunnels: started ? [tunnel] : [], uri: '/api/tunnels' }));
    return;
  }
  res.statusCode = 404;
  res.end('{"error_code":100,"status_code":404,"msg":"not found"}');
});
const [host, webPort] = webAddr.split(':');
server.listen(Number(webPort), host, () => {
  const address = server.address();
  log({
    obj: 'web',
    msg: 'starting web service',
    addr: `${address.address}:${address.port}`,
    allow_hosts: [],
  });
  setTimeout(() => {
    started = true;
    log({
      obj: 'tunnels',
      msg: 'started tunnel',
      name: 'command_line',
      addr: `http://localhost:${port}`,
      url,
    });
  }, 50);
});

const crashAfter = Number(process.env.FAKE_NGROK_CRASH_AFTER_MS ?? 0);
if (crashAfter > 0 && runs === 1) {
  setTimeout(() => {
    process.stderr.write('ERROR:  session closed: connection reset by peer\n');
    process.exit(1);
  }, crashAfter);
}
process.on('SIGTERM', () => {
  if (state) appendFileSync(join(state, 'stops.log'), `${process.pid}\n`);
  server.close();
  process.exit(0);
});
