import * as z from '../../../zod';
import { defineTool } from '../types';
import { checkWriteSize, FILES_NEVER_GUEST, workspaceOf } from './workspace';

export const writeFileTool = defineTool({
  name: 'write',
  description:
    'Create or replace a text file in your workspace (folders are created). `path` is relative to the workspace; at most 1 MiB. ' +
    'To change part of an existing file, use edit.',
  profile: 'full',
  neverGuest: FILES_NEVER_GUEST,
  parameters: z.object({
    path: z.string().min(1).max(1000).describe('file path relative to the workspace'),
    content: z.string().describe('the whole new content of the file'),
  }),
  async run({ path, content }, toolCtx) {
    const workspace = workspaceOf(toolCtx);
    checkWriteSize(content);
    const existed = (await workspace.stat(path))?.kind === 'file';
    await workspace.write(path, content);
    return { path, written: new TextEncoder().encode(content).length, created: !existed };
  },
});
