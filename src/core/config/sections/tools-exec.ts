import { allowableAlways } from '../../agent/exec/command-line';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** The longest an exec command may run, whatever the model asks (seconds). */
export const EXEC_MAX_TIMEOUT_SECONDS = 600;
export const EXEC_DEFAULT_TIMEOUT_SECONDS = 60;
export const EXEC_DEFAULT_APPROVAL_TIMEOUT_SECONDS = 300;

/** `tools.exec`: how the `exec` tool may run shell commands (owner sessions, Node only). */
export const execToolsSection = lazySchema(() => {
  /** A program name as `tools.exec.allow` holds it: `git`, `python3`, `/usr/bin/make` (never `./build.sh`). */
  const programName = z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._+/-]+$/, 'a program name (letters, digits, . _ + - /), no arguments or spaces')
    // The same rule as allow-always: a relative path is a file the agent can rewrite in its workspace.
    .refine(
      allowableAlways,
      'a name found through PATH (git) or an absolute path (/usr/bin/make): a relative path (./build.sh) is a workspace file the agent can rewrite, so it would run whatever the agent writes there',
    );

  return z.strictObject({
    /**
     * `deny`: never; `allowlist`: only `allow` programs; `ask` (default): `allow` programs run, every
     * other command waits for the owner; `full`: every command runs without asking.
     */
    mode: z.enum(['deny', 'allowlist', 'ask', 'full']).optional(),
    /** Program names that run without asking (a command with shell operators never matches). */
    allow: z.array(programName).max(500).optional(),
    /** Seconds the owner has to answer an approval request; no answer is a deny. */
    approvalTimeoutSeconds: z.number().int().min(10).max(86_400).optional(),
    /** Variables added to the command's otherwise minimal environment (PATH, HOME, LANG, TZ). */
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())
      .optional(),
  });
});

export type ExecToolsConfig = z.infer<typeof execToolsSection>;
export type ExecMode = NonNullable<ExecToolsConfig['mode']>;
