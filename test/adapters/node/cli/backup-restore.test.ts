import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { create } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { stateModesCheck } from '../../../../src/adapters/node/doctor/check-state-modes';
import { lockPathFor } from '../../../../src/adapters/node/lock';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cleanupCases, doctorCase, liveGatewayLock, staleLock } from '../doctor/doctor-case';
import { cli } from './run-in-process';

const dirs: string[] = [];
afterEach(() => {
  cleanupCases();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function temp(prefix: string): string {
  const dir = tempStateDir(prefix);
  dirs.push(dir);
  return dir;
}

/** Every file under a dir: relative path -> [content, mode]. */
function tree(dir: string): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, name.name);
      if (name.isDirectory()) walk(path);
      else out[relative(dir, path)] = [readFileSync(path, 'utf8'), statSync(path).mode & 0o777];
    }
  };
  walk(dir);
  return out;
}

async function populatedState(): Promise<string> {
  const state = temp('krab-backup-src-');
  writeFileSync(join(state, 'krabkrab.json'), JSON.stringify({ gateway: { mode: 'local' } }), {
    mode: 0o600,
  });
  mkdirSync(join(state, 'credentials', 'secrets'), { recursive: true });
  writeFileSync(join(state, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN'), '"123:secret-token"', {
    mode: 0o600,
  });
  writeFileSync(join(state, 'credentials', 'gateway-token'), '"gw-token-0123456789abcdef"', { mode: 0o600 });
  mkdirSync(join(state, 'sessions', 'agent', 'main'), { recursive: true });
  writeFileSync(
    join(state, 'sessions', 'agent', 'main', 'telegram%3A42'),
    '{"messages":[{"role":"user","content":"hi"}]}',
    { mode: 0o600 },
  );
  writeFileSync(join(state, 'sessions', 'half-written.json.ab12cd34.tmp'), '{"trunc');
  mkdirSync(join(state, 'cache', 'compile', 'v22.23.5-x64-9de703df-0'), { recursive: true });
  writeFileSync(join(state, 'cache', 'compile', 'v22.23.5-x64-9de703df-0', '40ac1533'), 'code', {
    mode: 0o600,
  });
  await staleLock(state);
  return state;
}

describe('backup and restore', () => {
  it('round-trips the whole state dir without the lock, keeping file modes, into an empty state dir', async () => {
    const source = await populatedState();
    const out = join(temp('krab-backup-out-'), 'b.tar.gz');
    const backup = await cli(['backup', out], { krabkrab_STATE_DIR: source });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/backed up .* \(4 files, .*\) to .*b\.tar\.gz .*mode 0600/);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const target = join(temp('krab-restore-'), 'state');
    const restore = await cli(['restore', out], { krabkrab_STATE_DIR: target });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/restored 4 files/);
    expect(restore.stdout).not.toMatch(/previous contents/);

    const expected = tree(source);
    const lockName = relative(source, await lockPathFor(source));
    delete expected[lockName];
    delete expected['sessions/half-written.json.ab12cd34.tmp'];
    delete expected['cache/compile/v22.23.5-x64-9de703df-0/40ac1533']; // Node's compile cache: rebuilt
    expect(tree(target)).toEqual(expected);
    expect(Object.keys(expected)).toHaveLength(4);
  });

  it('restoring over existing state keeps the old contents aside, inside the state dir', async () => {
    const source = await populatedState();
    const out = join(temp('krab-backup-out-'), 'b.tar.gz');
    expect((await cli(['backup', out], { krabkrab_STATE_DIR: source })).code).toBe(0);
    const target = temp('krab-restore-');
    writeFileSync(join(target, 'krabkrab.json'), '{"gateway":{"mode":"remote"}}');
    const restore = await cli(['restore', out], { krabkrab_STATE_DIR: target });
    expect(restore.code, restore.stderr).toBe(0);
    const aside = /previous contents are in (\S+)/.exec(restore.stdout)?.[1] as string;
    expect(aside.startsWith(`${target}/.pre-restore-`)).toBe(true);
    expect(readFileSync(join(aside, 'krabkrab.json'), 'utf8')).toBe('{"gateway":{"mode":"remote"}}');
    expect(JSON.parse(readFileSync(join(target, 'krabkrab.json'), 'utf8'))).toEqual({
      gateway: { mode: 'local' },
    });

    // A backup taken now leaves the kept-aside folder out.
    const again = join(temp('krab-backup-out-'), 'again.tar.gz');
    expect((await cli(['backup', again], { krabkrab_STATE_DIR: target })).stdout).toMatch(/\(4 files/);
  });

  it('refuses to restore while a gateway runs on the state dir, and changes nothing', async () => {
    const source = await populatedState();
    const out = join(temp('krab-backup-out-'), 'b.tar.gz');
    await cli(['backup', out], { krabkrab_STATE_DIR: source });
    const target = temp('krab-restore-');
    writeFileSync(join(target, 'krabkrab.json'), '{}');
    const child = await liveGatewayLock(target, 3000);
    const result = await cli(['restore', out], { krabkrab_STATE_DIR: target });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`a gateway is running on .* \\(PID ${child.pid}, port 3000\\): stop it first`),
    );
    expect(readFileSync(join(target, 'krabkrab.json'), 'utf8')).toBe('{}');
  });

  it('refuses archives with links or paths outside the state dir, and files that are not archives', async () => {
    const src = temp('krab-evil-');
    writeFileSync(join(src, 'krabkrab.json'), '{}');
    symlinkSync('/etc/passwd', join(src, 'passwd-link'));
    const linked = join(src, 'linked.tar.gz');
    await create({ gzip: true, cwd: src, file: linked }, ['krabkrab.json', 'passwd-link']);
    const target = temp('krab-restore-');
    const result = await cli(['restore', linked], { krabkrab_STATE_DIR: target });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /refusing to restore .*passwd-link: SymbolicLink entries are not restored/s,
    );
    expect(readdirSync(target)).toEqual([]);

    const nested = join(src, 'inner');
    mkdirSync(nested);
    const escaping = join(src, 'escape.tar.gz');
    await create({ gzip: true, cwd: nested, file: escaping, preservePaths: true }, ['../krabkrab.json']);
    const outside = await cli(['restore', escaping], { krabkrab_STATE_DIR: target });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/points outside the state dir/);

    const junk = join(src, 'junk.tar.gz');
    writeFileSync(junk, 'not a tarball at all');
    const notTar = await cli(['restore', junk], { krabkrab_STATE_DIR: target });
    expect(notTar.code).toBe(1);
    expect(notTar.stderr).toMatch(/not a readable \.tar\.gz backup|holds no files/);
    expect((await cli(['restore'], { krabkrab_STATE_DIR: target })).code).toBe(2);
    expect((await cli(['restore', join(src, 'missing.tar.gz')], { krabkrab_STATE_DIR: target })).code).toBe(
      2,
    );
    expect(readdirSync(target)).toEqual([]);
  });

  it('backs up into the state dir itself without including the archive', async () => {
    const source = await populatedState();
    mkdirSync(join(source, 'backups'));
    const out = join(source, 'backups', 'inside.tar.gz');
    const result = await cli(['backup', out], { krabkrab_STATE_DIR: source });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\(4 files/);
    expect((await cli(['backup'], { krabkrab_STATE_DIR: join(source, 'nope') })).code).toBe(1);
  });

  it('restores every file 0600 and every folder 0700 whatever the archive says, and doctor sees open modes', async () => {
    const src = temp('krab-open-modes-');
    writeFileSync(join(src, 'krabkrab.json'), '{}', { mode: 0o644 });
    mkdirSync(join(src, 'credentials'), { mode: 0o755 });
    writeFileSync(join(src, 'credentials', 'gateway-token'), '"tok"', { mode: 0o644 });
    chmodSync(join(src, 'credentials'), 0o755);
    chmodSync(join(src, 'credentials', 'gateway-token'), 0o644);
    const archive = join(temp('krab-open-out-'), 'open.tar.gz');
    await create({ gzip: true, cwd: src, file: archive, portable: true }, ['krabkrab.json', 'credentials']);

    const target = join(temp('krab-restore-'), 'state');
    const result = await cli(['restore', archive], { krabkrab_STATE_DIR: target });
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(join(target, 'credentials')).mode & 0o7777).toBe(0o700);
    expect(statSync(join(target, 'credentials', 'gateway-token')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(target, 'krabkrab.json')).mode & 0o7777).toBe(0o600);

    const doctor = doctorCase();
    expect(await doctor.run(stateModesCheck)).toEqual([
      { check: 'state-modes', level: 'ok', message: 'state dir entries are owner-only' },
    ]);
    mkdirSync(join(doctor.stateDir, 'credentials'));
    chmodSync(join(doctor.stateDir, 'credentials'), 0o755);
    writeFileSync(join(doctor.stateDir, 'credentials', 'gateway-token'), 'x');
    chmodSync(join(doctor.stateDir, 'credentials', 'gateway-token'), 0o640);
    const [warning] = await doctor.run(stateModesCheck);
    expect(warning).toMatchObject({ check: 'state-modes', level: 'warn' });
    expect(warning?.message).toMatch(/2 state dir entries are open to group or others/);
    expect(warning?.message).toContain(`${join(doctor.stateDir, 'credentials')} (mode 0755)`);
    expect(warning?.message).toContain(
      `${join(doctor.stateDir, 'credentials', 'gateway-token')} (mode 0640)`,
    );
  });

  it('refuses an archive with a setuid, setgid or sticky entry, naming it, and changes nothing', async () => {
    for (const [name, mode] of [
      ['run-me', 0o4755],
      ['group-me', 0o2755],
      ['sticky', 0o1777],
    ] as const) {
      const src = temp('krab-suid-');
      writeFileSync(join(src, 'krabkrab.json'), '{}', { mode: 0o600 });
      writeFileSync(join(src, name), 'x');
      chmodSync(join(src, name), mode);
      const archive = join(temp('krab-suid-out-'), 'suid.tar.gz');
      await create({ gzip: true, cwd: src, file: archive }, ['krabkrab.json', name]);
      const target = temp('krab-restore-');
      const result = await cli(['restore', archive], { krabkrab_STATE_DIR: target });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${name}: has the setuid, setgid or sticky bit (mode ${mode.toString(8)})`,
      );
      expect(readdirSync(target)).toEqual([]);
    }
  });
});
