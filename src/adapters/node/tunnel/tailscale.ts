import { lastLine, runCommand } from './run-command';
import type { TunnelRunner } from './types';

const COMMAND_TIMEOUT_MS = 20_000;
const RETRY_MS = [2000, 5000, 15_000, 60_000];

/**
 * Exposes only the webhook paths through Tailscale Funnel (`tailscale funnel --bg --set-path
 * <path> <port>`), never the Control UI; the host name comes from `tailscale status --json`
 * (`Self.DNSName`). Turns each path off again at shutdown. Retries with backoff while
 * tailscaled is not up yet (a container that starts both at once).
 */
export const startTailscale: TunnelRunner = async (host) => {
  const { ctx, plan, port } = host;
  const log = ctx.log.scope('tunnel');
  const command = plan.tailscale.path ?? 'tailscale';
  const env = { ...ctx.env };
  const exposed: string[] = [];
  let stopped = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function bringUp(): Promise<void> {
    const problem = await expose();
    if (stopped) return;
    if (!problem) return;
    log.error(problem.message);
    await host.report({ state: 'failed', error: problem.message, restarts: attempt });
    if (problem.fatal) return;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
    attempt++;
    retryTimer = setTimeout(() => {
      running = bringUp();
    }, delay);
  }

  async function expose(): Promise<{ message: string; fatal?: boolean } | undefined> {
    if (plan.paths.length === 0) {
      return {
        message: 'tailscale funnel: no webhook paths to expose; set gateway.tunnel.tailscale.paths',
        fatal: true,
      };
    }
    const status = await runCommand(command, ['status', '--json'], env, COMMAND_TIMEOUT_MS);
    if (status.failure === 'not-found') {
      return {
        message: `tailscale not found ("${command}" on PATH): install it or set gateway.tunnel.tailscale.path`,
        fatal: true,
      };
    }
    let parsed: { BackendState?: string; Self?: { DNSName?: string } } | undefined;
    try {
      parsed = JSON.parse(status.stdout);
    } catch {
      parsed = undefined;
    }
    if (status.code !== 0 || !parsed)
      return {
        message: `tailscale status failed: ${lastLine(status.stderr || status.stdout) || `exit ${status.code}`}`,
      };
    if (parsed.BackendState && parsed.BackendState !== 'Running') {
      return {
        message: `tailscale is not connected (BackendState ${parsed.BackendState}): run tailscale up`,
      };
    }
    const dnsName = parsed.Self?.DNSName?.replace(/\.$/, '');
    if (!dnsName)
      return {
        message: 'tailscale status gave no DNS name for this node: enable MagicDNS and HTTPS for the tailnet',
      };
    for (const path of plan.paths) {
      if (exposed.includes(path)) continue;
      const result = await runCommand(
        command,
        ['funnel', '--bg', '--set-path', path, String(port)],
        env,
        COMMAND_TIMEOUT_MS,
      );
      if (stopped) return undefined;
      if (result.code !== 0) {
        const why =
          result.failure === 'timeout'
            ? 'no answer in time (is Funnel enabled for this node?)'
            : lastLine(result.stderr || result.stdout);
        return { message: `tailscale funnel --set-path ${path} failed: ${why}` };
      }
      exposed.push(path);
    }
    attempt = 0;
    await host.report({ state: 'up', url: `https://${dnsName}` });
    return undefined;
  }

  await host.report({ state: 'starting' });
  log.info(`exposing ${plan.paths.join(' ')} on port ${port} through Tailscale Funnel`);
  // Not awaited: a slow tailscaled must not hold up the gateway's start; the URL is reported when known.
  running = bringUp();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await running;
      for (const path of exposed.splice(0)) {
        const result = await runCommand(
          command,
          ['funnel', '--set-path', path, 'off'],
          env,
          COMMAND_TIMEOUT_MS,
        );
        if (result.code !== 0)
          log.warn(`could not turn off funnel for ${path}: ${lastLine(result.stderr || result.stdout)}`);
      }
      log.info('tailscale funnel turned off');
      await host.report({ state: 'stopped' });
    },
  };
};
