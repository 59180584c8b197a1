import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from '../../../src/core/config/problems';
import { redactConfig, restoreSecrets, secretValues } from '../../../src/core/config/redact';
import { REDACTED } from '../../../src/core/config/redacted';

const raw = {
  channels: {
    discord: { token: 'discord-secret-123', enabled: true },
    telegram: { botToken: '${TELEGRAM_BOT_TOKEN}' },
  },
  gateway: { auth: { token: 'gateway-secret-456' } },
};

describe('secret redaction', () => {
  it('redacts literal secrets and keeps ${VAR} references visible', () => {
    const redacted = redactConfig(raw);
    expect(redacted.channels.discord.token).toBe(REDACTED);
    expect(redacted.channels.telegram.botToken).toBe('${TELEGRAM_BOT_TOKEN}');
    expect(JSON.stringify(redacted)).not.toContain('secret-');
    expect(secretValues(raw).sort()).toEqual(['discord-secret-123', 'gateway-secret-456']);
  });

  it('restores a redacted value left as is, and refuses a new literal secret', () => {
    const problems: ConfigProblem[] = [];
    const edited = structuredClone(redactConfig(raw));
    edited.channels.discord.enabled = false;
    const restored = restoreSecrets(edited, raw, problems) as typeof raw;
    expect(problems).toEqual([]);
    expect(restored.channels.discord.token).toBe('discord-secret-123');
    expect(restored.channels.discord.enabled).toBe(false);

    const withNew = structuredClone(edited);
    withNew.channels.discord.token = 'a-brand-new-secret';
    restoreSecrets(withNew, raw, problems);
    expect(problems.map((p) => p.path)).toEqual(['channels.discord.token']);
  });

  it('a secret field is exactly one ${VAR} reference: anything around or beside one is a literal', () => {
    const odd = {
      channels: {
        telegram: { botToken: '123:ABCDEF${HOME}' },
        discord: { token: '123456:REALSECRET${' },
      },
      gateway: { auth: { token: 12345678 } },
      voice: { twilio: { authToken: '${A}${B}' }, telnyx: { apiKey: { nested: 'shape-secret' } } },
    };
    const redacted = redactConfig(odd);
    expect(redacted).toEqual({
      channels: { telegram: { botToken: REDACTED }, discord: { token: REDACTED } },
      gateway: { auth: { token: REDACTED } },
      voice: { twilio: { authToken: REDACTED }, telnyx: { apiKey: REDACTED } },
    });
    expect(secretValues(odd).sort()).toEqual(
      ['${A}${B}', '12345678', '123456:REALSECRET${', '123:ABCDEF${HOME}', 'shape-secret'].sort(),
    );

    const problems: ConfigProblem[] = [];
    restoreSecrets(odd, {}, problems);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'channels.discord.token',
      'channels.telegram.botToken',
      'gateway.auth.token',
      'voice.telnyx.apiKey',
      'voice.twilio.authToken',
    ]);
    expect(problems[0]?.message).toMatch(/secrets are not written to krabkrab\.json/);
    expect(JSON.stringify(problems)).not.toMatch(/REALSECRET|ABCDEF|12345678|shape-secret/);

    const fine: ConfigProblem[] = [];
    restoreSecrets({ channels: { telegram: { botToken: '${TELEGRAM_BOT_TOKEN}' } } }, {}, fine);
    expect(fine).toEqual([]);
  });
});
