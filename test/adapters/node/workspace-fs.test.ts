import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeWorkspaceFs } from '../../../src/adapters/node/workspace-fs';
import { testWorkspaceFs } from '../../core/workspace/contract';

const base = mkdtempSync(join(tmpdir(), 'krab-ws-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** A state dir with its secrets, a skills folder, and an agent workspace inside it (as by default). */
function stateDir() {
  const state = join(base, `state-${++n}`);
  mkdirSync(join(state, 'skills', 'weather'), { recursive: true });
  mkdirSync(join(state, 'workspace', 'main'), { recursive: true });
  writeFileSync(join(state, 'krabkrab.json'), '{"secret":true}');
  writeFileSync(join(state, 'skills', 'weather', 'SKILL.md'), 'state skill');
  const workspace = join(state, 'workspace', 'main');
  const fs = createNodeWorkspaceFs(workspace, [{ prefix: 'skills', dir: join(state, 'skills') }], {
    stateDir: state,
  });
  return { state, workspace, fs };
}

describe('the Node workspace folder', () => {
  testWorkspaceFs(async () => createNodeWorkspaceFs(join(base, `ws-${++n}`)));

  it('refuses symlinks that resolve outside, for read, list, stat and write, and touches nothing there', async () => {
    const { state, workspace, fs } = stateDir();
    symlinkSync(state, join(workspace, 'state'));
    symlinkSync(join(state, 'krabkrab.json'), join(workspace, 'config.json'));
    symlinkSync(join(state, 'new-file.json'), join(workspace, 'dangling.json'));
    for (const path of ['state/krabkrab.json', 'config.json'])
      await expect(fs.read(path)).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.list('state')).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.stat('config.json')).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.write('state/krabkrab.json', '{}')).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.write('state/sub/new.txt', 'x')).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.write('config.json', '{}')).rejects.toThrow(/resolves outside the workspace/);
    await expect(fs.write('dangling.json', '{}')).rejects.toThrow(/resolves outside the workspace/);
    expect(readFileSync(join(state, 'krabkrab.json'), 'utf8')).toBe('{"secret":true}');
    expect(existsSync(join(state, 'new-file.json'))).toBe(false);
    expect(existsSync(join(state, 'sub'))).toBe(false);
    expect((await fs.list('.')).find((e) => e.name === 'state')).toEqual({ name: 'state', kind: 'other' });
  });

  it('follows a symlink that stays inside the workspace', async () => {
    const { workspace, fs } = stateDir();
    await fs.write('real/file.txt', 'inside');
    symlinkSync(join(workspace, 'real', 'file.txt'), join(workspace, 'alias.txt'));
    expect(new TextDecoder().decode((await fs.read('alias.txt')).bytes)).toBe('inside');
    await fs.write('alias.txt', 'changed');
    expect(readFileSync(join(workspace, 'real', 'file.txt'), 'utf8')).toBe('changed');
  });

  it("reads the state dir's skills read-only under skills/, the workspace's own first", async () => {
    const { state, workspace, fs } = stateDir();
    expect(new TextDecoder().decode((await fs.read('skills/weather/SKILL.md')).bytes)).toBe('state skill');
    expect((await fs.list('skills')).map((e) => e.name)).toEqual(['weather']);
    await expect(fs.read('skills/../../../krabkrab.json')).rejects.toThrow(/leaves the workspace/);
    // A write lands in the workspace; the state dir's skill stays as it was.
    await fs.write('skills/weather/SKILL.md', 'my skill');
    expect(readFileSync(join(workspace, 'skills', 'weather', 'SKILL.md'), 'utf8')).toBe('my skill');
    expect(readFileSync(join(state, 'skills', 'weather', 'SKILL.md'), 'utf8')).toBe('state skill');
    expect(new TextDecoder().decode((await fs.read('skills/weather/SKILL.md')).bytes)).toBe('my skill');
  });

  it('a workspace that holds the state dir (workspace "~") still never reaches its config or credentials', async () => {
    const home = join(base, `home-${++n}`);
    const state = join(home, '.krabkrab');
    mkdirSync(join(state, 'credentials', 'secrets'), { recursive: true });
    mkdirSync(join(state, 'workspace', 'main'), { recursive: true });
    writeFileSync(join(state, 'krabkrab.json'), '{"tools":{"exec":{"mode":"ask"}}}');
    writeFileSync(join(state, 'credentials', 'secrets', 'ANTHROPIC_API_KEY'), 'sk-ant-secret');
    symlinkSync(join(state, 'krabkrab.json'), join(home, 'config-link.json'));
    const fs = createNodeWorkspaceFs(home, [{ prefix: 'skills', dir: join(state, 'skills') }], {
      stateDir: state,
    });
    const refused = /the gateway's state dir/;
    for (const path of [
      '.krabkrab/krabkrab.json',
      '.krabkrab/credentials/secrets/ANTHROPIC_API_KEY',
      'config-link.json',
      '.krabkrab/workspace/main/../../krabkrab.json',
    ])
      await expect(fs.read(path), path).rejects.toThrow(refused);
    await expect(fs.list('.krabkrab')).rejects.toThrow(refused);
    await expect(fs.list('.krabkrab/credentials')).rejects.toThrow(refused);
    await expect(fs.stat('.krabkrab/krabkrab.json')).rejects.toThrow(refused);
    // A write that would turn exec's approvals off, or plant a file there, is refused.
    await expect(fs.write('.krabkrab/krabkrab.json', '{"tools":{"exec":{"mode":"full"}}}')).rejects.toThrow(
      refused,
    );
    await expect(fs.write('config-link.json', '{}')).rejects.toThrow(refused);
    await expect(fs.write('.krabkrab/cron/new.json', '{}')).rejects.toThrow(refused);
    expect(readFileSync(join(state, 'krabkrab.json'), 'utf8')).toBe('{"tools":{"exec":{"mode":"ask"}}}');
    expect(existsSync(join(state, 'cron'))).toBe(false);
    expect((await fs.list('.')).find((e) => e.name === '.krabkrab')).toEqual({
      name: '.krabkrab',
      kind: 'other',
    });
    // The rest of the workspace works as ever.
    await fs.write('notes/todo.md', 'milk');
    expect(new TextDecoder().decode((await fs.read('notes/todo.md')).bytes)).toBe('milk');
  });

  it('creates the workspace folder on the first write, keeps the mode of a file it replaces, leaves no temp file', async () => {
    const root = join(base, `fresh-${++n}`);
    const fs = createNodeWorkspaceFs(root);
    await expect(fs.list('.')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await fs.write('hello.md', 'hi');
    expect((await fs.list('.')).map((e) => e.name)).toEqual(['hello.md']);
    chmodSync(join(root, 'hello.md'), 0o755);
    await fs.write('hello.md', 'again');
    expect(statSync(join(root, 'hello.md')).mode & 0o777).toBe(0o755);
    expect(readdirSync(root)).toEqual(['hello.md']);
  });
});
