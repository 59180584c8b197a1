import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configCheck } from '../../../../src/adapters/node/doctor/check-config';
import { lockCheck } from '../../../../src/adapters/node/doctor/check-lock';
import { memoryCheck } from '../../../../src/adapters/node/doctor/check-memory';
import { nodeCheck, satisfies } from '../../../../src/adapters/node/doctor/check-node';
import { stateDirCheck } from '../../../../src/adapters/node/doctor/check-state-dir';
import { runDoctor } from '../../../../src/adapters/node/doctor/run';
import { cleanupCases, doctorCase, levels, liveGatewayLock, staleLock } from './doctor-case';

afterEach(cleanupCases);

describe('doctor: node version', () => {
  it('passes a version inside engines and fails one outside', async () => {
    expect(levels(await doctorCase({ nodeVersion: 'v20.20.2' }).run(nodeCheck))).toEqual(['ok']);
    const old = await doctorCase({ nodeVersion: 'v18.19.0' }).run(nodeCheck);
    expect(old[0]).toMatchObject({
      level: 'error',
      message: 'Node v18.19.0 does not satisfy engines >=20.11',
    });
  });

  it('reads the ranges engines use', () => {
    expect(satisfies('v20.11.0', '>=20.11')).toBe(true);
    expect(satisfies('v20.10.9', '>=20.11')).toBe(false);
    expect(satisfies('v22.1.0', '^20.11.0 || >=22')).toBe(true);
    expect(satisfies('v21.0.0', '^20.11.0 || >=22')).toBe(false);
    expect(satisfies('v20.5.0', '20.x')).toBe(true);
    expect(satisfies('v20.5.0', '>=18 <20')).toBe(false);
    expect(satisfies('v20.5.1', '~20.5')).toBe(true);
  });
});

describe('doctor: state dir', () => {
  it('is ok when writable, warns when it does not exist yet, errs when it cannot be used', async () => {
    const ok = doctorCase();
    expect(levels(await ok.run(stateDirCheck))).toEqual(['ok']);

    const missing = doctorCase();
    const input = await missing.input();
    const notYet = await runDoctor({ ...input, stateDir: join(missing.root, 'later') }, [stateDirCheck]);
    expect(notYet.checks[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/does not exist yet/),
    });

    const file = join(missing.root, 'a-file');
    writeFileSync(file, 'x');
    const notDir = await runDoctor({ ...input, stateDir: file }, [stateDirCheck]);
    expect(notDir.checks[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/not a directory/),
    });
    expect(notDir.ok).toBe(false);

    const nowhere = await runDoctor({ ...input, stateDir: '/proc/krab-no-such/state' }, [stateDirCheck]);
    expect(nowhere.checks[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/cannot be created/),
    });

    // Nobody, root included, can create a file in /proc/self/fd.
    const readOnly = await runDoctor({ ...input, stateDir: '/proc/self/fd' }, [stateDirCheck]);
    expect(readOnly.checks[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/not writable/),
    });
  });

  it('in a container, warns when krabkrab_STATE_DIR is unset or the dir is not a volume', async () => {
    const c = doctorCase({ container: true, mountinfo: '1 0 0:1 / / rw - overlay overlay rw\n' });
    const input = await c.input();
    const results = (await runDoctor({ ...input, stateDirSource: 'default' }, [stateDirCheck])).checks;
    expect(results.map((r) => r.level)).toEqual(['warn', 'ok', 'warn']);
    expect(results[0]?.message).toMatch(/krabkrab_STATE_DIR is not set inside a container.*lost on redeploy/);
    expect(results[0]?.fix).toMatch(/krabkrab_STATE_DIR=\/data/);
    expect(results[2]?.message).toMatch(/not a volume/);
  });

  it('in a container, is ok with krabkrab_STATE_DIR set and a volume mounted there', async () => {
    const c = doctorCase({ container: true });
    writeFileSync(
      join(c.root, 'mountinfo'),
      `1 0 0:1 / / rw - overlay overlay rw\n2 1 8:1 / ${c.stateDir} rw - ext4 /dev/vdb rw\n`,
    );
    const input = await c.input();
    const results = (await runDoctor({ ...input, stateDirSource: 'env' }, [stateDirCheck])).checks;
    expect(levels(results)).toEqual(['ok', 'ok']);
    expect(results[1]?.message).toMatch(/mounted volume \(ext4/);
  });

  it('checks that fly.toml keeps the state dir on its volume', async () => {
    const fly = (env: string, mounts: string) =>
      `app = "x"\n[env]\n${env}\n[processes]\n  app = "node dist/index.js gateway"\n${mounts}`;
    const volume = '[mounts]\n  source = "krabkrab_data"\n  destination = "/data"\n';
    const flyLines = async (text: string) =>
      (await doctorCase({ fly: text, askFly: true }).runFly()).filter((r) => r.check === 'state-dir');
    expect(await flyLines(fly('  krabkrab_STATE_DIR = "/data"', volume))).toEqual([
      {
        check: 'state-dir',
        level: 'ok',
        message: 'the state stays in /data on the volume mounted at /data',
      },
    ]);
    expect((await flyLines(fly('  NODE_ENV = "production"', volume)))[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/no krabkrab_STATE_DIR/),
    });
    expect((await flyLines(fly('  krabkrab_STATE_DIR = "/data"', '')))[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/no volume/),
    });
    expect((await flyLines(fly('  krabkrab_STATE_DIR = "/srv/state"', volume)))[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/outside the volume mounted at \/data/),
    });
  });
});

describe('doctor: config', () => {
  it('is ok for a valid config and errs with the start messages for a wrong one', async () => {
    expect(levels(await doctorCase({ config: { gateway: { mode: 'local' } } }).run(configCheck))).toEqual([
      'ok',
    ]);
    const wrong = await doctorCase({
      config: { gatway: {}, agents: { defaults: { maxConcurrent: 'x' } } },
    }).run(configCheck);
    expect(levels(wrong)).toEqual(['error', 'error']);
    expect(wrong.map((r) => r.message).join('\n')).toMatch(/gatway: unknown key \(did you mean gateway\?\)/);
    expect(wrong.map((r) => r.message).join('\n')).toMatch(
      /agents\.defaults\.maxConcurrent: expected number, got string/,
    );
    const notJson = await doctorCase({ config: '{ nope' }).run(configCheck);
    expect(notJson[0]).toMatchObject({ level: 'error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('warns about a missing config; fly.toml without --allow-unconfigured is warned about in its section', async () => {
    expect(levels(await doctorCase().run(configCheck))).toEqual(['warn']);
    const fly = (flags: string) =>
      `[processes]\napp = "node dist/index.js gateway ${flags}--port 3000 --bind lan"\n`;
    const config = async (text: string) =>
      (await doctorCase({ fly: text, askFly: true }).runFly()).find((r) => r.check === 'config');
    expect((await config(fly('--allow-unconfigured ')))?.level).toBe('ok');
    expect((await config(fly('')))?.level).toBe('warn');
  });
});

describe('doctor: lock', () => {
  it('says no gateway runs when there is no lock', async () => {
    expect((await doctorCase().run(lockCheck))[0]).toMatchObject({
      level: 'ok',
      message: expect.stringMatching(/no gateway is running/),
    });
  });

  it('names the live owner of a lock', async () => {
    const c = doctorCase();
    const child = await liveGatewayLock(c.stateDir, 4321);
    const [result] = await c.run(lockCheck);
    expect(result).toMatchObject({
      level: 'ok',
      message: expect.stringContaining(`live gateway: PID ${child.pid}, port 4321`),
    });
  });

  it('calls a dead owner stale and safe to remove', async () => {
    const c = doctorCase();
    const path = await staleLock(c.stateDir);
    const [result] = await c.run(lockCheck);
    expect(result).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/stale lock .*process not running.*safe to remove/),
      fix: `rm ${path}`,
    });
  });
});

describe('doctor: memory', () => {
  it('is ok without a limit and warns below 256 MiB', async () => {
    expect((await doctorCase({ memoryMax: 'max' }).run(memoryCheck))[0]).toMatchObject({
      level: 'ok',
      message: 'no cgroup memory limit',
    });
    expect((await doctorCase().run(memoryCheck))[0]?.level).toBe('ok');
    const small = await doctorCase({ memoryMax: String(128 * 1024 * 1024) }).run(memoryCheck);
    expect(small[0]).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/128 MiB: below 256 MiB/),
    });
  });

  it('compares the running gateway RSS with the limit', async () => {
    const cases: Array<[number, string]> = [
      [50, 'ok'],
      [200, 'warn'],
      [240, 'error'],
    ];
    for (const [rssMiB, level] of cases) {
      const c = doctorCase({ memoryMax: String(256 * 1024 * 1024) });
      const child = await liveGatewayLock(c.stateDir);
      mkdirSync(join(c.proc, String(child.pid)));
      writeFileSync(
        join(c.proc, String(child.pid), 'status'),
        `Name:\tnode\nVmRSS:\t  ${rssMiB * 1024} kB\n`,
      );
      const results = await c.run(memoryCheck);
      expect(
        results.find((r) => r.message.includes('gateway RSS')),
        `${rssMiB} MiB`,
      ).toMatchObject({
        level,
        message: expect.stringContaining(`gateway RSS ${rssMiB} MiB of a 256 MiB limit`),
      });
    }
  });

  it('warns when the heap cap in NODE_OPTIONS is above the limit', async () => {
    const over = await doctorCase({
      memoryMax: String(512 * 1024 * 1024),
      env: { NODE_OPTIONS: '--max-old-space-size=1536' },
    }).run(memoryCheck);
    expect(over.find((r) => r.level === 'warn')?.message).toMatch(
      /max-old-space-size=1536.*above the 512 MiB limit/,
    );
    const under = await doctorCase({
      memoryMax: String(2048 * 1024 * 1024),
      env: { NODE_OPTIONS: '--max-old-space-size=1536' },
    }).run(memoryCheck);
    expect(levels(under)).toEqual(['ok']);
  });
});
