import { GatewayError } from '../../../errors';
import { looksBinary } from '../../../workspace/read-text';
import * as z from '../../../zod';
import { defineTool } from '../types';
import { checkWriteSize, FILES_NEVER_GUEST, MAX_WRITE_BYTES, workspaceOf } from './workspace';

const decoder = new TextDecoder();

export const editFileTool = defineTool({
  name: 'edit',
  description:
    'Replace one exact piece of text in a workspace file. `oldText` must appear exactly once (include surrounding lines to make it unique); ' +
    'it is replaced by `newText`.',
  profile: 'full',
  neverGuest: FILES_NEVER_GUEST,
  parameters: z.object({
    path: z.string().min(1).max(1000).describe('file path relative to the workspace'),
    oldText: z.string().min(1).describe('the exact text to replace, appearing once in the file'),
    newText: z.string().describe('the text to put in its place'),
  }),
  async run({ path, oldText, newText }, toolCtx) {
    const workspace = workspaceOf(toolCtx);
    const { bytes, size } = await workspace.read(path, { maxBytes: MAX_WRITE_BYTES + 1 });
    if (size > MAX_WRITE_BYTES)
      throw new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `${path} is ${size} bytes; edit works on files up to 1 MiB`,
      );
    if (looksBinary(bytes))
      throw new GatewayError('BAD_REQUEST', `${path} is a binary file; edit changes text files only`);
    const text = decoder.decode(bytes);
    const at = text.indexOf(oldText);
    if (at < 0)
      throw new GatewayError(
        'BAD_REQUEST',
        `oldText not found in ${path}: it must match the file exactly (spaces, tabs and line breaks included); read the file again`,
      );
    const count = countOccurrences(text, oldText);
    if (count > 1)
      throw new GatewayError(
        'BAD_REQUEST',
        `oldText matches ${count} times in ${path}; include more of the surrounding text so it matches once`,
      );
    const updated = text.slice(0, at) + newText + text.slice(at + oldText.length);
    checkWriteSize(updated);
    await workspace.write(path, updated);
    const line = text.slice(0, at).split('\n').length;
    return { path, replaced: 1, line };
  },
});

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) count++;
  return count;
}
