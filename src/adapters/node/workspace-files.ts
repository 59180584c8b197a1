import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadWorkspaceFile } from '../../core/agent/types';

/** Reads AGENTS.md / SOUL.md from an agent's workspace dir; a missing file or dir is simply absent. */
export const readWorkspaceFile: ReadWorkspaceFile = async (dir, name) => {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
};
