import { statSync } from 'node:fs';
import { readGatewayEnv } from '../../core/env';
import { resolveStateDir } from './state-dir';

/**
 * `fly ssh console` is root, but the gateway runs as the volume's owner (the `node` user in the
 * image). A CLI command run as root that writes the state dir (`channels add`, `pairing approve`,
 * `config set`, `secrets set`) would leave root-owned 0600 files the gateway cannot read, so a
 * root process first becomes the owner of an existing state dir. Returns the uid taken, if any.
 */
export function becomeStateDirOwner(env: NodeJS.ProcessEnv, argv: string[]): number | undefined {
  const { getuid, setgid, setuid } = process;
  if (!getuid || !setgid || !setuid || getuid() !== 0) return undefined;
  const flagIndex = argv.indexOf('--state-dir');
  const flag =
    flagIndex >= 0 ? argv[flagIndex + 1] : argv.find((arg) => arg.startsWith('--state-dir='))?.slice(12);
  let stateDir: string;
  try {
    stateDir = resolveStateDir(
      flag,
      readGatewayEnv({ ...env, krabkrab_GATEWAY_PORT: undefined, KRABKRAB_GATEWAY_PORT: undefined }).stateDir,
    );
  } catch {
    return undefined;
  }
  let owner: { uid: number; gid: number };
  try {
    owner = statSync(stateDir);
  } catch {
    return undefined;
  }
  if (owner.uid === 0) return undefined;
  setgid(owner.gid);
  setuid(owner.uid);
  return owner.uid;
}
