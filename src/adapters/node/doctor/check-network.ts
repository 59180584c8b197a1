import type { KrabConfig } from '../../../core/config/schema';
import { gatewayVar, parsePort } from '../../../core/env';
import { resolveBind } from '../bind';
import { DEFAULT_PORT } from '../gateway';
import { inspectLock } from '../lock';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

function configOf(input: DoctorInput): KrabConfig | undefined {
  return input.config.ok === true ? input.config.value.config : undefined;
}

/** The bind the gateway here would use: `--bind` in force > `gateway.bind` > loopback, and whether a token guards it. */
export const bindCheck: DoctorCheck = {
  name: 'bind',
  async run(input) {
    const config = configOf(input);
    const results: CheckResult[] = [];
    const mode = input.flags.bind ?? config?.gateway?.bind ?? 'loopback';
    const source = input.flags.bind
      ? `--bind of ${input.flags.source}`
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
    const token = input.flags.token ?? gatewayVar(input.env, 'GATEWAY_TOKEN') ?? config?.gateway?.auth?.token;
    if (bind.loopback && input.container) {
      results.push({
        check: 'bind',
        level: 'warn',
        message: `the gateway would listen on ${bind.host} (${source}) inside a container: a platform proxy cannot reach it ("app is not listening on the expected address")`,
        fix: 'start it with --bind lan (on Fly: in the process command in fly.toml) and set krabkrab_GATEWAY_TOKEN',
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

/** The port the gateway here would use: `--port` in force > `krabkrab_GATEWAY_PORT` > `gateway.port` > 18789. */
export const portCheck: DoctorCheck = {
  name: 'port',
  async run(input) {
    const config = configOf(input);
    const results: CheckResult[] = [];
    const candidates: Array<{ source: string; text: string | undefined }> = [
      { source: `--port of ${input.flags.source}`, text: input.flags.port },
      { source: 'krabkrab_GATEWAY_PORT', text: gatewayVar(input.env, 'GATEWAY_PORT') },
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
    results.push({
      check: 'port',
      level: 'ok',
      message: `the gateway would listen on port ${effective.port} (${effective.source})`,
    });
    return results;
  },
};
