import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version';

const root = new URL('../../', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');
const GUIDE_COMMAND = 'node dist/index.js gateway --allow-unconfigured --port 3000 --bind lan';

function expectGuideBasics(toml: Record<string, unknown>): void {
  expect(toml.primary_region).toBe('iad');
  expect(toml.build).toEqual({ dockerfile: 'Dockerfile' });
  expect(toml.env).toEqual({
    NODE_ENV: 'production',
    krabkrab_PREFER_PNPM: '1',
    krabkrab_STATE_DIR: '/data',
    NODE_OPTIONS: '--max-old-space-size=1536',
  });
  expect(toml.processes).toEqual({ app: GUIDE_COMMAND });
  expect(toml.vm).toEqual([{ size: 'shared-cpu-2x', memory: '2048mb' }]);
  expect(toml.mounts).toEqual({ source: 'krabkrab_data', destination: '/data' });
}

describe('deploy files', () => {
  it('fly.toml is the guide’s, key for key', () => {
    const toml = parse(read('fly.toml'));
    expectGuideBasics(toml);
    expect(typeof toml.app).toBe('string');
    expect(toml.http_service).toEqual({
      internal_port: 3000,
      force_https: true,
      auto_stop_machines: false,
      auto_start_machines: true,
      min_machines_running: 1,
      processes: ['app'],
    });
  });

  it('fly.private.toml is the same without [http_service], and says how to reach it', () => {
    const text = read('fly.private.toml');
    const toml = parse(text);
    expectGuideBasics(toml);
    expect(toml.http_service).toBeUndefined();
    expect(text).toContain('fly proxy 3000:3000');
    expect(text).toMatch(/wireguard/i);
  });

  it('the Dockerfile runs the fly.toml command as a non-root user on both architectures', () => {
    const docker = read('Dockerfile');
    expect(docker).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS build$/m);
    expect(docker).toContain('npm ci');
    // The runtime tree is the npm package plus the runtime modules (test/deploy/package.test.ts builds it).
    expect(docker).toContain('npm pack');
    expect(docker).toContain('node scripts/runtime-modules.mjs /app');
    expect(docker).not.toContain('COPY --from=build /src/node_modules');
    expect(docker).toContain(
      'CMD ["node", "dist/index.js", "gateway", "--allow-unconfigured", "--port", "3000", "--bind", "lan"]',
    );
    expect(docker).not.toMatch(/--platform|amd64|x86_64|aarch64/);
    const entrypoint = read('scripts/docker-entrypoint.sh');
    expect(entrypoint).toContain('RUN_AS="${KRABKRAB_RUN_AS:-node}"');
    expect(entrypoint).toContain('setpriv --reuid="$RUN_AS"');
  });

  it('package.json: bin, a true engines range, and the version the core reports', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.bin).toEqual({ krabkrab: 'dist/index.js' });
    expect(pkg.version).toBe(VERSION);
    const min = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(min).not.toBeNull();
    expect(major! > Number(min![1]) || (major === Number(min![1]) && minor! >= Number(min![2]))).toBe(true);
  });
});
