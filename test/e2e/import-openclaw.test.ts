import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyInstall, INSTALL_SECRETS } from '../adapters/node/openclaw/install-fixture';
import { reply, startFakeAnthropic, toolResults } from '../fakes/anthropic-server';
import { startFakeBotApi } from '../fakes/telegram-bot-api';
import { cleanupAfterAll } from '../helpers/cleanup';
import { cleanEnv, runCli, startGateway } from '../helpers/gateway-process';

const { dirs, gateways } = cleanupAfterAll();
const TOKEN = 'import-e2e-gateway-token-0123456789';

describe('an OpenClaw 2026.9.6 install imported, then the gateway started on the result', () => {
  it('the agent has its workspace files and skills, and nothing is read from the OpenClaw folder', async () => {
    const { root, openclaw, state } = copyInstall('krab-oc-e2e-');
    dirs.push(root);
    const env = cleanEnv({ krabkrab_STATE_DIR: state });

    const imported = await runCli(['import-openclaw', openclaw, '--write'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('workspace of agent "main"');
    // The env vars the output names are what the gateway needs; set them (fake values) as a user would.
    const named = [...imported.stderr.matchAll(/^ {2}([A-Za-z_][A-Za-z0-9_]*) +<- /gm)].map((m) => m[1]!);
    expect(named).toEqual(expect.arrayContaining(['TELEGRAM_BOT_TOKEN', 'GITHUB_PERSONAL_ACCESS_TOKEN']));
    // No network in tests: the HTTP MCP servers are turned off the way a user would.
    for (const server of ['docs-search', 'linear']) {
      const off = await runCli(['config', 'set', `mcp.servers.${server}.enabled`, 'false'], {
        ...env,
        ...Object.fromEntries(named.map((name) => [name, 'set'])),
      });
      expect(off.code, off.stderr).toBe(0);
    }
    // The OpenClaw folder is gone (the gateway often runs on another machine).
    rmSync(openclaw, { recursive: true, force: true });

    const llm = await startFakeAnthropic();
    const bot = await startFakeBotApi();
    const values: Record<string, string> = Object.fromEntries(named.map((name) => [name, `fake-${name}`]));
    const gateway = await startGateway({
      stateDir: state,
      env: {
        ...values,
        TELEGRAM_BOT_TOKEN: bot.token,
        TELEGRAM_API_ROOT: bot.origin,
        ANTHROPIC_API_KEY: 'sk-ant-test-key-0123456789',
        ANTHROPIC_BASE_URL: llm.origin,
        krabkrab_GATEWAY_TOKEN: TOKEN,
        // The stdio server (npx) is not installed on this machine: a clear error, no download.
        PATH: join(root, 'empty-path'),
      },
    });
    gateways.push(gateway);
    try {
      await gateway.waitForLine(/\[mcp\] github: .*command not found/);
      llm.enqueue(
        reply.tools([{ name: 'read', arguments: { path: 'skills/weather/SKILL.md' } }]),
        reply.text('Two lines of weather.'),
      );
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'krabkrab',
          messages: [{ role: 'user', content: 'weather in Lisbon?' }],
        }),
      });
      expect(res.status).toBe(200);
      expect(
        ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message
          .content,
      ).toBe('Two lines of weather.');
      const [first, second] = llm.requests.slice(-2);
      const system = JSON.stringify(first!.body.system);
      for (const marker of [
        'agents-from-openclaw-install',
        'soul-from-openclaw-install',
        'user-from-openclaw-install',
      ])
        expect(system).toContain(marker);
      expect(system).toContain('<available_skills>');
      expect(system).toContain('skills/weather/SKILL.md');
      expect(system).toContain('skills/standup/SKILL.md');
      expect(toolResults(second!)[0]).toContain('weather-skill-body');

      const status = JSON.parse(
        (await runCli(['status', '--json'], { ...env, krabkrab_GATEWAY_TOKEN: TOKEN })).stdout,
      );
      expect(status.mcp.servers.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([
        ['github', 'retrying'],
        ['docs-search', 'disabled'],
        ['linear', 'disabled'],
      ]);
      const config = readFileSync(join(state, 'krabkrab.json'), 'utf8');
      for (const secret of INSTALL_SECRETS) expect(config).not.toContain(secret);
    } finally {
      await gateway.stop();
      await llm.close();
      await bot.close();
    }
  }, 60_000);
});
