import { isGatewayError } from '../errors';
import type { WorkspaceFs } from './types';

const decoder = new TextDecoder();

/** The start of a text file (at most `maxBytes`), or null when there is no such file. */
export async function readTextFile(
  fs: WorkspaceFs,
  path: string,
  maxBytes: number,
): Promise<{ text: string; size: number; truncated: boolean } | null> {
  try {
    const { bytes, size } = await fs.read(path, { maxBytes });
    return { text: decoder.decode(bytes), size, truncated: bytes.length < size };
  } catch (error) {
    if (isGatewayError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** A NUL byte in the first 8 KiB: what `git` and `grep` call a binary file. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}
