import { isIP } from 'node:net';
import { mapCronJobs } from './cron';
import { mapMcp, mapModelProviders, mapSkills, mapTools } from './extensions';
import { isRecord, type Json } from './json';
import type { Reporter } from './report';

/** Strips OpenClaw's id prefixes (`tg:123`, `user:456`) from an allowlist. */
function plainIds(list: unknown, prefixes: RegExp): unknown {
  return Array.isArray(list)
    ? list.map((item) => (typeof item === 'string' ? item.replace(prefixes, '') : item))
    : list;
}

/**
 * OpenClaw's spellings rewritten into krabkrab's, in place, before the schema projection:
 * legacy `agent`, `api_key` modes, Discord's `dm` block, id prefixes, bind aliases, Control UI
 * origins, Tailscale Funnel, ACP bindings, voice-call's inbound keys, cron jobs, the `env` block,
 * tool names, MCP servers, skills entries and model providers.
 */
export function translateOpenClaw(doc: Json, cronFileJobs: unknown[] | undefined, report: Reporter): Json {
  agents(doc, report);
  auth(doc);
  channels(doc, report);
  gateway(doc, report);
  bindings(doc, report);
  plugins(doc);
  cron(doc, cronFileJobs, report);
  envBlock(doc, report);
  mapTools(doc, report);
  mapMcp(doc, report);
  mapSkills(doc, report);
  mapModelProviders(doc, report);
  return doc;
}

function agents(doc: Json, report: Reporter): void {
  if (isRecord(doc.agent)) {
    const agentsSection = isRecord(doc.agents) ? doc.agents : {};
    agentsSection.defaults = {
      ...doc.agent,
      ...(isRecord(agentsSection.defaults) ? agentsSection.defaults : {}),
    };
    doc.agents = agentsSection;
    delete doc.agent;
    report.note('agent (the legacy single-agent block) was read as agents.defaults');
  }
  entriesMap(doc, report);
  const list = isRecord(doc.agents) && Array.isArray(doc.agents.list) ? doc.agents.list : [];
  for (const entry of list) {
    if (!isRecord(entry) || !Array.isArray(entry.fallbacks)) continue;
    const primary =
      typeof entry.model === 'string' ? entry.model : isRecord(entry.model) ? entry.model.primary : undefined;
    entry.model = { ...(primary ? { primary } : {}), fallbacks: entry.fallbacks };
    delete entry.fallbacks;
  }
}

/** A krabkrab agent id from an OpenClaw one: letters, digits, - and _ (other characters become -). */
export function agentIdOf(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '') || 'agent';
}

/** The OpenClaw id of an agent imported from `agents.entries` under another id (its folders carry the original). */
export const OPENCLAW_ID = new WeakMap<object, string>();

/**
 * OpenClaw 2026.9 keeps agents as `agents.entries`, a map keyed by agent id; the guide's shape is
 * `agents.list`. The map's entries join the list with `id` set from their key; two keys that give
 * the same id once escaped keep the first and report the others by path.
 */
function entriesMap(doc: Json, report: Reporter): void {
  if (!isRecord(doc.agents) || !isRecord(doc.agents.entries)) return;
  const section = doc.agents;
  const list: unknown[] = Array.isArray(section.list) ? section.list : [];
  const taken = new Map<string, string>();
  for (const item of list)
    if (isRecord(item) && typeof item.id === 'string') taken.set(item.id, 'agents.list');
  for (const [key, entry] of Object.entries(section.entries as Json)) {
    const where = `agents.entries[${JSON.stringify(key)}]`;
    if (!isRecord(entry)) {
      report.skip(where, 'expected an object for each agent');
      continue;
    }
    const id = agentIdOf(key);
    const first = taken.get(id);
    if (first !== undefined) {
      report.skip(where, `agent id "${id}" is already taken by ${first}: not imported`);
      continue;
    }
    taken.set(id, where);
    if (id !== key) report.note(`${where} was imported as agent "${id}"`);
    const imported = { ...entry, id };
    OPENCLAW_ID.set(imported, key);
    list.push(imported);
  }
  section.list = list;
  delete section.entries;
}

function auth(doc: Json): void {
  const profiles = isRecord(doc.auth) && isRecord(doc.auth.profiles) ? doc.auth.profiles : {};
  for (const profile of Object.values(profiles)) {
    if (isRecord(profile) && profile.mode === 'api_key') profile.mode = 'api-key';
  }
}

function channels(doc: Json, report: Reporter): void {
  const section = isRecord(doc.channels) ? doc.channels : {};
  const telegram = section.telegram;
  if (isRecord(telegram) && telegram.allowFrom !== undefined)
    telegram.allowFrom = plainIds(telegram.allowFrom, /^(tg|telegram):/i);
  const discord = section.discord;
  if (!isRecord(discord)) return;
  if (isRecord(discord.dm)) {
    const dm = discord.dm;
    if (dm.enabled === false) discord.dmPolicy ??= 'disabled';
    else if (typeof dm.policy === 'string') discord.dmPolicy ??= dm.policy;
    if (Array.isArray(dm.allowFrom)) discord.allowFrom ??= dm.allowFrom;
    for (const key of Object.keys(dm))
      if (!['enabled', 'policy', 'allowFrom'].includes(key))
        report.skip(`channels.discord.dm.${key}`, 'no such setting in krabkrab');
    delete discord.dm;
  }
  if (discord.allowFrom !== undefined) discord.allowFrom = plainIds(discord.allowFrom, /^(discord|user):/i);
  for (const guild of Object.values(isRecord(discord.guilds) ? discord.guilds : {})) {
    if (isRecord(guild) && guild.users !== undefined)
      guild.users = plainIds(guild.users, /^(discord|user):/i);
    // The current spelling of a channel allowlist entry is `enabled`; the guide's is `allow`.
    // Dropping it would widen who the bot answers, so it always becomes `allow`.
    for (const channel of Object.values(isRecord(guild) && isRecord(guild.channels) ? guild.channels : {})) {
      if (!isRecord(channel) || channel.enabled === undefined) continue;
      channel.allow ??= channel.enabled;
      delete channel.enabled;
    }
  }
}

const BIND_ALIASES: Record<string, string> = {
  '0.0.0.0': 'lan',
  '::': 'lan',
  '127.0.0.1': 'loopback',
  localhost: 'loopback',
  '::1': 'loopback',
};

function gateway(doc: Json, report: Reporter): void {
  const gw = doc.gateway;
  if (!isRecord(gw)) return;
  if (typeof gw.bind === 'string' && Object.hasOwn(BIND_ALIASES, gw.bind)) gw.bind = BIND_ALIASES[gw.bind];
  if (gw.bind === 'custom') {
    const host = gw.customBindHost;
    if (typeof host === 'string' && isIP(host))
      gw.bind = Object.hasOwn(BIND_ALIASES, host) ? BIND_ALIASES[host] : host;
    else {
      delete gw.bind;
      report.skip('gateway.bind', 'custom bind without a customBindHost address');
    }
    delete gw.customBindHost;
  }
  if (isRecord(gw.controlUi) && Array.isArray(gw.controlUi.allowedOrigins)) {
    gw.allowedOrigins ??= gw.controlUi.allowedOrigins;
    delete gw.controlUi.allowedOrigins;
  }
  if (typeof gw.publicOrigin === 'string') {
    gw.publicUrl ??= gw.publicOrigin;
    delete gw.publicOrigin;
  }
  if (isRecord(gw.auth) && typeof gw.auth.mode === 'string') {
    if (gw.auth.mode !== 'token')
      report.skip(
        'gateway.auth.mode',
        `"${gw.auth.mode}" auth: krabkrab uses a token (set krabkrab_GATEWAY_TOKEN)`,
      );
    delete gw.auth.mode;
  }
  if (isRecord(gw.tailscale)) {
    if (gw.tailscale.mode === 'funnel')
      gw.tunnel = { ...(isRecord(gw.tunnel) ? gw.tunnel : {}), provider: 'tailscale' };
    else if (gw.tailscale.mode === 'serve')
      report.skip('gateway.tailscale', 'Tailscale Serve: use --bind tailnet instead');
    delete gw.tailscale;
  }
}

function bindings(doc: Json, report: Reporter): void {
  if (!Array.isArray(doc.bindings)) return;
  doc.bindings = doc.bindings.filter((binding, index) => {
    if (!isRecord(binding)) return false;
    if (binding.type !== undefined && binding.type !== 'route') {
      report.skip(`bindings[${index}]`, `"${String(binding.type)}" bindings have no counterpart in krabkrab`);
      return false;
    }
    delete binding.type;
    const match = isRecord(binding.match) ? binding.match : undefined;
    if (match && isRecord(match.peer) && match.peer.kind === 'direct') match.peer.kind = 'dm';
    return true;
  });
}

function plugins(doc: Json): void {
  const entries = isRecord(doc.plugins) && isRecord(doc.plugins.entries) ? doc.plugins.entries : {};
  const voice = entries['voice-call'];
  const config = isRecord(voice) && isRecord(voice.config) ? voice.config : undefined;
  if (!config) return;
  const inbound: Json = isRecord(config.inbound) ? config.inbound : {};
  if (typeof config.inboundPolicy === 'string') inbound.policy = config.inboundPolicy;
  if (Array.isArray(config.allowFrom)) inbound.allowFrom = config.allowFrom;
  if (Object.keys(inbound).length > 0) config.inbound = inbound;
  if (typeof config.inboundGreeting === 'string') config.greeting ??= config.inboundGreeting;
  delete config.inboundPolicy;
  delete config.allowFrom;
  delete config.inboundGreeting;
}

function cron(doc: Json, fileJobs: unknown[] | undefined, report: Reporter): void {
  const section = isRecord(doc.cron) ? doc.cron : undefined;
  const inline = section && Array.isArray(section.jobs) ? mapCronJobs(section.jobs, 'cron.jobs', report) : [];
  const fromFile = fileJobs ? mapCronJobs(fileJobs, 'cron/jobs.json', report) : [];
  if (!section && fromFile.length === 0) return;
  const out: Json = {};
  if (section) {
    if (typeof section.enabled === 'boolean') out.enabled = section.enabled;
    for (const key of Object.keys(section))
      if (key !== 'enabled' && key !== 'jobs') report.skip(`cron.${key}`, 'no such setting in krabkrab');
  }
  const ids = new Set<string>();
  const jobs = [...inline, ...fromFile].filter((job) => !ids.has(String(job.id)) && ids.add(String(job.id)));
  if (jobs.length > 0) out.jobs = jobs;
  doc.cron = out;
}

/** OpenClaw's `env` block holds secrets and settings by env var name: name them, copy nothing. */
function envBlock(doc: Json, report: Reporter): void {
  if (!isRecord(doc.env)) return;
  const names = [...Object.keys(doc.env), ...Object.keys(isRecord(doc.env.vars) ? doc.env.vars : {})].filter(
    (name) => /^[A-Z][A-Z0-9_]*$/.test(name),
  );
  for (const name of names) report.secret(name, 'env');
  for (const key of Object.keys(doc.env))
    if (key !== 'vars' && !/^[A-Z][A-Z0-9_]*$/.test(key))
      report.skip(`env.${key}`, 'no such setting in krabkrab');
  for (const key of Object.keys(isRecord(doc.env.vars) ? doc.env.vars : {}))
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) report.skip(`env.vars.${key}`, 'not an env var name: not copied');
  delete doc.env;
}
