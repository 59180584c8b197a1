import type { Logger } from '../log/logger';
import { keySegment, type Store } from '../storage/store';
import type { MemoryFs } from './fs';
import { NOTES_DIR } from './paths';

/** A note as the earlier JSON memory kept them, one list per agent under `memory:<agentId>`. */
interface JsonNote {
  id?: string;
  text?: string;
  tags?: string[];
  createdAt?: number;
}

export const IMPORTED_NOTES_PATH = `${NOTES_DIR}/imported-notes.md`;

/**
 * Moves the notes of the earlier JSON memory into `memory/imported-notes.md`, once. The file is
 * written whole before the JSON list is removed, so a crash between the two only rewrites the
 * same file on the next start: no note is lost or doubled.
 */
export async function migrateJsonNotes(options: {
  agentId: string;
  fs: MemoryFs;
  store: Store;
  log: Logger;
}): Promise<void> {
  const { agentId, fs, store, log } = options;
  const key = `memory:${keySegment(agentId)}`;
  const notes = await store.get<JsonNote[]>(key);
  if (notes === null) return;
  const valid = Array.isArray(notes) ? notes.filter((note) => typeof note?.text === 'string') : [];
  if (valid.length > 0) {
    const lines = valid.map((note) => {
      const when =
        typeof note.createdAt === 'number'
          ? `${new Date(note.createdAt).toISOString().slice(0, 16).replace('T', ' ')} `
          : '';
      const tags = note.tags?.length
        ? ` ${note.tags.map((tag) => `#${tag.replace(/\s+/g, '-')}`).join(' ')}`
        : '';
      return `- ${when}${(note.text ?? '').trim().replace(/\r?\n/g, '\n  ')}${tags}`;
    });
    await fs.write(
      IMPORTED_NOTES_PATH,
      `# Notes imported from the earlier memory store\n\n${lines.join('\n')}\n`,
    );
    log.info(`moved ${valid.length} note(s) of agent ${agentId} into ${IMPORTED_NOTES_PATH}`);
  }
  await store.remove(key);
}
