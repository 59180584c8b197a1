import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { isRecord, type Json } from './json';
import type { Reporter } from './report';
import { OPENCLAW_ID } from './translate';

/** One agent's OpenClaw workspace: where its files are, and whether the import copies them. */
export interface WorkspaceSource {
  agentId: string;
  /** The folder as OpenClaw names it (`~/.openclaw/workspace`). */
  configured: string;
  /** The same folder on this machine. */
  dir: string;
  /** Inside the OpenClaw folder: copied into the agent's krabkrab workspace with --write. */
  copy: boolean;
}

const isDir = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * OpenClaw paths on this machine: `~/.openclaw/...` is read inside the folder being imported
 * (which may be a copy from another machine), other `~/...` under this user's home, relative
 * paths from the OpenClaw folder.
 */
function localPath(path: string, dir: string, home: string): string {
  const inState = /^~[/\\]\.openclaw(?:[/\\](.*))?$/.exec(path);
  if (inState) return resolve(dir, inState[1] ?? '');
  if (path === '~' || /^~[/\\]/.test(path)) return resolve(home, path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(dir, path);
}

const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Finds each agent's OpenClaw workspace and rewrites the config for krabkrab. In OpenClaw,
 * `agents.defaults.workspace` is the default agent's own folder (default `~/.openclaw/workspace`);
 * another agent's is its own `workspace`, else `<defaults.workspace>/<id>` or
 * `~/.openclaw/workspace-<id>`, whichever exists. A folder inside the OpenClaw folder is copied
 * (with --write) into the agent's krabkrab workspace, so the config names none; a folder
 * elsewhere is not copied and becomes the agent's own `workspace`, so the same files are found.
 */
export function mapWorkspaces(doc: Json, dir: string, home: string, report: Reporter): WorkspaceSource[] {
  const agents: Json = isRecord(doc.agents) ? doc.agents : {};
  const defaults = isRecord(agents.defaults) ? agents.defaults : {};
  const root = typeof defaults.workspace === 'string' ? defaults.workspace : undefined;
  delete defaults.workspace;
  const list = Array.isArray(agents.list) ? agents.list.filter(isRecord) : [];
  const entries = list.length > 0 ? list : [{ id: 'main' }];
  const defaultEntry = entries.find((entry) => entry.default === true) ?? entries[0];
  const sources: WorkspaceSource[] = [];
  for (const entry of entries) {
    const id = typeof entry.id === 'string' ? entry.id : undefined;
    if (!id) continue;
    const ocId = OPENCLAW_ID.get(entry) ?? id;
    let configured: string;
    if (typeof entry.workspace === 'string') configured = entry.workspace;
    else if (entry === defaultEntry) configured = root ?? '~/.openclaw/workspace';
    else {
      const candidates = [
        ...(root ? [`${root.replace(/[/\\]+$/, '')}/${ocId}`] : []),
        `~/.openclaw/workspace-${ocId}`,
      ];
      configured =
        candidates.find((path) => isDir(localPath(path, dir, home))) ?? (candidates.at(-1) as string);
    }
    const local = localPath(configured, dir, home);
    const copy = inside(dir, local);
    if (copy) delete entry.workspace;
    else {
      entry.workspace = local;
      if (list.length === 0) {
        agents.list = [{ id: 'main', default: true, workspace: local }];
        doc.agents = agents;
      }
      report.note(
        `agent "${id}": its workspace ${configured} is outside the OpenClaw folder, so it is used where it is (not copied)`,
      );
    }
    sources.push({ agentId: id, configured, dir: local, copy });
  }
  if (root !== undefined)
    report.note(
      `agents.defaults.workspace (${root}) is the default agent's own folder in OpenClaw; krabkrab keeps each agent's files in its own workspace`,
    );
  if (Object.keys(defaults).length === 0 && isRecord(agents.defaults)) delete agents.defaults;
  return sources;
}
