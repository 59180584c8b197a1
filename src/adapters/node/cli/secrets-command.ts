import { join } from 'node:path';
import { envVar } from '../../../core/env';
import { isKnownSecretName, SECRET_NAMES } from '../../../core/secret-names';
import { credentialKey } from '../../../core/secrets';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { CliIo, Command } from './command';
import { statePaths } from './state-options';

type Values = Record<string, unknown>;
type SecretsAction = (args: string[], values: Values, io: CliIo) => Promise<number>;

const ACTIONS: Record<string, SecretsAction> = {
  /** Which secrets are set and where (env wins), never their values. */
  async list(_args, values, io) {
    const { stateDir } = statePaths(values, io.env);
    const store = createNodeStore(stateDir);
    try {
      const rows = [];
      for (const [name, spec] of Object.entries(SECRET_NAMES)) {
        const inEnv = Boolean(envVar(io.env, name));
        const stored = typeof (await store.get(credentialKey(name)).catch(() => null)) === 'string';
        rows.push({ name, what: spec.what, env: inEnv, stored, configPaths: spec.configPaths });
      }
      if (values.json) io.stdout(`${JSON.stringify({ secrets: rows }, null, 2)}\n`);
      else {
        const width = Math.max(...rows.map((row) => row.name.length));
        for (const row of rows) {
          const where = [row.env && 'env', row.stored && 'stored'].filter(Boolean).join(' + ') || 'not set';
          io.stdout(`${row.name.padEnd(width)}  ${where.padEnd(12)}  ${row.what}\n`);
        }
      }
    } finally {
      await store.dispose();
    }
    return EXIT.OK;
  },

  /** Stores a secret (from the argument, else from stdin so it stays out of shell history) with mode 0600. */
  async set(args, values, io) {
    const name = secretName(args[0]);
    if (args.length > 2)
      throw new CliError(
        'usage: secrets set <NAME> [value]; without a value it is read from stdin',
        EXIT.USAGE,
      );
    const value = (args[1] ?? (await readStdin())).trim();
    if (value.length < 6)
      throw new CliError(
        `${name}: expected the secret value (6+ characters) as an argument or on stdin`,
        EXIT.USAGE,
      );
    const { stateDir } = statePaths(values, io.env);
    await ensureStateDir(stateDir);
    const store = createNodeStore(stateDir);
    try {
      await store.set(credentialKey(name), value);
    } finally {
      await store.dispose();
    }
    const file = join(stateDir, 'credentials', 'secrets', name);
    const shadow = envVar(io.env, name)
      ? ` Note: ${name} is also set in this environment, and env wins.`
      : '';
    io.stdout(
      `stored ${name} in ${file} (mode 0600); a running gateway reads it on next use or restart.${shadow}\n`,
    );
    return EXIT.OK;
  },

  async unset(args, values, io) {
    const name = secretName(args[0]);
    const { stateDir } = statePaths(values, io.env);
    const store = createNodeStore(stateDir);
    try {
      if (!(await store.has(credentialKey(name)))) {
        io.stderr(`krabkrab secrets: ${name} is not stored in ${stateDir}\n`);
        return EXIT.ERROR;
      }
      await store.remove(credentialKey(name));
    } finally {
      await store.dispose();
    }
    io.stdout(`removed ${name} from ${stateDir}/credentials/secrets\n`);
    return EXIT.OK;
  },
};

function secretName(name: string | undefined): string {
  if (name && isKnownSecretName(name)) return name;
  const known = Object.keys(SECRET_NAMES).join(', ');
  throw new CliError(
    `${name ? `unknown secret ${JSON.stringify(name)}` : 'missing secret name'}; known: ${known}`,
    EXIT.USAGE,
  );
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('paste the value, then press Enter and Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export const secretsCommand: Command = {
  summary: 'Store provider keys and channel tokens in the state dir (0600): secrets list|set|unset',
  usage: 'secrets <list|set <NAME> [value]|unset <NAME>> [--state-dir DIR] [--json]',
  options: { 'state-dir': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [action, ...args] = positionals;
    const handler = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new CliError(`expected one of ${Object.keys(ACTIONS).join(', ')}`, EXIT.USAGE);
    return handler(args, values, io);
  },
};
