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
] as const;

export type Namespace = (typeof NAMESPACES)[number];
