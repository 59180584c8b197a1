import { type EnvRecord, envVar } from '../../env';

const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The whole environment of an exec child: PATH, HOME (the workspace), LANG, TZ and
 * `tools.exec.env`. Nothing else of the gateway's env is passed on, so provider keys, channel
 * tokens and the gateway token never reach a command.
 */
export function execEnv(
  gatewayEnv: EnvRecord,
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const tz = envVar(gatewayEnv, 'TZ');
  return {
    PATH: envVar(gatewayEnv, 'PATH') ?? FALLBACK_PATH,
    HOME: home,
    LANG: envVar(gatewayEnv, 'LANG') ?? 'C.UTF-8',
    ...(tz ? { TZ: tz } : {}),
    ...extra,
  };
}
