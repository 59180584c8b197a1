import { expect, it } from 'vitest';
import type { WorkspaceFs } from '../../../src/core/workspace/types';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** What every WorkspaceFs does (the Node folder, the store). `make` gives an empty workspace. */
export function testWorkspaceFs(make: () => Promise<WorkspaceFs>): void {
  it('writes, reads, stats and lists files and the folders made for them', async () => {
    const fs = await make();
    await fs.write('notes/todo.md', '# Todo\n- crabs ü\n');
    await fs.write('a.txt', 'a');
    const read = await fs.read('notes/todo.md');
    expect(text(read.bytes)).toBe('# Todo\n- crabs ü\n');
    expect(read.size).toBe(18);
    expect(await fs.stat('notes/todo.md')).toMatchObject({ kind: 'file', size: 18 });
    expect(await fs.stat('notes')).toMatchObject({ kind: 'dir' });
    expect(await fs.stat('nope')).toBeNull();
    expect(await fs.list('.')).toEqual([
      { name: 'a.txt', kind: 'file', size: 1 },
      { name: 'notes', kind: 'dir' },
    ]);
    expect(await fs.list('notes')).toEqual([{ name: 'todo.md', kind: 'file', size: 18 }]);
    await fs.write('./notes/../a.txt', 'replaced');
    expect(text((await fs.read('a.txt')).bytes)).toBe('replaced');
  });

  it('reads at most maxBytes, with the whole size', async () => {
    const fs = await make();
    await fs.write('big.txt', 'x'.repeat(1000));
    const read = await fs.read('big.txt', { maxBytes: 10 });
    expect(read.bytes.length).toBe(10);
    expect(read.size).toBe(1000);
  });

  it('keeps odd names apart (spaces, %, unicode)', async () => {
    const fs = await make();
    await fs.write('my notes/100% 中文.md', 'one');
    await fs.write('my notes/100%25.md', 'two');
    expect((await fs.list('my notes')).map((e) => e.name)).toEqual(['100% 中文.md', '100%25.md']);
    expect(text((await fs.read('my notes/100% 中文.md')).bytes)).toBe('one');
  });

  it('refuses absolute paths and .. out of the workspace, and says what is missing', async () => {
    const fs = await make();
    for (const path of ['/etc/passwd', '../krabkrab.json', 'a/../../x', '~/x', 'C:/x'])
      await expect(fs.read(path)).rejects.toThrow(/absolute paths are refused|leaves the workspace/);
    await expect(fs.write('../escape.txt', 'x')).rejects.toThrow(/leaves the workspace/);
    await fs.write('~draft.md', 'a name, not a home folder');
    expect((await fs.stat('~draft.md'))?.kind).toBe('file');
    await expect(fs.read('missing.md')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fs.list('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a file where a folder is and the other way round', async () => {
    const fs = await make();
    await fs.write('f', 'x');
    await fs.write('d/x', 'x');
    await expect(fs.write('f/y', 'y')).rejects.toThrow(/file, not a folder/);
    await expect(fs.write('d', 'y')).rejects.toThrow(/folder/);
    await expect(fs.read('d')).rejects.toThrow(/folder; use list/);
    await expect(fs.list('f')).rejects.toThrow(/is a file; use read/);
  });
}
