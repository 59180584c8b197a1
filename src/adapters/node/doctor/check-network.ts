import type { KrabConfig } from '../../../core/config/schema';
import { gatewayVar, parsePort } from '../../../core/env';
import { resolveBind } from '../bind';
import { DEFAULT_PORT } from '../gateway';
import { inspectLock } from '../lock';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

function configOf(input: DoctorInput): KrabConfig | undefined {
  return input.config.ok === true ? input.config.value.config : undefined;
}

/** The bind the gateway would use: `--bind` in fly.toml > `gateway.bind` > loopback, and whether a token guards it. */
export const bindCheck: DoctorCheck = {
  name: 'bind',
  async run(input) {
    const config = configOf(input);
    const results: CheckResult[] = [];
    const mode = input.fly?.flags.bind ?? config?.gateway?.bind ?? 'loopback';
    const source = input.fly?.flags.bind
      ? 'fly.toml --bind'
      : config?.gateway?.bind
        ? 'gateway.bind'
        : 'default';
    let bind: ReturnType<typeof resolveBind>;
    try {
      // `auto` follows doctor's own container detection (the same signals as the gateway's, overridable in tests).
      bind =
        mode === 'auto'
          ? { mode, host: input.container ? '0.0.0.0' : '127.0.0.1', loopback: !input.container }
          : resolveBind(mode, input.env);
    } catch (error) {
      return [
        {
          check: 'bind',
          level: 'error',
          message: `bind ${mode} (${source}): ${(error as Error).message}`,
          fix: 'use --bind lan or loopback',
        },
      ];
    }
    const token =
      input.fly?.flags.token ??
      gatewayVar(input.env, 'GATEWAY_TOKEN') ??
      input.fly?.env.krabkrab_GATEWAY_TOKEN ??
      config?.gateway?.auth?.token;
    if (bind.loopback && (input.container || input.fly?.internalPort !== undefined)) {
      results.push({
        check: 'bind',
        level: input.fly?.internalPort !== undefined ? 'error' : 'warn',
        message: `the gateway would listen on ${bind.host} (${source}): the platform proxy cannot reach it ("app is not listening on the expected address")`,
        fix: 'add --bind lan to the process command in fly.toml (and set krabkrab_GATEWAY_TOKEN)',
      });
    } else {
      results.push({
        check: 'bind',
        level: 'ok',
        message: `the gateway would listen on ${bind.host} (bind ${mode}, from ${source})`,
      });
    }
    if (!bind.loopback && !token) {
      const live = await inspectLock(input.stateDir).catch(() => undefined);
      const running = live && !live.stale;
      results.push({
        check: 'token',
        level: running ? 'warn' : 'error',
        message: running
          ? `bind ${mode} needs a gateway token and none is visible in this shell (the running gateway has one: Fly secrets may be hidden from ssh sessions)`
          : `bind ${mode} (${bind.host}) without a gateway token: the gateway refuses to start`,
        fix: 'fly secrets set krabkrab_GATEWAY_TOKEN=$(openssl rand -hex 32)  (or export it)',
      });
    } else if (token && token.length < 16) {
      results.push({
        check: 'token',
        level: 'warn',
        message: `the gateway token is short (${token.length} chars): easy to guess`,
        fix: 'use 32+ random hex chars: openssl rand -hex 32',
      });
    } else if (token) results.push({ check: 'token', level: 'ok', message: 'a gateway token is set' });
    return results;
  },
};

/**
 * The port: `--port` in fly.toml > `krabkrab_GATEWAY_PORT` > `gateway.port` > 18789. Fly's health
 * check goes to `internal_port`, so the gateway must listen there ("health check failed / refused").
 */
export const portCheck: DoctorCheck = {
  name: 'port',
  async run(input) {
    const config = configOf(input);
    const results: CheckResult[] = [];
    const candidates: Array<{ source: string; text: string | undefined }> = [
      { source: 'fly.toml --port', text: input.fly?.flags.port },
      { source: 'krabkrab_GATEWAY_PORT', text: gatewayVar(input.env, 'GATEWAY_PORT') },
      {
        source: 'krabkrab_GATEWAY_PORT in fly.toml [env]',
        text: input.fly?.env.krabkrab_GATEWAY_PORT ?? input.fly?.env.KRABKRAB_GATEWAY_PORT,
      },
      {
        source: 'gateway.port',
        text: config?.gateway?.port === undefined ? undefined : String(config.gateway.port),
      },
    ];
    const set: Array<{ source: string; port: number }> = [];
    for (const { source, text } of candidates) {
      if (text === undefined) continue;
      try {
        set.push({ source, port: parsePort(text, source) });
      } catch (error) {
        results.push({
          check: 'port',
          level: 'error',
          message: (error as Error).message,
          fix: `set ${source} to a number, e.g. 3000`,
        });
      }
    }
    const effective = set[0] ?? { source: 'default', port: DEFAULT_PORT };
    for (const other of set.slice(1)) {
      if (other.port !== effective.port) {
        results.push({
          check: 'port',
          level: 'warn',
          message: `${other.source} says ${other.port} but ${effective.source} (${effective.port}) wins`,
          fix: `make them equal or remove ${other.source}`,
        });
      }
    }
    const internal = input.fly?.internalPort;
    if (internal !== undefined && internal !== effective.port) {
      results.push({
        check: 'port',
        level: 'error',
        message: `fly.toml internal_port is ${internal} but the gateway would listen on ${effective.port} (${effective.source}): health checks are refused`,
        fix: `add --port ${internal} to [processes] app in fly.toml, or set krabkrab_GATEWAY_PORT=${internal}`,
      });
    } else {
      const where = internal !== undefined ? `, matching fly.toml internal_port` : '';
      results.push({
        check: 'port',
        level: 'ok',
        message: `the gateway would listen on port ${effective.port} (${effective.source})${where}`,
      });
    }
    return results;
  },
};
