// A fake `tailscale` CLI for tests, answering the commands the gateway runs like the real one:
//   tailscale status --json                        (BackendState, Self.DNSName)
//   tailscale funnel --bg --set-path <path> <port>  (adds a Funnel handler, returns at once)
//   tailscale funnel --set-path <path> off          (removes it)
//   tailscale funnel status --json                  (the serve config)
// Handlers live in $FAKE_TAILSCALE_STATE/serve.json; every call is appended to calls.log.
// FAKE_TAILSCALE_BACKEND sets BackendState (e.g. NeedsLogin).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HOST = 'krab-gw.tail1234.ts.net';
const state = process.env.FAKE_TAILSCALE_STATE ?? '/tmp';
const serveFile = join(state, 'serve.json');
const args = process.argv.slice(2);
appendFileSync(join(state, 'calls.log'), `${JSON.stringify(args)}\n`);

const load = () => (existsSync(serveFile) ? JSON.parse(readFileSync(serveFile, 'utf8')) : {});
const save = (handlers) => writeFileSync(serveFile, JSON.stringify(handlers));
const serveConfig = (handlers) =>
  Object.keys(handlers).length === 0
    ? {}
    : {
        TCP: { 443: { HTTPS: true } },
        Web: {
          [`${HOST}:443`]: {
            Handlers: Object.fromEntries(Object.entries(handlers).map(([p, t]) => [p, { Proxy: t }])),
          },
        },
        AllowFunnel: { [`${HOST}:443`]: true },
      };

function option(name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return { value: args[i + 1], at: [i, 2] };
    if (args[i].startsWith(`--${name}=`)) return { value: args[i].slice(name.length + 3), at: [i, 1] };
  }
  return undefined;
}

if (args[0] === 'status' && args.includes('--json')) {
  const backend = process.env.FAKE_TAILSCALE_BACKEND ?? 'Running';
  process.stdout.write(
    `${JSON.stringify(
      {
        Version: '1.80.0-fake',
        BackendState: backend,
        Self: {
          ID: 'n1',
          HostName: 'krab-gw',
          DNSName: backend === 'Running' ? `${HOST}.` : '',
          TailscaleIPs: ['100.64.0.7'],
          Online: true,
        },
        MagicDNSSuffix: 'tail1234.ts.net',
        CurrentTailnet: { Name: 'example.com', MagicDNSSuffix: 'tail1234.ts.net', MagicDNSEnabled: true },
      },
      null,
      2,
    )}\n`,
  );
  process.exit(0);
}

if (args[0] === 'funnel') {
  if (args[1] === 'status') {
    process.stdout.write(`${JSON.stringify(serveConfig(load()), null, 2)}\n`);
    process.exit(0);
  }
  if ((process.env.FAKE_TAILSCALE_BACKEND ?? 'Running') !== 'Running') {
    process.stderr.write('Tailscale is stopped.\n');
    process.exit(1);
  }
  const path = option('set-path')?.value ?? '/';
  const rest = args.slice(1).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] === '--set-path'));
  const target = rest[rest.length - 1];
  const handlers = load();
  if (target === 'off') {
    if (!handlers[path]) {
      process.stderr.write(`error: handler does not exist\n`);
      process.exit(1);
    }
    delete handlers[path];
    save(handlers);
    process.exit(0);
  }
  if (!target || !/^\d+$/.test(target)) {
    process.stderr.write('error: invalid target; expected a port number\n');
    process.exit(1);
  }
  if (!args.includes('--bg')) {
    process.stderr.write('error: the fake only supports --bg\n');
    process.exit(1);
  }
  handlers[path] = `http://127.0.0.1:${target}`;
  save(handlers);
  process.stdout.write(
    `Available on the internet:\n\nhttps://${HOST}${path}\n|-- proxy http://127.0.0.1:${target}\n\nFunnel started and running in the background.\nTo disable the proxy, run: tailscale funnel --https=443 --set-path=${path} off\n`,
  );
  process.exit(0);
}

process.stderr.write(`unknown command: ${args.join(' ')}\n`);
process.exit(1);
