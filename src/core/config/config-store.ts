import type { EnvRecord } from '../env';
import { GatewayError } from '../errors';
import { VERSION } from '../version';
import { type LoadedConfig, parseConfigValue } from './parse';
import { type ConfigProblem, formatProblem } from './problems';
import { restoreSecrets } from './redact';

/** The gateway's live config: the last good one, replaced only by a valid new one. */
export interface ConfigStore {
  current(): LoadedConfig;
  /** Validates a raw document from the owner, keeps redacted secrets, persists it, and makes it current. */
  apply(raw: unknown): Promise<LoadedConfig>;
  /** Checks a raw document without applying it. */
  validate(raw: unknown): ConfigProblem[];
  /** Makes an already-parsed config current (file reload); listeners hear it. */
  replace(next: LoadedConfig): void;
  onChange(listener: (next: LoadedConfig, previous: LoadedConfig) => void): () => void;
}

export interface ConfigStoreOptions {
  initial: LoadedConfig;
  env: EnvRecord;
  /** Writes the document (atomically, keeping backups on Node); absent where config is read-only. */
  persist?: (raw: Record<string, unknown>) => Promise<void>;
}

export function createConfigStore(options: ConfigStoreOptions): ConfigStore {
  let current = options.initial;
  const listeners = new Set<(next: LoadedConfig, previous: LoadedConfig) => void>();

  function prepare(raw: unknown): { problems: ConfigProblem[]; loaded?: LoadedConfig } {
    const problems: ConfigProblem[] = [];
    const restored = restoreSecrets(raw, current.raw, problems);
    if (problems.length > 0) return { problems };
    const result = parseConfigValue(restored, options.env);
    return result.ok ? { problems: [], loaded: result.value } : { problems: result.problems };
  }

  const store: ConfigStore = {
    current: () => current,
    validate: (raw) => prepare(raw).problems,
    async apply(raw) {
      const { problems, loaded } = prepare(raw);
      if (!loaded) {
        throw new GatewayError('INVALID_CONFIG', problems.map(formatProblem).join('; '), {
          details: { problems },
        });
      }
      if (!options.persist) throw new GatewayError('UNAVAILABLE', 'config is read-only on this runtime');
      const meta = (loaded.raw.meta as Record<string, unknown> | undefined) ?? {};
      loaded.raw.meta = { ...meta, lastTouchedVersion: VERSION, lastTouchedAt: new Date().toISOString() };
      await options.persist(loaded.raw);
      store.replace(loaded);
      return loaded;
    },
    replace(next) {
      const previous = current;
      current = next;
      for (const listener of listeners) listener(next, previous);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}
