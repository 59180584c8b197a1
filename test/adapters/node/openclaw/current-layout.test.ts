import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { cli } from '../cli/run-in-process';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

// The layout OpenClaw 2026.9's own CLI writes: agents.entries keyed by id, Discord channel
// allowlists spelled `enabled`, JSON5 comments, and sections krabkrab has no counterpart for.
const CURRENT = `// written by openclaw onboard
{
  agents: {
    defaults: { model: { primary: "anthropic/claude-opus-4-5" } },
    entries: {
      main: { default: true, name: "Main" },          // the default agent
      "ops.team": { name: "Ops" },
      "ops-team": { name: "Ops again" },               // collides with ops.team once escaped
      broken: "not an object",
    },
  },
  channels: {
    discord: {
      enabled: true,
      guilds: { "123": { channels: { general: { enabled: true }, random: { enabled: false } } } },
    },
  },
  canvasHost: { enabled: true },                        // unknown to krabkrab
}`;

describe('import-openclaw: the current OpenClaw layout (issue 18)', () => {
  it('takes agents.entries as a map keyed by id, reports colliding ids, keeps channel allowlists', async () => {
    const dir = tempStateDir('krab-oc-current-');
    dirs.push(dir);
    mkdirSync(join(dir, 'oc'));
    writeFileSync(join(dir, 'oc', 'openclaw.json'), CURRENT);
    const result = await cli(['import-openclaw', join(dir, 'oc'), '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.config.agents.list).toEqual([
      { id: 'main', default: true, name: 'Main' },
      { id: 'ops-team', name: 'Ops' },
    ]);
    expect(out.notes).toContain('agents.entries["ops.team"] was imported as agent "ops-team"');
    const notMapped = Object.fromEntries(
      out.notMapped.map((entry: { path: string; reason: string }) => [entry.path, entry.reason]),
    );
    expect(notMapped['agents.entries["ops-team"]']).toBe(
      'agent id "ops-team" is already taken by agents.entries["ops.team"]: not imported',
    );
    expect(notMapped['agents.entries["broken"]']).toBe('expected an object for each agent');
    expect(notMapped.canvasHost).toBe('no such setting in krabkrab');
    expect(out.config.channels.discord.guilds['123'].channels).toEqual({
      general: { allow: true },
      random: { allow: false },
    });
  });
});
