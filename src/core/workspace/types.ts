/**
 * An agent's workspace as the file tools see it: paths relative to the workspace, nothing outside
 * it reachable. Node implements it over a directory (src/adapters/node/workspace-fs.ts), Workers
 * and tests over the store (store-fs.ts).
 */
export interface WorkspaceFs {
  /** A file's bytes, at most `maxBytes` of them (the start), with its whole size. NOT_FOUND when absent. */
  read(path: string, options?: { maxBytes?: number }): Promise<{ bytes: Uint8Array; size: number }>;
  /** Creates or replaces a file (and its folders) with this text. */
  write(path: string, content: string): Promise<void>;
  /** The entries of a folder (not recursive), sorted by name. NOT_FOUND when absent. */
  list(path: string): Promise<WorkspaceEntry[]>;
  /** What is at a path, or null when nothing is. */
  stat(path: string): Promise<WorkspaceStat | null>;
}

export type WorkspaceEntryKind = 'file' | 'dir' | 'other';

export interface WorkspaceEntry {
  name: string;
  kind: WorkspaceEntryKind;
  /** Files: bytes. */
  size?: number;
}

export interface WorkspaceStat {
  kind: WorkspaceEntryKind;
  size: number;
  mtimeMs: number;
}

/** Builds an agent's workspace file system (`AgentRuntimeDeps.workspaceFs`). */
export type WorkspaceFsFactory = (agent: { id: string; workspace: string }) => WorkspaceFs;

/**
 * Where the state dir's skills are readable (read-only): a workspace path starting with this
 * folder falls back to `$STATE_DIR/skills/` when the workspace has no such file. Writes never go there.
 */
export const SKILLS_PREFIX = 'skills';
