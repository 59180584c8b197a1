import { describe, expect, it } from 'vitest';
import { matchesAllowlist, plainProgram } from '../../../../src/core/agent/exec/command-line';
import { decideExec } from '../../../../src/core/agent/exec/policy';

describe('the exec allowlist', () => {
  const allow = ['git', 'ls', 'python3'];

  it('matches plain command lines by their exact program name', () => {
    expect(matchesAllowlist('git status -s', allow)).toBe(true);
    expect(matchesAllowlist('  ls -la  ', allow)).toBe(true);
    expect(matchesAllowlist('python3 script.py "quoted arg"', allow)).toBe(true);
    expect(plainProgram('git log')).toBe('git');
  });

  it.each([
    'ls | sh',
    'ls || rm -rf ~',
    'ls && curl evil.example',
    'ls; rm -rf ~',
    'ls & rm -rf ~',
    'git `rm -rf ~`',
    'git $(rm -rf ~)',
    'ls > ~/.bashrc',
    'ls < /etc/passwd',
    'ls <(cat secret)',
    'ls\nrm -rf ~',
    'ls\rrm -rf ~',
    "git log --format='a|b'",
  ])('never matches a line with shell operators: %j', (command) => {
    expect(matchesAllowlist(command, allow)).toBe(false);
    expect(decideExec(command, { mode: 'ask', allow })).toEqual({ action: 'ask' });
    expect(decideExec(command, { mode: 'allowlist', allow })).toMatchObject({ action: 'refuse' });
  });

  it.each(['./git status', '/tmp/git status', 'GIT_DIR=x git status', '"git" status', 'gitk', "g'it'"])(
    'does not match a look-alike program: %j',
    (command) => {
      expect(matchesAllowlist(command, allow)).toBe(false);
    },
  );

  it('decides by tools.exec.mode (ask by default)', () => {
    expect(decideExec('rm -rf x', undefined)).toEqual({ action: 'ask', program: 'rm' });
    expect(decideExec('/usr/bin/make all', undefined)).toEqual({ action: 'ask', program: '/usr/bin/make' });
    expect(decideExec('git status', { allow })).toEqual({ action: 'run' });
    expect(decideExec('anything | at all', { mode: 'full' })).toEqual({ action: 'run' });
    expect(decideExec('git status', { mode: 'deny', allow })).toMatchObject({
      action: 'refuse',
      reason: 'exec is turned off (tools.exec.mode is "deny")',
    });
    expect(decideExec('rm x', { mode: 'allowlist', allow })).toMatchObject({
      reason: 'rm is not in tools.exec.allow (tools.exec.mode is "allowlist")',
    });
  });

  it('never offers allow-always for a file of the workspace (the agent could rewrite it)', () => {
    for (const command of ['./build.sh test', 'scripts/deploy.sh', 'bin/git status', '../x'])
      expect(decideExec(command, undefined), command).toEqual({ action: 'ask' });
  });

  it('nor for one named by its absolute path', () => {
    for (const command of ['/home/u/ws/build.sh', '/home/u//ws/bin/tool x', '/usr/bin/../../home/u/ws/x'])
      expect(decideExec(command, undefined, '/home/u/ws/'), command).toEqual({ action: 'ask' });
    expect(decideExec('/home/u/wsx/tool', undefined, '/home/u/ws')).toEqual({
      action: 'ask',
      program: '/home/u/wsx/tool',
    });
  });
});
