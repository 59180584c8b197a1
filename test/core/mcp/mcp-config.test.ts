import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';

const problems = (config: Record<string, unknown>, env: Record<string, string> = {}) => {
  const parsed = parseConfigValue(config, env);
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('mcp.servers and skills.entries config', () => {
  it('accepts stdio and HTTP servers with their options, and skills entries', () => {
    const parsed = parseConfigValue(
      {
        mcp: {
          servers: {
            files: {
              command: 'npx',
              args: ['-y', 'server'],
              env: { GITHUB_TOKEN: '${GH}', DEBUG: '1' },
              cwd: '/tmp',
            },
            search: {
              url: 'https://mcp.example.com/mcp',
              headers: { Authorization: 'Bearer ${SEARCH_TOKEN}' },
              tools: { include: ['find'], exclude: ['delete'] },
              timeoutSeconds: 10,
              allowGuests: true,
              enabled: false,
            },
          },
        },
        skills: { entries: { weather: { enabled: false } } },
      },
      { GH: 'ghp_secret', SEARCH_TOKEN: 'tok' },
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.config.mcp?.servers?.search?.headers?.Authorization).toBe('Bearer tok');
    expect(parsed.value.config.skills?.entries?.weather?.enabled).toBe(false);
  });

  it('refuses a server with both or neither transport, misplaced keys, bad names and literal secrets', () => {
    expect(problems({ mcp: { servers: { a: { command: 'x', url: 'http://127.0.0.1:1/mcp' } } } })).toEqual([
      'mcp.servers.a: set either command (a stdio server) or url (a Streamable HTTP server)',
    ]);
    expect(problems({ mcp: { servers: { a: {} } } })[0]).toMatch(/set either command/);
    expect(problems({ mcp: { servers: { a: { url: 'http://127.0.0.1:1/mcp', cwd: '/tmp' } } } })).toEqual([
      'mcp.servers.a.cwd: cwd is for stdio servers (command)',
    ]);
    expect(problems({ mcp: { servers: { a: { command: 'x', headers: { a: 'b' } } } } })).toEqual([
      'mcp.servers.a.headers: headers is for HTTP servers (url)',
    ]);
    expect(problems({ mcp: { servers: { my__srv: { command: 'x' } } } })[0]).toMatch(
      /^mcp\.servers\.my__srv/,
    );
    expect(problems({ mcp: { servers: { 'bad name': { command: 'x' } } } })[0]).toMatch(/^mcp\.servers/);
    expect(problems({ mcp: { servers: { a: { url: 'file:///etc/passwd' } } } })[0]).toMatch(
      /^mcp\.servers\.a\.url/,
    );
    expect(
      problems({
        mcp: { servers: { a: { command: 'x', env: { GITHUB_TOKEN: 'ghp_literal', DEBUG: '1' } } } },
        models: {
          providers: {
            lab: { api: 'openai-chat', baseUrl: 'http://127.0.0.1:1/v1', headers: { 'x-api-key': 'k' } },
          },
        },
      }),
    ).toEqual([
      'mcp.servers.a.env.GITHUB_TOKEN: a secret here must be a ${VAR} reference (set the variable in the environment), not a literal',
      'models.providers.lab.headers.x-api-key: a secret here must be a ${VAR} reference (set the variable in the environment), not a literal',
    ]);
  });
});
