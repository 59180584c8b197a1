import type { CommandTable } from './command';

/**
 * Every CLI command by name, loaded only when it runs: the gateway process never parses the code
 * of doctor, backup (tar), import-openclaw and the rest. Adding one is one file and one line here.
 */
export const COMMANDS: CommandTable = {
  gateway: () => import('./gateway-command').then((m) => m.gatewayCommand),
  token: () => import('./token-command').then((m) => m.tokenCommand),
  config: () => import('./config-command').then((m) => m.configCommand),
  channels: () => import('./channels-command').then((m) => m.channelsCommand),
  secrets: () => import('./secrets-command').then((m) => m.secretsCommand),
  doctor: () => import('./doctor-command').then((m) => m.doctorCommand),
  status: () => import('./status-command').then((m) => m.statusCommand),
  backup: () => import('./backup-command').then((m) => m.backupCommand),
  restore: () => import('./restore-command').then((m) => m.restoreCommand),
  'import-openclaw': () => import('./import-openclaw-command').then((m) => m.importOpenClawCommand),
  cron: () => import('./cron-command').then((m) => m.cronCommand),
  pairing: () => import('./pairing-command').then((m) => m.pairingCommand),
  voicecall: () => import('./voicecall-command').then((m) => m.voicecallCommand),
  mcp: () => import('./mcp-command').then((m) => m.mcpCommand),
  skills: () => import('./skills-command').then((m) => m.skillsCommand),
};
