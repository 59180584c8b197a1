import { VERSION } from '../version';

/** What `--allow-unconfigured` writes when there is no config yet. */
export function minimalConfig(): Record<string, unknown> {
  return { gateway: { mode: 'local' }, meta: { lastTouchedVersion: VERSION } };
}
