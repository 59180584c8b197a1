import { formatDottedPath } from './config/dotted-path';

/** What a zod issue carries that a person reads: where, and what is wrong there. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * One issue as `path: message`, the path printed as config problems print it (`messages[0].role`).
 * `at` prefixes the path (a schema checked inside a larger payload); `root` names the empty path
 * (`body`), else a root issue is its message alone.
 */
export function formatIssue(
  issue: Issue,
  options: { at?: readonly PropertyKey[]; root?: string } = {},
): string {
  const path = formatDottedPath([...(options.at ?? []), ...issue.path]) || options.root;
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * The first `max` issues of a failed parse on one line, `; ` between them: what a 400, an
 * INVALID_PARAMS frame, a tool error the model reads or a CLI usage error says.
 */
export function formatIssues(
  issues: readonly Issue[],
  options: { max?: number; pathOf?: (path: readonly PropertyKey[]) => string } = {},
): string {
  const { max = 5, pathOf } = options;
  return issues
    .slice(0, max)
    .map((issue) => {
      const path = issue.path.length > 0 && pathOf ? pathOf(issue.path) : undefined;
      return path ? `${path}: ${issue.message}` : formatIssue(issue);
    })
    .join('; ');
}
