import { homedir } from 'node:os';
import {
  formatDottedPath,
  getAtPath,
  type PathSegment,
  parseDottedPath,
  unsetAtPath,
} from '../../../core/config/dotted-path';
import { FORBIDDEN_KEY_NOTE, isForbiddenKey } from '../../../core/config/forbidden-keys';
import { parseConfigValue } from '../../../core/config/parse';
import { configSchema, type KrabConfig } from '../../../core/config/schema';
import type { EnvRecord } from '../../../core/env';
import { SECRET_NAMES, secretNameForPath } from '../../../core/secret-names';
import { providerKeyName } from '../../../core/secrets';
import { configuredProviders } from '../doctor/check-providers';
import { isRecord } from './json';
import { projectOntoSchema } from './project';
import type { OpenClawSource } from './read';
import { createReport, type ImportReport, type Reporter } from './report';
import { translateOpenClaw } from './translate';
import { mapWorkspaces, type WorkspaceSource } from './workspaces';

export interface ImportResult extends ImportReport {
  config: Record<string, unknown>;
  /** The krabkrab settings that were filled in, as dotted paths (collapsed to three levels). */
  mapped: string[];
  /** Each agent's OpenClaw workspace folder (copied with --write when inside the OpenClaw folder). */
  workspaces: WorkspaceSource[];
}

/** The env var each kind of secret is read from in krabkrab. */
function nameSecret(path: PathSegment[], parent: Record<string, unknown>): string | undefined {
  const dotted = formatDottedPath(path);
  const known = secretNameForPath(dotted);
  if (known) return known;
  if (path[0] === 'models' && path[1] === 'providers' && typeof path[2] === 'string')
    return providerKeyName(path[2]);
  if (path[0] === 'auth' && path[1] === 'profiles' && typeof parent.provider === 'string')
    return providerKeyName(parent.provider);
  if (dotted === 'gateway.auth.token') return 'krabkrab_GATEWAY_TOKEN';
  return undefined;
}

/**
 * OpenClaw's config as a krabkrab.json: translated, projected onto the schema, then checked by
 * the schema; anything the schema still rejects is taken out and reported, so the result loads.
 */
export function importOpenClaw(source: OpenClawSource, env: EnvRecord, home = homedir()): ImportResult {
  const report = createReport();
  const original = structuredClone(source.config);
  dropForbiddenKeys(original, report);
  const doc = translateOpenClaw(original, source.cronJobs, report);
  const workspaces = mapWorkspaces(doc, source.dir, home, report);
  let config = (projectOntoSchema(doc, configSchema, report, nameSecret) ?? {}) as Record<string, unknown>;
  delete config.meta;
  delete config.$schema;

  // What the schema still rejects is taken out; a parent removed later takes over its child's reason.
  const rejected: Array<{ path: string; reason: string }> = [];
  for (let round = 0; round < 20; round++) {
    const result = parseConfigValue(config, env);
    if (result.ok) break;
    const unsetVars = new Set(
      result.problems
        .filter((p) => /^environment variable \S+ is not set$/.test(p.message))
        .map((p) => p.path),
    );
    const problems = result.problems.filter((p) => !unsetVars.has(p.path));
    let removed = false;
    for (const problem of problems) {
      const next = removeAt(config, problem.path);
      if (!next) continue;
      config = next.config;
      removed = true;
      const inside = rejected.findIndex(
        (entry) => entry.path.startsWith(`${next.path}.`) || entry.path.startsWith(`${next.path}[`),
      );
      if (inside >= 0)
        rejected.splice(inside, 1, {
          path: next.path,
          reason: (rejected[inside] as { reason: string }).reason,
        });
      else rejected.push({ path: next.path, reason: `not accepted: ${problem.message}` });
    }
    if (!removed) break;
  }
  for (const entry of rejected) report.skip(entry.path, entry.reason);
  config = pruneEmpty(config, []) as Record<string, unknown>;

  // `${VAR}` references name env vars that are set where the gateway runs, not necessarily here.
  const references = [
    ...new Set(
      [...JSON.stringify(config).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string),
    ),
  ];
  const placeholders = Object.fromEntries(
    references.map((name) => [name, env[name] || 'set-where-the-gateway-runs']),
  );
  const parsed = parseConfigValue(config, { ...env, ...placeholders });
  const used: KrabConfig = parsed.ok ? parsed.value.config : {};
  for (const provider of configuredProviders(used)) {
    // A key the config already names (`apiKey: "${VAR}"`) is listed as that reference below.
    if (used.models?.providers?.[provider]?.apiKey) continue;
    const name = providerKeyName(provider);
    if (!report.secrets.some((s) => s.env === name))
      report.secret(name, `key for ${provider} models (OpenClaw keeps it in auth-profiles.json)`);
  }
  for (const [name, spec] of Object.entries(SECRET_NAMES)) {
    // Provider keys (presets) have no config path: they live in env or the credentials store only.
    const path = spec.configPaths[0];
    if (!path) continue;
    const segments = parseDottedPath(path);
    const channel = segments[1] as string;
    const isBotToken = segments[0] === 'channels' && /^(token|botToken)$/.test(String(segments[2]));
    if (isBotToken && getAtPath(config, ['channels', channel]).found && !getAtPath(config, segments).found) {
      if (!report.secrets.some((s) => s.env === name)) report.secret(name, `the ${channel} bot token`);
    }
  }
  const gateway = used.gateway;
  if (
    gateway?.bind &&
    gateway.bind !== 'loopback' &&
    !gateway.auth?.token &&
    !report.secrets.some((s) => s.env === 'krabkrab_GATEWAY_TOKEN')
  ) {
    report.secret('krabkrab_GATEWAY_TOKEN', `required by gateway.bind ${gateway.bind}`);
  }
  for (const name of references) {
    if (!report.secrets.some((s) => s.env === name))
      report.secret(name, `referenced as \${${name}} in the config`);
  }
  for (const name of source.envFileNames)
    if (!report.secrets.some((s) => s.env === name)) report.secret(name, `${source.dir}/.env`);

  return {
    config,
    mapped: mappedPaths(config),
    workspaces,
    secrets: report.secrets,
    notMapped: report.notMapped,
    notes: report.notes,
  };
}

/**
 * `__proto__`, `constructor` and `prototype` keys (own keys after parsing) are listed as not mapped
 * and taken out before any step reads the document, so none can reach a prototype or be dropped unseen.
 */
function dropForbiddenKeys(root: Record<string, unknown>, report: Reporter): void {
  const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: PathSegment[] };
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) stack.push({ value: item, path: [...path, index] });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (isForbiddenKey(key)) {
        report.skip(formatDottedPath([...path, key]), FORBIDDEN_KEY_NOTE);
        delete (value as Record<string, unknown>)[key];
      } else stack.push({ value: item, path: [...path, key] });
    }
  }
}

/** Empty objects left by what was not copied (`gateway.auth` without its token) go, except channel and plugin sections, whose presence means "on". */
function pruneEmpty(value: unknown, path: string[]): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const next = pruneEmpty(item, [...path, key]);
    const keep =
      (path[0] === 'channels' && path.length === 1) || (path[0] === 'plugins' && path.length === 2);
    if (isRecord(next) && Object.keys(next).length === 0 && !keep) continue;
    out[key] = next;
  }
  return out;
}

/** Removes the value a problem names; when that is absent (a required key), the object that lacks it goes. */
function removeAt(
  config: Record<string, unknown>,
  path: string,
): { config: Record<string, unknown>; path: string } | undefined {
  if (!path) return undefined;
  let segments: PathSegment[];
  try {
    segments = parseDottedPath(path);
  } catch {
    return undefined;
  }
  while (segments.length > 0) {
    const { value, removed } = unsetAtPath(config, segments);
    if (removed) return { config: value, path: formatDottedPath(segments) };
    segments = segments.slice(0, -1);
  }
  return undefined;
}

/** Filled-in settings, one line per list or per setting three levels deep (`channels.discord.guilds`). */
function mappedPaths(config: Record<string, unknown>): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, path: string[]) => {
    const entries = isRecord(value) ? Object.entries(value) : [];
    if (path.length >= 3 || entries.length === 0) {
      if (path.length > 0) paths.push(formatDottedPath(path));
      return;
    }
    for (const [key, item] of entries) walk(item, [...path, key]);
  };
  walk(config, []);
  return paths;
}
