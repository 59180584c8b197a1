import { GatewayError } from '../../../errors';
import type { WorkspaceEntry, WorkspaceFs } from '../../../workspace/types';
import * as z from '../../../zod';
import { wrapUntrusted } from '../../untrusted';
import { defineTool } from '../types';
import { FILES_NEVER_GUEST, workspaceOf } from './workspace';

/** Entries one `list` returns; folders walked for a pattern; how deep. */
export const MAX_LIST_ENTRIES = 500;
const MAX_VISITED = 5000;
const MAX_DEPTH = 12;
/** Folders a pattern search does not walk into (they are huge and rarely what is meant). */
const SKIPPED = new Set(['.git', 'node_modules']);

export const listFilesTool = defineTool({
  name: 'list',
  description:
    'List a folder of your workspace (default: the workspace itself). With `pattern` the folder is searched recursively: ' +
    '"*.md" matches file names at any depth, a pattern with "/" ("notes/**/*.txt") matches paths; * is any text but "/", ** any path.',
  profile: 'full',
  neverGuest: FILES_NEVER_GUEST,
  parameters: z.object({
    path: z.string().max(1000).optional().describe('folder relative to the workspace'),
    pattern: z.string().min(1).max(200).optional().describe('glob, e.g. "*.md" or "src/**/*.ts"'),
  }),
  async run({ path = '.', pattern }, toolCtx) {
    const workspace = workspaceOf(toolCtx);
    const lines: string[] = [];
    let more = false;
    if (!pattern) {
      const entries = await workspace.list(path);
      for (const entry of entries.slice(0, MAX_LIST_ENTRIES)) lines.push(describe(entry.name, entry));
      more = entries.length > MAX_LIST_ENTRIES;
    } else {
      const matches = globMatcher(pattern);
      more = await walk(workspace, path, (rel, entry) => {
        if (entry.kind === 'file' && matches(rel)) lines.push(describe(rel, entry));
        return lines.length < MAX_LIST_ENTRIES;
      });
    }
    const note = more ? `\n[more entries not shown: list a subfolder or give a narrower pattern]` : '';
    const body = lines.length ? lines.join('\n') : pattern ? '(no file matches)' : '(empty folder)';
    return `${wrapUntrusted(`folder ${path}`, body)}${note}`;
  },
});

function describe(name: string, entry: WorkspaceEntry): string {
  if (entry.kind === 'dir') return `${name}/`;
  if (entry.kind === 'other') return `${name} (not a regular file, or outside the workspace)`;
  return `${name} (${entry.size ?? 0} bytes)`;
}

/** Walks folders breadth-first, bounded; `visit` returns false to stop. True when it stopped early. */
async function walk(
  workspace: WorkspaceFs,
  root: string,
  visit: (rel: string, entry: WorkspaceEntry) => boolean,
): Promise<boolean> {
  const queue: Array<{ dir: string; rel: string; depth: number }> = [{ dir: root, rel: '', depth: 0 }];
  let visited = 0;
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const entry of await workspace.list(next.dir)) {
      if (++visited > MAX_VISITED) return true;
      const rel = next.rel ? `${next.rel}/${entry.name}` : entry.name;
      if (!visit(rel, entry)) return true;
      if (entry.kind === 'dir' && next.depth < MAX_DEPTH && !SKIPPED.has(entry.name))
        queue.push({ dir: `${next.dir}/${entry.name}`, rel, depth: next.depth + 1 });
    }
  }
  return false;
}

/** `*.md` matches a file name at any depth; a pattern with `/` matches the path from the listed folder. */
export function globMatcher(pattern: string): (path: string) => boolean {
  if (pattern.startsWith('/'))
    throw new GatewayError('BAD_REQUEST', 'the pattern is relative to the folder listed');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return pattern.includes('/')
    ? (path) => regex.test(path)
    : (path) => regex.test(path.slice(path.lastIndexOf('/') + 1));
}
