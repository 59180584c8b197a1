import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GatewayError } from '../../../core/errors';

type Baileys = typeof import('baileys');

/** The Baileys release KrabKrab is tested with (package.json's devDependencies pin the same). */
export const BAILEYS_VERSION = '7.0.0-rc14';

/**
 * Where a gateway installed from npm looks for Baileys: the package leaves it out (with its image
 * library it is ~40 MB, for one channel mode), so WhatsApp Web users install it once into the state dir.
 */
export const baileysPrefix = (stateDir: string): string => join(stateDir, 'modules');

/** The command that installs Baileys where {@link loadBaileys} finds it. */
export const baileysInstallCommand = (stateDir: string): string =>
  `npm install --prefix '${baileysPrefix(stateDir).replaceAll("'", "'\\''")}' baileys@${BAILEYS_VERSION}`;

let loading: Promise<Baileys> | undefined;

/**
 * Baileys, imported on first use only: a gateway without WhatsApp Web never loads it (~3.7 s on
 * Node 20). Found next to the gateway (a clone, the image) or under `$STATE_DIR/modules` (npm installs).
 */
export function loadBaileys(stateDir: string): Promise<Baileys> {
  loading ??= importBaileys(stateDir).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function importBaileys(stateDir: string): Promise<Baileys> {
  try {
    return await import('baileys');
  } catch (error) {
    if (!isMissing(error)) throw unavailable((error as Error).message, error);
  }
  const prefix = baileysPrefix(stateDir);
  if (existsSync(join(prefix, 'node_modules', 'baileys'))) return importFrom(prefix);
  throw unavailable(
    `WhatsApp Web (channels.whatsapp.mode "web") needs the baileys library, which the npm package leaves out: install it with \`${baileysInstallCommand(stateDir)}\`, then restart the gateway`,
  );
}

/** Imports Baileys installed under `prefix` (`npm install --prefix <prefix> baileys`). */
export async function importFrom(prefix: string): Promise<Baileys> {
  try {
    const entry = createRequire(join(prefix, 'package.json')).resolve('baileys');
    return (await import(pathToFileURL(entry).href)) as Baileys;
  } catch (error) {
    throw unavailable(`${(error as Error).message} (installed under ${prefix})`, error);
  }
}

/** Baileys itself is not installed (as opposed to installed but broken). */
function isMissing(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ERR_MODULE_NOT_FOUND' && /['"]baileys['"]/.test(message ?? '');
}

const unavailable = (detail: string, cause?: unknown) =>
  new GatewayError('UNAVAILABLE', `the WhatsApp Web library (baileys) could not be loaded: ${detail}`, {
    cause,
  });
