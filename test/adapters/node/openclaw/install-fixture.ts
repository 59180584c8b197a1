import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempStateDir } from '../../../helpers/gateway-process';

/** A real OpenClaw 2026.9.6 install, hand-made from its documented layout. */
export const INSTALL = fileURLToPath(new URL('../../../fixtures/openclaw/install-2026.9.6', import.meta.url));

/** Every secret value in the fixture: none may reach krabkrab's state dir or the output. */
export const INSTALL_SECRETS = [
  'ghp_fakeFAKEfake0000000000000000000001',
  'fake-docs-bearer-0002',
  'fake-gemini-skill-0003',
  'fake-lab-key-0004',
  'fake-lab-header-0005',
  '123456:FAKE-install-telegram-0006',
  'fake-install-gateway-0007',
];

/** A copy of the install at `<root>/.openclaw` and an empty krabkrab state dir at `<root>/krab` (the caller removes `root`). */
export function copyInstall(prefix: string): { root: string; openclaw: string; state: string } {
  const root = tempStateDir(prefix);
  const openclaw = join(root, '.openclaw');
  cpSync(INSTALL, openclaw, { recursive: true });
  const state = join(root, 'krab');
  mkdirSync(state);
  return { root, openclaw, state };
}
