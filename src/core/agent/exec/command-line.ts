/**
 * What the allowlist may match in a command line. A line with shell operators or substitutions
 * runs more than its first program (`ls | sh`, `git status; curl …`, `ls $(rm -rf ~)`), so it never
 * matches: it is always asked (the reference product's pipe bypass must not exist here).
 */

// `;` `&` (`&&`, background) `|` (`||`, pipes) backtick `<` `>` (redirects, process substitution), newlines, `$(`.
const OPERATOR = /[;&|`<>\n\r]|\$\(/;
/** A bare program token: no quotes, escapes, globs, variables or assignments. */
const PROGRAM = /^[A-Za-z0-9._+/-]+$/;

/** The program a plain command line runs (`git` for `git status -s`); undefined when it has operators or is not plain. */
export function plainProgram(command: string): string | undefined {
  if (OPERATOR.test(command)) return undefined;
  const first = command.trim().split(/[ \t]+/, 1)[0] ?? '';
  return PROGRAM.test(first) ? first : undefined;
}

/**
 * Whether `allow-always` may add this program to the allowlist: a name (found through PATH, whose
 * entries are absolute) or an absolute path. A relative path (`./build.sh`, `bin/tool`) is a file in
 * the workspace, which the agent can rewrite: allowing it always would run whatever it writes there.
 */
export function allowableAlways(program: string): boolean {
  return !program.includes('/') || program.startsWith('/');
}

/** Whether the allowlist lets this command line run without asking. */
export function matchesAllowlist(command: string, allow: readonly string[]): boolean {
  const program = plainProgram(command);
  // Exact names only: allowing `git` must not allow `./git`, a script the agent may have written.
  return program !== undefined && allow.includes(program);
}
