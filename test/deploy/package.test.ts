// The npm package as a user gets it: `npm pack` on a clean copy of the repository (prepack builds),
// then `npm install -g` into a temp prefix and `npx` of the tarball, both with an empty npm cache and
// offline (the package must need nothing from the registry), and the image's tree made from the same
// tarball started through the image's entrypoint. One pack, one install, reused by every test. The
// copy holds only what the Dockerfile's build stage copies in before its `npm pack` (a subset of a
// clean clone): a file the build needs that the image would lack fails here, where Docker is absent.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_MODULES } from '../../scripts/runtime-modules.mjs';
import { BAILEYS_VERSION } from '../../src/adapters/node/whatsapp/baileys-loader';
import { removeDir } from '../helpers/gateway-process';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const MiB = 1024 * 1024;
// Bare imports the bundles may leave in dist/: the runtime modules, and @discordjs/ws's optional
// zlib-sync (imported in a try, absent by design: it falls back to node:zlib).
const ALLOWED_EXTERNAL = new Set([...RUNTIME_MODULES, 'zlib-sync']);

let root: string;
let tarball: string;
let prefix: string;
const children: ChildProcess[] = [];

/** npm with an empty cache of its own, offline, touching nothing outside `root`. */
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Starts a gateway command (with `--port 0`) and resolves its URL once it says it listens. */
function serve(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = root,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not listen within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const port = /\[gateway\] listening on ws:\/\/[^\s]*:(\d+) \(PID/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code}:\n${output}`));
    });
  });
}

const gatewayEnv = (stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  krabkrab_STATE_DIR: stateDir,
  ...extra,
});

/** The paths the Dockerfile's build stage copies from the repository (`COPY <path>... <dest>`). */
function dockerBuildSources(): string[] {
  const docker = readFileSync(join(repo, 'Dockerfile'), 'utf8');
  const stage = /^FROM \S+ AS build$([\s\S]*?)^FROM /m.exec(docker)?.[1] ?? '';
  return [...stage.matchAll(/^COPY (?!--)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'krab-package-'));
  chmodSync(root, 0o755); // the entrypoint test reads the image tree as `nobody`
  mkdirSync(join(root, 'home'));
  // A clean clone as the image's build stage has it: of what the Dockerfile copies, the files git
  // tracks (and new ones it does not ignore), no dist/; the dependencies are this checkout's (npm ci
  // would install the same from the lock).
  const clone = join(root, 'clone');
  const sources = dockerBuildSources();
  expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'scripts']));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z', '--', ...sources], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && !file.startsWith('node_modules/'));
  for (const file of files) {
    try {
      cpSync(join(repo, file), join(clone, file));
    } catch {
      // deleted in the working tree but not yet in git
    }
  }
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'));
  npm(['pack', '--pack-destination', root], clone);
  tarball = join(root, `krabkrab-${pkg.version}.tgz`);
  prefix = join(root, 'prefix');
  npm(['install', '-g', '--prefix', prefix, tarball], root);
}, 180_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (root) removeDir(root);
});

describe('the npm package', () => {
  it('holds the built dist/ (CLI, gateway, Control UI, bundled licenses), README, LICENSE, CHANGELOG, and no source maps', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const names = files.map((file) => file.replace(/^package\//, ''));
    for (const name of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/gateway.js',
      'dist/ui/index.html',
      'dist/THIRD-PARTY-LICENSES.md',
    ])
      expect(names).toContain(name);
    expect(names.some((name) => name.startsWith('dist/chunks/'))).toBe(true);
    expect(names.filter((name) => name.endsWith('.map'))).toEqual([]);
    expect(
      names.filter((name) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(name)),
    ).toEqual([]);
    expect(names.some((name) => name.startsWith('dist/worker/'))).toBe(false);
  });

  it('depends on nothing at run time: every bare import left in dist/ is a built-in or a runtime module', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.devDependencies.baileys).toBe(BAILEYS_VERSION);
    const dist = join(prefix, 'lib/node_modules/krabkrab/dist');
    const bare = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'ui') walk(path);
        else if (entry.name.endsWith('.js'))
          for (const [, spec] of readFileSync(path, 'utf8').matchAll(
            // Not preceded by a quote or backtick: ajv (under the MCP SDK) keeps `require("ajv/...")`
            // as text in its code-generation strings, which never run a require; `__require("x")` counts.
            /(?<!['`])(?:\bfrom|\bimport\(?|require\()"([^"]+)"/g,
          ))
            if (
              /^(@[\w.-]+\/)?[\w.-]+(\/\S*)?$/.test(spec!) &&
              !spec!.startsWith('.') &&
              !spec!.startsWith('node:')
            )
              bare.add(spec!);
      }
    };
    walk(dist);
    const external = [...bare].filter(
      (spec) => !builtinModules.includes(spec) && !ALLOWED_EXTERNAL.has(spec),
    );
    expect(external).toEqual([]);
    expect(bare.has('baileys')).toBe(true);
  });

  it('installs globally into a prefix, offline, under 15 MB, and prints its version', () => {
    const installed = join(prefix, 'lib/node_modules/krabkrab');
    expect(dirSize(installed) / MiB).toBeLessThan(15);
    const version = execFileSync(join(prefix, 'bin/krabkrab'), ['--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(pkg.version);
  });

  it('`krabkrab gateway --allow-unconfigured` serves /health and the Control UI', async () => {
    const stateDir = join(root, 'state-global');
    const { url, child } = await serve(
      join(prefix, 'bin/krabkrab'),
      ['gateway', '--allow-unconfigured', '--port', '0'],
      gatewayEnv(stateDir),
    );
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/ui/app-');
    child.kill('SIGTERM');
  });

  it('`npx --yes ./krabkrab-<version>.tgz gateway` starts the gateway', async () => {
    const { url, child } = await serve(
      'npx',
      ['--yes', `./${basename(tarball)}`, 'gateway', '--allow-unconfigured', '--port', '0'],
      {
        ...gatewayEnv(join(root, 'state-npx')),
        npm_config_cache: join(root, 'npm-cache'),
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      },
    );
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
  });

  it('WhatsApp Web without the baileys library says how to install it', () => {
    const stateDir = join(root, 'state-whatsapp');
    let stderr = '';
    try {
      execFileSync(join(prefix, 'bin/krabkrab'), ['channels', 'login', 'whatsapp'], {
        env: gatewayEnv(stateDir),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      });
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toContain(
      `npm install --prefix '${join(stateDir, 'modules')}' baileys@${BAILEYS_VERSION}`,
    );
  });
});

describe('the image tree (what the Dockerfile copies: the package plus the runtime modules)', () => {
  let app: string;

  beforeAll(() => {
    app = join(root, 'image/app');
    mkdirSync(app, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', app, '--strip-components=1']);
    execFileSync(process.execPath, [join(repo, 'scripts/runtime-modules.mjs'), app], {
      cwd: repo,
      stdio: 'ignore',
    });
  });

  it('holds dist/ and the WhatsApp Web library with what it needs, nothing of the bundled libraries', () => {
    const modules = readdirSync(join(app, 'node_modules'));
    expect(modules).toContain('baileys');
    for (const bundled of ['grammy', 'hono', 'zod', 'openai', '@anthropic-ai', 'esbuild', 'vitest'])
      expect(modules).not.toContain(bundled);
    const resolved = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('baileys'))"],
      { cwd: join(app, 'dist'), encoding: 'utf8' },
    );
    expect(resolved.trim()).toBe(`file://${join(app, 'node_modules/baileys/lib/index.js')}`);
  });

  it('the entrypoint hands a root-owned state dir to KRABKRAB_RUN_AS and the gateway answers /health as that user (NODE_ENV=production)', async () => {
    const stateDir = join(root, 'image/data');
    mkdirSync(stateDir);
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? 'nobody' : (process.env.USER ?? '');
    const uid = Number(execFileSync('id', ['-u', ...(asRoot ? [user] : [])], { encoding: 'utf8' }));
    const { url, child } = await serve(
      'sh',
      [
        join(repo, 'scripts/docker-entrypoint.sh'),
        process.execPath,
        'dist/index.js',
        'gateway',
        '--allow-unconfigured',
        '--port',
        '0',
      ],
      gatewayEnv(stateDir, { NODE_ENV: 'production', KRABKRAB_RUN_AS: user }),
      app,
    );
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    // The gateway is the entrypoint's process itself (exec, setpriv exec), running as the user.
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(uid));
    expect(statSync(stateDir).uid).toBe(uid);
    // What the gateway wrote into the state dir is the user's too.
    const written = readdirSync(stateDir);
    expect(written.length).toBeGreaterThan(0);
    for (const name of written) expect(statSync(join(stateDir, name)).uid).toBe(uid);
    child.kill('SIGTERM');
  });
});
