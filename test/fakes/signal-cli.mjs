#!/usr/bin/env node
// A fake `signal-cli` for process handling tests: `-a ACCOUNT daemon --http HOST:PORT` serves the
// fake daemon (test/fakes/signal-daemon.mjs) until SIGTERM; `link -n NAME` prints a sgnl:// URI,
// then "Associated with: +..." ($FAKE_SIGNAL_LINK_MS later, default 300) and exits 0. Each start and stop is appended to $FAKE_SIGNAL_CLI_LOG.
import { appendFileSync } from 'node:fs';
import { startFakeSignalDaemon } from './signal-daemon.mjs';

const args = process.argv.slice(2);
const record = (event) => {
  if (process.env.FAKE_SIGNAL_CLI_LOG)
    appendFileSync(process.env.FAKE_SIGNAL_CLI_LOG, `${JSON.stringify({ pid: process.pid, args, event })}\n`);
};

if (args[0] === 'link') {
  if (process.env.FAKE_SIGNAL_LINK_FAIL) {
    console.error('ERROR LinkCommand - Link request error: Connection closed!');
    process.exit(3);
  }
  console.log('sgnl://linkdevice?uuid=Zm9vYmFyYmF6cXV4&pub_key=QmFzZTY0UHVibGljS2V5Rm9yVGVzdHM');
  setTimeout(
    () => {
      console.log('Associated with: +15550001111');
      process.exit(0);
    },
    Number(process.env.FAKE_SIGNAL_LINK_MS ?? 300),
  );
} else {
  const account = args[args.indexOf('-a') + 1];
  const http = args[args.indexOf('--http') + 1] ?? '127.0.0.1:8080';
  if (!args.includes('daemon') || !account) {
    console.error(`fake signal-cli: unsupported arguments ${args.join(' ')}`);
    process.exit(2);
  }
  const [host, port] = http.split(':');
  // The JVM takes a moment before the HTTP endpoint answers.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.FAKE_SIGNAL_START_MS ?? 300)));
  const daemon = await startFakeSignalDaemon({ host, port: Number(port), account });
  console.error(`INFO  HttpServerHandler - Starting server on /${host}:${port}`);
  record('start');
  process.on('SIGTERM', async () => {
    record('sigterm');
    await daemon.close();
    process.exit(0);
  });
}
