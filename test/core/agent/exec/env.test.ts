import { describe, expect, it } from 'vitest';
import { execEnv } from '../../../../src/core/agent/exec/env';

describe('execEnv', () => {
  it('is PATH, HOME, LANG, TZ and tools.exec.env only: no other variable of the gateway', () => {
    const env = execEnv(
      {
        PATH: '/usr/bin:/bin',
        TZ: 'Europe/Berlin',
        ANTHROPIC_API_KEY: 'sk-ant-x',
        krabkrab_GATEWAY_TOKEN: 'gw',
      },
      '/ws',
      { GIT_PAGER: 'cat' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/ws',
      LANG: 'C.UTF-8',
      TZ: 'Europe/Berlin',
      GIT_PAGER: 'cat',
    });
  });

  it("drops PATH entries that name the command's own folder (the workspace the model writes)", () => {
    // An empty entry, `.` or any relative folder is searched from the working directory: with one,
    // an allowlisted `git` could run an executable `git` in the workspace instead.
    for (const path of ['.:/usr/bin:/bin', '/usr/bin::/bin', '/usr/bin:/bin:', ':/usr/bin:bin:./x:/bin'])
      expect(execEnv({ PATH: path }, '/ws').PATH, path).toBe('/usr/bin:/bin');
    expect(execEnv({ PATH: '.' }, '/ws').PATH).toBe('/usr/local/bin:/usr/bin:/bin');
    expect(execEnv({}, '/ws').PATH).toBe('/usr/local/bin:/usr/bin:/bin');
  });

  it("cleans a PATH set in tools.exec.env the same way: it replaces the gateway's", () => {
    const env = execEnv({ PATH: '/usr/bin:/bin' }, '/ws', { PATH: 'node_modules/.bin:.:/opt/tools/bin:' });
    expect(env.PATH).toBe('/opt/tools/bin');
    expect(execEnv({ PATH: '/usr/bin' }, '/ws', { PATH: '.' }).PATH).toBe('/usr/local/bin:/usr/bin:/bin');
  });
});
