import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../../src/adapters/node/cli/status-format';

const base = {
  version: '0.1.0',
  pid: 42,
  phase: 'ready',
  uptimeMs: 3_723_000,
  bind: 'loopback',
  host: '127.0.0.1',
  port: 18789,
  stateDir: '/data',
  channels: { telegram: { state: 'connected', login: '@krab_bot', mode: 'polling' } },
};

describe('krabkrab status: plain lines', () => {
  it('words the sections it knows: models cooldowns and failovers, tunnels, voice', () => {
    const text = formatStatus({
      ...base,
      models: {
        cooldowns: [
          {
            ref: 'anthropic/claude-opus-4-5',
            profile: 'ANTHROPIC_API_KEY',
            until: '2026-12-07T19:00:00Z',
            remainingMs: 90_000,
            reason: 'rate limited',
            failures: 2,
          },
        ],
        recentFailovers: [
          {
            at: '2026-12-07T18:58:00Z',
            from: 'anthropic/claude-opus-4-5',
            to: 'openai/gpt-5',
            reason: '429',
          },
        ],
      },
      tunnel: {
        tunnels: [{ provider: 'ngrok', state: 'up', url: 'https://x.ngrok.app', primary: true, restarts: 1 }],
      },
      voice: { enabled: false },
    });
    expect(text.split('\n')).toEqual([
      'gateway running: PID 42, version 0.1.0, ready, up 1h 2m 3s',
      'listening on ws://127.0.0.1:18789 (bind loopback), state dir /data',
      'channels:',
      '  telegram  connected  @krab_bot, polling',
      'models:',
      '  cooling down: anthropic/claude-opus-4-5 (ANTHROPIC_API_KEY) for 1m 30s: rate limited (2 failure(s))',
      '  failover at 2026-12-07T18:58:00Z: anthropic/claude-opus-4-5 -> openai/gpt-5 (429)',
      'tunnels:',
      '  ngrok  up  https://x.ngrok.app (primary), 1 restart(s)',
      '',
    ]);
  });

  it('prints a section it has no words for as nested key: value lines, never JSON', () => {
    const text = formatStatus({
      ...base,
      memory: { files: 3, index: { built: true, terms: [] } },
      models: 'odd',
    });
    expect(text).toContain('memory:\n  files: 3\n  index:\n    built: true\n    terms:\n      (none)\n');
    expect(text).toContain('models:\n  odd');
    expect(text).not.toMatch(/[{}"]/);
  });

  it("lists each agent's owner and guest tools, and why the others are off", () => {
    const text = formatStatus({
      ...base,
      agents: {
        running: 0,
        waiting: 0,
        maxConcurrent: 4,
        agents: 1,
        defaultAgent: 'main',
        tools: [
          {
            id: 'main',
            owner: ['current_time', 'read'],
            guest: ['current_time'],
            off: { exec: 'unavailable: not on Workers' },
            guestNever: { memory_get: "never offered to guests: guests never reach the owner's memory" },
          },
        ],
      },
    });
    expect(text).toContain(
      'tools of main: owner current_time, read\ntools of main: guests current_time\n  exec off: unavailable: not on Workers\n' +
        "  memory_get off for guests: never offered to guests: guests never reach the owner's memory\n",
    );
  });

  it("words today's usage: totals, then each model, an unpriced one as cost unknown", () => {
    const counts = {
      requests: 2,
      inputTokens: 1500,
      outputTokens: 40,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
    };
    const text = formatStatus({
      ...base,
      usage: {
        date: '2026-01-02',
        total: { ...counts, requests: 3, costUsd: null },
        models: [
          { model: 'anthropic/claude-sonnet-4-5', ...counts, costUsd: 0.00226 },
          {
            model: 'groq/llama-9',
            ...counts,
            requests: 1,
            inputTokens: 0,
            cacheReadTokens: 0,
            costUsd: null,
          },
        ],
      },
    });
    expect(text).toContain(
      [
        'usage today (2026-01-02 UTC): 3 call(s), 1,500 in (1,000 cache read) / 40 out, cost unknown (a model has no price: set models.pricing)',
        '  anthropic/claude-sonnet-4-5: 2 call(s), 1,500 in (1,000 cache read) / 40 out, ~$0.0023',
        '  groq/llama-9: 1 call(s), 0 in / 40 out, cost unknown (a model has no price: set models.pricing)',
      ].join('\n'),
    );
    const quiet = formatStatus({
      ...base,
      usage: { date: '2026-01-02', total: { ...counts, requests: 0 }, models: [] },
    });
    expect(quiet).toContain('usage today (2026-01-02 UTC): no model calls yet\n');
  });
});
