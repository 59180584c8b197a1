// Fuzz: the config parser (parseConfigText / parseConfigValue) never throws, always answers
// ok or a list of one-line problems, and never puts a secret (a literal under a secret key, or
// an env value brought in by ${VAR}) into a problem message.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText, parseConfigValue } from '../../src/core/config/parse';
import { formatProblem } from '../../src/core/config/problems';
import { jsonValue, junkText, mutatedJson, mutatedString } from './arbitraries';
import { leakedSecrets } from './checks';
import { fuzzParams, fuzzTimeout } from './settings';

const guide = JSON.parse(readFileSync(new URL('../fixtures/guide-config.json', import.meta.url), 'utf8'));

/** The guide's config with every section a user is likely to write, all valid. */
const FULL = {
  ...guide,
  channels: {
    ...guide.channels,
    telegram: {
      enabled: true,
      dmPolicy: 'pairing',
      webhookUrl: 'https://example.com',
      webhookSecret: '${TG_SECRET}',
    },
  },
  gateway: { mode: 'local', bind: 'auto', auth: { token: '${GW_TOKEN}' } },
  plugins: {
    entries: {
      'voice-call': {
        enabled: true,
        config: { provider: 'twilio', fromNumber: '+15550001111', inbound: { allowFrom: ['+15551230000'] } },
      },
    },
  },
};

/** Env values are all secret-looking: none may reach a message, whatever field `${VAR}` sits in. */
const ENV: Record<string, string> = {
  TG_SECRET: 'tg-webhook-secret-ENVVALUE-0001',
  GW_TOKEN: 'gw-token-ENVVALUE-0002-abcdef',
  API_KEY: 'sk-ant-ENVVALUE-0003-abcdefgh',
  PORT_LIKE: 'portish-ENVVALUE-0004-xyz',
};
const LITERALS = ['sk-LITERAL-secret-0005-abcdef', 'bot-LITERAL-token-0006:AAAA', 'pw-LITERAL-0007-passw0rd'];
const SECRETS = [...Object.values(ENV), ...LITERALS];
const SECRET_KEYS = [
  'token',
  'botToken',
  'apiKey',
  'authToken',
  'webhookSecret',
  'appSecret',
  'secret',
  'password',
  'privateKey',
];

type Path = Array<string | number>;
function objectPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    out.push(prefix);
    for (const [k, v] of Object.entries(value)) objectPaths(v, [...prefix, k], out);
  }
  return out;
}

/** Puts a secret (literal or `${VAR}`) under a secret key, or a `${VAR}` in any string field. */
const withSecrets = (base: unknown) =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom(...objectPaths(base)),
        fc.constantFrom(
          ...SECRET_KEYS,
          'bind',
          'mode',
          'primary',
          'groupPolicy',
          'dmPolicy',
          'port',
          'agentId',
        ),
        fc.oneof(
          fc.constantFrom(...LITERALS),
          fc.constantFrom(...Object.keys(ENV)).map((name) => `\${${name}}`),
        ),
      ),
      { maxLength: 3 },
    )
    .map((placements) => {
      const root = structuredClone(base) as Record<string, unknown>;
      for (const [path, key, value] of placements) {
        let target = root as Record<string | number, unknown>;
        for (const part of path) target = target[part] as Record<string | number, unknown>;
        // A literal only under a secret key (elsewhere it is not a secret, just a wrong value).
        if (!SECRET_KEYS.includes(key) && !value.startsWith('${')) continue;
        target[key] = value;
      }
      return root;
    });

const configValue = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(guide, FULL) },
  { weight: 6, arbitrary: fc.constantFrom(guide, FULL).chain((base) => mutatedJson(base)) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(guide, FULL)
      .chain(withSecrets)
      .chain((base) => fc.oneof(fc.constant(base), mutatedJson(base))),
  },
  { weight: 1, arbitrary: jsonValue },
);

const configText = fc.oneof(
  { weight: 4, arbitrary: configValue.map((value) => JSON.stringify(value, null, 2) ?? '') },
  { weight: 3, arbitrary: configValue.chain((value) => mutatedString(JSON.stringify(value) ?? '')) },
  {
    weight: 1,
    arbitrary: configValue.map(
      (value) =>
        `// krabkrab\n${JSON.stringify(value)
          ?.replace(/"([A-Za-z_]\w*)":/g, '$1:')
          .replace(/}$/, ',}')}`,
    ),
  },
  { weight: 1, arbitrary: junkText },
);

function checkResult(result: ReturnType<typeof parseConfigValue>): void {
  if (result.ok) {
    expect(typeof result.value.config).toBe('object');
    // What loaded once loads again from its own raw form (the file the gateway writes back).
    expect(parseConfigValue(JSON.parse(JSON.stringify(result.value.raw)), ENV).ok).toBe(true);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = result.problems.map(formatProblem);
  for (const line of lines) {
    expect(typeof line).toBe('string');
    expect(/[\r\n\u2028\u2029]/.test(line)).toBe(false);
  }
  expect(leakedSecrets(lines, SECRETS)).toEqual([]);
}

describe('fuzz: config parser', () => {
  it('the base configs load (the fuzz mutates valid configs)', () => {
    expect(parseConfigValue(guide, ENV).ok).toBe(true);
    expect(parseConfigValue(FULL, ENV).ok).toBe(true);
  });

  it(
    'parseConfigValue: never throws, problems are one line each, no secret in them',
    () => {
      fc.assert(
        fc.property(configValue, fc.boolean(), (value, withEnv) => {
          checkResult(parseConfigValue(value, withEnv ? ENV : {}));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(3),
  );

  it(
    'parseConfigText: JSON5 text, broken text and junk never throw',
    async () => {
      await fc.assert(
        fc.asyncProperty(configText, async (text) => {
          checkResult(await parseConfigText(text, ENV));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(3),
  );
});
