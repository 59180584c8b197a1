import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/adapters/node/cli/main';
import { cleanEnv, removeDir, tempStateDir } from '../../helpers/gateway-process';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function cli(args: string[], stateDir: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['cron', ...args], {
    env: cleanEnv({ krabkrab_STATE_DIR: stateDir }),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

function stateDirWith(config?: Record<string, unknown>): string {
  const dir = tempStateDir('krab-cron-cli-');
  dirs.push(dir);
  if (config) writeFileSync(join(dir, 'krabkrab.json'), JSON.stringify(config));
  return dir;
}

describe('krabkrab cron (no gateway running: the state dir)', () => {
  it('adds, lists (config and runtime jobs), shows history and removes', async () => {
    const dir = stateDirWith({
      cron: { timezone: 'Europe/Berlin', jobs: [{ id: 'digest', schedule: '0 8 * * *', message: 'x' }] },
    });
    const added = await cli(
      [
        'add',
        '--id',
        'ping',
        '--every',
        '2h',
        '--message',
        'ping',
        '--text',
        '--channel',
        'discord',
        '--to',
        '99',
        '--retry',
        '2',
      ],
      dir,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const list = await cli(['list'], dir);
    expect(list.stdout.split('\n')[0]).toMatch(
      /^digest {2}cron "0 8 \* \* \*" Europe\/Berlin {2}next \S+ {2}\(config\)$/,
    );
    expect(list.stdout.split('\n')[1]).toMatch(
      /^ping {2}every 2h {2}next \S+ {2}-> discord:99 {2}\(runtime\)$/,
    );
    const json = JSON.parse((await cli(['list', '--json'], dir)).stdout);
    expect(json[1]).toMatchObject({ id: 'ping', retry: { attempts: 2 }, mode: 'text', createdBy: 'cli' });
    expect((await cli(['runs', 'ping'], dir)).stdout).toBe('ping has not run yet\n');
    expect((await cli(['remove', 'ping'], dir)).code).toBe(0);
    expect((await cli(['list'], dir)).stdout).not.toMatch(/ping/);
  });

  it('bad input: clear messages and exit codes, nothing written', async () => {
    const dir = stateDirWith({ cron: { jobs: [{ id: 'digest', schedule: '0 8 * * *', message: 'x' }] } });
    const cases: Array<[string[], number, RegExp]> = [
      [[], 2, /expected one of list, add, remove, run, runs/],
      [['add', '--cron', '0 9 * * *'], 2, /--message is required/],
      [['add', '--message', 'x'], 2, /exactly one of --cron/],
      [
        ['add', '--cron', '0 25 * * *', '--message', 'x'],
        2,
        /--cron\/--every\/--at: invalid cron expression "0 25 \* \* \*"/,
      ],
      [['add', '--at', 'next tuesday', '--message', 'x'], 2, /ISO-8601/],
      [
        ['add', '--every', '1h', '--message', 'x', '--tz', 'Atlantis/City'],
        2,
        /--tz: expected an IANA time zone/,
      ],
      [
        ['add', '--every', '1h', '--message', 'x', '--channel', 'telegram'],
        2,
        /--channel and --to go together/,
      ],
      [
        ['add', '--id', 'digest', '--every', '1h', '--message', 'x'],
        1,
        /declared in krabkrab.json; change it there/,
      ],
      [['remove', 'digest'], 1, /declared in krabkrab.json; remove it there/],
      [['remove', 'nope'], 1, /no cron job "nope"/],
      [['remove'], 2, /usage: krabkrab cron remove <id>/],
      [['runs', 'nope'], 1, /no cron job "nope"/],
      [['run', 'digest'], 1, /needs the gateway/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(args, dir);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect((await cli(['list', '--json'], dir)).stdout).toMatch(/"id": "digest"/);
    expect(JSON.parse((await cli(['list', '--json'], dir)).stdout)).toHaveLength(1);
  });

  it('refuses to work on an invalid config', async () => {
    const dir = stateDirWith({ cron: { jobs: [{ id: 'x', schedule: 'never', message: 'x' }] } });
    const result = await cli(['list'], dir);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/is not valid; fix it first/);
  });
});
