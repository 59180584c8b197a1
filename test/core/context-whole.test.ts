// Who gets the whole GatewayContext. Only the tables' entry points do (a route, a control method,
// a tool, a channel's webhook) and what builds or dispatches to them; every other part takes what
// it reads (`Pick<GatewayContext, ...>` or a named pick), so its signature says what it touches.
// A new file on this list means a part that took the whole context instead of naming its needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The files allowed to name the whole context, and why. */
const WHOLE: Record<string, string> = {
  'src/core/context.ts': 'defines it',
  'src/core/gateway-context.ts': 'builds it',
  'src/core/protocol/method.ts': 'the method table: a method may use anything',
  'src/core/protocol/connection.ts': 'hands it to the control methods',
  'src/core/agent/tools/types.ts': 'the tool table: a tool may use anything',
  'src/core/agent/lazy-runtime.ts': "the tools' context, read when they run",
  'src/core/agent/runtime.ts': "the tools' context, read when they run",
  'src/core/channels/channel-def.ts': "a channel's webhook handler is a route",
  'src/handlers/types.ts': 'the route table: a route may use anything',
  'src/handlers/app.ts': 'hands it to the routes and the control socket',
  'src/handlers/ws-control.ts': 'hands it to the control connection',
  'src/adapters/node/gateway.ts': 'builds and holds it',
  'src/adapters/node/server.ts': 'hands it to the app',
  'src/adapters/node/services.ts': 'what the gateway hands a service; each service names what it reads',
  'src/adapters/cloudflare/gateway-object.ts': "builds and holds it (the Worker's task tables)",
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Whether the code (comments, imports, picks and the builder's name left out) names `GatewayContext`. */
function namesWholeContext(code: string): boolean {
  const stripped = code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/^import type .*$/gm, '')
    .replace(/\b(?:Pick|Omit)<\s*GatewayContext\s*,/g, '')
    .replace(/\bcreateGatewayContext\b/g, '');
  return /\bGatewayContext\b/.test(stripped);
}

describe('the whole GatewayContext', () => {
  const files = sources(join(root, 'src'))
    .filter((file) => namesWholeContext(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file).split('\\').join('/'))
    .sort();

  it('is taken only by the tables and what builds or dispatches to them', () => {
    const others = files.filter((file) => !(file in WHOLE));
    // Take what the part reads instead: Pick<GatewayContext, 'config' | 'log'>, or a named pick.
    expect(others).toEqual([]);
  });

  it('is still named where this list says (a stale entry is removed)', () => {
    expect(Object.keys(WHOLE).filter((file) => !files.includes(file))).toEqual([]);
  });

  it('recognises a whole context and lets picks, imports and comments through', () => {
    expect(namesWholeContext('function f(ctx: GatewayContext) {}')).toBe(true);
    expect(namesWholeContext("function f(ctx: Pick<GatewayContext, 'log'>) {}")).toBe(false);
    expect(namesWholeContext("type A = Pick<\n  GatewayContext,\n  'log' | 'clock'\n>;")).toBe(false);
    expect(namesWholeContext("import type { GatewayContext } from './context';\n// a GatewayContext")).toBe(
      false,
    );
  });
});
