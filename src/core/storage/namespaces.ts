/**
 * Every key the gateway stores starts with one of these namespaces (`sessions:agent:main:...`).
 * The Node adapter gives each its own folder in the state dir; adding a concept that stores
 * data is one line here.
 */
export const NAMESPACES = [
  'sessions',
  'credentials',
  'spool',
  'dedupe',
  'cron',
  'pairing',
  'memory',
  'cooldowns',
  'calls',
  'channels',
  'state',
  /** Agent workspaces where there is no disk (Workers): one key per file, `files:<agentId>:<path>`. */
  'files',
  /** Daily token rollups, `usage:day:<YYYY-MM-DD>` (kept 90 days). */
  'usage',
] as const;

export type Namespace = (typeof NAMESPACES)[number];
