import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BAILEYS_VERSION,
  baileysInstallCommand,
  baileysPrefix,
  importFrom,
} from '../../../../src/adapters/node/whatsapp/baileys-loader';
import { GatewayError } from '../../../../src/core/errors';
import { removeDir } from '../../../helpers/gateway-process';

const root = mkdtempSync(join(tmpdir(), 'krab-baileys-'));
afterAll(() => removeDir(root));

/** A package laid out like Baileys 7 (ESM, `main`, no `exports`), installed as npm --prefix would. */
function installFake(prefix: string): void {
  const dir = join(prefix, 'node_modules/baileys');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'baileys', type: 'module', main: 'lib/index.js' }),
  );
  writeFileSync(join(dir, 'lib/index.js'), `export const installedAt = ${JSON.stringify(prefix)};\n`);
}

describe('the WhatsApp Web library, installed on demand', () => {
  it('is looked for under $STATE_DIR/modules, with an install command that quotes the path', () => {
    const stateDir = "/srv/krab's state";
    expect(baileysPrefix(stateDir)).toBe("/srv/krab's state/modules");
    expect(baileysInstallCommand(stateDir)).toBe(
      `npm install --prefix '/srv/krab'\\''s state/modules' baileys@${BAILEYS_VERSION}`,
    );
  });

  it('imports what npm install --prefix put there', async () => {
    const prefix = baileysPrefix(join(root, 'state'));
    installFake(prefix);
    const mod = (await importFrom(prefix)) as unknown as { installedAt: string };
    expect(mod.installedAt).toBe(prefix);
  });

  it('a prefix without it is a clear UNAVAILABLE error naming the prefix', async () => {
    const prefix = join(root, 'empty/modules');
    const error = await importFrom(prefix).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('UNAVAILABLE');
    expect((error as GatewayError).message).toContain(`installed under ${prefix}`);
  });
});
