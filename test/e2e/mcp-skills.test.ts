import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanupAfterAll } from '../helpers/cleanup';
import { cleanEnv, runCli, startGateway, tempStateDir } from '../helpers/gateway-process';

const { dirs, gateways } = cleanupAfterAll();
const STDIO_FIXTURE = fileURLToPath(new URL('../fixtures/mcp/stdio-server.mjs', import.meta.url));
const SKILLS = fileURLToPath(new URL('../fixtures/skills/state/skills', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('MCP servers and skills in a running gateway', () => {
  it('connects after listening, shows servers in status and mcp list, lists skills, and leaves no process behind', async () => {
    const stateDir = tempStateDir();
    dirs.push(stateDir);
    await writeFile(
      join(stateDir, 'krabkrab.json'),
      JSON.stringify({
        gateway: { mode: 'local' },
        mcp: { servers: { fx: { command: process.execPath, args: [STDIO_FIXTURE] } } },
        skills: { entries: { off: { enabled: false } } },
      }),
    );
    await mkdir(join(stateDir, 'skills'), { recursive: true });
    await cp(SKILLS, join(stateDir, 'skills'), { recursive: true });
    const env = cleanEnv({ krabkrab_STATE_DIR: stateDir });

    const gateway = await startGateway({ stateDir });
    gateways.push(gateway);
    await gateway.waitForLine(/\[mcp\] fx: connected, 6 tool\(s\)/);
    const output = gateway.output();
    expect(output.indexOf('listening on')).toBeLessThan(output.indexOf('[mcp] fx: connected'));

    const list = await runCli(['mcp', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      /^MCP servers \(gateway PID \d+\):\nfx {2}stdio {2}ready {2}6 tool\(s\)\n {2}tools: fx__echo, /,
    );
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout);
    const fx = status.mcp.servers[0];
    expect(fx).toMatchObject({ name: 'fx', state: 'ready', transport: 'stdio', restarts: 0 });
    expect((await runCli(['status'], env)).stdout).toMatch(
      /^ {2}fx {2}stdio {2}ready, 6 tool\(s\), 0 restart\(s\)$/m,
    );

    const skills = await runCli(['skills', 'list'], env);
    expect(skills.code, skills.stderr).toBe(0);
    expect(skills.stdout).toMatch(/agent main \(workspace .*\): 2 skill\(s\)/);
    expect(skills.stdout).toMatch(/^ {2}pdf {2}\[state\] .*skills\/pdf\/SKILL.md$/m);
    expect(skills.stdout).toMatch(/^ {2}skipped off: skills.entries.off.enabled is false/m);

    expect(alive(fx.pid)).toBe(true);
    expect(await gateway.stop()).toBe(0);
    expect(alive(fx.pid)).toBe(false);

    // No gateway: mcp list connects once itself, then closes the server.
    const offline = await runCli(['mcp', 'list', '--json'], env);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      source: 'connected once (no gateway running)',
      servers: [{ name: 'fx', state: 'ready', tools: expect.arrayContaining(['echo']) }],
    });
  }, 60_000);
});
