import { bytesToBase64 } from '../../../base64';
import type { GatewayContext } from '../../../context';
import { GatewayError } from '../../../errors';
import { formatBytes } from '../../../media/format';
import { sniffImageType } from '../../../media/image-type';
import { mediaSettings } from '../../../media/settings';
import { looksBinary } from '../../../workspace/read-text';
import * as z from '../../../zod';
import { wrapUntrusted } from '../../untrusted';
import { defineTool, type ToolContext, ToolImages } from '../types';
import {
  DEFAULT_READ_LINES,
  FILES_NEVER_GUEST,
  MAX_READ_CHARS,
  MAX_READ_FILE_BYTES,
  MAX_READ_LINES,
  workspaceOf,
} from './workspace';

const decoder = new TextDecoder();
/** A line longer than this is shown cut (minified files would otherwise fill the answer with one line). */
const MAX_LINE_CHARS = 2000;

export const readFileTool = defineTool({
  name: 'read',
  description:
    'Read a text file of your workspace, with line numbers, or look at an image (png, jpeg, gif, webp). `path` is relative to the workspace (also `skills/<name>/SKILL.md`, read-only). ' +
    `Long files come in parts: pass \`offset\` (first line, from 1) and \`limit\` (lines, default ${DEFAULT_READ_LINES}) to read on.`,
  profile: 'full',
  neverGuest: FILES_NEVER_GUEST,
  parameters: z.object({
    path: z.string().min(1).max(1000).describe('file path relative to the workspace'),
    offset: z.number().int().min(1).optional().describe('first line to return, from 1'),
    limit: z.number().int().min(1).max(MAX_READ_LINES).optional().describe('how many lines'),
  }),
  async run({ path, offset = 1, limit = DEFAULT_READ_LINES }, toolCtx) {
    const { bytes, size } = await workspaceOf(toolCtx).read(path, { maxBytes: MAX_READ_FILE_BYTES });
    const imageType = sniffImageType(bytes);
    if (imageType) return readImage(path, imageType, { bytes, size }, toolCtx);
    if (looksBinary(bytes))
      throw new GatewayError(
        'BAD_REQUEST',
        `${path} is a binary file (${size} bytes); read shows text files only`,
      );
    const lines = decoder.decode(bytes).split('\n');
    if (bytes.length < size)
      lines.pop(); // the last line is cut mid-way
    else if (lines.at(-1) === '') lines.pop(); // the newline ending the file opens no line
    if (offset > Math.max(lines.length, 1))
      throw new GatewayError(
        'BAD_REQUEST',
        `${path} has ${lines.length} lines; offset ${offset} is past its end`,
      );
    const shown: string[] = [];
    let chars = 0;
    let last = offset - 1;
    for (let index = offset - 1; index < lines.length && index < offset - 1 + limit; index++) {
      const line = lines[index]!;
      const text = `${index + 1}\t${line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut]` : line}`;
      if (chars + text.length > MAX_READ_CHARS && shown.length > 0) break;
      shown.push(text);
      chars += text.length + 1;
      last = index + 1;
    }
    const notes = [
      `[lines ${shown.length ? offset : 0}-${last} of ${lines.length}${bytes.length < size ? '+' : ''}]`,
    ];
    if (last < lines.length) notes.push(`[more: read with offset ${last + 1}]`);
    if (bytes.length < size)
      notes.push(`[the file is ${size} bytes; only its first ${MAX_READ_FILE_BYTES} bytes can be read]`);
    return `${wrapUntrusted(`file ${path}`, shown.join('\n'))}\n${notes.join(' ')}`;
  },
});

/**
 * An image file is shown to the model as an image (capped by `media.images.maxBytes`); a model
 * without vision gets one line about it instead (the router replaces it per model).
 */
async function readImage(
  path: string,
  mimeType: string,
  read: { bytes: Uint8Array; size: number },
  toolCtx: Pick<ToolContext, 'trust' | 'workspace'> & { ctx: Pick<GatewayContext, 'config'> },
): Promise<ToolImages | string> {
  const max = mediaSettings(toolCtx.ctx.config()).images.maxBytes;
  const { size } = read;
  if (size > max)
    return `[${path} is an image (${mimeType}, ${formatBytes(size)}), larger than the ${formatBytes(max)} that can be shown (media.images.maxBytes)]`;
  // Read again only when the image is larger than what the text read took.
  const bytes =
    read.bytes.length === size
      ? read.bytes
      : (await workspaceOf(toolCtx).read(path, { maxBytes: max })).bytes;
  return new ToolImages(`[${path}: ${mimeType}, ${formatBytes(bytes.length)}, shown as an image]`, [
    { type: 'image', mimeType, dataBase64: bytesToBase64(bytes) },
  ]);
}
