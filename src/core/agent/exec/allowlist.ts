import type { GatewayContext } from '../../context';

/**
 * Adds a program to `tools.exec.allow` through the config store, so the choice survives restarts
 * and shows (and can be removed) wherever the config does: `krabkrab config get tools.exec.allow`,
 * `krabkrab config set`, the Control UI's Config view.
 */
export async function allowProgram(
  ctx: Pick<GatewayContext, 'configStore' | 'log'>,
  program: string,
): Promise<void> {
  const raw = structuredClone(ctx.configStore.current().raw) as Record<string, unknown>;
  const tools = asObject(raw, 'tools');
  const exec = asObject(tools, 'exec');
  const allow = Array.isArray(exec.allow) ? (exec.allow as unknown[]) : [];
  if (allow.includes(program)) return;
  exec.allow = [...allow, program];
  await ctx.configStore.apply(raw);
  ctx.log.scope('exec').info(`added ${program} to tools.exec.allow`);
}

function asObject(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key];
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}
