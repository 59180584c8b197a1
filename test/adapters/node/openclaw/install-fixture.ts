import { fileURLToPath } from 'node:url';

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
