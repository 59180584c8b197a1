import { GatewayError } from '../errors';
import { keySegment, type Store } from '../storage/store';
import { notFound, parentPath, toWorkspacePath } from './path';
import type { WorkspaceEntry, WorkspaceFs, WorkspaceStat } from './types';

/** One workspace file as the store keeps it. */
interface StoredFile {
  content: string;
  mtimeMs: number;
}

const encoder = new TextEncoder();

/**
 * A workspace over the store, one key per file (`files:<agentId>:<path>`), folders implied by
 * the paths: the workspace on Workers, where there is no disk, and in unit tests.
 */
export function createStoreWorkspaceFs(store: Store, agentId: string, now: () => number): WorkspaceFs {
  const prefix = `files:${keySegment(agentId)}:`;
  // encodeURIComponent first: keySegment alone escapes each UTF-16 unit, which does not decode back.
  const keyOf = (path: string) => `${prefix}${keySegment(encodeURIComponent(path))}`;

  async function paths(): Promise<string[]> {
    return (await store.keys(prefix)).map((key) =>
      decodeURIComponent(
        key
          .slice(prefix.length)
          .replace(/%([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16))),
      ),
    );
  }

  async function stat(path: string): Promise<WorkspaceStat | null> {
    const file = await store.get<StoredFile>(keyOf(path));
    if (file) return { kind: 'file', size: encoder.encode(file.content).length, mtimeMs: file.mtimeMs };
    if (path === '' || (await paths()).some((candidate) => candidate.startsWith(`${path}/`)))
      return { kind: 'dir', size: 0, mtimeMs: 0 };
    return null;
  }

  return {
    async read(input, options) {
      const path = toWorkspacePath(input);
      const file = await store.get<StoredFile>(keyOf(path));
      if (!file) {
        if ((await stat(path))?.kind === 'dir') throw isFolder(path);
        throw notFound(path);
      }
      const bytes = encoder.encode(file.content);
      const max = options?.maxBytes ?? bytes.length;
      return { bytes: bytes.length > max ? bytes.slice(0, max) : bytes, size: bytes.length };
    },
    async write(input, content) {
      const path = toWorkspacePath(input);
      if (path === '') throw isFolder(path);
      if ((await stat(path))?.kind === 'dir') throw isFolder(path);
      for (let dir = parentPath(path); dir !== ''; dir = parentPath(dir)) {
        if (await store.has(keyOf(dir)))
          throw new GatewayError('CONFLICT', `${JSON.stringify(dir)} is a file, not a folder`);
      }
      await store.set(keyOf(path), { content, mtimeMs: now() } satisfies StoredFile);
    },
    async list(input) {
      const path = toWorkspacePath(input);
      const base = path === '' ? '' : `${path}/`;
      const entries = new Map<string, WorkspaceEntry>();
      for (const candidate of await paths()) {
        if (!candidate.startsWith(base)) continue;
        const rest = candidate.slice(base.length);
        const slash = rest.indexOf('/');
        if (slash >= 0) entries.set(rest.slice(0, slash), { name: rest.slice(0, slash), kind: 'dir' });
        else if (!entries.has(rest)) {
          const file = await store.get<StoredFile>(keyOf(candidate));
          entries.set(rest, { name: rest, kind: 'file', size: encoder.encode(file?.content ?? '').length });
        }
      }
      if (entries.size === 0 && path !== '') {
        if (await store.has(keyOf(path)))
          throw new GatewayError('BAD_REQUEST', `${JSON.stringify(path)} is a file; use read`);
        throw notFound(path);
      }
      return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    stat: (input) => stat(toWorkspacePath(input)),
  };
}

function isFolder(path: string): GatewayError {
  return new GatewayError('BAD_REQUEST', `${JSON.stringify(path || '.')} is a folder; use list`);
}
