import { TOOLS } from '../../../core/agent/tools/index';
import { SECRET_ENTRY_NAME } from '../../../core/config/literal-secrets';
import { hasEnvReference } from '../../../core/config/substitute-env';
import { PROVIDERS } from '../../../core/providers/index';
import { PRESETS } from '../../../core/providers/presets';
import { isRecord, type Json } from './json';
import type { Reporter } from './report';

/** An env var name made from parts (`mcp`, `github`, `Authorization` -> `MCP_GITHUB_AUTHORIZATION`). */
const envName = (...parts: string[]) =>
  parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * OpenClaw's tool groups and older names, as krabkrab's tools. A name krabkrab has is kept; a
 * pattern (`*`, `github__*`) is kept as written; anything else names no krabkrab tool.
 */
const TOOL_NAMES: Record<string, string[]> = {
  'group:fs': ['read', 'write', 'edit', 'list'],
  'group:runtime': ['exec'],
  'group:web': ['web_search', 'web_fetch'],
  'group:memory': ['memory_search', 'memory_get', 'memory_save'],
  'group:automation': ['reminder_add', 'reminder_list', 'reminder_cancel'],
  bash: ['exec'],
  apply_patch: ['edit'],
  cron: ['reminder_add', 'reminder_list', 'reminder_cancel'],
};
/** krabkrab's tool names, from the tools table (a tool added there is known here too). */
const KRAB_TOOLS = new Set(TOOLS.map((tool) => tool.name));

function toolList(list: unknown, where: string, report: Reporter): unknown {
  if (!Array.isArray(list)) return list;
  const out: string[] = [];
  for (const [index, name] of list.entries()) {
    if (typeof name !== 'string') continue;
    const mapped = Object.hasOwn(TOOL_NAMES, name)
      ? (TOOL_NAMES[name] as string[])
      : KRAB_TOOLS.has(name) || name.includes('*')
        ? [name]
        : [];
    if (mapped.length === 0) report.skip(`${where}[${index}]`, `"${name}" names no krabkrab tool`);
    for (const tool of mapped) if (!out.includes(tool)) out.push(tool);
  }
  return out;
}

/** `tools.profile` (OpenClaw's `coding` is krabkrab's `full`), `tools.allow/deny` and each agent's. */
export function mapTools(doc: Json, report: Reporter): void {
  const tools = isRecord(doc.tools) ? doc.tools : undefined;
  if (tools) {
    if (tools.profile === 'coding') {
      tools.profile = 'full';
      report.note(
        'tools.profile "coding" became "full" (files, exec and memory, plus web_fetch/web_search: deny those in tools.deny if they were off)',
      );
    }
    for (const key of ['allow', 'deny'] as const)
      if (tools[key] !== undefined) tools[key] = toolList(tools[key], `tools.${key}`, report);
  }
  const list = isRecord(doc.agents) && Array.isArray(doc.agents.list) ? doc.agents.list : [];
  for (const [index, entry] of list.entries()) {
    if (!isRecord(entry) || !isRecord(entry.tools)) continue;
    const own = entry.tools;
    if (own.profile !== undefined) {
      report.skip(
        `agents.list[${index}].tools.profile`,
        "krabkrab has no per-agent profile: this agent gets tools.profile (narrow it with this agent's tools.deny)",
      );
      delete own.profile;
    }
    for (const key of ['allow', 'deny'] as const)
      if (own[key] !== undefined) own[key] = toolList(own[key], `agents.list[${index}].tools.${key}`, report);
  }
}

/**
 * A free-form env or header block: a secret-named entry with a literal value becomes a `${VAR}`
 * reference and the variable is named in the report (the value is never copied); an OpenClaw env
 * SecretRef becomes the same reference; other entries are copied.
 */
function secretBlock(
  block: unknown,
  where: string,
  varFor: (key: string) => string,
  report: Reporter,
): unknown {
  if (!isRecord(block)) return block;
  const out: Json = {};
  for (const [key, value] of Object.entries(block)) {
    if (isRecord(value)) {
      if (value.source === 'env' && typeof value.id === 'string' && /^[A-Za-z_]\w*$/.test(value.id))
        out[key] = `\${${value.id}}`;
      else report.skip(`${where}.${key}`, 'a secret reference krabkrab cannot read (only env): not copied');
      continue;
    }
    if (typeof value !== 'string' || hasEnvReference(value) || !SECRET_ENTRY_NAME.test(key)) {
      out[key] = value;
      continue;
    }
    const name = varFor(key);
    out[key] = `\${${name}}`;
    report.secret(name, `${where}.${key}`);
  }
  return out;
}

const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** `mcp.servers`: names made valid, `workingDirectory`/`connectionTimeoutMs` renamed, secrets as `${VAR}`. */
export function mapMcp(doc: Json, report: Reporter): void {
  const servers = isRecord(doc.mcp) && isRecord(doc.mcp.servers) ? doc.mcp.servers : undefined;
  if (!servers) return;
  const out: Json = {};
  for (const [key, raw] of Object.entries(servers)) {
    const where = `mcp.servers[${JSON.stringify(key)}]`;
    if (!isRecord(raw)) {
      report.skip(where, 'expected an object for each server');
      continue;
    }
    const name = SERVER_NAME.test(key) && !key.includes('__') ? key : escapeServerName(key);
    if (Object.hasOwn(out, name)) {
      report.skip(where, `server name "${name}" is already taken: not imported`);
      continue;
    }
    if (name !== key)
      report.note(`${where} was imported as server "${name}" (its tools are ${name}__<tool>)`);
    const server: Json = { ...raw };
    if (server.workingDirectory !== undefined) {
      server.cwd ??= server.workingDirectory;
      delete server.workingDirectory;
    }
    if (typeof server.connectionTimeoutMs === 'number') {
      server.timeoutSeconds = Math.min(3600, Math.max(1, Math.ceil(server.connectionTimeoutMs / 1000)));
      delete server.connectionTimeoutMs;
    }
    // krabkrab tries Streamable HTTP first and falls back to SSE by itself.
    delete server.transport;
    delete server.type;
    server.env = secretBlock(
      server.env,
      `mcp.servers.${name}.env`,
      (k) => (/^[A-Z_][A-Z0-9_]*$/.test(k) ? k : envName('mcp', name, k)),
      report,
    );
    server.headers = secretBlock(
      server.headers,
      `mcp.servers.${name}.headers`,
      (k) => envName('mcp', name, k),
      report,
    );
    if (server.env === undefined) delete server.env;
    if (server.headers === undefined) delete server.headers;
    out[name] = server;
  }
  (doc.mcp as Json).servers = out;
}

function escapeServerName(key: string): string {
  return (
    key
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/_{2,}/g, '_')
      .replace(/^[-_]+/, '')
      .slice(0, 32) || 'server'
  );
}

/** `skills.entries`: only `enabled` has a meaning here (a skill is text the model reads; nothing runs with its env). */
export function mapSkills(doc: Json, report: Reporter): void {
  const entries = isRecord(doc.skills) && isRecord(doc.skills.entries) ? doc.skills.entries : {};
  for (const [name, entry] of Object.entries(entries)) {
    if (!isRecord(entry)) continue;
    for (const key of Object.keys(entry)) {
      if (key === 'enabled') continue;
      report.skip(
        `skills.entries.${name}.${key}`,
        key === 'apiKey' || key === 'env'
          ? 'krabkrab runs nothing for a skill, so it takes no key or env for one (a secret: not copied)'
          : 'no such setting in krabkrab',
      );
      delete entry[key];
    }
  }
}

/** OpenClaw's model API names as krabkrab's `api`. */
const MODEL_APIS: Record<string, 'openai-chat' | 'anthropic'> = {
  'openai-completions': 'openai-chat',
  'openai-responses': 'openai-chat',
  'anthropic-messages': 'anthropic',
};

/** `models.providers`: the API named the krabkrab way, the model list dropped, header secrets as `${VAR}`. */
export function mapModelProviders(doc: Json, report: Reporter): void {
  const providers = isRecord(doc.models) && isRecord(doc.models.providers) ? doc.models.providers : {};
  for (const [id, entry] of Object.entries(providers)) {
    if (!isRecord(entry)) continue;
    const where = `models.providers.${id}`;
    const known = Object.hasOwn(PROVIDERS, id) || Object.hasOwn(PRESETS, id);
    if (Array.isArray(entry.models)) {
      report.note(
        `${where}.models: krabkrab takes any model id after the provider (${id}/<model>), no list needed`,
      );
      delete entry.models;
    }
    if (typeof entry.api === 'string') {
      const api = Object.hasOwn(MODEL_APIS, entry.api) ? MODEL_APIS[entry.api] : undefined;
      if (Object.hasOwn(PROVIDERS, id) || (known && !api)) {
        // A built-in or preset knows its own wire protocol.
        if (!api) delete entry.baseUrl;
        delete entry.api;
      } else if (!api) {
        report.skip(where, `api "${entry.api}" is not one krabkrab speaks ("openai-chat", "anthropic")`);
        delete providers[id];
        continue;
      } else {
        if (entry.api === 'openai-responses')
          report.note(`${where}: OpenAI Responses API is called through Chat Completions in krabkrab`);
        entry.api = api;
      }
    }
    if (entry.headers !== undefined) {
      if (Object.hasOwn(PROVIDERS, id)) {
        report.skip(`${where}.headers`, `${id} is built in: krabkrab sends its own headers`);
        delete entry.headers;
      } else entry.headers = secretBlock(entry.headers, `${where}.headers`, (k) => envName(id, k), report);
    }
  }
}
