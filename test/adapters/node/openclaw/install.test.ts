import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cleanupAfterAll } from '../../../helpers/cleanup';
import { cli } from '../cli/run-in-process';
import { copyInstall, INSTALL_SECRETS } from './install-fixture';

const { dirs } = cleanupAfterAll();

/** A copy of the install (so a test can add symlinks and big files) and an empty krabkrab state dir. */
function setUp(): { openclaw: string; state: string; outside: string } {
  const { root, openclaw, state } = copyInstall('krab-oc-install-');
  dirs.push(root);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'private.md'), 'not part of the install');
  // Symlinks are never followed: one to a file outside, one to a folder outside, one inside.
  symlinkSync(join(outside, 'private.md'), join(openclaw, 'workspace', 'memory', 'linked.md'));
  symlinkSync(outside, join(openclaw, 'workspace', 'skills', 'elsewhere'));
  symlinkSync(join(openclaw, 'workspace', 'SOUL.md'), join(openclaw, 'workspace-ops.team', 'SOUL.md'));
  writeFileSync(join(openclaw, 'workspace', 'memory', 'huge.md'), 'x'.repeat(5 * 1024 * 1024));
  return { openclaw, state, outside };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

let paths: ReturnType<typeof setUp>;
beforeEach(() => {
  paths = setUp();
});

const run = (...args: string[]) =>
  cli(['import-openclaw', paths.openclaw, '--state-dir', paths.state, ...args], { HOME: '/nonexistent' });

describe('import-openclaw: a real OpenClaw 2026.9.6 install (issue 18)', () => {
  it('maps agents, tools, MCP servers, skills and model providers; lists what it cannot map and the env vars to set', async () => {
    const result = await run('--json');
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    const { config } = out;
    expect(config.agents).toEqual({
      defaults: {
        model: {
          primary: 'anthropic/claude-opus-4-5',
          fallbacks: ['openrouter/anthropic/claude-sonnet-4.5'],
        },
      },
      list: [
        { id: 'main', default: true, name: 'Clawd' },
        { id: 'ops-team', name: 'Ops', model: 'lab/qwen3-coder', tools: { deny: ['exec'] } },
      ],
    });
    expect(config.tools).toEqual({ profile: 'full', allow: ['web_search', 'web_fetch'], deny: ['exec'] });
    expect(config.mcp.servers).toEqual({
      github: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}', LOG_LEVEL: 'info' },
        timeoutSeconds: 45,
      },
      'docs-search': {
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: '${MCP_DOCS_SEARCH_AUTHORIZATION}', 'X-Team': 'crabs' },
      },
      linear: {
        url: 'https://mcp.linear.example/sse',
        headers: { Authorization: 'Bearer ${LINEAR_API_KEY}' },
      },
    });
    expect(config.skills).toEqual({
      entries: { weather: { enabled: true }, 'nano-banana-pro': { enabled: false } },
    });
    expect(config.models.providers).toEqual({
      lab: {
        baseUrl: 'http://10.0.0.5:8000/v1',
        api: 'openai-chat',
        headers: { 'X-Api-Key': '${LAB_X_API_KEY}' },
      },
      'claude-proxy': {
        baseUrl: 'https://claude-proxy.example.com',
        api: 'anthropic',
        apiKey: '${CLAUDE_PROXY_KEY}',
      },
    });
    const notMapped = Object.fromEntries(
      out.notMapped.map((entry: { path: string; reason: string }) => [entry.path, entry.reason]),
    );
    expect(notMapped).toMatchObject({
      'agents.entries["ops-team"]':
        'agent id "ops-team" is already taken by agents.entries["ops.team"]: not imported',
      'agents.list[1].tools.profile': expect.stringContaining('krabkrab has no per-agent profile'),
      'tools.allow[1]': '"browser" names no krabkrab tool',
      'tools.deny[1]': '"canvas" names no krabkrab tool',
      'models.providers.bedrock':
        'api "bedrock-converse-stream" is not one krabkrab speaks ("openai-chat", "anthropic")',
      'skills.entries.nano-banana-pro.apiKey': expect.stringContaining('a secret: not copied'),
      'skills.load': 'no such setting in krabkrab',
      'mcp.sessionIdleTtlMs': 'no such setting in krabkrab',
      canvasHost: 'no such setting in krabkrab',
      wizard: 'no such setting in krabkrab',
      update: 'no such setting in krabkrab',
    });
    expect(out.notes).toEqual(
      expect.arrayContaining([
        'agents.entries["ops.team"] was imported as agent "ops-team"',
        'mcp.servers["docs.search"] was imported as server "docs-search" (its tools are docs-search__<tool>)',
        expect.stringMatching(/^tools.profile "coding" became "full"/),
        expect.stringMatching(
          /^agents.defaults.workspace \(~\/.openclaw\/workspace\) is the default agent's own folder/,
        ),
      ]),
    );
    const envVars = out.secrets.map((secret: { env: string }) => secret.env);
    expect(envVars).toEqual(
      expect.arrayContaining([
        'GITHUB_PERSONAL_ACCESS_TOKEN',
        'MCP_DOCS_SEARCH_AUTHORIZATION',
        'LINEAR_API_KEY',
        'LAB_API_KEY',
        'LAB_X_API_KEY',
        'CLAUDE_PROXY_KEY',
        'TELEGRAM_BOT_TOKEN',
      ]),
    );
    // claude-proxy's key is named by its own ${CLAUDE_PROXY_KEY}, not a second, made-up name.
    expect(envVars).not.toContain('CLAUDE_PROXY_API_KEY');
    for (const secret of INSTALL_SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
    // A dry run: the workspaces' files are listed, nothing written.
    expect(
      out.workspaces.map((w: { agentId: string; copied: string[] }) => [w.agentId, w.copied.length]),
    ).toEqual([
      ['main', 10],
      ['ops-team', 1],
    ]);
    expect(readdirSync(paths.state)).toEqual([]);
  });

  it('--write copies each agent workspace (never through a symlink, never a huge file) and the config finds it', async () => {
    const result = await run('--write');
    expect(result.code, result.stderr).toBe(0);
    const main = join(paths.state, 'workspace', 'main');
    expect(filesUnder(main)).toEqual([
      'AGENTS.md',
      'IDENTITY.md',
      'MEMORY.md',
      'SOUL.md',
      'TOOLS.md',
      'USER.md',
      'memory/2026-09-13.md',
      'skills/standup/SKILL.md',
      'skills/standup/scripts/collect.sh',
      'skills/weather/SKILL.md',
    ]);
    expect(readFileSync(join(main, 'SOUL.md'), 'utf8')).toContain('soul-from-openclaw-install');
    expect(statSync(join(main, 'skills/standup/scripts/collect.sh')).mode & 0o777).toBe(0o700);
    expect(statSync(join(main, 'USER.md')).mode & 0o777).toBe(0o600);
    expect(filesUnder(join(paths.state, 'workspace', 'ops-team'))).toEqual(['AGENTS.md']);
    expect(result.stderr).toContain(
      `workspace of agent "main": ${join(paths.openclaw, 'workspace')} -> ${main}\n  copied (10):\n    AGENTS.md\n`,
    );
    expect(result.stderr).toContain('  skipped (3):\n');
    expect(result.stderr).toContain('    memory/huge.md: too large (5.0 MB; at most 4 MB a file)\n');
    expect(result.stderr).toContain('    memory/linked.md: a symlink: not followed\n');
    expect(result.stderr).toContain('    skills/elsewhere: a symlink: not followed\n');
    expect(result.stderr).toContain('    SOUL.md: a symlink: not followed\n');
    const written = readFileSync(join(paths.state, 'krabkrab.json'), 'utf8');
    expect(written).not.toContain('.openclaw');
    for (const secret of INSTALL_SECRETS) expect(written).not.toContain(secret);
    for (const file of filesUnder(paths.state))
      for (const secret of INSTALL_SECRETS)
        expect(readFileSync(join(paths.state, file), 'utf8')).not.toContain(secret);
  });

  it('keeps files already in the workspace unless --force, and says which', async () => {
    const main = join(paths.state, 'workspace', 'main');
    mkdirSync(join(main, 'memory'), { recursive: true });
    writeFileSync(join(main, 'SOUL.md'), 'my own soul');
    writeFileSync(join(main, 'memory', '2026-09-13.md'), 'my own note');
    symlinkSync(paths.outside, join(main, 'USER.md'));

    const kept = await run('--write');
    expect(kept.code, kept.stderr).toBe(0);
    expect(readFileSync(join(main, 'SOUL.md'), 'utf8')).toBe('my own soul');
    expect(kept.stderr).toContain('    SOUL.md: already in the workspace: kept (--force replaces it)\n');
    expect(kept.stderr).toContain(
      '    memory/2026-09-13.md: already in the workspace: kept (--force replaces it)\n',
    );
    expect(kept.stderr).toContain('    USER.md: the workspace has a folder or symlink there: left alone\n');
    expect(existsSync(join(main, 'AGENTS.md'))).toBe(true);

    const forced = await run('--write', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(main, 'SOUL.md'), 'utf8')).toContain('soul-from-openclaw-install');
    expect(readFileSync(join(main, 'memory', '2026-09-13.md'), 'utf8')).toContain('Booked the dentist');
    // A symlink in the workspace is never written through, even with --force.
    expect(lstatSync(join(main, 'USER.md')).isSymbolicLink()).toBe(true);
    expect(readdirSync(paths.outside)).toEqual(['private.md']);
    expect(forced.stderr).toContain('  copied (9):\n    AGENTS.md\n    SOUL.md\n');
    expect(forced.stderr).toContain(
      '  skipped (4):\n    USER.md: the workspace has a folder or symlink there',
    );

    const usage = await run('--force');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--force goes with --write');
  });

  it('a workspace outside the OpenClaw folder is used where it is, never copied', async () => {
    const config = readFileSync(join(paths.openclaw, 'openclaw.json'), 'utf8').replace(
      'workspace: "~/.openclaw/workspace",',
      `workspace: ${JSON.stringify(paths.outside)},`,
    );
    writeFileSync(join(paths.openclaw, 'openclaw.json'), config);
    const result = await run('--json');
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.config.agents.list[0]).toEqual({
      id: 'main',
      default: true,
      name: 'Clawd',
      workspace: paths.outside,
    });
    expect(out.notes).toContain(
      `agent "main": its workspace ${paths.outside} is outside the OpenClaw folder, so it is used where it is (not copied)`,
    );
    expect(out.workspaces.map((w: { agentId: string }) => w.agentId)).toEqual(['ops-team']);
  });

  it("an agent's workspace that is a symlink out of the OpenClaw folder is not followed", async () => {
    const ops = join(paths.openclaw, 'workspace-ops.team');
    rmSync(ops, { recursive: true });
    writeFileSync(join(paths.outside, 'AGENTS.md'), 'not part of the install');
    symlinkSync(paths.outside, ops);
    const result = await run('--write');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `workspace of agent "ops-team": ${ops} -> ${join(paths.state, 'workspace', 'ops-team')}\n  copied (0)\n  skipped (1):\n    .: the workspace is a symlink: not followed\n`,
    );
    expect(existsSync(join(paths.state, 'workspace', 'ops-team'))).toBe(false);
  });
});
