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
    HOME: home,
    LANG: envVar(gatewayEnv, 'LANG') ?? 'C.UTF-8',
    ...(tz ? { TZ: tz } : {}),
    ...extra,
    // Checked last: a PATH in `tools.exec.env` replaces the gateway's and is cleaned the same way.
    PATH: absolutePath(extra.PATH ?? envVar(gatewayEnv, 'PATH')),
  };
}

/**
 * PATH without its empty and relative entries: the shell searches those from its working
 * directory, the workspace the model writes, so an allowlisted `git` could run a `git` found there.
 */
function absolutePath(path: string | undefined): string {
  const kept = (path ?? '').split(':').filter((entry) => entry.startsWith('/'));
  return kept.length > 0 ? kept.join(':') : FALLBACK_PATH;
}
