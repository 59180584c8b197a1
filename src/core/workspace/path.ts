import { GatewayError } from '../errors';

/**
 * A workspace path in normal form: relative, `/`-separated, no `.` or `..` segments; `''` is the
 * workspace itself. Absolute paths and `..` that leaves the workspace are refused with an error
 * the model can act on. Symlinks are the implementation's part (the Node one resolves them).
 */
export function toWorkspacePath(input: string): string {
  if (input.includes('\0')) throw new GatewayError('BAD_REQUEST', 'the path contains a NUL byte');
  if (/^([/\\]|~(\/|$)|[A-Za-z]:[/\\])/.test(input)) {
    throw new GatewayError(
      'BAD_REQUEST',
      `absolute paths are refused (${JSON.stringify(input.slice(0, 200))}): give a path relative to the workspace, e.g. "notes/todo.md"`,
    );
  }
  const parts: string[] = [];
  for (const segment of input.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) {
        throw new GatewayError(
          'BAD_REQUEST',
          `${JSON.stringify(input.slice(0, 200))} leaves the workspace: only files inside it can be used`,
        );
      }
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join('/');
}

/** `a/b/c` -> `a/b` (`''` for a top-level name). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function notFound(path: string): GatewayError {
  return new GatewayError(
    'NOT_FOUND',
    `no such file or folder in the workspace: ${JSON.stringify(path || '.')}`,
  );
}
