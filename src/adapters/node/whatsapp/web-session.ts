import { mkdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';

/** Where the linked device's keys live: `$STATE_DIR/credentials/whatsapp-web/` (folder 0700, files 0600). */
export function webSessionDir(stateDir: string): string {
  return join(stateDir, 'credentials', 'whatsapp-web');
}

/** The linked number (`15551234567`) when a finished login is stored, else undefined. */
export async function linkedNumber(stateDir: string): Promise<string | undefined> {
  try {
    const creds = JSON.parse(await readFile(join(webSessionDir(stateDir), 'creds.json'), 'utf8')) as {
      me?: { id?: string };
      registered?: boolean;
    };
    const id = creds.me?.id;
    return id ? id.split(/[:@]/)[0] : undefined;
  } catch {
    return undefined;
  }
}

export async function clearWebSession(stateDir: string): Promise<void> {
  await rm(webSessionDir(stateDir), { recursive: true, force: true });
}

/** The parts of Baileys this file needs (the library is imported lazily by the caller). */
export interface BaileysAuthKit {
  BufferJSON: { replacer: (k: string, v: unknown) => unknown; reviver: (k: string, v: unknown) => unknown };
  initAuthCreds: () => unknown;
  proto: { Message: { AppStateSyncKeyData: { fromObject(value: unknown): unknown } } };
}

/**
 * Baileys' multi-file auth state, written the gateway's way: atomically (a crash never leaves
 * half a key file) and owner-only (0600 in a 0700 folder), since these files are the account.
 */
export async function openWebSession(kit: BaileysAuthKit, stateDir: string) {
  const dir = webSessionDir(stateDir);
  const info = await stat(dir).catch(() => undefined);
  if (!info) await mkdir(dir, { recursive: true, mode: 0o700 });
  const queues = new Map<string, Promise<unknown>>();
  const file = (name: string) => join(dir, name.replace(/\//g, '__').replace(/:/g, '-'));
  // One operation a file at a time, as Baileys reads and writes keys concurrently.
  const serial = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(name) ?? Promise.resolve()).then(task, task);
    queues.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  };
  const read = (name: string) =>
    serial(name, async () => {
      try {
        return JSON.parse(await readFile(file(name), 'utf8'), kit.BufferJSON.reviver) as unknown;
      } catch {
        return null;
      }
    });
  const write = (name: string, value: unknown) =>
    serial(name, () => writeFileAtomic(file(name), JSON.stringify(value, kit.BufferJSON.replacer)));
  const remove = (name: string) => serial(name, () => unlink(file(name)).catch(() => {}));

  const creds = (await read('creds.json')) ?? kit.initAuthCreds();
  return {
    state: {
      creds,
      keys: {
        async get(type: string, ids: string[]) {
          const found: Record<string, unknown> = {};
          await Promise.all(
            ids.map(async (id) => {
              let value = await read(`${type}-${id}.json`);
              if (type === 'app-state-sync-key' && value)
                value = kit.proto.Message.AppStateSyncKeyData.fromObject(value);
              found[id] = value;
            }),
          );
          return found;
        },
        async set(data: Record<string, Record<string, unknown>>) {
          const tasks: Promise<unknown>[] = [];
          for (const [type, entries] of Object.entries(data))
            for (const [id, value] of Object.entries(entries ?? {}))
              tasks.push(value ? write(`${type}-${id}.json`, value) : remove(`${type}-${id}.json`));
          await Promise.all(tasks);
        },
      },
    },
    saveCreds: () => write('creds.json', creds),
  };
}
