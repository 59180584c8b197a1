// Fuzz: the CLI argument parser and every command behind it (runCli with a fake io), on a
// fresh state dir per case, working dir and HOME in a temp dir, every platform API pointed at a
// closed local port. Argument lists mix command and subcommand names, each command's own flags
// (`--flag`, `--flag=value`, `-h`), other commands' flags, and junk. Properties: runCli never
// throws, the exit code is 0, 1, 2 or 78, and nothing it prints holds a secret.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/adapters/node/cli/command';
import { COMMANDS } from '../../src/adapters/node/cli/commands';
import { runCli } from '../../src/adapters/node/cli/main';
import { leakedSecrets } from './checks';
import { fuzzParams, fuzzTimeout } from './settings';

const CLOSED = 'http://127.0.0.1:1';
const SECRETS = {
  ANTHROPIC_API_KEY: 'sk-ant-cli-fuzz-SECRET-abcdefghij',
  krabkrab_GATEWAY_TOKEN: 'gw-cli-fuzz-SECRET-token-0123456789',
};
const LITERAL = 'literal-cli-fuzz-SECRET-in-config-77';
const WORDS = [
  'get',
  'set',
  'unset',
  'list',
  'add',
  'remove',
  'run',
  'runs',
  'schema',
  'validate',
  'approve',
  'deny',
  'call',
  'hangup',
  'login',
  'telegram',
  'discord',
  'register-commands',
  'main',
  'ABCD1234',
  'daily-digest',
  '+15551230000',
  'gateway.bind',
  'gateway.port',
  'agents.defaults.maxConcurrent',
  'channels.telegram.enabled',
  'lan',
  'loopback',
  '3000',
  '0',
  '-1',
  'true',
  'false',
  '{}',
  '"x"',
  'ANTHROPIC_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'my-secret-value-123',
  '*/5 * * * *',
  'every 2h',
  'in 20m',
  'krab.tar.gz',
  'openclaw.json',
  '--',
  '-',
  '-x',
  '--no-such-flag',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];

let root: string;
let cwd: string;
let stdin: PropertyDescriptor | undefined;
let commands: Record<string, Command>;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'krab-cli-fuzz-'));
  cwd = process.cwd();
  // `secrets set NAME` reads a value from stdin: give it an empty one, never the test runner's.
  stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { configurable: true, get: () => Readable.from([]) });
  commands = Object.fromEntries(
    await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => [name, await load()])),
  );
});
afterAll(() => {
  process.chdir(cwd);
  if (stdin) Object.defineProperty(process, 'stdin', stdin);
  rmSync(root, { recursive: true, force: true });
});

/** Junk that stays inside the temp dir when used as a path (no absolute paths, no `..`, no `~`). */
const junk = fc
  .string({ maxLength: 16 })
  .filter((s) => !s.startsWith('/') && !s.startsWith('~') && !s.includes('..'));

/** Words each command's subcommands and arguments are made of (junk and others' words mix in). */
const COMMAND_WORDS: Record<string, string[]> = {
  config: [
    'schema',
    'validate',
    'get',
    'set',
    'unset',
    'gateway.bind',
    'gateway.port',
    'agents.defaults.maxConcurrent',
    'channels.telegram.enabled',
    'lan',
    '3000',
    'true',
    '{}',
    'krabkrab.json',
  ],
  secrets: ['list', 'set', 'unset', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'my-secret-value-123', 'x'],
  cron: [
    'list',
    'add',
    'remove',
    'run',
    'runs',
    'daily-digest',
    '*/5 * * * *',
    'every 2h',
    'in 20m',
    '2026-01-01T09:00:00Z',
    'hello',
  ],
  pairing: ['list', 'approve', 'deny', 'telegram', 'discord', 'ABCD1234'],
  voicecall: ['call', 'list', 'hangup', '+15551230000', 'CA1', 'hello'],
  channels: [
    'add',
    'login',
    'telegram',
    'discord',
    'register-commands',
    'call',
    'apply',
    'bind',
    '123:abc',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ],
  backup: ['krab.tar.gz', 'sub/krab.tar.gz', 'x'],
  restore: ['krab.tar.gz', 'krabkrab.json', 'nope.tar.gz'],
  'import-openclaw': ['openclaw.json', 'home', '.'],
  gateway: ['--port', '0', '70000', '-1', 'lan', 'tailnet', 'auto', '10.0.0.1'],
};

function flagArbitrary(names: string[], values: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...names).map((n) => `--${n}`),
    fc.tuple(fc.constantFrom(...names), values).map(([n, v]) => `--${n}=${v}`),
  );
}

/** An argument list for one command: mostly its own flags and words, some of everything else. */
function argsFor(name: string): fc.Arbitrary<string[]> {
  const known = (table: object) => Object.hasOwn(table, name);
  const own = known(commands) ? Object.keys(commands[name]!.options) : [];
  const all = [...new Set(Object.values(commands).flatMap((c) => Object.keys(c.options)))];
  const words = [...(known(COMMAND_WORDS) ? COMMAND_WORDS[name]! : []), ...WORDS.slice(0, 8)];
  const value = fc.oneof(fc.constantFrom(...words, ...WORDS), junk);
  const first = known(COMMAND_WORDS)
    ? fc.option(fc.constantFrom(...COMMAND_WORDS[name]!), { freq: 4 })
    : fc.constant(null);
  const rest = fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...words) },
      { weight: own.length ? 3 : 0, arbitrary: own.length ? flagArbitrary(own, value) : fc.constant('') },
      { weight: 1, arbitrary: flagArbitrary(all, value) },
      { weight: 1, arbitrary: fc.constantFrom('-h', '--help', '--', '-', '-x', '-1') },
      { weight: 1, arbitrary: junk },
    ),
    { maxLength: 6 },
  );
  return fc.tuple(first, rest).map(([head, tail]) => (head === null ? tail : [head, ...tail]));
}

const argv = fc
  .constant(null)
  .chain(() =>
    fc
      .oneof(
        { weight: 14, arbitrary: fc.constantFrom(...Object.keys(COMMANDS)) },
        { weight: 1, arbitrary: fc.constantFrom('help', '--help', '--version', '') },
        { weight: 1, arbitrary: junk },
      )
      .chain((name) => argsFor(name).map((rest) => [name, rest] as const)),
  );

const setup = fc.constantFrom('none', 'valid', 'invalid', 'not-json');

describe('fuzz: CLI arguments', () => {
  it(
    'runCli never throws, exits 0, 1, 2 or 78, and prints no secret',
    async () => {
      await fc.assert(
        fc.asyncProperty(argv, setup, async ([command, rest], config) => {
          // Each case in its own working dir (backup files, relative --state-dir values), removed after.
          const caseDir = mkdtempSync(join(root, 'case-'));
          process.chdir(caseDir);
          const stateDir = join(caseDir, 'state');
          mkdirSync(stateDir);
          if (config !== 'none') {
            const text =
              config === 'valid'
                ? JSON.stringify({
                    gateway: { mode: 'local' },
                    channels: { telegram: { enabled: false, webhookSecret: LITERAL } },
                  })
                : config === 'invalid'
                  ? '{"gatway": {"mode": 1}}'
                  : '{ not json';
            writeFileSync(join(stateDir, 'krabkrab.json'), text);
          }
          mkdirSync(join(root, 'home'), { recursive: true });
          const env: NodeJS.ProcessEnv = {
            PATH: process.env.PATH,
            HOME: join(root, 'home'),
            krabkrab_STATE_DIR: stateDir,
            ...SECRETS,
            TELEGRAM_API_ROOT: CLOSED,
            DISCORD_API_BASE: CLOSED,
            ANTHROPIC_BASE_URL: CLOSED,
            OPENAI_BASE_URL: CLOSED,
            GOOGLE_BASE_URL: CLOSED,
            // The gateway command never starts a server here: its config is always invalid.
            ...(command === 'gateway' ? { krabkrab_CONFIG_PATH: join(root, 'invalid.json') } : {}),
          };
          writeFileSync(join(root, 'invalid.json'), '{"gateway": {"port": "nope"}}');
          const printed: string[] = [];
          const io = {
            env,
            stdout: (t: string) => void printed.push(t),
            stderr: (t: string) => void printed.push(t),
          };
          const code = await runCli(command === '' ? rest : [command, ...rest], io);
          const out = printed.join('');
          expect([0, 1, 2, 78], `krabkrab ${[command, ...rest].join(' ')}\n${out}`).toContain(code);
          // `krabkrab token` prints the gateway token alone on stdout, by design; nothing else does.
          const secrets = [
            SECRETS.ANTHROPIC_API_KEY,
            LITERAL,
            ...(command === 'token' ? [] : [SECRETS.krabkrab_GATEWAY_TOKEN]),
          ];
          expect(leakedSecrets([out], secrets)).toEqual([]);
          expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
          // A command that throws something other than its own CliError is a bug, even if caught.
          expect(out).not.toMatch(/unexpected error/);
          process.chdir(root);
          rmSync(caseDir, { recursive: true, force: true });
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(300),
  );
});
